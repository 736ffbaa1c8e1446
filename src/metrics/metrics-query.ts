import { z } from 'zod';

/**
 * A metrics query in Cube's REST query format (the same fields and meaning), parsed at the
 * boundary. Member names are `view.member`, e.g. `sales.revenue`.
 */
/**
 * Cube's own default row limit, applied when a query sets none. Set explicitly rather than left
 * to Cube, which would read it from `CUBEJS_DB_QUERY_DEFAULT_LIMIT`: config has one reader.
 */
export const DEFAULT_ROW_LIMIT = 10_000;
/** How long one metrics query may run in the warehouse before it is stopped (`FAROL_QUERY_TIMEOUT_MS`). */
export const DEFAULT_QUERY_TIMEOUT_MS = 30_000;
/** The most rows one query may ask for (`limit`); queries without one get `DEFAULT_ROW_LIMIT`. */
export const MAX_ROW_LIMIT = 50_000;
/** Values in one filter; a longer IN list is an export job, not a question. */
export const MAX_FILTER_VALUES = 1_000;
/** Characters in one filter value, member name or date. */
export const MAX_VALUE_LENGTH = 1_000;
/** Members in one list (measures, dimensions, segments, order, time dimensions, filters of a group). */
export const MAX_LIST_LENGTH = 100;
/** Ranges in one `compareDateRange`; each is a query of its own, so this bounds the work one request starts. */
export const MAX_COMPARE_DATE_RANGES = 12;

const text = z.string().min(1).max(MAX_VALUE_LENGTH);
const list = <T extends z.ZodType>(item: T) => z.array(item).max(MAX_LIST_LENGTH);

const dateRange = z.union([text, z.tuple([text, text])]);

export const GRANULARITIES = ['second', 'minute', 'hour', 'day', 'week', 'month', 'quarter', 'year'] as const;

export const FILTER_OPERATORS = [
  'equals', 'notEquals', 'contains', 'notContains', 'startsWith', 'notStartsWith', 'endsWith', 'notEndsWith',
  'gt', 'gte', 'lt', 'lte', 'set', 'notSet', 'inDateRange', 'notInDateRange', 'beforeDate', 'beforeOrOnDate',
  'afterDate', 'afterOrOnDate',
] as const;

export const timeDimensionSchema = z.object({
  dimension: text,
  granularity: z.enum(GRANULARITIES).optional(),
  dateRange: dateRange.optional(),
  /**
   * Cube's period comparison: one query per range, each run as if it were this dimension's
   * `dateRange` (see `SemanticEngine.loadCompareDateRange`). Exclusive with `dateRange`.
   */
  compareDateRange: z.array(dateRange).min(1).max(MAX_COMPARE_DATE_RANGES).optional(),
});

/**
 * Period-over-period on the query's one ranged time dimension: PREVIOUS_PERIOD is the range of
 * the same length just before; SAME_PERIOD_LAST_YEAR the range a year earlier (see
 * periods/prior-period.ts for months and weeks).
 */
export const COMPARE_MODES = ['PREVIOUS_PERIOD', 'SAME_PERIOD_LAST_YEAR'] as const;
export type CompareMode = (typeof COMPARE_MODES)[number];

type Filter =
  | { member: string; operator: (typeof FILTER_OPERATORS)[number]; values?: string[] }
  | { and: Filter[] }
  | { or: Filter[] };

export const filterSchema: z.ZodType<Filter> = z.lazy(() =>
  z.union([
    z.object({
      member: text,
      operator: z.enum(FILTER_OPERATORS),
      values: z.array(z.string().max(MAX_VALUE_LENGTH)).max(MAX_FILTER_VALUES).optional(),
    }),
    z.object({ and: list(filterSchema).min(1) }),
    z.object({ or: list(filterSchema).min(1) }),
  ]),
);

export const metricsQuerySchema = z.object({
  measures: list(text).default([]),
  dimensions: list(text).default([]),
  timeDimensions: list(timeDimensionSchema).default([]),
  filters: list(filterSchema).default([]),
  segments: list(text).default([]),
  order: list(z.tuple([text, z.enum(['asc', 'desc'])])).default([]),
  limit: z.number().int().min(1).max(MAX_ROW_LIMIT).optional(),
  offset: z.number().int().min(0).optional(),
  timezone: z.string().max(100).optional(),
  /** Cube's flag to bypass cached results. */
  renewQuery: z.boolean().optional(),
  /** Adds `m.previous`, `m.change` and `m.percentChange` for each measure `m` (Farol's, not Cube's). */
  compare: z.enum(COMPARE_MODES).optional(),
});

export type MetricsQuery = z.infer<typeof metricsQuerySchema>;
export type MetricsFilter = Filter;
