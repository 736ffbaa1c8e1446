import type { z } from 'zod';
import { metricsQuerySchema, type MetricsQuery } from '../metrics/metrics-query.js';
import { badUserInput } from './errors.js';
import type { FilterInput, MetricsQueryInput, OrderInput, TimeDimensionInput } from './metrics-input.js';

/** Nesting allowed in and/or filter groups; deeper trees are machine-generated mistakes, not questions. */
export const MAX_FILTER_DEPTH = 10;

/** The GraphQL argument the paths in error messages start from. */
const ARGUMENT = 'query';

/**
 * GraphQL input → Cube query: reshapes what GraphQL cannot express (order tuples, one-or-two
 * element date ranges, the and/or filter union), then parses with `metricsQuerySchema`. Every
 * rejection is `BAD_USER_INPUT` naming the argument path, e.g. `query.filters[0].operator`.
 */
export function toMetricsQuery(input: MetricsQueryInput): MetricsQuery {
  const cube = {
    measures: input.measures ?? undefined,
    dimensions: input.dimensions ?? undefined,
    timeDimensions: input.timeDimensions?.map((td, i) => toCubeTimeDimension(td, `${ARGUMENT}.timeDimensions[${i}]`)),
    filters: input.filters?.map((f, i) => toCubeFilter(f, `${ARGUMENT}.filters[${i}]`, 1)),
    segments: input.segments ?? undefined,
    order: input.order?.map(toCubeOrder),
    limit: input.limit ?? undefined,
    offset: input.offset ?? undefined,
    timezone: input.timezone ?? undefined,
    renewQuery: input.renewQuery ?? undefined,
    compare: input.compare ?? undefined,
  };
  const parsed = metricsQuerySchema.safeParse(cube);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  if (!issue) throw invalidInput(ARGUMENT, 'invalid metrics query');
  const { path, message } = mostSpecific(issue, cube);
  throw invalidInput(formatPath([ARGUMENT, ...path]), message);
}

function toCubeTimeDimension(td: TimeDimensionInput, path: string): unknown {
  const range = td.dateRange ?? undefined;
  if (range !== undefined && range.length !== 1 && range.length !== 2) {
    throw invalidInput(`${path}.dateRange`, 'expected one relative range ("last 7 days") or two dates [from, to]');
  }
  return {
    dimension: td.dimension,
    granularity: td.granularity ?? undefined,
    dateRange: range?.length === 1 ? range[0] : range,
  };
}

function toCubeFilter(filter: FilterInput, path: string, depth: number): unknown {
  if (depth > MAX_FILTER_DEPTH) throw invalidInput(path, `filters nest at most ${MAX_FILTER_DEPTH} levels deep`);
  const { member, operator, values, and, or } = filter;
  const isMemberFilter = member != null || operator != null || values != null;
  const shapes = Number(isMemberFilter) + Number(and != null) + Number(or != null);
  if (shapes !== 1) {
    throw invalidInput(
      path,
      shapes === 0
        ? 'a filter needs either member/operator/values or and/or'
        : 'a filter is either a member filter (member, operator, values) or one group (and, or), not several',
    );
  }
  if (and != null) return { and: and.map((f, i) => toCubeFilter(f, `${path}.and[${i}]`, depth + 1)) };
  if (or != null) return { or: or.map((f, i) => toCubeFilter(f, `${path}.or[${i}]`, depth + 1)) };
  return { member: member ?? undefined, operator: operator ?? undefined, values: values ?? undefined };
}

function toCubeOrder(order: OrderInput): [string, string] {
  return [order.member, order.direction];
}

/**
 * zod reports a failed union (a filter) as one issue holding every branch's issues. The branch
 * the caller meant is the one whose complaints are about keys they actually sent: `{member,
 * operator}` with a bad operator should say so, not "expected `and`".
 */
function mostSpecific(issue: z.core.$ZodIssue, root: unknown): { path: PropertyKey[]; message: string } {
  if (issue.code !== 'invalid_union') return { path: issue.path, message: issue.message };
  const at = valueAt(root, issue.path);
  let best: { issue: z.core.$ZodIssue; unsent: number; count: number } | undefined;
  for (const branch of issue.errors) {
    const first = branch[0];
    if (!first) continue;
    const unsent = branch.filter((i) => !sentKey(at, i.path[0])).length;
    if (!best || unsent < best.unsent || (unsent === best.unsent && branch.length < best.count)) {
      best = { issue: first, unsent, count: branch.length };
    }
  }
  if (!best) return { path: issue.path, message: issue.message };
  const inner = mostSpecific(best.issue, at);
  return { path: [...issue.path, ...inner.path], message: inner.message };
}

function sentKey(value: unknown, key: PropertyKey | undefined): boolean {
  if (key === undefined || typeof value !== 'object' || value === null) return true;
  return (value as Record<PropertyKey, unknown>)[key] !== undefined;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let current = root;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (out, key) => (typeof key === 'number' ? `${out}[${key}]` : out ? `${out}.${String(key)}` : String(key)),
    '',
  );
}

function invalidInput(field: string, message: string) {
  return badUserInput(`${field}: ${message}`, { reason: 'INVALID_QUERY', field });
}
