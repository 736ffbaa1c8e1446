import type { SqlExecutor, SqlValue, Warehouse } from '../../warehouse/warehouse.js';

/**
 * The durable list of records to (re)fetch from a source, e.g. VTEX orders named by hook
 * notifications. A request is enqueued in the same transaction as the bronze row that caused
 * it, so an acknowledged notification can never lose its fetch. A row leaves the queue only
 * when a fetch that started after its latest request has committed; failures stay with a
 * growing back-off and their last error.
 */
export interface FetchRequest {
  readonly source: string;
  readonly entity: string;
  readonly naturalKey: string;
}

export interface DueFetch extends FetchRequest {
  readonly requestedSeq: number;
  readonly attempts: number;
}

/** Back-off after a failed fetch: doubles from 1 s up to 10 minutes; the row is never dropped. */
export const FETCH_RETRY_BASE_MS = 1_000;
export const FETCH_RETRY_MAX_MS = 10 * 60_000;

/** BigQuery refuses a DELETE without WHERE. */
const CLEAR_STAGE = 'DELETE FROM ops.fetch_queue_stage WHERE true';

let lastSeq = 0;
/** Strictly increasing within the process and across restarts (time-based, microsecond scale). */
function nextSeq(): number {
  lastSeq = Math.max(lastSeq + 1, Date.now() * 1000);
  return lastSeq;
}

export async function enqueueFetches(tx: SqlExecutor, requests: readonly FetchRequest[]): Promise<void> {
  if (requests.length === 0) return;
  const now = new Date().toISOString();
  // Appended to a staging table and merged in one statement: a VALUES list with hundreds of
  // parameters costs more to plan than the write itself, and this sits on the webhook's ack path.
  await tx.append(
    { schema: 'ops', table: 'fetch_queue_stage' },
    ['source', 'entity', 'natural_key', 'requested_seq', 'requested_at'],
    requests.map((r) => [r.source, r.entity, r.naturalKey, nextSeq(), now]),
  );
  // MERGE, not INSERT … ON CONFLICT: the one upsert DuckDB and BigQuery both accept. A new
  // request makes a backed-off row due again (the earlier of its next try and the request).
  await tx.execute(
    `MERGE INTO ops.fetch_queue AS t
     USING (SELECT source, entity, natural_key, max(requested_seq) AS requested_seq, max(requested_at) AS requested_at, min(requested_at) AS first_requested_at
            FROM ops.fetch_queue_stage GROUP BY source, entity, natural_key) AS s
     ON t.source = s.source AND t.entity = s.entity AND t.natural_key = s.natural_key
     WHEN MATCHED THEN UPDATE SET requested_seq = s.requested_seq, requested_at = s.requested_at,
       next_attempt_at = least(t.next_attempt_at, s.first_requested_at)
     WHEN NOT MATCHED THEN INSERT (source, entity, natural_key, requested_seq, requested_at, first_requested_at, next_attempt_at, attempts, last_error)
       VALUES (s.source, s.entity, s.natural_key, s.requested_seq, s.requested_at, s.first_requested_at, s.first_requested_at, 0, NULL)`,
  );
  await tx.execute(CLEAR_STAGE);
}

/** `now` is a parameter (not the warehouse's clock), the same on DuckDB and BigQuery. */
export async function dueFetches(wh: Warehouse, source: string, entity: string, limit: number, now: Date = new Date()): Promise<DueFetch[]> {
  const rows = await wh.query<{ natural_key: string; requested_seq: number; attempts: number }>(
    `SELECT natural_key, requested_seq, attempts FROM ops.fetch_queue
     WHERE source = ? AND entity = ? AND next_attempt_at <= ?
     ORDER BY next_attempt_at, requested_seq LIMIT ?`,
    [source, entity, now, limit],
  );
  return rows.map((r) => ({ source, entity, naturalKey: r.natural_key, requestedSeq: Number(r.requested_seq), attempts: Number(r.attempts) }));
}

/** Clears requests the fetch has satisfied; a request that arrived after the fetch began stays. */
export async function completeFetches(tx: SqlExecutor, done: readonly DueFetch[]): Promise<void> {
  if (done.length === 0) return;
  await tx.append(
    { schema: 'ops', table: 'fetch_queue_stage' },
    ['source', 'entity', 'natural_key', 'requested_seq', 'requested_at'],
    done.map((d) => [d.source, d.entity, d.naturalKey, d.requestedSeq, new Date(0).toISOString()]),
  );
  // EXISTS rather than DELETE … USING, which BigQuery lacks.
  await tx.execute(
    `DELETE FROM ops.fetch_queue q WHERE EXISTS (SELECT 1 FROM ops.fetch_queue_stage d
       WHERE q.source = d.source AND q.entity = d.entity AND q.natural_key = d.natural_key AND q.requested_seq <= d.requested_seq)`,
  );
  await tx.execute(CLEAR_STAGE);
}

export interface FetchBackoff {
  readonly baseMs: number;
  readonly maxMs: number;
}

/**
 * Records failed fetches: attempts + 1, the error, and the next try after a doubling back-off (or
 * the server's Retry-After when longer). One statement for the whole batch, whatever its size.
 * The next try's time is computed here and sent as a TIMESTAMP: interval arithmetic is spelled
 * differently on each warehouse. A fetch listed twice counts once (BigQuery refuses an UPDATE whose
 * row matches two source rows); its last entry wins.
 */
export async function failFetches(
  tx: SqlExecutor,
  failed: readonly { fetch: DueFetch; error: string; retryAfterMs?: number | undefined }[],
  backoff: FetchBackoff = { baseMs: FETCH_RETRY_BASE_MS, maxMs: FETCH_RETRY_MAX_MS },
  now: Date = new Date(),
): Promise<void> {
  if (failed.length === 0) return;
  const byKey = new Map(failed.map((f) => [JSON.stringify([f.fetch.source, f.fetch.entity, f.fetch.naturalKey]), f]));
  const params: SqlValue[] = [];
  for (const f of byKey.values()) {
    const backoffMs = Math.min(backoff.maxMs, backoff.baseMs * 2 ** Math.min(f.fetch.attempts, 20));
    const waitMs = Math.round(Math.max(backoffMs, f.retryAfterMs ?? 0));
    params.push(f.fetch.source, f.fetch.entity, f.fetch.naturalKey, f.error.slice(0, 2000), new Date(now.getTime() + waitMs));
  }
  // A UNION ALL of SELECTs, not a VALUES list: BigQuery has no VALUES table constructor.
  const rows = [...byKey.values()]
    .map((_, i) => (i === 0 ? 'SELECT ? AS source, ? AS entity, ? AS natural_key, ? AS error, ? AS next_at' : 'SELECT ?, ?, ?, ?, ?'))
    .join(' UNION ALL ');
  await tx.execute(
    `UPDATE ops.fetch_queue q SET attempts = q.attempts + 1, last_error = f.error, next_attempt_at = f.next_at
     FROM (${rows}) AS f
     WHERE q.source = f.source AND q.entity = f.entity AND q.natural_key = f.natural_key`,
    params,
  );
}

export async function queueDepth(wh: Warehouse, source: string, entity: string): Promise<number> {
  const [row] = await wh.query<{ n: number }>('SELECT count(*) AS n FROM ops.fetch_queue WHERE source = ? AND entity = ?', [source, entity]);
  return Number(row?.n ?? 0);
}
