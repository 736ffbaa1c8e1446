import { MetricsQueryError } from '../metrics-errors.js';
import { metricsQuerySchema, type MetricsFilter, type MetricsQuery } from '../metrics-query.js';
import { canonicalJson } from '../query-key.js';
import { queryNormalizerModule } from './cube-modules.js';
import { looksRelative } from './date-values.js';

/**
 * A query with everything that depends on "who asks when" settled: parsed, the timezone made
 * explicit, relative date ranges (`last 7 days`, `today`) resolved to absolute local bounds.
 * Its canonical JSON (`key`) is what SQL and results are cached by, so `today` cached yesterday
 * cannot be served today.
 */
export type ResolvedQuery = Omit<MetricsQuery, 'timezone' | 'renewQuery'> & { readonly timezone: string };

export interface QueryResolution {
  readonly query: ResolvedQuery;
  readonly key: string;
  readonly renew: boolean;
}

const RANGE_OPERATORS = new Set(['inDateRange', 'notInDateRange']);
/** Cube's rule: "before X" / "after or on X" use the start of a relative X, the others its end. */
const START_OPERATORS = new Set(['beforeDate', 'afterOrOnDate']);
const END_OPERATORS = new Set(['beforeOrOnDate', 'afterDate']);

export function resolveQuery(input: unknown, defaultTimezone: string): QueryResolution {
  const parsed = metricsQuerySchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue ? formatPath(issue.path) : 'query';
    throw new MetricsQueryError('INVALID_QUERY', `Invalid query: ${field}: ${issue?.message ?? 'malformed'}`);
  }
  const { renewQuery, timezone: requested, ...rest } = parsed.data;
  const timezone = requested ?? defaultTimezone;
  if (!isTimezone(timezone)) {
    throw new MetricsQueryError('INVALID_QUERY', `Invalid query: timezone: "${timezone}" is not an IANA time zone (e.g. America/Sao_Paulo)`);
  }
  const query: ResolvedQuery = {
    ...rest,
    timezone,
    timeDimensions: rest.timeDimensions.map((td, i) =>
      typeof td.dateRange === 'string' && looksRelative(td.dateRange)
        ? { ...td, dateRange: resolveRelative(td.dateRange, timezone, td.dimension, `timeDimensions[${i}].dateRange`) }
        : td,
    ),
    filters: rest.filters.map((f, i) => resolveFilter(f, timezone, `filters[${i}]`)),
  };
  return { query, key: canonicalJson(query), renew: renewQuery === true };
}

function resolveFilter(filter: MetricsFilter, timezone: string, field: string): MetricsFilter {
  if ('and' in filter) return { and: filter.and.map((f, i) => resolveFilter(f, timezone, `${field}.and[${i}]`)) };
  if ('or' in filter) return { or: filter.or.map((f, i) => resolveFilter(f, timezone, `${field}.or[${i}]`)) };
  const value = filter.values?.length === 1 ? filter.values[0] : undefined;
  if (value === undefined || !looksRelative(value)) return filter;
  const isRange = RANGE_OPERATORS.has(filter.operator);
  if (!isRange && !START_OPERATORS.has(filter.operator) && !END_OPERATORS.has(filter.operator)) return filter;
  const [start, end] = resolveRelative(value, timezone, filter.member, `${field}.values`);
  return { ...filter, values: isRange ? [start, end] : [START_OPERATORS.has(filter.operator) ? start : end] };
}

function resolveRelative(expression: string, timezone: string, member: string, field: string): [string, string] {
  try {
    return queryNormalizerModule().resolveDateRange(expression, timezone);
  } catch (err) {
    throw new MetricsQueryError(
      'INVALID_DATE_RANGE',
      `Invalid date range "${expression}" for ${member} (${field}): ${(err as Error).message}`,
      member,
    );
  }
}

const knownTimezones = new Set<string>();

function isTimezone(tz: string): boolean {
  if (knownTimezones.has(tz)) return true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
  } catch {
    return false;
  }
  knownTimezones.add(tz);
  return true;
}

function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : `${out ? '.' : ''}${String(p)}`;
  return out || 'query';
}
