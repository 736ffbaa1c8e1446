import { createHash, randomUUID } from 'node:crypto';
import type { SqlValue } from '../../warehouse/warehouse.js';

export const BRONZE_RECORDS = { schema: 'bronze', table: 'records' } as const;

/** The columns of `bronze.records` a landing writes, in the order `recordRow` gives them. */
export const RECORD_COLUMNS = [
  'seq', 'record_id', 'source', 'entity', 'natural_key', 'payload', 'payload_hash', 'received_at', 'batch_id', 'partition_date',
  'payload_base64',
] as const;

export interface BronzeInput {
  readonly entity: string;
  readonly naturalKey: string;
  /** The body as received, as text (JSON text for JSON sources). */
  readonly payload: string;
  /**
   * The body's exact bytes, base64, when they are not valid UTF-8: `payload` then holds their
   * UTF-8 reading (U+FFFD where a byte does not decode), which is what silver parses, and this
   * keeps what was sent. Absent for the common case, where `payload` is the body.
   */
  readonly payloadBase64?: string;
  readonly receivedAt?: Date;
}

export interface BronzeRecord extends BronzeInput {
  readonly seq: number;
  readonly recordId: string;
  readonly source: string;
}

/** A bulk batch to write as one unit (a segment file on DuckDB, a load job on BigQuery). */
export interface BatchWrite {
  readonly segmentId: string;
  readonly source: string;
  readonly partitionDate: string;
  /** The first seq of the range reserved for `inputs`, which take consecutive seqs. */
  readonly minSeq: number;
  readonly batchId: string;
  readonly inputs: readonly BronzeInput[];
}

/**
 * One `bronze.records` row (columns as `RECORD_COLUMNS`). `partitionDate` defaults to the UTC day
 * of `received_at`; a bulk batch passes its own, as a segment's folder does on DuckDB.
 */
export function recordRow(
  seq: number, source: string, input: BronzeInput, batchId: string, now: Date, partitionDate?: string,
): { readonly record: BronzeRecord; readonly row: SqlValue[] } {
  const recordId = randomUUID();
  const iso = (input.receivedAt ?? now).toISOString();
  return {
    record: { ...input, seq, recordId, source },
    row: [
      seq, recordId, source, input.entity, input.naturalKey, input.payload,
      createHash('md5').update(input.payload).digest('hex'), iso, batchId, partitionDate ?? iso.slice(0, 10), input.payloadBase64 ?? null,
    ],
  };
}
