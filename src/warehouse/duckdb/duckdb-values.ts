import { DuckDBTypeId, type DuckDBResultReader, type DuckDBType } from '@duckdb/node-api';
import type { Row } from '../warehouse.js';

/**
 * Converts a DuckDB result into plain JSON-safe rows (the warehouse port's value contract).
 * `getRowObjectsJS` gives bigint/Date; GraphQL, caches and JSON need numbers and strings.
 */
export function readRows<T extends Row>(reader: DuckDBResultReader): T[] {
  const types = reader.columnTypes();
  const names = reader.columnNames();
  const converters = types.map(converterFor);
  const raw = reader.getRowObjectsJS();
  const out = new Array<T>(raw.length);
  for (let r = 0; r < raw.length; r++) {
    const src = raw[r] as Record<string, unknown>;
    const row: Record<string, unknown> = {};
    for (let c = 0; c < names.length; c++) {
      const name = names[c] as string;
      const conv = converters[c];
      const v = src[name];
      row[name] = v === null || v === undefined || !conv ? (v ?? null) : conv(v);
    }
    out[r] = row as T;
  }
  return out;
}

type Converter = (v: unknown) => unknown;

function converterFor(type: DuckDBType): Converter | undefined {
  switch (type.typeId) {
    case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.UBIGINT:
    case DuckDBTypeId.UHUGEINT:
      return bigintToNumber;
    case DuckDBTypeId.TIMESTAMP_TZ:
      return (v) => (v instanceof Date ? v.toISOString() : String(v));
    case DuckDBTypeId.TIMESTAMP:
    case DuckDBTypeId.TIMESTAMP_MS:
    case DuckDBTypeId.TIMESTAMP_S:
    case DuckDBTypeId.TIMESTAMP_NS:
      // A zone-less timestamp is wall-clock time (e.g. a day truncated in America/Sao_Paulo);
      // printing it with `Z` would claim it is UTC.
      return (v) => (v instanceof Date ? v.toISOString().slice(0, -1) : String(v));
    case DuckDBTypeId.DATE:
      return (v) => (v instanceof Date ? v.toISOString().slice(0, 10) : String(v));
    default:
      return undefined;
  }
}

function bigintToNumber(v: unknown): unknown {
  if (typeof v !== 'bigint') return v;
  return v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(v) : v.toString();
}
