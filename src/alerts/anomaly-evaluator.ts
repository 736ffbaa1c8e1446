import type moment from 'moment-timezone';
import type { AnomalyRule } from './alert-rules.js';
import { formatChange, formatValue } from './format-value.js';
import type { KpiInfo, KpiSeries } from './kpi-series.js';
import type { Observation } from './observation.js';
import { localIso, weeksBefore } from './periods.js';
import { breaches, seasonalBand, withYearlyLift, type Band } from './seasonal-baseline.js';

/** Weeks back to the same weekday a year earlier. */
export const WEEKS_PER_YEAR = 52;
/** Values shown in the sparkline, the judged period last. */
export const SPARKLINE_POINTS = 12;

/**
 * The first period a rule's judgement of `period` needs: its baseline weeks, and with the yearly
 * lift, those of the same period a year earlier.
 */
export function historyStart(rule: AnomalyRule, period: moment.Moment): moment.Moment {
  return weeksBefore(period, (rule.yearOverYear ? WEEKS_PER_YEAR : 0) + rule.weeks);
}

/**
 * Judges one complete period of every series against its seasonal band. Periods before a
 * series' first value are not history (a channel that opened last month has four weeks, not
 * eight zeros); afterwards a missing period is zero (no sales that hour).
 */
export function judgeAnomaly(rule: AnomalyRule, data: KpiSeries, period: moment.Moment, info: KpiInfo, link?: string): Observation[] {
  const at = localIso(period);
  const out: Observation[] = [];
  for (const [series, values] of data) {
    let first = at;
    for (const k of values.keys()) if (k < first) first = k;
    const v = (p: moment.Moment) => values.get(localIso(p)) ?? 0;
    const known = (p: moment.Moment) => localIso(p) >= first;
    const past = (p: moment.Moment) => Array.from({ length: rule.weeks }, (_, i) => weeksBefore(p, i + 1)).filter(known).map(v);
    const history = past(period);
    const value = v(period);
    const kpi = { name: rule.measure, title: info.title, currency: info.currency };
    const where = series === null ? '' : ` (${series})`;
    let band: Band | undefined;
    if (history.length >= rule.minHistory) {
      band = seasonalBand(history, rule);
      if (band && rule.yearOverYear) {
        const ly = weeksBefore(period, WEEKS_PER_YEAR);
        const lyHistory = past(ly);
        if (known(ly) && lyHistory.length >= rule.minHistory) band = withYearlyLift(band, v(ly), seasonalBand(lyHistory, rule));
      }
    }
    const breach = band ? breaches(value, band, rule.direction) : undefined;
    const recent = Array.from({ length: SPARKLINE_POINTS }, (_, i) => v(period.clone().subtract(SPARKLINE_POINTS - 1 - i, rule.grain)));
    const when = rule.grain === 'hour' ? period.format('ddd DD/MM HH:mm') : period.format('ddd DD/MM');
    const change = band ? formatChange(value, band.expected)?.replace(/^[+-]/, '') : undefined;
    out.push({
      series,
      firing: breach !== undefined,
      title: breach ? `${info.title}${where} ${breach === 'drop' ? 'dropped' : 'spiked'}${change ? ` ${change}` : ''} (${when})` : `${info.title}${where} is within its expected range`,
      summary: band
        ? `${info.title}${where} was ${formatValue(value, info.currency)} for the ${rule.grain} of ${when}; expected ${formatValue(band.low, info.currency)} to ${formatValue(band.high, info.currency)} (median ${formatValue(band.expected, info.currency)} of the same ${rule.grain === 'hour' ? 'weekday and hour' : 'weekday'} over ${band.history} past weeks)`
        : `${info.title}${where} has ${history.length} past weeks of history; ${rule.minHistory} are needed before it is judged`,
      value,
      expectedLow: band?.low ?? null,
      expectedHigh: band?.high ?? null,
      period: at,
      recent,
      kpi,
      ...(link ? { link } : {}),
    });
  }
  return out;
}
