import type { ColumnRef, FuncCall, Node } from 'libpg-query';
import type { ModelMember, ModelView } from '../metrics/model-views.js';
import { nodeKind } from './sql-parser.js';
import { positionOf, SqlError, SQLSTATE } from './sql-error.js';
import { shortName } from './sql-tables.js';

/**
 * The columns of one governed view as a statement names them. Names resolve against the whole
 * model view, not the caller's share of it: a member hidden from the role reaches the engine,
 * which refuses it as FORBIDDEN_MEMBER (42501), naming it, exactly as it does for GraphQL.
 */
export class ViewColumns {
  readonly #byName = new Map<string, ModelMember>();

  constructor(
    readonly view: ModelView,
    /** The FROM alias (`FROM sales s`), also accepted as a column qualifier. */
    readonly alias: string | undefined,
  ) {
    for (const m of [...view.dimensions, ...view.measures, ...view.segments]) this.#byName.set(shortName(m.name), m);
  }

  /** The member a `ColumnRef` names, or 42703 naming the column. `*` is the caller's to expand. */
  resolve(ref: ColumnRef, location = ref.location): ModelMember {
    const fields = (ref.fields ?? []).map((f) => (f as { String?: { sval?: string } }).String?.sval);
    if (fields.some((f) => f === undefined) || fields.length === 0 || fields.length > 3) {
      throw new SqlError(SQLSTATE.featureNotSupported, 'Only plain column names (optionally qualified by the view) are supported here', { position: positionOf(location) });
    }
    const column = fields[fields.length - 1] as string;
    const qualifier = fields.slice(0, -1);
    if (qualifier.length > 0) {
      const table = qualifier[qualifier.length - 1];
      const schema = qualifier.length === 2 ? qualifier[0] : undefined;
      const matches = (table === this.view.name && (schema === undefined || schema === 'public')) || (schema === undefined && table === this.alias);
      if (!matches) throw new SqlError(SQLSTATE.undefinedTable, `missing FROM-clause entry for table "${qualifier.join('.')}"`, { position: positionOf(location) });
    }
    const member = this.#byName.get(column);
    if (!member) {
      throw new SqlError(SQLSTATE.undefinedColumn, `column "${column}" does not exist in view "${this.view.name}"`, {
        position: positionOf(location),
        hint: `The columns of "${this.view.name}" are its dimensions and measures; list them with \\d ${this.view.name}`,
      });
    }
    return member;
  }

  /** The member a node names when it is a column reference, else undefined. */
  columnOf(node: Node): ModelMember | undefined {
    if (nodeKind(node) !== 'ColumnRef') return undefined;
    const ref = (node as { ColumnRef: ColumnRef }).ColumnRef;
    if (ref.fields?.some((f) => nodeKind(f) === 'A_Star')) return undefined;
    return this.resolve(ref);
  }
}

/** Aggregates a measure's SQL type admits beside MEASURE(), per Cube's SQL API. */
const AGGREGATES_FOR: Readonly<Record<string, readonly string[]>> = {
  sum: ['sum'],
  avg: ['avg'],
  min: ['min'],
  max: ['max'],
  count: ['count'],
  countDistinct: ['count distinct'],
  countDistinctApprox: ['count distinct'],
  number: ['sum', 'avg', 'min', 'max', 'count', 'count distinct'],
  string: ['string_agg'],
  time: ['max', 'min'],
};
export const AGGREGATE_FUNCTIONS = new Set(['measure', 'sum', 'avg', 'min', 'max', 'count', 'string_agg']);

export function functionName(call: FuncCall): string {
  const names = (call.funcname ?? []).map((n) => (n as { String?: { sval?: string } }).String?.sval ?? '');
  // pg_catalog.sum is sum; anything else qualified is not one of ours.
  if (names.length === 2 && names[0] === 'pg_catalog') return (names[1] as string).toLowerCase();
  return names.join('.').toLowerCase();
}

/**
 * The measure an aggregate call stands for: `MEASURE(revenue)`, or the aggregate matching the
 * measure's type (`SUM(revenue)` for a sum, `COUNT(DISTINCT customers)` for a distinct count).
 * A mismatch is refused naming both; so are aggregates over dimensions and `COUNT(*)`.
 */
export function aggregatedMeasure(call: FuncCall, columns: ViewColumns): ModelMember {
  const fn = functionName(call);
  const position = positionOf(call.location);
  if (call.over) throw new SqlError(SQLSTATE.featureNotSupported, `Window functions (${fn} … OVER) cannot be translated to a semantic query`, { position });
  if (call.agg_filter || call.agg_order?.length || call.agg_within_group) {
    throw new SqlError(SQLSTATE.featureNotSupported, `${fn.toUpperCase()} with FILTER, ORDER BY or WITHIN GROUP cannot be translated to a semantic query`, { position });
  }
  if (call.agg_star) {
    const counts = columns.view.measures.filter((m) => m.aggType === 'count').map((m) => shortName(m.name));
    throw new SqlError(SQLSTATE.featureNotSupported, `${fn.toUpperCase()}(*) has no meaning over view "${columns.view.name}": aggregate a measure instead`, {
      position,
      hint: counts.length ? `Its count measures: ${counts.join(', ')} (e.g. MEASURE(${counts[0]}))` : undefined,
    });
  }
  const args = call.args ?? [];
  const member = args.length === 1 ? columns.columnOf(args[0] as Node) : undefined;
  if (!member) throw new SqlError(SQLSTATE.featureNotSupported, `${fn.toUpperCase()} takes one column of view "${columns.view.name}"`, { position });
  if (member.kind !== 'measure') {
    throw new SqlError(SQLSTATE.groupingError, `Column "${shortName(member.name)}" is a dimension; ${fn.toUpperCase()}() aggregates measures only (group by the dimension instead)`, { position });
  }
  if (fn === 'measure') {
    if (call.agg_distinct) throw new SqlError(SQLSTATE.featureNotSupported, 'MEASURE(DISTINCT …) is not supported', { position });
    return member;
  }
  const used = fn === 'count' && call.agg_distinct ? 'count distinct' : fn;
  const allowed = AGGREGATES_FOR[member.aggType ?? ''] ?? [];
  if (!allowed.includes(used) || (call.agg_distinct && fn !== 'count')) {
    const shown = used === 'count distinct' ? 'COUNT(DISTINCT …)' : `${fn.toUpperCase()}()`;
    const fits = allowed.map((a) => (a === 'count distinct' ? 'COUNT(DISTINCT …)' : `${a.toUpperCase()}()`));
    throw new SqlError(
      SQLSTATE.featureNotSupported,
      `Measure aggregation type doesn't match: ${shown} over measure "${shortName(member.name)}", a ${member.aggType ?? 'measure'}; use MEASURE(${shortName(member.name)})${fits.length ? ` or ${fits.join(' or ')}` : ''}`,
      { position },
    );
  }
  return member;
}
