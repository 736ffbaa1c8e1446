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

/** What `markInterruptedRuns` records as the error of a run its process did not finish. */
export const INTERRUPTED_RUN_ERROR =
  'interrupted: the process stopped before the run finished; its committed pages are kept and the next run resumes from its cursor';

/**
 * `ops.runs`: one row per run, written when it starts, counted up in the same transactions that
 * land and refresh its records (so the counts never claim more than committed), and closed with
 * its outcome.
 *
 * Every statement here runs as written on DuckDB and on BigQuery: times are parameters (one clock,
 * the process's, on either warehouse; tests fix it), upserts are MERGE (BigQuery has no ON
 * CONFLICT and enforces no key), casts are CAST(… AS BIGINT) (BigQuery's alias of INT64), and a
 * NULL that meets a non-text column is cast, since BigQuery types an untyped NULL parameter as STRING.
 */
export async function startRun(
  ex: SqlExecutor,
  run: { runId: string; source: SourceKind | '*'; entity: string; trigger: RunTrigger; cursorBefore: string | undefined; at?: Date },
): Promise<void> {
  // Counters are written, not left to their DEFAULT, so the row is whole on any warehouse.
  await ex.execute(
    `INSERT INTO ops.runs (run_id, source, entity, trigger, status, started_at, records_in, upserted, quarantined, cursor_before)
     VALUES (?, ?, ?, ?, 'running', ?, 0, 0, 0, ?)`,
    [run.runId, run.source, run.entity, run.trigger, run.at ?? new Date(), run.cursorBefore ?? null],
  );
}

export async function addRunCounts(tx: SqlExecutor, runId: string, c: RunCounts): Promise<void> {
  await tx.execute(
    `UPDATE ops.runs SET records_in = records_in + ?, upserted = upserted + ?, quarantined = quarantined + ?,
       cursor_after = coalesce(?, cursor_after), data_version = coalesce(CAST(? AS BIGINT), data_version)
     WHERE run_id = ?`,
    [c.recordsIn ?? 0, c.upserted ?? 0, c.quarantined ?? 0, c.cursorAfter ?? null, c.dataVersion ?? null, runId],
  );
}

export async function finishRun(
  ex: SqlExecutor, runId: string, status: Exclude<RunStatus, 'running'>, error?: string, at: Date = new Date(),
): Promise<void> {
  await ex.execute(`UPDATE ops.runs SET status = ?, ended_at = ?, error = ? WHERE run_id = ?`, [
    status, at, error === undefined ? null : error.slice(0, 4_000), runId,
  ]);
}

/** A process that died mid-run left rows saying `running`; they did not finish, and say so. */
export async function markInterruptedRuns(wh: Warehouse, at: Date = new Date()): Promise<number> {
  return wh.execute(`UPDATE ops.runs SET status = 'failed', ended_at = ?, error = ? WHERE status = 'running'`, [at, INTERRUPTED_RUN_ERROR]);
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

/**
 * Each source's last success and lag, for `/healthz` and `farol runs`. The last status is the
 * latest run's; the last error is the latest error any run recorded (a success since does not
 * clear it; callers show it beside a failed or cancelled status). Written with window functions
 * and joins rather than DuckDB's `arg_max` or correlated counts, which BigQuery lacks or cannot
 * de-correlate; the lag is reckoned here from the ISO instant (DuckDB's interval arithmetic and
 * BigQuery's TIMESTAMP_DIFF share no spelling).
 */
export async function sourceHealth(
  ex: SqlExecutor,
  sources: readonly string[],
  opts: {
    /** Sources something in this process runs (a schedule, a hook, a stream); the others read `idle`. */
    readonly running?: ReadonlySet<string>;
    /** What the lag is measured to; defaults to now. */
    readonly now?: Date;
  } = {},
): Promise<SourceHealth[]> {
  if (sources.length === 0) return [];
  const rows = await ex.query<{
    source: string; last_success: string | null; last_status: RunStatus | null; last_error: string | null;
    state: 'active' | 'stopped' | null; message: string | null; unapplied: number;
  }>(
    `WITH s AS (${sources.map(() => 'SELECT ? AS source').join(' UNION ALL ')}),
     ok AS (SELECT source, max(ended_at) AS last_success FROM ops.runs WHERE status = 'succeeded' GROUP BY source),
     last AS (SELECT source, status AS last_status FROM (
       SELECT source, status, row_number() OVER (PARTITION BY source ORDER BY started_at DESC, run_id DESC) AS n FROM ops.runs
     ) latest WHERE n = 1),
     err AS (SELECT source, error AS last_error FROM (
       SELECT source, error, row_number() OVER (PARTITION BY source ORDER BY started_at DESC, run_id DESC) AS n FROM ops.runs WHERE error IS NOT NULL
     ) latest WHERE n = 1),
     wm AS (SELECT source, CAST(value AS BIGINT) AS w FROM ops.cursors WHERE name = 'silver_seq'),
     rec AS (SELECT r.source, count(*) AS n FROM bronze.records r LEFT JOIN wm ON wm.source = r.source
             WHERE r.source IN (SELECT source FROM s) AND r.seq > coalesce(wm.w, 0) GROUP BY r.source),
     seg AS (SELECT g.source, sum(g.records) AS n FROM bronze.segments g LEFT JOIN wm ON wm.source = g.source
             WHERE g.source IN (SELECT source FROM s) AND g.min_seq > coalesce(wm.w, 0) GROUP BY g.source)
     SELECT s.source, ok.last_success, last.last_status, err.last_error, st.state, st.message,
            coalesce(rec.n, 0) + coalesce(seg.n, 0) AS unapplied
     FROM s LEFT JOIN ok USING (source) LEFT JOIN last USING (source) LEFT JOIN err USING (source)
       LEFT JOIN ops.source_status st USING (source) LEFT JOIN rec USING (source) LEFT JOIN seg USING (source)
     ORDER BY s.source`,
    [...sources],
  );
  const now = (opts.now ?? new Date()).getTime();
  return rows.map((r) => ({
    source: r.source, state: r.state === 'stopped' ? 'stopped' : opts.running && !opts.running.has(r.source) ? 'idle' : 'active', message: r.message, lastSuccessAt: r.last_success,
    lagSeconds: r.last_success === null ? null : Math.round((now - Date.parse(r.last_success)) / 1000), lastRunStatus: r.last_status, lastError: r.last_error,
    unappliedRecords: Number(r.unapplied),
  }));
}

export async function setSourceStatus(
  ex: SqlExecutor, source: SourceKind, state: 'active' | 'stopped', message: string | null, at: Date = new Date(),
): Promise<void> {
  await ex.execute(
    `MERGE INTO ops.source_status AS t
     USING (SELECT ? AS source, ? AS state, ? AS message, ? AS changed_at) AS s
     ON t.source = s.source
     WHEN MATCHED THEN UPDATE SET state = s.state, message = s.message, changed_at = s.changed_at
     WHEN NOT MATCHED THEN INSERT (source, state, message, changed_at) VALUES (s.source, s.state, s.message, s.changed_at)`,
    [source, state, message, at],
  );
}
