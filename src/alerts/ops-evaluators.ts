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
    `SELECT max(ended_at) FILTER (WHERE status = 'succeeded' AND ended_at <= ?) AS last_success, min(started_at) AS first_start
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
  const rows = await ctx.warehouse.query<{ source: string; last_status: string | null; last_error: string | null; last_run: string | null; state: string | null; message: string | null }>(
    `WITH s(source) AS (VALUES ${sources.map(() => '(?)').join(', ')}),
     last AS (SELECT source, arg_max(status, started_at) AS last_status, arg_max(error, started_at) AS last_error, arg_max(run_id, started_at) AS last_run
              FROM ops.runs WHERE status NOT IN ('running', 'cancelled') AND ended_at <= ? GROUP BY source)
     SELECT s.source, last.last_status, last.last_error, last.last_run, st.state, st.message
     FROM s LEFT JOIN last USING (source) LEFT JOIN ops.source_status st USING (source) ORDER BY s.source`,
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
    `SELECT test_id, severity, status, failing_count, message, table_name FROM ops.data_tests WHERE checked_at <= ?
     QUALIFY row_number() OVER (PARTITION BY test_id ORDER BY checked_at DESC, run_id DESC) = 1 ORDER BY test_id`,
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
