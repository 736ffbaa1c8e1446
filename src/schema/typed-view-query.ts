import {
  MAX_FILTER_VALUES, MAX_LIST_LENGTH, MAX_VALUE_LENGTH, metricsQuerySchema,
  type CompareMode, type MetricsFilter, type MetricsQuery,
} from '../metrics/metrics-query.js';
import { badUserInput } from './errors.js';
import { MAX_FILTER_DEPTH } from './metrics-input-conversion.js';
import { filterKindOf, OPERATORS_BY_KIND, takesList } from './typed-view-filters.js';
import type { TypedMember, TypedView } from './typed-view-model.js';
import type { SelectedMembers } from './typed-view-selection.js';

/**
 * A typed view field's arguments and selection → the engine's query (Cube's format), parsed
 * with `metricsQuerySchema` like every other query. Enum arguments arrive as member names
 * (their internal values). Rejections are `BAD_USER_INPUT` whose `field` names the argument
 * path, e.g. `sales.where.OR[1].status.in`.
 */

export type WhereInput = Readonly<Record<string, unknown>>;

export interface OrderByInput {
  readonly measure?: string | null;
  readonly dimension?: string | null;
  readonly direction: 'asc' | 'desc';
}

export interface TypedViewArgs {
  readonly where?: WhereInput | null;
  readonly orderBy?: readonly OrderByInput[] | null;
  readonly segments?: readonly string[] | null;
  readonly limit?: number | null;
  readonly offset?: number | null;
  readonly timezone?: string | null;
  readonly renewQuery?: boolean | null;
  readonly compare?: CompareMode | null;
}

/** The argument each part of the engine's query comes from, so its complaints can name it. */
const ARGUMENT_OF: Readonly<Record<string, string>> = {
  filters: 'where', order: 'orderBy', segments: 'segments', limit: 'limit', offset: 'offset', timezone: 'timezone', compare: 'compare',
};

export function toTypedMetricsQuery(view: TypedView, args: TypedViewArgs, selected: SelectedMembers): MetricsQuery {
  const field = view.field;
  if (selected.members.length === 0 && selected.times.size === 0) {
    throw invalid(`${field}.rows`, 'select at least one measure or dimension under rows (a time dimension with at least one granularity)');
  }
  const orderBy = args.orderBy ?? [];
  if (orderBy.length > MAX_LIST_LENGTH) throw invalid(`${field}.orderBy`, `at most ${MAX_LIST_LENGTH} entries`);
  const ranged = topLevelRanges(view, args.where);
  if (args.compare && ranged.length !== 1) {
    throw invalid(`${field}.compare`, `needs exactly one time member with inDateRange at the top level of where, the period to compare; found ${ranged.length}`);
  }
  const only = ranged.length === 1 ? (ranged[0] as TopLevelRange) : undefined;
  // A range that is no period (not one or two values) stays a filter, for the engine to judge.
  const moved = only && (args.compare || only.range.length === 1 || only.range.length === 2) ? withoutRange(args.where as WhereInput, only) : undefined;
  const where = moved ? moved.where : args.where;
  const timeDimensions: { dimension: string; granularity?: string; dateRange?: string | readonly string[] }[] = [...selected.times].flatMap(([m, granularities]) =>
    [...granularities].map((granularity) => ({ dimension: m.member, granularity })),
  );
  if (moved) {
    // The range moves from the filters to the time dimension, as Cube writes a query's period:
    // it filters exactly as the condition did, it is the period `compare` compares, and the
    // engine plans it per query shape (a rollup can answer it when it covers whole days).
    // One value is a relative range or a single day; Cube's dateRange is that string or a pair.
    const dateRange = moved.range.length === 1 ? (moved.range[0] as string) : moved.range;
    const entry = timeDimensions.find((td) => td.dimension === moved.member.member);
    if (entry) entry.dateRange = dateRange;
    else timeDimensions.push({ dimension: moved.member.member, dateRange });
  }
  const query = {
    measures: selected.members.filter((m) => m.kind === 'measure').map((m) => m.member),
    dimensions: selected.members.filter((m) => m.kind === 'dimension').map((m) => m.member),
    timeDimensions,
    filters: where ? whereFilters(view, where, `${field}.where`, 1) : [],
    segments: args.segments ?? [],
    order: orderBy.map((o, i) => orderTuple(o, selected, `${field}.orderBy[${i}]`)),
    limit: args.limit ?? undefined,
    offset: args.offset ?? undefined,
    timezone: args.timezone ?? undefined,
    renewQuery: args.renewQuery ?? undefined,
    compare: args.compare ?? undefined,
  };
  const parsed = metricsQuerySchema.safeParse(query);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const argument = typeof issue?.path[0] === 'string' ? ARGUMENT_OF[issue.path[0]] : undefined;
  const path = argument === undefined ? field : `${field}.${argument}`;
  throw invalid(path, issue?.message ?? 'invalid query');
}

interface TopLevelRange {
  readonly key: string;
  readonly member: TypedMember;
  readonly range: readonly string[];
  readonly conditions: WhereInput;
}

/**
 * The time members whose top-level `where` condition has `inDateRange`. Ranges inside AND/OR do
 * not count: an OR of two ranges is not one period (and has no single prior period to compare).
 */
function topLevelRanges(view: TypedView, where: WhereInput | null | undefined): TopLevelRange[] {
  return Object.entries(where ?? {}).flatMap(([key, value]) => {
    const member = view.byField.get(key);
    const range = member?.valueKind === 'time' && value != null ? (value as WhereInput)['inDateRange'] : undefined;
    return member && Array.isArray(range) ? [{ key, member, range: range as readonly string[], conditions: value as WhereInput }] : [];
  });
}

/** `where` without the range's condition (the member's other conditions stay). */
function withoutRange(where: WhereInput, { key, member, range, conditions }: TopLevelRange): { member: TypedMember; range: readonly string[]; where: WhereInput } {
  const { inDateRange: _, ...rest } = conditions;
  const remaining = Object.values(rest).some((v) => v != null);
  const { [key]: _dropped, ...others } = where;
  return { member, range, where: remaining ? { ...others, [key]: rest } : others };
}

function orderTuple(o: OrderByInput, selected: SelectedMembers, path: string): [string, 'asc' | 'desc'] {
  const member = o.measure ?? o.dimension;
  if (member == null || (o.measure != null && o.dimension != null)) throw invalid(path, 'give exactly one of measure or dimension');
  // Cube would drop an order member missing from the query; the engine refuses it in Cube's terms.
  const isSelected = selected.members.some((m) => m.member === member) || [...selected.times.keys()].some((m) => m.member === member);
  if (!isSelected) throw invalid(path, `${member} must also be selected under rows to order by it`);
  return [member, o.direction];
}

/**
 * One `where` object → the filters it stands for, all of which apply. Member fields give one
 * filter per operator; `AND` and `OR` give a group each.
 */
function whereFilters(view: TypedView, where: WhereInput, path: string, depth: number): MetricsFilter[] {
  if (depth > MAX_FILTER_DEPTH) throw invalid(path, `AND/OR groups nest at most ${MAX_FILTER_DEPTH} levels deep`);
  const out: MetricsFilter[] = [];
  for (const [key, value] of Object.entries(where)) {
    if (value == null) continue;
    if (key === 'AND' || key === 'OR') {
      const items = value as readonly WhereInput[];
      if (items.length === 0) throw invalid(`${path}.${key}`, 'needs at least one condition');
      if (items.length > MAX_LIST_LENGTH) throw invalid(`${path}.${key}`, `at most ${MAX_LIST_LENGTH} conditions`);
      const group = items.map((w, i) => single(whereFilters(view, w, `${path}.${key}[${i}]`, depth + 1), `${path}.${key}[${i}]`));
      out.push(key === 'AND' ? { and: group } : { or: group });
      continue;
    }
    const member = view.byField.get(key);
    // GraphQL validation only lets member fields through; this is for a schema/model mismatch.
    if (!member) throw invalid(`${path}.${key}`, 'not a member of this view');
    out.push(...memberFilters(member.member, filterKindOf(member.valueKind), value as WhereInput, `${path}.${key}`));
  }
  return out;
}

function memberFilters(member: string, kind: keyof typeof OPERATORS_BY_KIND, conditions: WhereInput, path: string): MetricsFilter[] {
  const operators = OPERATORS_BY_KIND[kind];
  const out: MetricsFilter[] = [];
  for (const [op, value] of Object.entries(conditions)) {
    if (value == null) continue;
    const spec = operators[op];
    if (!spec) throw invalid(`${path}.${op}`, `not an operator for ${kind} members`);
    if (takesList(spec)) checkValues(value as readonly unknown[], `${path}.${op}`);
    else if (typeof value === 'string' && value.length > MAX_VALUE_LENGTH) throw invalid(`${path}.${op}`, `a value is at most ${MAX_VALUE_LENGTH} characters`);
    out.push(spec.rule(member, value));
  }
  if (out.length === 0) throw invalid(path, 'give at least one condition');
  return out;
}

function checkValues(values: readonly unknown[], path: string): void {
  if (values.length === 0) throw invalid(path, 'needs at least one value');
  if (values.length > MAX_FILTER_VALUES) throw invalid(path, `at most ${MAX_FILTER_VALUES} values, got ${values.length}`);
  const long = values.findIndex((v) => typeof v === 'string' && v.length > MAX_VALUE_LENGTH);
  if (long >= 0) throw invalid(`${path}[${long}]`, `a value is at most ${MAX_VALUE_LENGTH} characters`);
}

/** An element of AND/OR: one filter, or an and-group of several. */
function single(filters: MetricsFilter[], path: string): MetricsFilter {
  if (filters.length === 0) throw invalid(path, 'an empty condition; give at least one member or AND/OR');
  return filters.length === 1 ? (filters[0] as MetricsFilter) : { and: filters };
}

function invalid(field: string, message: string) {
  return badUserInput(`${field}: ${message}`, { reason: 'INVALID_QUERY', field });
}
