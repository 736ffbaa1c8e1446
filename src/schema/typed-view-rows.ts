import { reshapedRows, type ResultRow } from '../metrics/result-rows.js';
import { COMPARISON_FIELD, type SelectedMembers } from './typed-view-selection.js';

/** A result row as the typed row type reads it: member fields by name, time members as objects. */
export type TypedRow = Readonly<Record<string, unknown>>;

/**
 * Engine rows (`sales.average_ticket`, `sales.order_date.day`) → rows keyed by row field
 * (`averageTicket`, `orderDate: { day }`, `comparison: { revenue: { previous } }` when the query
 * compares periods; null otherwise), so every field of the row type is a plain property
 * read by graphql-js's default resolver: no resolver function per cell. Shaped rows are kept
 * per engine result and selection (`reshapedRows`).
 */
export function typedRows(rows: readonly ResultRow[], selected: SelectedMembers, comparing = false): readonly TypedRow[] {
  const scalars = selected.members.map((m) => [m.field, m.member] as const);
  const times = [...selected.times].map(([m, gs]) => [m.field, [...gs].map((g) => [g, `${m.member}.${g}`] as const)] as const);
  const compared = selected.compared.map((m) => [m.field, m.member] as const);
  const key = `typed:${JSON.stringify([scalars, times, comparing && compared])}`;
  return reshapedRows(rows, key, () => shape(rows, scalars, times, comparing ? compared : undefined));
}

function shape(
  rows: readonly ResultRow[],
  scalars: readonly (readonly [string, string])[],
  times: readonly (readonly [string, readonly (readonly [string, string])[]])[],
  compared: readonly (readonly [string, string])[] | undefined,
): readonly TypedRow[] {
  const out = new Array<TypedRow>(rows.length);
  for (let r = 0; r < rows.length; r++) {
    const src = rows[r] as ResultRow;
    const row: Record<string, unknown> = {};
    for (const [field, member] of scalars) row[field] = src[member] ?? null;
    for (const [field, parts] of times) {
      const value: Record<string, unknown> = {};
      for (const [g, member] of parts) value[g] = src[member] ?? null;
      row[field] = value;
    }
    if (compared) {
      const comparison: Record<string, unknown> = {};
      for (const [field, member] of compared) {
        comparison[field] = { previous: src[`${member}.previous`] ?? null, change: src[`${member}.change`] ?? null, percentChange: src[`${member}.percentChange`] ?? null };
      }
      row[COMPARISON_FIELD] = comparison;
    }
    out[r] = row;
  }
  return out;
}
