import fs from 'node:fs';
import path from 'node:path';
import type { SqlValue, Warehouse } from '../../warehouse/warehouse.js';
import type { BatchWrite } from './bronze-record.js';

// Bronze segment files: zstd-compressed Parquet, one row per record with its absolute `seq`.
// A VTEX order of ~12 KB of JSON takes about 0.7 KB here (orders repeat their structure, and
// Parquet compresses pages of them together), against ~21 KB in the database file.

/**
 * Rows per Parquet row group. DuckDB reads (and parses the JSON of) one row group per thread, so
 * small groups let a refresh use every core on one segment; compression works per page and hardly
 * notices.
 */
export const SEGMENT_ROW_GROUP_ROWS = 10_000;

export const SEGMENT_COPY_OPTIONS = `(FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE ${SEGMENT_ROW_GROUP_ROWS})`;

/** The columns every segment holds, in this order; readers select by name. */
export const SEGMENT_COLUMNS =
  'seq, record_id, source, entity, natural_key, payload, payload_hash, received_at, batch_id, partition_date, payload_base64';

export interface SegmentFile {
  readonly segmentId: string;
  readonly partitionDate: string;
  /** Relative to the bronze folder. */
  readonly relativePath: string;
  readonly minSeq: number;
  readonly maxSeq: number;
  readonly records: number;
  readonly entities: readonly string[];
  readonly bytes: number;
}

export function segmentRelativePath(source: string, partitionDate: string, segmentId: string): string {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(source)) throw new Error(`invalid source name for a bronze path: ${JSON.stringify(source)}`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(partitionDate)) throw new Error(`invalid partition date: ${JSON.stringify(partitionDate)}`);
  return path.join(source, partitionDate, `${segmentId}.parquet`);
}

interface WriteInput extends BatchWrite {
  readonly dir: string;
}

/**
 * Writes records given in memory to a segment. They travel to DuckDB as a tab-separated text
 * file: JSON text has no raw tabs or line breaks, so each payload is one field as is, and DuckDB
 * reads it in parallel far faster than values cross the appender one by one. A field that does
 * hold a tab or line break (a non-JSON payload, an odd key) is written JSON-encoded and flagged.
 */
export async function writeSegmentFile(warehouse: Warehouse, w: WriteInput): Promise<SegmentFile> {
  const relativePath = segmentRelativePath(w.source, w.partitionDate, w.segmentId);
  const finalPath = path.join(w.dir, relativePath);
  fs.mkdirSync(path.dirname(finalPath), { recursive: true });
  const tsv = `${finalPath}.tsv.tmp`;
  const entities = new Set<string>();
  const fd = fs.openSync(tsv, 'w');
  try {
    const now = new Date().toISOString();
    let chunk: string[] = [];
    let size = 0;
    w.inputs.forEach((r, i) => {
      entities.add(r.entity);
      chunk.push(
        `${w.minSeq + i}\t${field(r.entity)}\t${field(r.naturalKey)}\t${r.receivedAt?.toISOString() ?? now}\t${field(r.payload)}\n`,
      );
      size += r.payload.length;
      if (size > 8_000_000) {
        fs.writeSync(fd, chunk.join(''));
        chunk = [];
        size = 0;
      }
    });
    if (chunk.length > 0) fs.writeSync(fd, chunk.join(''));
  } finally {
    fs.closeSync(fd);
  }
  try {
    await copyToSegment(
      warehouse,
      `SELECT seq, uuid()::VARCHAR AS record_id, ?::VARCHAR AS source, ${decoded('entity')} AS entity,
              ${decoded('natural_key')} AS natural_key, ${decoded('payload')} AS payload,
              md5(${decoded('payload')}) AS payload_hash, received_at, ?::VARCHAR AS batch_id, ?::DATE AS partition_date,
              NULL::VARCHAR AS payload_base64
       FROM read_csv(${fileLiteral(tsv)}, delim = '\t', quote = '', escape = '', header = false, max_line_size = 67108864,
                     columns = {'seq': 'BIGINT', 'entity': 'VARCHAR', 'natural_key': 'VARCHAR',
                                'received_at': 'TIMESTAMPTZ', 'payload': 'VARCHAR'})
       ORDER BY seq`,
      [w.source, w.batchId, w.partitionDate],
      finalPath,
    );
  } finally {
    fs.rmSync(tsv, { force: true });
  }
  return {
    segmentId: w.segmentId, partitionDate: w.partitionDate, relativePath, minSeq: w.minSeq,
    maxSeq: w.minSeq + w.inputs.length - 1, records: w.inputs.length, entities: [...entities].sort(),
    bytes: fs.statSync(finalPath).size,
  };
}

/**
 * Runs `COPY (<select>) TO <tmp>` on a read connection (so a long write does not hold the single
 * writer), makes the file durable, then renames it into place.
 */
export async function copyToSegment(warehouse: Warehouse, select: string, params: readonly SqlValue[], finalPath: string): Promise<void> {
  const tmp = `${finalPath}.tmp`;
  fs.mkdirSync(path.dirname(finalPath), { recursive: true });
  await warehouse.query(`COPY (${select}) TO ${fileLiteral(tmp)} ${SEGMENT_COPY_OPTIONS}`, params);
  fsyncFile(tmp);
  fs.renameSync(tmp, finalPath);
  fsyncFile(path.dirname(finalPath));
}

/**
 * A file path as a SQL string literal. DuckDB binds a `COPY ... TO ?` target before the query's
 * other parameters, so paths are written inline instead; they are Farol's own (configured folder,
 * source name, date, uuid), and quotes are doubled all the same.
 */
export function fileLiteral(p: string): string {
  if (p.includes('\0')) throw new Error('file path contains a NUL character');
  return `'${p.replace(/'/g, "''")}'`;
}

function fsyncFile(p: string): void {
  const fd = fs.openSync(p, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** JSON-encoded (and marked with a leading U+0001) when the text cannot travel as a TSV field. */
function field(s: string): string {
  return needsEncoding(s) ? `\u0001${JSON.stringify(s)}` : s;
}

/** Tab, line feed, carriage return, NUL or U+0001 (the marker itself): what a TSV field cannot carry. */
// eslint-disable-next-line no-control-regex -- these control characters are exactly what is being looked for
const NEEDS_ENCODING = /[\t\n\r\u0000\u0001]/;

function needsEncoding(s: string): boolean {
  return NEEDS_ENCODING.test(s);
}

function decoded(col: string): string {
  return `CASE WHEN starts_with(${col}, chr(1)) THEN json_extract_string(substr(${col}, 2), '$') ELSE ${col} END`;
}
