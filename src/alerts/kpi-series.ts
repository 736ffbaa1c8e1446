import type { SecurityContext } from '../auth/index.js';
import type { MetricsQuery } from '../metrics/metrics-query.js';
import type { MetricsService } from '../metrics/metrics-service.js';
import type { KpiRule } from './alert-rules.js';
import { LOCAL_ISO, localIso } from './periods.js';
import type moment from 'moment-timezone';

/** Values of one KPI by series and local period start; a period with no row is absent. */
export type KpiSeries = Map<string | null, Map<string, number>>;

/** The KPI as the model describes it, for messages. */
export interface KpiInfo {
  title: string;
  currency?: string | undefined;
}

/** Days per engine query: hour grain stays well inside the engine's row cap even split by a dimension. */
const CHUNK_DAYS = { hour: 30, day: 366 } as const;
const ROW_LIMIT = 50_000;

/** The engine query a KPI rule runs for a range; also what the alert links to. */
export function kpiQuery(rule: KpiRule, from: moment.Moment, to: moment.Moment, timezone: string): MetricsQuery {
  return {
    measures: [rule.measure],
    dimensions: rule.dimension ? [rule.dimension] : [],
    timeDimensions: [{ dimension: rule.timeDimension, granularity: rule.grain, dateRange: [localIso(from), to.clone().subtract(1, 'ms').format(LOCAL_ISO)] }],
    limit: ROW_LIMIT,
    timezone,
  } as MetricsQuery;
}

/**
 * Loads a rule's KPI over `[from, to)` through the semantic engine, as the admin would see it:
 * the same governed definition, access checks and cache as every face.
 */
export async function loadKpiSeries(
  metrics: MetricsService, ctx: SecurityContext, rule: KpiRule, from: moment.Moment, to: moment.Moment, timezone: string, into: KpiSeries = new Map(), info?: KpiInfo,
): Promise<KpiSeries> {
  const timeKey = `${rule.timeDimension}.${rule.grain}`;
  for (let start = from.clone(); start.isBefore(to); ) {
    const end = moment_min(start.clone().add(CHUNK_DAYS[rule.grain], 'days'), to);
    const result = await metrics.load(kpiQuery(rule, start, end, timezone), ctx);
    const annotation = result.annotation.measures.find((m) => m.name === rule.measure);
    if (info && annotation) {
      info.title = annotation.title;
      info.currency = annotation.currency;
    }
    if (result.rows.length >= ROW_LIMIT) throw new Error(`alert rule "${rule.name}": more than ${ROW_LIMIT} rows for ${localIso(start)}…${localIso(end)}; split by a dimension with fewer values`);
    for (const row of result.rows) {
      const period = row[timeKey];
      if (typeof period !== 'string') continue;
      const series = rule.dimension ? String(row[rule.dimension] ?? '(none)') : null;
      const value = row[rule.measure];
      let m = into.get(series);
      if (!m) into.set(series, (m = new Map()));
      m.set(period, typeof value === 'number' ? value : 0);
    }
    start = end;
  }
  return into;
}

function moment_min(a: moment.Moment, b: moment.Moment): moment.Moment {
  return a.isBefore(b) ? a : b;
}
