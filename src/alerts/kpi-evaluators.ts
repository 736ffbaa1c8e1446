import type { AnomalyRule, KpiRule, ThresholdRule } from './alert-rules.js';
import { historyStart, judgeAnomaly, SPARKLINE_POINTS } from './anomaly-evaluator.js';
import type { EvaluationContext } from './evaluation-context.js';
import { formatValue } from './format-value.js';
import { kpiQuery, loadKpiSeries, type KpiInfo, type KpiSeries } from './kpi-series.js';
import type { Observation } from './observation.js';
import { lastCompletePeriod, weeksBefore } from './periods.js';
import type moment from 'moment-timezone';
import { WEEKS_PER_YEAR } from './anomaly-evaluator.js';

/** The link to a rule's query over the weeks around a period, in the web page's explorer. */
export function queryLink(ctx: Pick<EvaluationContext, 'linkBase' | 'timezone'>, rule: KpiRule, from: moment.Moment, to: moment.Moment): string | undefined {
  if (!ctx.linkBase) return undefined;
  return `${ctx.linkBase}/?query=${encodeURIComponent(JSON.stringify(kpiQuery(rule, from, to, ctx.timezone)))}`;
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
  const from = period.clone().subtract(SPARKLINE_POINTS * 2, rule.grain);
  return judgeAnomaly(rule, data, period, info, queryLink(ctx, rule, from, end));
}

export async function evaluateThreshold(ctx: EvaluationContext, rule: ThresholdRule): Promise<Observation[]> {
  const period = lastCompletePeriod(ctx.now, rule.grain, ctx.timezone, rule.settleMinutes);
  const end = period.clone().add(1, rule.grain);
  const info: KpiInfo = { title: rule.measure };
  const data = await loadKpiSeries(ctx.metrics, ctx.security, rule, period, end, ctx.timezone, new Map(), info);
  return judgeThreshold(rule, data, period, info, queryLink(ctx, rule, period.clone().subtract(SPARKLINE_POINTS, rule.grain), end));
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
