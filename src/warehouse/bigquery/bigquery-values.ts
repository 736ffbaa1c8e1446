import type { Row } from '../warehouse.js';

/** The parts of a BigQuery `TableSchema` field that decide how a value is read. */
export interface BigQueryField {
  readonly name?: string | null;
  readonly type?: string | null;
  readonly mode?: string | null;
  readonly fields?: readonly BigQueryField[] | null;
}

/** A row as the REST API encodes it: `{ f: [{ v: … }, …] }`, nested for RECORD columns. */
export interface BigQueryWireRow {
  readonly f?: readonly { readonly v?: unknown }[] | null;
}

/**
 * Converts rows in BigQuery's wire encoding (every scalar a string, `formatOptions.useInt64Timestamp`
 * on) into the port's JSON-safe shapes, the ones the DuckDB adapter returns:
 * - INT64 → number (decimal text beyond 2^53, like DuckDB's BIGINT); NUMERIC/BIGNUMERIC/FLOAT64 → number
 * - TIMESTAMP → ISO-8601 with `Z` (the wire carries microseconds since the epoch)
 * - DATETIME → ISO without zone, milliseconds (`2025-03-14T00:00:00.000`), like DuckDB's TIMESTAMP
 * - DATE → `YYYY-MM-DD`; TIME and STRING as sent; BOOL → boolean; BYTES → base64 text
 * - JSON → parsed; RECORD → object; REPEATED → array
 */
export function readWireRows<T extends Row>(schema: readonly BigQueryField[], rows: readonly BigQueryWireRow[]): T[] {
  return rows.map((r) => readRecord(schema, r) as T);
}

function readRecord(fields: readonly BigQueryField[], row: BigQueryWireRow): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const cells = row.f ?? [];
  fields.forEach((field, i) => {
    out[field.name ?? `f${i}`] = readCell(field, cells[i]?.v);
  });
  return out;
}

function readCell(field: BigQueryField, v: unknown): unknown {
  if (v === null || v === undefined) return field.mode === 'REPEATED' ? [] : null;
  if (field.mode === 'REPEATED') {
    return (v as readonly { v?: unknown }[]).map((item) => readScalarOrRecord(field, item?.v));
  }
  return readScalarOrRecord(field, v);
}

function readScalarOrRecord(field: BigQueryField, v: unknown): unknown {
  if (v === null || v === undefined) return null;
  const type = (field.type ?? 'STRING').toUpperCase();
  if (type === 'RECORD' || type === 'STRUCT') return readRecord(field.fields ?? [], v as BigQueryWireRow);
  const s = String(v);
  switch (type) {
    case 'INTEGER':
    case 'INT64': {
      const n = Number(s);
      return Number.isSafeInteger(n) ? n : s;
    }
    case 'FLOAT':
    case 'FLOAT64':
    case 'NUMERIC':
    case 'BIGNUMERIC':
      return Number(s);
    case 'BOOLEAN':
    case 'BOOL':
      return s === 'true';
    case 'TIMESTAMP':
      return timestampText(s);
    case 'DATETIME':
      return datetimeText(s);
    case 'JSON':
      return JSON.parse(s) as unknown;
    default:
      // STRING, DATE (already YYYY-MM-DD), TIME, BYTES (base64), GEOGRAPHY (WKT)
      return s;
  }
}

/** Microseconds since the epoch (or, without `useInt64Timestamp`, float seconds) → ISO `Z`. */
function timestampText(s: string): string {
  if (/^-?\d+$/.test(s)) {
    const micros = BigInt(s);
    return new Date(Number(micros / 1000n)).toISOString();
  }
  const seconds = Number(s);
  if (Number.isFinite(seconds)) return new Date(Math.round(seconds * 1000)).toISOString();
  return s;
}

const DATETIME = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(?:\.(\d+))?$/;

function datetimeText(s: string): string {
  const m = DATETIME.exec(s);
  if (!m) return s;
  return `${m[1]}T${m[2]}.${(m[3] ?? '').padEnd(3, '0').slice(0, 3)}`;
}
