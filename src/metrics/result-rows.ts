import type { Row } from '../warehouse/warehouse.js';
import type { PlanColumn } from './cube/alias-map.js';

export type ResultValue = string | number | boolean | null;
export type ResultRow = Readonly<Record<string, ResultValue>>;

/**
 * Warehouse rows (keyed by SQL alias) → result rows keyed by member name. Measures become JS
 * numbers (DECIMAL and BIGINT may arrive as strings past 2^53); time dimension values become
 * local ISO strings without zone, `2025-03-14T00:00:00.000`, because they are wall-clock times
 * in the query timezone. Rows are frozen: cached results are shared between callers.
 */
export function mapRows(rows: readonly Row[], columns: readonly PlanColumn[]): readonly ResultRow[] {
  const out = new Array<ResultRow>(rows.length);
  for (let r = 0; r < rows.length; r++) {
    const src = rows[r] as Row;
    const row: Record<string, ResultValue> = {};
    for (const c of columns) {
      const raw = src[c.alias];
      const value = c.kind === 'measure' ? toNumber(raw) : c.kind === 'timeDimension' ? toLocalTimestamp(raw) : toPrimitive(raw);
      for (const name of c.names) row[name] = value;
    }
    out[r] = Object.freeze(row);
  }
  return Object.freeze(out);
}

export function toNumber(v: unknown): number | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint' || typeof v === 'string') {
    const n = Number(v);
    return Number.isNaN(n) ? null : n;
  }
  if (typeof v === 'boolean') return v ? 1 : 0;
  return null;
}

const LOCAL = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}:\d{2})(?:\.(\d+))?)?Z?$/;

/**
 * Accepts what warehouses return for a truncated local timestamp: DATE, `T` or space separated.
 * Cube's BigQuery dialect wraps the local wall-clock time in `TIMESTAMP(DATETIME_TRUNC(…))`, so it
 * arrives as a TIMESTAMP "at UTC" (`…T00:00:00.000Z`): the `Z` is dropped, the clock time kept.
 */
export function toLocalTimestamp(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v.toISOString().slice(0, -1);
  const s = String(v);
  const m = LOCAL.exec(s);
  if (!m) return s;
  return `${m[1]}T${m[2] ?? '00:00:00'}.${(m[3] ?? '').padEnd(3, '0').slice(0, 3)}`;
}

function toPrimitive(v: unknown): ResultValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (typeof v === 'bigint') return v.toString();
  if (v instanceof Date) return v.toISOString();
  return JSON.stringify(v);
}

/**
 * A face's reshaping of an engine result's rows (typed rows, Cube's rows), computed once per
 * result and `key` (prefixed by the face, so faces never share an entry): a cached result's rows are one shared frozen array, so a cache hit reshapes
 * nothing. The reshaped rows are shared too and must not be changed by the caller.
 */
const reshaped = new WeakMap<object, Map<string, unknown>>();

export function reshapedRows<T>(rows: readonly ResultRow[], key: string, reshape: () => T): T {
  let byKey = reshaped.get(rows);
  if (byKey?.has(key)) return byKey.get(key) as T;
  const out = reshape();
  if (!byKey) reshaped.set(rows, (byKey = new Map()));
  byKey.set(key, out);
  return out;
}
