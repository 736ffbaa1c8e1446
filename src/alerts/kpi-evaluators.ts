import type { AnomalyRule, KpiRule, ThresholdRule } from './alert-rules.js';
import { historyStart, judgeAnomaly } from './anomaly-evaluator.js';
import type { EvaluationContext } from './evaluation-context.js';
import { formatValue } from './format-value.js';
import { loadKpiSeries, type KpiInfo, type KpiSeries } from './kpi-series.js';
import type { Observation } from './observation.js';
import { lastCompletePeriod, weeksBefore } from './periods.js';
import type moment from 'moment-timezone';
import { WEEKS_PER_YEAR } from './anomaly-evaluator.js';

/**
 * The link to a rule's KPI in the web page's explorer: the page reads its state from the URL
 * fragment (`#q=` and base64url JSON, web/src/explorer-query.ts), which never reaches a server.
 * The explorer takes relative ranges only, so the link shows the last weeks up to now; the
 * period judged is in the message itself.
 */
export function queryLink(ctx: Pick<EvaluationContext, 'linkBase'>, rule: KpiRule): string | undefined {
  if (!ctx.linkBase) return undefined;
  const state = {
    view: rule.measure.split('.')[0],
    measures: [rule.measure],
    dimensions: rule.dimension ? [rule.dimension] : [],
    timeDimension: rule.timeDimension,
    grain: rule.grain,
    range: rule.grain === 'hour' ? 'last 14 days' : 'last 90 days',
    chart: 'line',
  };
  return `${ctx.linkBase}/#q=${Buffer.from(JSON.stringify(state), 'utf8').toString('base64url')}`;
}

/** The last complete period against its seasonal band; the current period is never judged. */
export async function evaluateAnomaly(ctx: EvaluationContext, rule: AnomalyRule): Promise<Observation[]> {
  const period = lastCompletePeriod(ctx.now, rule.grain, ctx.timezone, rule.settleMinutes);
  const end = period.clone().add(1, rule.grain);
  const info: KpiInfo = { title: rule.measure };
  const data: KpiSeries = new Map();
  // Two windows rather than a year of hours: this year's weeks, and the same weeks a year ago.
  await loadKpiSeries(ctx.metrics, ctx.security, rule, weeksBefore(period, rule.weeks), end, ctx.timezone, data, info);
  if (rule.yearOverYear) {
    const ly = weeksBefore(period, WEEKS_PER_YEAR);
    await loadKpiSeries(ctx.metrics, ctx.security, rule, historyStart(rule, period), ly.clone().add(1, rule.grain), ctx.timezone, data, info);
  }
  return judgeAnomaly(rule, data, period, info, queryLink(ctx, rule));
}

export async function evaluateThreshold(ctx: EvaluationContext, rule: ThresholdRule): Promise<Observation[]> {
  const period = lastCompletePeriod(ctx.now, rule.grain, ctx.timezone, rule.settleMinutes);
  const end = period.clone().add(1, rule.grain);
  const info: KpiInfo = { title: rule.measure };
  const data = await loadKpiSeries(ctx.metrics, ctx.security, rule, period, end, ctx.timezone, new Map(), info);
  return judgeThreshold(rule, data, period, info, queryLink(ctx, rule));
}

export function judgeThreshold(rule: ThresholdRule, data: KpiSeries, period: moment.Moment, info: KpiInfo, link?: string): Observation[] {
  const at = period.format('YYYY-MM-DDTHH:mm:ss.SSS');
  const series = data.size > 0 ? [...data.keys()] : [null];
  return series.map((s) => {
    const value = data.get(s)?.get(at) ?? 0;
    const over = rule.above !== undefined && value > rule.above;
    const under = rule.below !== undefined && value < rule.below;
    const where = s === null ? '' : ` (${s})`;
    const limit = over ? `above ${formatValue(rule.above, info.currency)}` : under ? `below ${formatValue(rule.below, info.currency)}` : 'within its limits';
    return {
      series: s, firing: over || under,
      title: `${info.title}${where} is ${limit}`,
      summary: `${info.title}${where} was ${formatValue(value, info.currency)} for the ${rule.grain} starting ${period.format('DD/MM HH:mm')}`,
      value, expectedLow: rule.below ?? null, expectedHigh: rule.above ?? null, period: at,
      kpi: { name: rule.measure, title: info.title, currency: info.currency },
      ...(link ? { link } : {}),
    };
  });
}
