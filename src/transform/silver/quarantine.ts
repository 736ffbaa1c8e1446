import { randomUUID } from 'node:crypto';
import type { SqlExecutor } from '../../warehouse/warehouse.js';

export interface QuarantineEntry {
  readonly source: string;
  readonly entity: string;
  readonly naturalKey: string | null;
  /** What was wrong and where, e.g. `items.0.quantity: expected number, received string`. */
  readonly reason: string;
  readonly payload: string | null;
  readonly bronzeRecordId: string | null;
}

/** Records that failed validation go here with their reason; nothing is dropped silently. */
export async function quarantine(tx: SqlExecutor, entries: readonly QuarantineEntry[]): Promise<void> {
  if (entries.length === 0) return;
  const now = new Date().toISOString();
  await tx.append(
    { schema: 'silver', table: 'quarantine' },
    ['quarantine_id', 'source', 'entity', 'natural_key', 'reason', 'payload', 'bronze_record_id', 'quarantined_at'],
    entries.map((e) => [randomUUID(), e.source, e.entity, e.naturalKey, e.reason, e.payload, e.bronzeRecordId, now]),
  );
}
