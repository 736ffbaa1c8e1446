import { setImmediate as nextTurn } from 'node:timers/promises';
import { DuckDBTypeId, JSDuckDBValueConverter, type DuckDBResult, type DuckDBResultReader, type DuckDBType } from '@duckdb/node-api';
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

/**
 * `readRows` for a result still held by DuckDB, one chunk (about 2,048 rows) at a time, giving the
 * event loop a turn between chunks. Converting rows to JS objects is synchronous and costs about
 * 5–8 µs a row; done in one go, a 50,000-row answer would hold the loop for a third of a second
 * while the order hook waits to acknowledge. `signal` stops the reading between chunks.
 */
export async function readRowsInChunks<T extends Row>(result: DuckDBResult, signal?: AbortSignal): Promise<T[]> {
  const names = result.deduplicatedColumnNames();
  const converters = result.columnTypes().map(converterFor);
  const out: T[] = [];
  for (;;) {
    const chunk = await result.fetchChunk();
    signal?.throwIfAborted();
    if (!chunk || chunk.rowCount === 0) return out;
    const rowCount = chunk.rowCount;
    for (let r = 0; r < rowCount; r++) {
      const row: Record<string, unknown> = {};
      chunk.visitRowValues(r, (value, _row, c, type) => {
        const v = JSDuckDBValueConverter(value, type, JSDuckDBValueConverter);
        const conv = converters[c];
        row[names[c] as string] = v === null || v === undefined || !conv ? (v ?? null) : conv(v);
      });
      out.push(row as T);
    }
    await nextTurn();
  }
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
