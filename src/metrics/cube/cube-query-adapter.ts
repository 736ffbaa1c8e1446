import moment from 'moment-timezone';
import { DEFAULT_ROW_LIMIT, type MetricsFilter } from '../metrics-query.js';
import type { ResolvedQuery } from './query-resolution.js';
import { resolveDateExpression } from './relative-date-range.js';
import { canonicalTimeZone } from './time-zone.js';

export { DEFAULT_ROW_LIMIT };

/**
 * The options object Cube's query classes (`BaseQuery` and its dialects) are built with, from a
 * query `validateQuery` has accepted. It follows the semantics of what Cube's REST API does
 * between a request and the query class, `normalizeQuery` then `remapToQueryAdapterFormat`
 * (`@cubejs-backend/api-gateway`, Apache-2.0), for the query language Farol accepts:
 *
 * - a `dimensions` entry with a granularity (`sales.order_date.month`) moves to the end of
 *   `timeDimensions`;
 * - a `dateRange` pair becomes local bounds to the millisecond (a date alone: its first or last
 *   millisecond); a single `dateRange` string, and the single value of an `inDateRange` /
 *   `notInDateRange` filter, is read as a date expression (a date alone: that whole day);
 * - `order` becomes `{ id, desc }` items; it is left out when empty, since an empty one would
 *   switch off Cube's default order (time ascending, else first measure descending);
 * - `limit` is also passed as `rowLimit`.
 *
 * Left out: request validation (zod and `validateQuery` do it), the cache mode (results are
 * cached outside Cube and no query class reads it) and the limits Cube reads from its
 * environment (`DEFAULT_ROW_LIMIT` and `metricsQuerySchema` replace them).
 * `cube-query-adapter.test.ts` pins the output Cube gave for a table of queries.
 */
export function toCubeQueryOptions(query: ResolvedQuery): Record<string, unknown> {
  const timezone = canonicalTimeZone(query.timezone);
  if (!timezone) throw new Error(`unknown time zone "${query.timezone}" reached the Cube query adapter`);
  const limit = query.limit ?? DEFAULT_ROW_LIMIT;
  const withGranularity = query.dimensions.filter((d) => d.split('.').length === 3);
  return {
    measures: [...query.measures],
    dimensions: query.dimensions.filter((d) => d.split('.').length !== 3),
    timeDimensions: [
      ...query.timeDimensions.map((td) => ({ ...td, dateRange: td.dateRange === undefined ? undefined : dateRangeBounds(td.dateRange, timezone) })),
      ...withGranularity.map((d) => {
        const [cube, member, granularity] = d.split('.');
        return { dimension: `${cube}.${member}`, granularity };
      }),
    ],
    filters: query.filters.map((f) => adaptFilter(f, timezone)),
    segments: [...query.segments],
    ...(query.order.length > 0 ? { order: query.order.map(([id, direction]) => ({ id, desc: direction === 'desc' })) } : {}),
    limit,
    rowLimit: limit,
    ...(query.offset !== undefined ? { offset: query.offset } : {}),
    timezone,
  };
}

const DATE_ONLY = /^\d\d\d\d-\d\d-\d\d$/;
const LOCAL_MS = moment.HTML5_FMT.DATETIME_LOCAL_MS;
const RANGE_OPERATORS = new Set(['inDateRange', 'notInDateRange']);
/** "before X" / "after or on X" compare with the start of X, the other two with its end. */
const START_OPERATORS = new Set(['beforeDate', 'afterOrOnDate']);
const END_OPERATORS = new Set(['beforeOrOnDate', 'afterDate']);
/** Values Cube passes through untouched: a date, or a date-time with an optional offset. */
const ABSOLUTE_DATE_TIME = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}(:?\d{2})?)?)?$/;

/** Cube's `resolveDateRange`: `[start, end]` as `YYYY-MM-DDTHH:mm:ss.SSS`. */
function dateRangeBounds(range: string | readonly string[], timezone: string): [string, string] {
  const [start, end] = typeof range === 'string' ? resolveDateExpression(range, timezone) : range.length === 1 ? [range[0], range[0]] : range;
  return [
    moment.utc(start).format(DATE_ONLY.test(start ?? '') ? 'YYYY-MM-DDT00:00:00.000' : LOCAL_MS),
    moment.utc(end).format(DATE_ONLY.test(end ?? '') ? 'YYYY-MM-DDT23:59:59.999' : LOCAL_MS),
  ];
}

function adaptFilter(filter: MetricsFilter, timezone: string): MetricsFilter {
  if ('and' in filter) return { ...filter, and: filter.and.map((f) => adaptFilter(f, timezone)) };
  if ('or' in filter) return { ...filter, or: filter.or.map((f) => adaptFilter(f, timezone)) };
  if (!filter.values) return { ...filter };
  const values = filter.values.map(String);
  const adapted = { ...filter, values };
  const value = values.length === 1 ? values[0] : undefined;
  if (value === undefined) return adapted;
  if (RANGE_OPERATORS.has(filter.operator)) return { ...adapted, values: dateRangeBounds(value, timezone) };
  if (ABSOLUTE_DATE_TIME.test(value)) return adapted;
  if (START_OPERATORS.has(filter.operator)) return { ...adapted, values: [dateRangeBounds(value, timezone)[0]] };
  if (END_OPERATORS.has(filter.operator)) return { ...adapted, values: [dateRangeBounds(value, timezone)[1]] };
  return adapted;
}
