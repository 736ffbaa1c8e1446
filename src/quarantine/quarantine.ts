import { randomUUID } from 'node:crypto';
import type { SqlExecutor } from '../warehouse/warehouse.js';

export interface QuarantineEntry {
  /** A SourceKind. */
  readonly source: string;
  readonly entity: string;
  readonly naturalKey: string | null;
  /** What was wrong and where, e.g. `items.0.quantity: expected number, received string`. */
  readonly reason: string;
  readonly payload: string | null;
  readonly bronzeRecordId: string | null;
  readonly runId?: string | null;
}

export const QUARANTINE_TABLE = { schema: 'silver', table: 'quarantine' } as const;

/**
 * Records that could not be taken in go here with their reason, in the caller's transaction;
 * nothing is dropped silently. Neutral ground: receivers, sources and transforms all write here.
 */
export async function quarantine(tx: SqlExecutor, entries: readonly QuarantineEntry[]): Promise<void> {
  if (entries.length === 0) return;
  const now = new Date().toISOString();
  await tx.append(
    QUARANTINE_TABLE,
    ['quarantine_id', 'source', 'entity', 'natural_key', 'reason', 'payload', 'bronze_record_id', 'run_id', 'quarantined_at'],
    entries.map((e) => [randomUUID(), e.source, e.entity, e.naturalKey, e.reason, e.payload, e.bronzeRecordId, e.runId ?? null, now]),
  );
}
