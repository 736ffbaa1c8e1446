import type { SqlExecutor, Warehouse } from '../warehouse/warehouse.js';
import type { SourceKind } from '../ingest/sources/source-kind.js';
import type { RunTrigger } from '../ingest/sources/source-module.js';

/** `cancelled`: stopped on purpose (shutdown, a cancelled command); what landed is kept. */
export type RunStatus = 'running' | 'succeeded' | 'failed' | 'cancelled';

export type RunRow = {
  readonly run_id: string;
  readonly source: string;
  readonly entity: string;
  readonly trigger: RunTrigger;
  readonly status: RunStatus;
  readonly started_at: string;
  readonly ended_at: string | null;
  readonly records_in: number;
  readonly upserted: number;
  readonly quarantined: number;
  readonly error: string | null;
  readonly cursor_before: string | null;
  readonly cursor_after: string | null;
  readonly data_version: number | null;
};

export interface RunCounts {
  readonly recordsIn?: number;
  readonly upserted?: number;
  readonly quarantined?: number;
  readonly cursorAfter?: string | undefined;
  readonly dataVersion?: number | undefined;
}

/**
 * `ops.runs`: one row per run, written when it starts, counted up in the same transactions that
 * land and refresh its records (so the counts never claim more than committed), and closed with
 * its outcome.
 */
export async function startRun(
  ex: SqlExecutor,
  run: { runId: string; source: SourceKind | '*'; entity: string; trigger: RunTrigger; cursorBefore: string | undefined },
): Promise<void> {
  await ex.execute(
    `INSERT INTO ops.runs (run_id, source, entity, trigger, status, started_at, cursor_before) VALUES (?, ?, ?, ?, 'running', now(), ?)`,
    [run.runId, run.source, run.entity, run.trigger, run.cursorBefore ?? null],
  );
}

export async function addRunCounts(tx: SqlExecutor, runId: string, c: RunCounts): Promise<void> {
  await tx.execute(
    `UPDATE ops.runs SET records_in = records_in + ?, upserted = upserted + ?, quarantined = quarantined + ?,
       cursor_after = coalesce(?, cursor_after), data_version = coalesce(?, data_version)
     WHERE run_id = ?`,
    [c.recordsIn ?? 0, c.upserted ?? 0, c.quarantined ?? 0, c.cursorAfter ?? null, c.dataVersion ?? null, runId],
  );
}

export async function finishRun(ex: SqlExecutor, runId: string, status: Exclude<RunStatus, 'running'>, error?: string): Promise<void> {
  await ex.execute(`UPDATE ops.runs SET status = ?, ended_at = now(), error = ? WHERE run_id = ?`, [
    status, error === undefined ? null : error.slice(0, 4_000), runId,
  ]);
}

/** A process that died mid-run left rows saying `running`; they did not finish, and say so. */
export async function markInterruptedRuns(wh: Warehouse): Promise<number> {
  return wh.execute(
    `UPDATE ops.runs SET status = 'failed', ended_at = now(),
       error = 'interrupted: the process stopped before the run finished; its committed pages are kept and the next run resumes from its cursor'
     WHERE status = 'running'`,
  );
}

export async function listRuns(ex: SqlExecutor, opts: { source?: string | undefined; limit?: number } = {}): Promise<RunRow[]> {
  const rows = await ex.query<RunRow>(
    `SELECT run_id, source, entity, trigger, status, started_at, ended_at, records_in, upserted, quarantined, error,
            cursor_before, cursor_after, data_version
     FROM ops.runs WHERE (? IS NULL OR source = ?) ORDER BY started_at DESC, run_id LIMIT ?`,
    [opts.source ?? null, opts.source ?? null, opts.limit ?? 20],
  );
  return rows.map((r) => ({ ...r, records_in: Number(r.records_in), upserted: Number(r.upserted), quarantined: Number(r.quarantined) }));
}

export interface SourceHealth {
  readonly source: string;
  /** `idle`: nothing runs it in this process (not scheduled, not pushed to, e.g. an unconfigured source). */
  readonly state: 'active' | 'stopped' | 'idle';
  readonly message: string | null;
  readonly lastSuccessAt: string | null;
  /** Seconds since the last successful run ended; null before the first one. */
  readonly lagSeconds: number | null;
  readonly lastRunStatus: RunStatus | null;
  readonly lastError: string | null;
  /** Records landed in bronze and not yet applied to silver (whole segments counted by their size). */
  readonly unappliedRecords: number;
}

/** Each source's last success and lag, for `/healthz` and `farol runs`. */
export async function sourceHealth(
  ex: SqlExecutor,
  sources: readonly string[],
  opts: { /** Sources something in this process runs (a schedule, a hook, a stream); the others read `idle`. */ readonly running?: ReadonlySet<string> } = {},
): Promise<SourceHealth[]> {
  if (sources.length === 0) return [];
  const rows = await ex.query<{
    source: string; last_success: string | null; lag: number | null; last_status: RunStatus | null; last_error: string | null;
    state: 'active' | 'stopped' | null; message: string | null; unapplied: number;
  }>(
    `WITH s(source) AS (VALUES ${sources.map(() => '(?)').join(', ')}),
     ok AS (SELECT source, max(ended_at) AS last_success FROM ops.runs WHERE status = 'succeeded' GROUP BY source),
     last AS (SELECT source, arg_max(status, started_at) AS last_status, arg_max(error, started_at) AS last_error FROM ops.runs GROUP BY source),
     wm AS (SELECT source, value::BIGINT AS w FROM ops.cursors WHERE name = 'silver_seq')
     SELECT s.source, ok.last_success, epoch(now() - ok.last_success)::BIGINT AS lag, last.last_status, last.last_error,
            st.state, st.message,
            (SELECT count(*) FROM bronze.records r WHERE r.source = s.source AND r.seq > coalesce(wm.w, 0))
            + (SELECT coalesce(sum(g.records), 0) FROM bronze.segments g WHERE g.source = s.source AND g.min_seq > coalesce(wm.w, 0)) AS unapplied
     FROM s LEFT JOIN ok USING (source) LEFT JOIN last USING (source) LEFT JOIN ops.source_status st USING (source)
       LEFT JOIN wm USING (source)
     ORDER BY s.source`,
    [...sources],
  );
  return rows.map((r) => ({
    source: r.source, state: r.state === 'stopped' ? 'stopped' : opts.running && !opts.running.has(r.source) ? 'idle' : 'active', message: r.message, lastSuccessAt: r.last_success,
    lagSeconds: r.lag === null ? null : Number(r.lag), lastRunStatus: r.last_status, lastError: r.last_error,
    unappliedRecords: Number(r.unapplied),
  }));
}

export async function setSourceStatus(ex: SqlExecutor, source: SourceKind, state: 'active' | 'stopped', message: string | null): Promise<void> {
  await ex.execute(
    `INSERT INTO ops.source_status VALUES (?, ?, ?, now())
     ON CONFLICT (source) DO UPDATE SET state = excluded.state, message = excluded.message, changed_at = excluded.changed_at`,
    [source, state, message],
  );
}
