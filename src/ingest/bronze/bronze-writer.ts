import { createHash, randomUUID } from 'node:crypto';
import type { SqlExecutor, SqlValue } from '../../warehouse/warehouse.js';

export const BRONZE_RECORDS = { schema: 'bronze', table: 'records' } as const;
const BRONZE_COLUMNS = [
  'record_id', 'source', 'entity', 'natural_key', 'payload', 'payload_hash', 'received_at', 'batch_id', 'partition_date',
] as const;

export interface BronzeRecordInput {
  readonly source: string;
  readonly entity: string;
  readonly naturalKey: string;
  /** The body exactly as received (JSON text). */
  readonly payload: string;
  readonly receivedAt?: Date;
}

export interface BronzeRecord extends BronzeRecordInput {
  readonly recordId: string;
}

/**
 * Appends received records to bronze, inside the caller's transaction. Bronze is append-only:
 * nothing here or anywhere else updates or deletes its rows. Returns the records with their ids,
 * which silver rows carry as lineage.
 */
export async function appendBronze(
  tx: SqlExecutor,
  inputs: readonly BronzeRecordInput[],
  batchId: string,
): Promise<BronzeRecord[]> {
  const now = new Date();
  const records: BronzeRecord[] = [];
  const rows: SqlValue[][] = [];
  for (const input of inputs) {
    const recordId = randomUUID();
    const receivedAt = input.receivedAt ?? now;
    const iso = receivedAt.toISOString();
    records.push({ ...input, recordId });
    rows.push([
      recordId, input.source, input.entity, input.naturalKey, input.payload,
      createHash('sha256').update(input.payload).digest('hex'), iso, batchId, iso.slice(0, 10),
    ]);
  }
  await tx.append(BRONZE_RECORDS, BRONZE_COLUMNS, rows);
  return records;
}
