import type { ColumnRef, FuncCall, Node, ResTarget, SelectStmt, SortBy } from 'libpg-query';
import { GRANULARITIES, type MetricsFilter, type MetricsQuery } from '../metrics/metrics-query.js';
import type { ModelMember, ModelView } from '../metrics/model-views.js';
import type { SqlTableSpec } from './catalog-responder.js';
import { FilterTranslator } from './filter-translator.js';
import type { OutputColumn, SemanticPlan } from './semantic-plan.js';
import { nodeKind } from './sql-parser.js';
import { positionOf, SqlError, SQLSTATE } from './sql-error.js';
import { integerOf, literalOf, shiftLocalTimestamp, type BoundParams } from './sql-literals.js';
import { shortName } from './sql-tables.js';
import { sqlTypeOfMember } from './sql-types.js';
import { aggregatedMeasure, AGGREGATE_FUNCTIONS, functionName, ViewColumns } from './view-columns.js';

type Granularity = (typeof GRANULARITIES)[number];
type Leaf = Extract<MetricsFilter, { member: string }>;

/** A select-list item once translated: what it asks the engine for and how it is answered. */
interface Item {
  readonly kind: 'dimension' | 'time' | 'measure';
  readonly member: ModelMember;
  readonly granularity?: Granularity;
  readonly column: OutputColumn;
  /** The item's expression without locations, to match GROUP BY / ORDER BY expressions to it. */
  readonly shape: string;
}

export interface TranslateInput {
  readonly select: SelectStmt;
  /** The whole model view (hidden members included: the engine refuses those by name). */
  readonly view: ModelView;
  readonly alias: string | undefined;
  /** The caller's share of the view, for `SELECT *`. */
  readonly table: SqlTableSpec;
  readonly params: BoundParams;
}

/**
 * Translates `SELECT dims, MEASURE(m) FROM view WHERE … GROUP BY … HAVING … ORDER BY … LIMIT …`
 * into the engine's query. PostgreSQL's rules hold where they mean something here: a selected
 * dimension must be grouped once anything is aggregated, WHERE takes no measures, ORDER BY
 * names outputs by name, alias or position. What has no semantic equivalent is refused.
 */
export function translateSelect(input: TranslateInput): SemanticPlan {
  const { select, view, params } = input;
  refuseUnsupportedClauses(select);
  const columns = new ViewColumns(view, input.alias);
  const items = selectItems(select, columns, input.table);

  const dimensions: string[] = [];
  const timeDimensions: { dimension: string; granularity?: Granularity; dateRange?: [string, string] }[] = [];
  const measures: string[] = [];
  const addItem = (item: Item) => {
    if (item.kind === 'measure') pushOnce(measures, item.member.name);
    else if (item.kind === 'time') {
      if (!timeDimensions.some((td) => td.dimension === item.member.name && td.granularity === item.granularity)) {
        timeDimensions.push({ dimension: item.member.name, granularity: item.granularity as Granularity });
      }
    } else pushOnce(dimensions, item.member.name);
  };
  items.forEach(addItem);

  // GROUP BY: positions, names, aliases or the same expression as a select item; a grouped
  // dimension that is not selected still groups (the answer repeats rows, as SQL would).
  const grouped = new Set<string>();
  for (const g of select.groupClause ?? []) {
    const item = resolveReference(g, items, columns, 'GROUP BY', params);
    if (item.kind === 'measure') throw new SqlError(SQLSTATE.groupingError, `aggregate functions are not allowed in GROUP BY (measure "${shortName(item.member.name)}")`, { position: positionOf(locationOf(g)) });
    grouped.add(item.shape);
    addItem(item);
  }
  const aggregated = items.some((i) => i.kind === 'measure') || (select.havingClause !== undefined);
  if (aggregated || grouped.size > 0) {
    for (const item of items) {
      if (item.kind !== 'measure' && !grouped.has(item.shape) && !(select.distinctClause && !aggregated)) {
        throw new SqlError(SQLSTATE.groupingError, `column "${item.column.name}" must appear in the GROUP BY clause or be used in an aggregate function`, {
          position: positionOf(select.targetList?.[items.indexOf(item)] ? locationOf(select.targetList[items.indexOf(item)] as Node) : undefined),
        });
      }
    }
  }

  const filters: MetricsFilter[] = [];
  const segments: string[] = [];
  if (select.whereClause) {
    const where = new FilterTranslator(columns, params, 'WHERE');
    const ranges = new Map<string, { lower?: string; upper?: string }>();
    for (const conjunct of conjuncts(select.whereClause)) {
      const segment = columns.columnOf(conjunct.node);
      if (segment?.kind === 'segment' && !conjunct.negated) {
        pushOnce(segments, segment.name);
        continue;
      }
      const filter = where.translate(conjunct.negated ? { BoolExpr: { boolop: 'NOT_EXPR', args: [conjunct.node] } } : conjunct.node);
      if (!collectRange(filter, ranges)) filters.push(filter);
    }
    // A time dimension bounded on both sides becomes its dateRange, as Cube's SQL API does:
    // rolling windows need one, and rollups match on it.
    for (const [dimension, range] of ranges) {
      if (range.lower !== undefined && range.upper !== undefined) {
        const grouped = timeDimensions.filter((t) => t.dimension === dimension);
        for (const td of grouped) td.dateRange = [range.lower, range.upper];
        if (grouped.length === 0) timeDimensions.push({ dimension, dateRange: [range.lower, range.upper] });
      } else if (range.lower !== undefined) filters.push({ member: dimension, operator: 'afterOrOnDate', values: [range.lower] });
      else if (range.upper !== undefined) filters.push({ member: dimension, operator: 'beforeOrOnDate', values: [range.upper] });
    }
  }
  if (select.havingClause) filters.push(new FilterTranslator(columns, params, 'HAVING').translate(select.havingClause));

  const order: [string, 'asc' | 'desc'][] = [];
  for (const s of select.sortClause ?? []) {
    const sort = (s as { SortBy: SortBy }).SortBy;
    if (sort.sortby_nulls && sort.sortby_nulls !== 'SORTBY_NULLS_DEFAULT') {
      throw new SqlError(SQLSTATE.featureNotSupported, 'NULLS FIRST / NULLS LAST cannot be translated to a semantic query', { position: positionOf(locationOf(sort.node as Node)) });
    }
    if (sort.sortby_dir === 'SORTBY_USING') throw new SqlError(SQLSTATE.featureNotSupported, 'ORDER BY … USING cannot be translated to a semantic query');
    const item = resolveReference(sort.node as Node, items, columns, 'ORDER BY', params);
    if (item.kind !== 'measure' && aggregated && !grouped.has(item.shape)) {
      throw new SqlError(SQLSTATE.groupingError, `column "${item.column.name}" must appear in the GROUP BY clause to be ordered by`, { position: positionOf(locationOf(sort.node as Node)) });
    }
    addItem(item);
    order.push([item.member.name, sort.sortby_dir === 'SORTBY_DESC' ? 'desc' : 'asc']);
  }

  const limit = select.limitCount ? integerOf(select.limitCount, params, 'LIMIT') ?? undefined : undefined;
  const offset = select.limitOffset ? integerOf(select.limitOffset, params, 'OFFSET') ?? 0 : 0;

  const query: Omit<MetricsQuery, 'limit' | 'offset'> = {
    measures, dimensions, timeDimensions, filters, segments, order,
  };
  return { view: view.name, query, columns: items.map((i) => i.column), limit, offset };
}

function refuseUnsupportedClauses(select: SelectStmt): void {
  const refuse = (what: string) => new SqlError(SQLSTATE.featureNotSupported, `${what} cannot be translated to a semantic query`);
  if (select.withClause) throw refuse('WITH');
  if (select.op && select.op !== 'SETOP_NONE') throw refuse('UNION/INTERSECT/EXCEPT');
  if (select.windowClause?.length) throw refuse('WINDOW');
  if (select.limitOption === 'LIMIT_OPTION_WITH_TIES') throw refuse('FETCH … WITH TIES');
  if (select.groupDistinct) throw refuse('GROUP BY DISTINCT');
  // DISTINCT is a no-op over grouped rows; DISTINCT ON is not.
  if (select.distinctClause?.some((d) => Object.keys(d).length > 0)) throw refuse('DISTINCT ON');
}

function selectItems(select: SelectStmt, columns: ViewColumns, table: SqlTableSpec): Item[] {
  const items: Item[] = [];
  for (const t of select.targetList ?? []) {
    const target = (t as { ResTarget: ResTarget }).ResTarget;
    const val = target.val as Node;
    if (nodeKind(val) === 'ColumnRef' && (val as { ColumnRef: ColumnRef }).ColumnRef.fields?.some((f) => nodeKind(f) === 'A_Star')) {
      // `SELECT *`: every dimension the caller sees, no measures (Cube's SQL API does the same).
      for (const col of table.columns) {
        const member = columns.resolve({ fields: [{ String: { sval: col.name } }] });
        if (member.kind === 'measure') continue;
        items.push(dimensionItem(member, col.name));
      }
      continue;
    }
    items.push(expressionItem(val, columns, target.name));
  }
  if (items.length === 0) throw new SqlError(SQLSTATE.featureNotSupported, 'A semantic query selects at least one column of the view');
  return items;
}

function expressionItem(val: Node, columns: ViewColumns, alias: string | undefined): Item {
  const shape = shapeOf(val);
  switch (nodeKind(val)) {
    case 'ColumnRef': {
      const member = columns.resolve((val as { ColumnRef: ColumnRef }).ColumnRef);
      if (member.kind === 'measure') {
        throw new SqlError(SQLSTATE.groupingError, `column "${shortName(member.name)}" is a measure: select it aggregated, as MEASURE(${shortName(member.name)})`, { position: positionOf(locationOf(val)) });
      }
      if (member.kind === 'segment') throw new SqlError(SQLSTATE.featureNotSupported, `segment "${shortName(member.name)}" is a condition, not a column: use it in WHERE`, { position: positionOf(locationOf(val)) });
      return { ...dimensionItem(member, alias ?? shortName(member.name)), shape };
    }
    case 'FuncCall': {
      const call = (val as { FuncCall: FuncCall }).FuncCall;
      const fn = functionName(call);
      if (fn === 'date_trunc') return { ...dateTrunc(call, columns, alias ?? 'date_trunc'), shape };
      if (AGGREGATE_FUNCTIONS.has(fn)) {
        const member = aggregatedMeasure(call, columns);
        return { kind: 'measure', member, shape, column: { name: alias ?? fn, type: sqlTypeOfMember(member), key: member.name } };
      }
      throw new SqlError(SQLSTATE.featureNotSupported, `function ${fn}() cannot be translated to a semantic query; the SQL API answers dimensions, DATE_TRUNC over time dimensions and aggregated measures`, {
        position: positionOf(call.location),
      });
    }
    case 'CoalesceExpr': {
      // `COALESCE(SUM(m), 0)`, as Looker writes a `type: sum` measure: the measure, with the
      // constant where it is NULL (no rows in the group).
      const coalesce = (val as { CoalesceExpr: { args?: Node[]; location?: number } }).CoalesceExpr;
      const [inner, fallback, ...rest] = coalesce.args ?? [];
      const literal = fallback && nodeKind(fallback) === 'A_Const' ? literalOf(fallback, []) : undefined;
      const ifNull = literal?.value === null || literal === undefined ? Number.NaN : Number(literal.value);
      if (inner && nodeKind(inner) === 'FuncCall' && rest.length === 0 && Number.isFinite(ifNull)) {
        const item = expressionItem(inner, columns, alias ?? 'coalesce');
        if (item.kind === 'measure') return { ...item, shape, column: { ...item.column, ifNull } };
      }
      throw new SqlError(SQLSTATE.featureNotSupported, 'COALESCE is translated only around an aggregated measure with a number for NULL, as COALESCE(SUM(m), 0)', {
        position: positionOf(coalesce.location),
      });
    }
    default:
      throw new SqlError(SQLSTATE.featureNotSupported, 'this expression cannot be translated to a semantic query; select columns of the view, DATE_TRUNC(…) or aggregated measures', { position: positionOf(locationOf(val)) });
  }
}

function dimensionItem(member: ModelMember, name: string): Item {
  // A time dimension without DATE_TRUNC is grouped by its full value.
  return { kind: 'dimension', member, shape: `col:${member.name}`, column: { name, type: sqlTypeOfMember(member), key: member.name } };
}

function dateTrunc(call: FuncCall, columns: ViewColumns, name: string): Item {
  const [unitNode, colNode] = call.args ?? [];
  const unit = unitNode ? literalOf(unitNode, [])?.value?.toLowerCase() : undefined;
  const member = colNode ? columns.columnOf(colNode) : undefined;
  if (call.args?.length !== 2 || unit === undefined || !member) {
    throw new SqlError(SQLSTATE.featureNotSupported, "DATE_TRUNC takes a constant unit and a time column: DATE_TRUNC('month', order_date)", { position: positionOf(call.location) });
  }
  if (member.type !== 'time' || member.kind === 'measure') {
    throw new SqlError(SQLSTATE.featureNotSupported, `DATE_TRUNC needs a time dimension; "${shortName(member.name)}" is not one`, { position: positionOf(call.location) });
  }
  if (!(GRANULARITIES as readonly string[]).includes(unit)) {
    throw new SqlError(SQLSTATE.invalidParameterValue, `unit "${unit}" not recognized for DATE_TRUNC; Farol's granularities are ${GRANULARITIES.join(', ')}`, { position: positionOf(locationOf(unitNode as Node)) });
  }
  const granularity = unit as Granularity;
  return { kind: 'time', member, granularity, shape: '', column: { name, type: 'timestamp', key: `${member.name}.${granularity}` } };
}

/**
 * What a GROUP BY or ORDER BY entry refers to: an output position (`1`), an output name or
 * alias, a column of the view, or the same expression as a select item.
 */
function resolveReference(node: Node, items: readonly Item[], columns: ViewColumns, clause: string, params: BoundParams): Item {
  if (nodeKind(node) === 'A_Const') {
    const lit = literalOf(node, params);
    const n = lit?.value !== undefined && lit.value !== null && /^\d+$/.test(lit.value) ? Number(lit.value) : NaN;
    const item = items[n - 1];
    if (!item) throw new SqlError(SQLSTATE.invalidParameterValue, `${clause} position ${lit?.value ?? '?'} is not in select list`, { position: positionOf(locationOf(node)) });
    return item;
  }
  if (nodeKind(node) === 'ColumnRef') {
    const ref = (node as { ColumnRef: ColumnRef }).ColumnRef;
    const fields = ref.fields ?? [];
    if (fields.length === 1) {
      const name = (fields[0] as { String?: { sval?: string } }).String?.sval;
      const byName = items.filter((i) => i.column.name === name);
      if (byName.length > 1 && new Set(byName.map((i) => i.shape)).size > 1) {
        throw new SqlError(SQLSTATE.ambiguousColumn, `${clause} "${name}" is ambiguous`, { position: positionOf(ref.location) });
      }
      if (byName[0]) return byName[0];
    }
    const member = columns.resolve(ref);
    const selected = items.find((i) => i.kind !== 'measure' && i.member.name === member.name && i.kind === 'dimension');
    if (selected) return selected;
    if (member.kind === 'measure') throw new SqlError(SQLSTATE.groupingError, `column "${shortName(member.name)}" is a measure: use MEASURE(${shortName(member.name)})`, { position: positionOf(ref.location) });
    return dimensionItem(member, shortName(member.name));
  }
  const shape = shapeOf(node);
  const same = items.find((i) => i.shape === shape);
  if (same) return same;
  return expressionItem(node, columns, undefined);
}

/** WHERE's top-level AND, flattened; `NOT a` stays one conjunct. */
function conjuncts(node: Node): { node: Node; negated: boolean }[] {
  if (nodeKind(node) === 'BoolExpr') {
    const expr = (node as { BoolExpr: { boolop?: string; args?: Node[] } }).BoolExpr;
    if (expr.boolop === 'AND_EXPR') return (expr.args ?? []).flatMap(conjuncts);
  }
  return [{ node, negated: false }];
}

/**
 * Takes a one-sided bound on a time dimension (`>=`, `>`, `<`, `<=`, or BETWEEN's range) into
 * `ranges` as an inclusive bound, so the pair can become a dateRange. Exclusive bounds move by
 * one millisecond, the engine's resolution.
 */
function collectRange(filter: MetricsFilter, ranges: Map<string, { lower?: string; upper?: string }>): boolean {
  if (!('member' in filter)) return false;
  const leaf = filter as Leaf;
  const value = leaf.values?.[0];
  const range = ranges.get(leaf.member) ?? {};
  const tighter = (a: string | undefined, b: string, pick: 'max' | 'min') => (a === undefined ? b : pick === 'max' ? (a > b ? a : b) : a < b ? a : b);
  switch (leaf.operator) {
    case 'afterOrOnDate':
      range.lower = tighter(range.lower, value as string, 'max');
      break;
    case 'afterDate':
      range.lower = tighter(range.lower, shiftLocalTimestamp(value as string, 1), 'max');
      break;
    case 'beforeOrOnDate':
      range.upper = tighter(range.upper, value as string, 'min');
      break;
    case 'beforeDate':
      range.upper = tighter(range.upper, shiftLocalTimestamp(value as string, -1), 'min');
      break;
    default:
      return false;
  }
  ranges.set(leaf.member, range);
  return true;
}

function pushOnce(list: string[], name: string): void {
  if (!list.includes(name)) list.push(name);
}

/** An expression's JSON without locations: two spellings of `DATE_TRUNC('month', order_date)` match. */
function shapeOf(node: Node): string {
  return JSON.stringify(node, (key, value: unknown) => (key === 'location' ? undefined : value));
}

function locationOf(node: Node): number | undefined {
  return (Object.values(node)[0] as { location?: number } | undefined)?.location;
}
