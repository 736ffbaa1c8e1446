import type { A_Expr, BooleanTest, BoolExpr, FuncCall, Node, NullTest } from 'libpg-query';
import type { MetricsFilter } from '../metrics/metrics-query.js';
import type { ModelMember } from '../metrics/model-views.js';
import { nodeKind } from './sql-parser.js';
import { positionOf, SqlError, SQLSTATE } from './sql-error.js';
import { literalOf, localTimestampOf, type BoundParams, type LiteralValue } from './sql-literals.js';
import { shortName } from './sql-tables.js';
import { aggregatedMeasure, AGGREGATE_FUNCTIONS, functionName, type ViewColumns } from './view-columns.js';

type Leaf = Extract<MetricsFilter, { member: string }>;
type Operator = Leaf['operator'];
type Clause = 'WHERE' | 'HAVING';

const COMPARISONS: Readonly<Record<string, { readonly plain: Operator; readonly time: Operator; readonly flipped: string }>> = {
  '=': { plain: 'equals', time: 'inDateRange', flipped: '=' },
  '<>': { plain: 'notEquals', time: 'notInDateRange', flipped: '<>' },
  '!=': { plain: 'notEquals', time: 'notInDateRange', flipped: '!=' },
  '<': { plain: 'lt', time: 'beforeDate', flipped: '>' },
  '<=': { plain: 'lte', time: 'beforeOrOnDate', flipped: '>=' },
  '>': { plain: 'gt', time: 'afterDate', flipped: '<' },
  '>=': { plain: 'gte', time: 'afterOrOnDate', flipped: '<=' },
};

const NEGATED: Readonly<Partial<Record<Operator, Operator>>> = {
  equals: 'notEquals', notEquals: 'equals', contains: 'notContains', notContains: 'contains', startsWith: 'notStartsWith', notStartsWith: 'startsWith',
  endsWith: 'notEndsWith', notEndsWith: 'endsWith', gt: 'lte', lte: 'gt', gte: 'lt', lt: 'gte', set: 'notSet', notSet: 'set',
  afterDate: 'beforeOrOnDate', beforeOrOnDate: 'afterDate', afterOrOnDate: 'beforeDate', beforeDate: 'afterOrOnDate',
  inDateRange: 'notInDateRange', notInDateRange: 'inDateRange',
};

/**
 * Cube's negative operators (`notEquals`, `notContains`, …) keep rows whose value is NULL;
 * PostgreSQL's `<>`, `NOT IN`, `NOT LIKE` drop them. Each is paired with `set` so the SQL API
 * answers what the SQL says.
 */
const NULL_KEEPING = new Set<Operator>(['notEquals', 'notContains', 'notStartsWith', 'notEndsWith', 'notInDateRange']);

/** A condition as the engine's filter, over dimensions (WHERE) or measures (HAVING). */
export class FilterTranslator {
  constructor(
    private readonly columns: ViewColumns,
    private readonly params: BoundParams,
    private readonly clause: Clause,
  ) {}

  translate(node: Node): MetricsFilter {
    switch (nodeKind(node)) {
      case 'BoolExpr':
        return this.boolExpr((node as { BoolExpr: BoolExpr }).BoolExpr);
      case 'A_Expr':
        return this.aExpr((node as { A_Expr: A_Expr }).A_Expr);
      case 'NullTest': {
        const test = (node as { NullTest: NullTest }).NullTest;
        const member = this.operand(test.arg as Node, test.location);
        return leaf(member, test.nulltesttype === 'IS_NOT_NULL' ? 'set' : 'notSet');
      }
      case 'BooleanTest':
        return this.booleanTest((node as { BooleanTest: BooleanTest }).BooleanTest);
      case 'ColumnRef': {
        const member = this.operand(node, undefined);
        if (member.type !== 'boolean') throw this.unsupported(`column "${shortName(member.name)}" is not boolean and cannot stand alone as a condition`, undefined);
        return leaf(member, 'equals', ['true']);
      }
      default:
        throw this.unsupported('this condition', locationOf(node));
    }
  }

  private boolExpr(expr: BoolExpr): MetricsFilter {
    const args = (expr.args ?? []).map((a) => this.translate(a));
    switch (expr.boolop) {
      case 'AND_EXPR':
        return { and: args };
      case 'OR_EXPR':
        return { or: args };
      default:
        return negate(args[0] as MetricsFilter);
    }
  }

  private booleanTest(test: BooleanTest): MetricsFilter {
    const member = this.operand(test.arg as Node, test.location);
    switch (test.booltesttype) {
      case 'IS_TRUE':
        return leaf(member, 'equals', ['true']);
      case 'IS_FALSE':
        return leaf(member, 'equals', ['false']);
      case 'IS_NOT_TRUE':
        return { or: [leaf(member, 'equals', ['false']), leaf(member, 'notSet')] };
      case 'IS_NOT_FALSE':
        return { or: [leaf(member, 'equals', ['true']), leaf(member, 'notSet')] };
      default:
        throw this.unsupported(`IS UNKNOWN`, test.location);
    }
  }

  private aExpr(expr: A_Expr): MetricsFilter {
    const op = (expr.name?.[0] as { String?: { sval?: string } } | undefined)?.String?.sval ?? '';
    switch (expr.kind) {
      case 'AEXPR_OP':
        return this.comparison(expr, op);
      case 'AEXPR_IN': {
        const member = this.operand(expr.lexpr as Node, expr.location);
        const items = ((expr.rexpr as { List?: { items?: Node[] } }).List?.items ?? []).map((n) => this.literal(n, member));
        const values = items.map((l) => this.value(member, l, op));
        const positive = op === '=';
        if (member.type === 'time') {
          const each = values.map((v) => leaf(member, positive ? 'inDateRange' : 'notInDateRange', [v, v]));
          return positive ? { or: each } : { and: [...each, leaf(member, 'set')] };
        }
        return positive ? leaf(member, 'equals', values) : { and: [leaf(member, 'notEquals', values), leaf(member, 'set')] };
      }
      case 'AEXPR_BETWEEN':
      case 'AEXPR_NOT_BETWEEN': {
        const member = this.operand(expr.lexpr as Node, expr.location);
        const [low, high] = ((expr.rexpr as { List?: { items?: Node[] } }).List?.items ?? []).map((n) => this.value(member, this.literal(n, member), 'BETWEEN')) as [string, string];
        const inside = expr.kind === 'AEXPR_BETWEEN';
        if (member.type === 'time') return withSet(leaf(member, inside ? 'inDateRange' : 'notInDateRange', [low, high]));
        return inside ? { and: [leaf(member, 'gte', [low]), leaf(member, 'lte', [high])] } : { or: [leaf(member, 'lt', [low]), leaf(member, 'gt', [high])] };
      }
      case 'AEXPR_LIKE':
      case 'AEXPR_ILIKE':
        return this.like(expr, op);
      default:
        throw this.unsupported(`the ${op || expr.kind} operator`, expr.location);
    }
  }

  private comparison(expr: A_Expr, op: string): MetricsFilter {
    const spec = COMPARISONS[op];
    if (!spec || !expr.lexpr || !expr.rexpr) throw this.unsupported(`the ${op} operator`, expr.location);
    let [columnSide, valueSide, operator] = [expr.lexpr, expr.rexpr, op];
    if (literalOf(columnSide, this.params) !== undefined) [columnSide, valueSide, operator] = [expr.rexpr, expr.lexpr, spec.flipped];
    const member = this.operand(columnSide, expr.location);
    const lit = this.literal(valueSide, member);
    const effective = COMPARISONS[operator] as (typeof COMPARISONS)[string];
    const value = this.value(member, lit, op);
    if (member.type === 'time') {
      const timeOp = effective.time;
      return withSet(leaf(member, timeOp, timeOp === 'inDateRange' || timeOp === 'notInDateRange' ? [value, value] : [value]));
    }
    return withSet(leaf(member, effective.plain, [value]));
  }

  private like(expr: A_Expr, op: string): MetricsFilter {
    const member = this.operand(expr.lexpr as Node, expr.location);
    const lit = this.literal(expr.rexpr as Node, member);
    if (lit.value === null) throw nullComparison(member, lit);
    const negative = op.startsWith('!');
    const ignoreCase = expr.kind === 'AEXPR_ILIKE';
    const pattern = parseLikePattern(lit.value);
    const keyword = `${negative ? 'NOT ' : ''}${ignoreCase ? 'ILIKE' : 'LIKE'}`;
    if (!pattern) {
      throw new SqlError(SQLSTATE.featureNotSupported, `${keyword} pattern ${JSON.stringify(lit.value.slice(0, 60))} cannot be translated: only '%text%', 'text%' and '%text' (and '_' nowhere) map to Farol's contains, startsWith and endsWith filters`, { position: positionOf(lit.location) });
    }
    let operator: Operator;
    if (pattern.kind === 'equals') {
      if (ignoreCase) throw new SqlError(SQLSTATE.featureNotSupported, `${keyword} without a wildcard compares ignoring case, which no filter of Farol's does; use = for an exact match`, { position: positionOf(lit.location) });
      operator = 'equals';
    } else {
      if (!ignoreCase) {
        throw new SqlError(SQLSTATE.featureNotSupported, `${keyword} with a wildcard is case-sensitive, but Farol's contains/startsWith/endsWith filters ignore case: use ${negative ? 'NOT ' : ''}ILIKE`, { position: positionOf(expr.location) });
      }
      operator = pattern.kind;
    }
    if (pattern.kind !== 'equals' && pattern.value === '') return leaf(member, negative ? 'notSet' : 'set');
    const filter = leaf(member, operator, [pattern.value]);
    return negative ? negate(filter) : filter;
  }

  /** The member an operand names: a dimension in WHERE, an aggregated measure in HAVING. */
  private operand(node: Node, location: number | undefined): ModelMember {
    if (this.clause === 'HAVING') {
      if (nodeKind(node) === 'FuncCall') {
        const call = (node as { FuncCall: FuncCall }).FuncCall;
        if (AGGREGATE_FUNCTIONS.has(functionName(call))) return aggregatedMeasure(call, this.columns);
      }
      const member = this.columns.columnOf(node);
      if (member?.kind === 'measure') {
        throw new SqlError(SQLSTATE.groupingError, `HAVING must aggregate measure "${shortName(member.name)}": write MEASURE(${shortName(member.name)})`, { position: positionOf(locationOf(node) ?? location) });
      }
      throw this.unsupported('a HAVING condition that is not on an aggregated measure (filter dimensions in WHERE)', locationOf(node) ?? location);
    }
    const member = this.columns.columnOf(node);
    if (!member) {
      if (nodeKind(node) === 'FuncCall') {
        const fn = functionName((node as { FuncCall: FuncCall }).FuncCall);
        if (AGGREGATE_FUNCTIONS.has(fn)) throw new SqlError(SQLSTATE.groupingError, 'aggregate functions are not allowed in WHERE; filter measures in HAVING', { position: positionOf(locationOf(node)) });
        throw this.unsupported(`function ${fn}() in WHERE`, locationOf(node));
      }
      throw this.unsupported('this operand: a condition compares one column of the view with constants or parameters', locationOf(node) ?? location);
    }
    if (member.kind === 'measure') {
      throw new SqlError(SQLSTATE.groupingError, `Column "${shortName(member.name)}" is a measure; filter it in HAVING with MEASURE(${shortName(member.name)})`, { position: positionOf(locationOf(node)) });
    }
    if (member.kind === 'segment') throw this.unsupported(`segment "${shortName(member.name)}" inside an expression (use it alone: WHERE ${shortName(member.name)} AND …)`, locationOf(node));
    return member;
  }

  private literal(node: Node, member: ModelMember): LiteralValue {
    const lit = literalOf(node, this.params);
    if (!lit) throw this.unsupported(`comparing column "${shortName(member.name)}" with anything but constants or parameters`, locationOf(node));
    return lit;
  }

  private value(member: ModelMember, lit: LiteralValue, op: string): string {
    if (lit.value === null) throw nullComparison(member, lit, op);
    if (member.type === 'time') return localTimestampOf(lit, shortName(member.name));
    if (member.type === 'boolean') return booleanText(lit.value) ?? lit.value;
    return lit.value;
  }

  private unsupported(what: string, location: number | undefined): SqlError {
    return new SqlError(SQLSTATE.featureNotSupported, `${this.clause}: ${what} cannot be translated to a semantic query`, { position: positionOf(location) });
  }
}

function leaf(member: ModelMember, operator: Operator, values?: string[]): Leaf {
  return values === undefined ? { member: member.name, operator } : { member: member.name, operator, values };
}

function withSet(filter: Leaf): MetricsFilter {
  return NULL_KEEPING.has(filter.operator) ? { and: [filter, { member: filter.member, operator: 'set' }] } : filter;
}

/** NOT of a filter, with PostgreSQL's NULL rules: NOT (x = 1) keeps no NULL row either. */
export function negate(filter: MetricsFilter): MetricsFilter {
  if ('and' in filter) return { or: filter.and.map(negate) };
  if ('or' in filter) return { and: filter.or.map(negate) };
  const operator = NEGATED[filter.operator];
  if (!operator) throw new SqlError(SQLSTATE.featureNotSupported, `NOT over a ${filter.operator} filter cannot be translated to a semantic query`);
  if (filter.operator === 'set' || filter.operator === 'notSet') return { member: filter.member, operator };
  return withSet({ ...filter, operator });
}

function nullComparison(member: ModelMember, lit: LiteralValue, op = '='): SqlError {
  return new SqlError(SQLSTATE.nullValueNotAllowed, `Comparing column "${shortName(member.name)}" with NULL (${op}) is never true; use IS NULL or IS NOT NULL`, { position: positionOf(lit.location) });
}

function booleanText(v: string): string | undefined {
  const t = v.trim().toLowerCase();
  if (['t', 'true', 'y', 'yes', 'on', '1'].includes(t)) return 'true';
  if (['f', 'false', 'n', 'no', 'off', '0'].includes(t)) return 'false';
  return undefined;
}

export type LikePattern = { readonly kind: 'equals' | 'contains' | 'startsWith' | 'endsWith'; readonly value: string };

/**
 * A LIKE pattern (PostgreSQL's default escape `\`) as one of the text filters, or undefined when
 * it has `_` or a `%` anywhere but at the ends.
 */
export function parseLikePattern(pattern: string): LikePattern | undefined {
  const chars: { ch: string; literal: boolean }[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i] as string;
    if (ch === '\\') {
      if (i + 1 >= pattern.length) return undefined;
      chars.push({ ch: pattern[++i] as string, literal: true });
    } else chars.push({ ch, literal: false });
  }
  let start = 0;
  let end = chars.length;
  while (start < end && !chars[start]?.literal && chars[start]?.ch === '%') start++;
  while (end > start && !chars[end - 1]?.literal && chars[end - 1]?.ch === '%') end--;
  const inner = chars.slice(start, end);
  if (inner.some((c) => !c.literal && (c.ch === '%' || c.ch === '_'))) return undefined;
  const value = inner.map((c) => c.ch).join('');
  const leading = start > 0;
  const trailing = end < chars.length;
  if (leading && trailing) return { kind: 'contains', value };
  if (leading) return { kind: 'endsWith', value };
  if (trailing) return { kind: 'startsWith', value };
  return { kind: 'equals', value };
}

function locationOf(node: Node): number | undefined {
  const inner = Object.values(node)[0] as { location?: number } | undefined;
  return inner?.location;
}
