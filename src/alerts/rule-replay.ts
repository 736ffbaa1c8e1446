import { isSourceKind } from '../ingest/sources/source-kind.js';
import { freshnessSlaSeconds } from '../pipeline/freshness-sla.js';
import type { AlertRule } from './alert-rules.js';
import { historyStart, judgeAnomaly } from './anomaly-evaluator.js';
import type { EvaluationContext } from './evaluation-context.js';
import { judgeThreshold, queryLink } from './kpi-evaluators.js';
import { loadKpiSeries, type KpiInfo, type KpiSeries } from './kpi-series.js';
import type { Observation } from './observation.js';
import { periodEnd, periodStartOf, periodsBetween } from './periods.js';
import { evaluateRule } from './rule-evaluator.js';

/** Ops rules are replayed at most at this many moments; a longer range is refused with the reason. */
export const MAX_OPS_REPLAY_MOMENTS = 20_000;

/** A message the rule would have sent, at the moment it would have sent it. */
export interface ReplayEvent extends Pick<Observation, 'series' | 'title' | 'summary' | 'value' | 'expectedLow' | 'expectedHigh' | 'period'> {
  readonly at: string;
  readonly event: 'firing' | 'resolved';
}

/**
 * Replays a rule over `[from, to)` as the running service would have judged it, with the same
 * dedup and cooldown, and nothing stored or sent. KPI rules judge each complete period when it
 * completes (its end plus the rule's settle time), from one read of the KPI; ops rules are
 * evaluated at each moment something changed (a run started or ended, a test ran, an SLA ran
 * out).
 */
export async function replayRule(ctx: Omit<EvaluationContext, 'now'>, rule: AlertRule, from: Date, to: Date): Promise<ReplayEvent[]> {
  const steps: { at: Date; observations: Observation[] }[] = [];
  if (rule.kind === 'anomaly' || rule.kind === 'threshold') {
    const first = periodStartOf(from, rule.grain, ctx.timezone);
    const last = periodStartOf(to, rule.grain, ctx.timezone);
    const info: KpiInfo = { title: rule.measure };
    const data: KpiSeries = await loadKpiSeries(
      ctx.metrics, ctx.security, rule, rule.kind === 'anomaly' ? historyStart(rule, first) : first, last, ctx.timezone, new Map(), info,
    );
    for (const p of periodsBetween(first, last, rule.grain)) {
      const at = new Date(periodEnd(p, rule.grain).getTime() + rule.settleMinutes * 60_000);
      const link = queryLink(ctx, rule);
      steps.push({ at, observations: rule.kind === 'anomaly' ? judgeAnomaly(rule, data, p, info, link) : judgeThreshold(rule, data, p, info, link) });
    }
  } else {
    for (const at of await opsMoments(ctx, rule, from, to)) steps.push({ at, observations: await evaluateRule({ ...ctx, now: at }, rule) });
  }
  return simulate(rule, steps);
}

/**
 * The moments something changed, plus, for a freshness rule, each moment a run's SLA ran out (its
 * end + SLA + 1 s). Those are read as run ends within the range shifted back by that span and
 * shifted forward here: interval arithmetic is spelled differently on DuckDB and BigQuery, and
 * one statement serves both. A moment can come back twice (once shifted, once not), so the
 * limit on rows is twice the limit on moments, which keeps the refusal exact.
 */
async function opsMoments(ctx: Omit<EvaluationContext, 'now'>, rule: AlertRule, from: Date, to: Date): Promise<Date[]> {
  const sla = rule.kind === 'freshness' ? (rule.slaSeconds ?? (isSourceKind(rule.source) ? freshnessSlaSeconds(rule.source) : undefined) ?? 0) : 0;
  const shiftMs = (sla + 1) * 1000;
  const rows = await ctx.warehouse.query<{ t: string; shifted: number }>(
    `SELECT DISTINCT t, shifted FROM (
       SELECT t, 0 AS shifted FROM (
         SELECT started_at AS t FROM ops.runs UNION ALL SELECT ended_at FROM ops.runs
         UNION ALL SELECT checked_at FROM ops.data_tests UNION ALL SELECT changed_at FROM ops.source_status
       ) changes WHERE t >= ? AND t < ?
       UNION ALL SELECT ended_at, 1 FROM ops.runs WHERE ? > 0 AND ended_at >= ? AND ended_at < ?
     ) moments ORDER BY t, shifted LIMIT ?`,
    [from, to, sla, new Date(from.getTime() - shiftMs), new Date(to.getTime() - shiftMs), 2 * (MAX_OPS_REPLAY_MOMENTS + 1)],
  );
  const moments = [...new Set(rows.map((r) => Date.parse(r.t) + (Number(r.shifted) === 1 ? shiftMs : 0)))].sort((a, b) => a - b);
  if (moments.length > MAX_OPS_REPLAY_MOMENTS) throw new Error(`more than ${MAX_OPS_REPLAY_MOMENTS} changes between ${from.toISOString()} and ${to.toISOString()}; replay a shorter range`);
  return [...moments.map((t) => new Date(t)), to];
}

function simulate(rule: AlertRule, steps: readonly { at: Date; observations: readonly Observation[] }[]): ReplayEvent[] {
  /** Open keys, and whether their firing was sent (only then is their resolution). */
  const open = new Map<string, boolean>();
  const lastNotified = new Map<string, number>();
  const events: ReplayEvent[] = [];
  for (const { at, observations } of steps) {
    for (const o of observations) {
      const key = o.series ?? '';
      const base = { at: at.toISOString(), series: o.series, title: o.title, summary: o.summary, value: o.value, expectedLow: o.expectedLow, expectedHigh: o.expectedHigh, period: o.period };
      if (o.firing && !open.has(key)) {
        const last = lastNotified.get(key);
        const notify = last === undefined || at.getTime() - last >= rule.cooldownMinutes * 60_000;
        open.set(key, notify);
        if (notify) {
          events.push({ ...base, event: 'firing' });
          lastNotified.set(key, at.getTime());
        }
      } else if (!o.firing && open.has(key)) {
        const notified = open.get(key);
        open.delete(key);
        if (notified) {
          events.push({ ...base, event: 'resolved' });
          lastNotified.set(key, at.getTime());
        }
      }
    }
  }
  return events;
}
