import { z } from 'zod';

/**
 * A metrics query in Cube's REST query format (the same fields and meaning), parsed at the
 * boundary. Member names are `view.member`, e.g. `sales.revenue`.
 */
const dateRange = z.union([z.string().min(1), z.tuple([z.string().min(1), z.string().min(1)])]);

export const GRANULARITIES = ['second', 'minute', 'hour', 'day', 'week', 'month', 'quarter', 'year'] as const;

export const FILTER_OPERATORS = [
  'equals', 'notEquals', 'contains', 'notContains', 'startsWith', 'notStartsWith', 'endsWith', 'notEndsWith',
  'gt', 'gte', 'lt', 'lte', 'set', 'notSet', 'inDateRange', 'notInDateRange', 'beforeDate', 'beforeOrOnDate',
  'afterDate', 'afterOrOnDate',
] as const;

export const timeDimensionSchema = z.object({
  dimension: z.string().min(1),
  granularity: z.enum(GRANULARITIES).optional(),
  dateRange: dateRange.optional(),
});

type Filter =
  | { member: string; operator: (typeof FILTER_OPERATORS)[number]; values?: string[] }
  | { and: Filter[] }
  | { or: Filter[] };

export const filterSchema: z.ZodType<Filter> = z.lazy(() =>
  z.union([
    z.object({ member: z.string().min(1), operator: z.enum(FILTER_OPERATORS), values: z.array(z.string()).optional() }),
    z.object({ and: z.array(filterSchema).min(1) }),
    z.object({ or: z.array(filterSchema).min(1) }),
  ]),
);

export const metricsQuerySchema = z.object({
  measures: z.array(z.string().min(1)).default([]),
  dimensions: z.array(z.string().min(1)).default([]),
  timeDimensions: z.array(timeDimensionSchema).default([]),
  filters: z.array(filterSchema).default([]),
  segments: z.array(z.string().min(1)).default([]),
  order: z.array(z.tuple([z.string().min(1), z.enum(['asc', 'desc'])])).default([]),
  limit: z.number().int().min(1).max(50_000).optional(),
  offset: z.number().int().min(0).optional(),
  timezone: z.string().optional(),
  /** Cube's flag to bypass cached results. */
  renewQuery: z.boolean().optional(),
});

export type MetricsQuery = z.infer<typeof metricsQuerySchema>;
export type MetricsFilter = Filter;
