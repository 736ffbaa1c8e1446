import { looksRelative } from '../cube/date-values.js';
import { parseMetricsQuery } from '../cube/query-resolution.js';
import { canonicalTimeZone } from '../cube/time-zone.js';
import { MetricsQueryError } from '../metrics-errors.js';
import { MAX_ROW_LIMIT, type MetricsQuery } from '../metrics-query.js';
import type { DateRangeResult, MetricsResult, ServedFrom } from '../metrics-service.js';
import { resolveLocalRange, type LocalRange } from './local-range.js';
import { compareRows } from './period-comparison.js';
import { priorPeriod } from './prior-period.js';

/** What the period loads need from the engine, for one caller. */
export interface PeriodLoadDeps {
  /** Business time zone, for queries that set none. */
  readonly timezone: string;
  /** One ordinary query for this caller: resolved, access-checked, cached under its own key. */
  readonly load: (query: MetricsQuery) => Promise<MetricsResult>;
  /** Whether this caller gets the member's values masked (visible personal data without PII access). */
  readonly masked: (member: string) => boolean;
  readonly now?: () => Date;
}

/**
 * How often a multi-query answer is recomputed when gold is republished between its parts; the
 * parts of one answer always come from one data version.
 */
const VERSION_ATTEMPTS = 3;

type TimeDimension = MetricsQuery['timeDimensions'][number];

/**
 * Cube's `compareDateRange`: the query once per range, the time dimension's `compareDateRange`
 * replaced by that range as its `dateRange`. One result per range, in order, each carrying the
 * range's local bounds; each range is its own cached query.
 */
export async function loadDateRanges(input: unknown, deps: PeriodLoadDeps): Promise<DateRangeResult[]> {
  const query = parseMetricsQuery(input);
  if (query.compare !== undefined) {
    throw new MetricsQueryError('INVALID_QUERY', 'Invalid query: compare: compare and compareDateRange are exclusive; use one of them');
  }
  const indexes = query.timeDimensions.flatMap((td, i) => (td.compareDateRange !== undefined ? [i] : []));
  if (indexes.length !== 1) {
    const message = indexes.length === 0 ? 'no time dimension has a compareDateRange' : 'compareDateRange can only exist for one timeDimension';
    throw new MetricsQueryError('INVALID_QUERY', `Invalid query: timeDimensions: ${message}`);
  }
  const i = indexes[0] as number;
  const td = query.timeDimensions[i] as TimeDimension;
  if (td.dateRange !== undefined) {
    throw new MetricsQueryError('INVALID_QUERY', `Invalid query: timeDimensions[${i}]: dateRange and compareDateRange are exclusive`, td.dimension);
  }
  const timezone = zoneOf(query, deps);
  const now = deps.now?.() ?? new Date();
  const { compareDateRange = [], ...plain } = td;
  const ranges = compareDateRange.map((range, j) => ({
    range,
    bounds: resolveLocalRange(range, timezone, now, td.dimension, `timeDimensions[${i}].compareDateRange[${j}]`),
  }));
  const queries = ranges.map(({ range, bounds }) => withRange(query, i, { ...plain, dateRange: pinned(range, bounds) }));
  const results = await consistently(() => Promise.all(queries.map(deps.load)));
  return results.map((result, j) => {
    const { start, end } = (ranges[j] as (typeof ranges)[number]).bounds;
    return Object.freeze({ ...result, dateRange: Object.freeze([start, end] as const) });
  });
}

/**
 * `compare`: the query, and the same query over the prior period (see prior-period.ts), merged
 * row by row (see period-comparison.ts). Both are ordinary cached queries. The prior one drops
 * `order`, `offset` and `limit` so that every current row can find its counterpart.
 */
export async function loadComparingPeriods(input: unknown, deps: PeriodLoadDeps): Promise<MetricsResult> {
  const { compare: mode, ...query } = parseMetricsQuery(input);
  if (mode === undefined) return deps.load(query);
  const ranged = query.timeDimensions.flatMap((td, i) => (td.dateRange !== undefined ? [i] : []));
  if (query.timeDimensions.some((td) => td.compareDateRange !== undefined)) {
    throw new MetricsQueryError('INVALID_QUERY', 'Invalid query: compare: compare and compareDateRange are exclusive; use one of them');
  }
  if (ranged.length !== 1) {
    throw new MetricsQueryError(
      'INVALID_QUERY',
      `Invalid query: compare: ${mode} needs exactly one time dimension with a dateRange; this query has ${ranged.length}`,
    );
  }
  const i = ranged[0] as number;
  const td = query.timeDimensions[i] as TimeDimension;
  const dateRange = td.dateRange as NonNullable<TimeDimension['dateRange']>;
  for (const d of query.dimensions) {
    const base = d.split('.').slice(0, 2).join('.');
    // Masked values collide (every e-mail looks alike), so rows could meet the wrong counterpart.
    if (deps.masked(base)) {
      throw new MetricsQueryError('FORBIDDEN_MEMBER', `Member "${base}" is personal data; this role may not compare periods by it`, base);
    }
  }
  const timezone = zoneOf(query, deps);
  const bounds = resolveLocalRange(dateRange, timezone, deps.now?.() ?? new Date(), td.dimension, `timeDimensions[${i}].dateRange`);
  const granularities = [
    ...query.timeDimensions.flatMap((t) => (t.dimension === td.dimension && t.granularity ? [t.granularity] : [])),
    ...query.dimensions.flatMap((d) => (d.startsWith(`${td.dimension}.`) ? [d.slice(td.dimension.length + 1)] : [])),
  ];
  const prior = priorPeriod(bounds, mode, granularities);
  const current = withRange(query, i, { ...td, dateRange: pinned(dateRange, bounds) });
  const { order: _order, offset: _offset, ...unordered } = withRange(query, i, { ...td, dateRange: [prior.range.start, prior.range.end] });
  const previousQuery: MetricsQuery = { ...unordered, order: [], limit: MAX_ROW_LIMIT };

  const [now, before] = await consistently(() => Promise.all([deps.load(current), deps.load(previousQuery)]));
  if (before.rows.length >= MAX_ROW_LIMIT) {
    throw new MetricsQueryError(
      'INVALID_QUERY',
      `Invalid query: compare: the prior period (${prior.range.start} to ${prior.range.end}) has ${MAX_ROW_LIMIT} rows or more; narrow the query`,
    );
  }
  const merged = compareRows(now, before, { mode, dimension: td.dimension, prior });
  return Object.freeze({
    ...now,
    ...merged,
    cached: now.cached && before.cached,
    servedFrom: servedFrom(now.servedFrom, before.servedFrom),
    comparison: Object.freeze({
      mode,
      dateRange: Object.freeze([bounds.start, bounds.end] as const),
      previousDateRange: Object.freeze([prior.range.start, prior.range.end] as const),
    }),
  });
}

function withRange(query: MetricsQuery, index: number, td: TimeDimension): MetricsQuery {
  return { ...query, timeDimensions: query.timeDimensions.map((t, i) => (i === index ? td : t)) };
}

/**
 * A relative range is replaced by the bounds it was resolved to, so every part of one answer
 * means the same days even across midnight; absolute ranges stay as written (same cache key as
 * the plain query). The pinned bounds are what the engine would resolve the text to.
 */
function pinned(range: string | readonly [string, string], bounds: LocalRange): string | [string, string] {
  return typeof range === 'string' && looksRelative(range) ? [bounds.start, bounds.end] : typeof range === 'string' ? range : [range[0], range[1]];
}

function zoneOf(query: MetricsQuery, deps: PeriodLoadDeps): string {
  const name = query.timezone ?? deps.timezone;
  const zone = canonicalTimeZone(name);
  if (!zone) throw new MetricsQueryError('INVALID_QUERY', `Invalid query: timezone: "${name}" is not an IANA time zone (e.g. America/Sao_Paulo)`);
  return zone;
}

async function consistently<T extends readonly MetricsResult[]>(run: () => Promise<T>): Promise<T> {
  let results = await run();
  for (let attempt = 1; attempt < VERSION_ATTEMPTS && new Set(results.map((r) => r.dataVersion)).size > 1; attempt++) results = await run();
  if (new Set(results.map((r) => r.dataVersion)).size > 1) throw new Error('gold was republished during every attempt to answer a multi-period query');
  return results;
}

/** The answer is from the cache only if every part is; otherwise from where the computed parts came. */
function servedFrom(a: ServedFrom, b: ServedFrom): ServedFrom {
  if (a === 'cache') return b;
  if (b === 'cache' || a === b) return a;
  return 'warehouse';
}
