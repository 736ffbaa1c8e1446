import { MetricsQueryError } from '../metrics-errors.js';
import { metricsQuerySchema, type MetricsFilter, type MetricsQuery } from '../metrics-query.js';
import { canonicalJson } from '../query-key.js';
import { looksRelative } from './date-values.js';
import { resolveDateExpression } from './relative-date-range.js';
import { canonicalTimeZone } from './time-zone.js';

/**
 * A query with everything that depends on "who asks when" settled: parsed, the timezone made
 * explicit and canonical (`America/Sao_Paulo`), relative date ranges (`last 7 days`, `today`) resolved to absolute local bounds.
 * Its canonical JSON (`key`) is what SQL and results are cached by, so `today` cached yesterday
 * cannot be served today.
 */
export type ResolvedQuery = Omit<MetricsQuery, 'timezone' | 'renewQuery'> & { readonly timezone: string };

export interface QueryResolution {
  readonly query: ResolvedQuery;
  readonly key: string;
  readonly renew: boolean;
  /** A relative date (`today`, `last 7 days`) was resolved: the resolution holds only for `now`. */
  readonly relative: boolean;
}

const RANGE_OPERATORS = new Set(['inDateRange', 'notInDateRange']);
/** Cube's rule: "before X" / "after or on X" use the start of a relative X, the others its end. */
const START_OPERATORS = new Set(['beforeDate', 'afterOrOnDate']);
const END_OPERATORS = new Set(['beforeOrOnDate', 'afterDate']);

/** `now` is the instant relative dates are resolved at; tests fix it. */
export function resolveQuery(input: unknown, defaultTimezone: string, now: Date = new Date()): QueryResolution {
  const { renewQuery, timezone: requested, ...rest } = parseMetricsQuery(input);
  const compared = rest.timeDimensions.findIndex((td) => td.compareDateRange !== undefined);
  if (compared >= 0) {
    // One query, one result: the ranges would otherwise be dropped silently by Cube's query class.
    throw new MetricsQueryError(
      'INVALID_QUERY',
      `Invalid query: timeDimensions[${compared}].compareDateRange: a compareDateRange query answers one result per range; load it as such (loadCompareDateRange)`,
      rest.timeDimensions[compared]?.dimension,
    );
  }
  const timezone = canonicalTimeZone(requested ?? defaultTimezone);
  if (!timezone) {
    throw new MetricsQueryError('INVALID_QUERY', `Invalid query: timezone: "${requested ?? defaultTimezone}" is not an IANA time zone (e.g. America/Sao_Paulo)`);
  }
  const at: Relative = { timezone, now, used: false };
  const query: ResolvedQuery = {
    ...rest,
    timezone,
    timeDimensions: rest.timeDimensions.map((td, i) =>
      typeof td.dateRange === 'string' && looksRelative(td.dateRange)
        ? { ...td, dateRange: resolveRelative(td.dateRange, at, td.dimension, `timeDimensions[${i}].dateRange`) }
        : td,
    ),
    filters: rest.filters.map((f, i) => resolveFilter(f, at, `filters[${i}]`)),
  };
  return { query, key: canonicalJson(query), renew: renewQuery === true, relative: at.used };
}

/** Parses untrusted input into a query, naming the first offending field. */
export function parseMetricsQuery(input: unknown): MetricsQuery {
  const parsed = metricsQuerySchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue ? formatPath(issue.path) : 'query';
    throw new MetricsQueryError('INVALID_QUERY', `Invalid query: ${field}: ${issue?.message ?? 'malformed'}`);
  }
  return parsed.data;
}

interface Relative {
  readonly timezone: string;
  readonly now: Date;
  used: boolean;
}

function resolveFilter(filter: MetricsFilter, at: Relative, field: string): MetricsFilter {
  if ('and' in filter) return { and: filter.and.map((f, i) => resolveFilter(f, at, `${field}.and[${i}]`)) };
  if ('or' in filter) return { or: filter.or.map((f, i) => resolveFilter(f, at, `${field}.or[${i}]`)) };
  const value = filter.values?.length === 1 ? filter.values[0] : undefined;
  if (value === undefined || !looksRelative(value)) return filter;
  const isRange = RANGE_OPERATORS.has(filter.operator);
  if (!isRange && !START_OPERATORS.has(filter.operator) && !END_OPERATORS.has(filter.operator)) return filter;
  const [start, end] = resolveRelative(value, at, filter.member, `${field}.values`);
  return { ...filter, values: isRange ? [start, end] : [START_OPERATORS.has(filter.operator) ? start : end] };
}

function resolveRelative(expression: string, at: Relative, member: string, field: string): [string, string] {
  at.used = true;
  try {
    return resolveDateExpression(expression, at.timezone, at.now);
  } catch (err) {
    throw new MetricsQueryError(
      'INVALID_DATE_RANGE',
      `Invalid date range "${expression}" for ${member} (${field}): ${(err as Error).message}`,
      member,
    );
  }
}

function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : `${out ? '.' : ''}${String(p)}`;
  return out || 'query';
}
