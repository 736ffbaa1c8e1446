import { isSourceKind, SOURCE_KINDS, type SourceKind } from '../ingest/sources/source-kind.js';
import { freshnessSlaSeconds } from '../pipeline/freshness-sla.js';
import type { DataQualityRule, FreshnessRule, PipelineFailureRule } from './alert-rules.js';
import type { EvaluationContext } from './evaluation-context.js';
import type { Observation } from './observation.js';

/** Longest error text an alert carries; run errors can be long stack-like strings. */
const MAX_ERROR_CHARS = 400;

const clip = (s: string | null) => (s ?? '').replace(/\s+/g, ' ').slice(0, MAX_ERROR_CHARS);

function ageText(seconds: number): string {
  if (seconds < 120) return `${Math.round(seconds)} s`;
  if (seconds < 7_200) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3_600).toFixed(1)} h`;
}

/**
 * A source breaks its SLA when its last successful run ended longer ago than the SLA. A source
 * that never succeeded is measured from its first run; one that never ran is not watched (this
 * deployment does not run it).
 */
export async function evaluateFreshness(ctx: EvaluationContext, rule: FreshnessRule): Promise<Observation[]> {
  const sla = rule.slaSeconds ?? freshnessSlaSeconds(rule.source as SourceKind);
  if (sla === undefined) return [];
  const rows = await ctx.warehouse.query<{ last_success: string | null; first_start: string | null }>(
    `SELECT max(CASE WHEN status = 'succeeded' AND ended_at <= ? THEN ended_at END) AS last_success, min(started_at) AS first_start
     FROM ops.runs WHERE source = ? AND started_at <= ?`,
    [ctx.now, rule.source, ctx.now],
  );
  const since = rows[0]?.last_success ?? rows[0]?.first_start;
  if (!since) return [];
  const age = (ctx.now.getTime() - Date.parse(since)) / 1000;
  const firing = age > sla;
  const what = rows[0]?.last_success ? `last successful run ended ${ageText(age)} ago` : `no successful run in ${ageText(age)} since its first`;
  return [{
    series: rule.source, firing,
    title: firing ? `${rule.source} is stale: ${what} (SLA ${ageText(sla)})` : `${rule.source} is fresh`,
    summary: `${rule.source}: ${what}; its freshness SLA is ${ageText(sla)}.`,
    value: Math.round(age), expectedLow: null, expectedHigh: sla,
  }];
}

/**
 * Per source: firing while its latest run failed or it is stopped (ops.source_status, e.g. a
 * revoked token); resolved once a run succeeds and it is active again. A run cancelled on
 * purpose (shutdown) neither fires nor resolves: the run before it speaks.
 */
export async function evaluatePipelineFailure(ctx: EvaluationContext, rule: PipelineFailureRule): Promise<Observation[]> {
  const sources = (rule.sources ?? SOURCE_KINDS).filter(isSourceKind);
  if (sources.length === 0) return [];
  // The latest finished run per source by row_number, not arg_max (DuckDB only); its error is the
  // latest non-NULL one, as arg_max (which skips NULLs) gave.
  const rows = await ctx.warehouse.query<{ source: string; last_status: string | null; last_error: string | null; last_run: string | null; state: string | null; message: string | null }>(
    `WITH s AS (${sources.map(() => 'SELECT ? AS source').join(' UNION ALL ')}),
     done AS (SELECT source, status, error, run_id, started_at FROM ops.runs WHERE status NOT IN ('running', 'cancelled') AND ended_at <= ?),
     last AS (SELECT source, status AS last_status, run_id AS last_run FROM (
       SELECT source, status, run_id, row_number() OVER (PARTITION BY source ORDER BY started_at DESC, run_id DESC) AS n FROM done
     ) latest WHERE n = 1),
     err AS (SELECT source, error AS last_error FROM (
       SELECT source, error, row_number() OVER (PARTITION BY source ORDER BY started_at DESC, run_id DESC) AS n FROM done WHERE error IS NOT NULL
     ) latest WHERE n = 1)
     SELECT s.source, last.last_status, err.last_error, last.last_run, st.state, st.message
     FROM s LEFT JOIN last USING (source) LEFT JOIN err USING (source) LEFT JOIN ops.source_status st USING (source) ORDER BY s.source`,
    [...sources, ctx.now],
  );
  return rows
    .filter((r) => r.last_status !== null || r.state !== null)
    .map((r) => {
      const stopped = r.state === 'stopped';
      const failed = r.last_status === 'failed';
      // The scheduler's message already reads "<source> stopped: …".
      const why = stopped ? `stopped: ${clip((r.message ?? '').replace(`${r.source} stopped: `, ''))}` : failed ? `run ${r.last_run} failed: ${clip(r.last_error)}` : 'last run succeeded';
      return {
        series: r.source, firing: stopped || failed,
        title: stopped ? `${r.source} stopped` : failed ? `${r.source} run failed` : `${r.source} runs again`,
        summary: `${r.source} ${why}`,
        value: null, expectedLow: null, expectedHigh: null,
      };
    });
}

/** Per data test: firing while its latest result failed at a watched severity. */
export async function evaluateDataQuality(ctx: EvaluationContext, rule: DataQualityRule): Promise<Observation[]> {
  const rows = await ctx.warehouse.query<{ test_id: string; severity: string; status: string; failing_count: number; message: string | null; table_name: string }>(
    // A subquery with row_number, not QUALIFY: BigQuery takes QUALIFY only beside a WHERE, GROUP BY or HAVING.
    `SELECT test_id, severity, status, failing_count, message, table_name FROM (
       SELECT test_id, severity, status, failing_count, message, table_name,
              row_number() OVER (PARTITION BY test_id ORDER BY checked_at DESC, run_id DESC) AS n
       FROM ops.data_tests WHERE checked_at <= ?
     ) latest WHERE n = 1 ORDER BY test_id`,
    [ctx.now],
  );
  return rows.map((r) => {
    const firing = r.status === 'failed' && (rule.severities as readonly string[]).includes(r.severity);
    const n = Number(r.failing_count);
    return {
      series: r.test_id, firing,
      title: firing ? `Data test ${r.test_id} failed (${r.severity}, ${n} rows)` : `Data test ${r.test_id} passes`,
      summary: `${r.table_name}: ${r.test_id} ${r.status} with ${n} failing rows${r.message ? `: ${clip(r.message)}` : ''}`,
      value: n, expectedLow: null, expectedHigh: 0,
    };
  });
}
