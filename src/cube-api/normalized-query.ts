import { parseLocalDateTime } from '../metrics/cube/date-values.js';
import type { ResolvedQuery } from '../metrics/cube/query-resolution.js';
import { DEFAULT_ROW_LIMIT } from '../metrics/metrics-query.js';
import { QUERY_TYPES, type QueryType, type ResponseFormat } from './cube-query.js';

/**
 * A query as Cube's API gateway echoes it back (`query` of a result, `normalizedQueries` of a
 * dry run, `pivotQuery`): limit and timezone explicit, relative ranges resolved to local bounds
 * (`2025-03-14T00:00:00.000`, `2025-03-14T23:59:59.999`), order as `{ id, desc }`. Cube's client
 * reads it to pivot: `timeDimensions[0].dateRange` must be an array for `chartPivot` to fill
 * missing dates.
 */
export interface NormalizedQuery {
  readonly measures: readonly string[];
  readonly dimensions: readonly string[];
  readonly timeDimensions: readonly { readonly dimension: string; readonly granularity?: string; readonly dateRange?: readonly [string, string] }[];
  readonly filters: ResolvedQuery['filters'];
  readonly segments: readonly string[];
  readonly order?: readonly { readonly id: string; readonly desc: boolean }[];
  readonly limit: number;
  readonly rowLimit: number;
  readonly offset?: number;
  readonly timezone: string;
  readonly total?: boolean;
  readonly responseFormat?: ResponseFormat;
  readonly queryType: QueryType;
}

export function normalizeForCube(
  q: ResolvedQuery,
  extras: { readonly total: boolean; readonly responseFormat: ResponseFormat; readonly queryType: QueryType },
): NormalizedQuery {
  const limit = q.limit ?? DEFAULT_ROW_LIMIT;
  return {
    measures: q.measures,
    dimensions: q.dimensions,
    timeDimensions: q.timeDimensions.map((td) => ({
      dimension: td.dimension,
      ...(td.granularity === undefined ? {} : { granularity: td.granularity }),
      ...(td.dateRange === undefined ? {} : { dateRange: localBounds(td.dateRange) }),
    })),
    filters: q.filters,
    segments: q.segments,
    ...(q.order.length === 0 ? {} : { order: q.order.map(([id, dir]) => ({ id, desc: dir === 'desc' })) }),
    limit,
    rowLimit: limit,
    ...(q.offset === undefined ? {} : { offset: q.offset }),
    timezone: q.timezone,
    ...(extras.total ? { total: true } : {}),
    ...(extras.responseFormat === 'default' ? {} : { responseFormat: extras.responseFormat }),
    queryType: extras.queryType,
  };
}

/**
 * Cube's `pivotQuery`: the first query, with `compareDateRange` as a leading dimension for a
 * comparison, or the union of members on one `time` axis for a blending query.
 */
export function pivotQueryOf(queryType: QueryType, queries: readonly NormalizedQuery[]): NormalizedQuery {
  const first = queries[0] as NormalizedQuery;
  switch (queryType) {
    case QUERY_TYPES.regular:
      return first;
    case QUERY_TYPES.compareDateRange:
      return { ...first, dimensions: ['compareDateRange', ...first.dimensions] };
    case QUERY_TYPES.blending: {
      const union = (pick: (q: NormalizedQuery) => readonly string[]) => [...new Set(queries.flatMap(pick))];
      const granularity = first.timeDimensions[0]?.granularity;
      return { ...first, measures: union((q) => q.measures), dimensions: union((q) => q.dimensions), timeDimensions: [{ dimension: 'time', ...(granularity ? { granularity } : {}) }] };
    }
    default: {
      const never: never = queryType;
      throw new Error(`unknown query type ${String(never)}`);
    }
  }
}

/**
 * The order the SQL applies: the query's own, else Cube's default (the first time dimension with
 * a granularity ascending; else, with dimensions, the first measure descending; else the first
 * dimension ascending), as `{ member: 'asc' | 'desc' }` for `/sql` and `/dry-run`.
 */
export function effectiveOrder(q: ResolvedQuery): Record<string, 'asc' | 'desc'> {
  if (q.order.length > 0) return Object.fromEntries(q.order);
  const td = q.timeDimensions.find((t) => t.granularity !== undefined);
  if (td) return { [td.dimension]: 'asc' };
  const [measure] = q.measures;
  const [dimension] = q.dimensions;
  if (measure !== undefined && dimension !== undefined) return { [measure]: 'desc' };
  if (dimension !== undefined) return { [dimension]: 'asc' };
  return {};
}

function localBounds(range: string | readonly [string, string]): readonly [string, string] {
  const [from, to] = typeof range === 'string' ? [range, range] : range;
  return [parseLocalDateTime(from)?.start ?? from, parseLocalDateTime(to)?.end ?? to];
}
