import { z } from 'zod';
import { MAX_FILTER_VALUES, MAX_LIST_LENGTH, MAX_VALUE_LENGTH } from '../metrics/metrics-query.js';
import { CubeApiRequestError } from './cube-api-errors.js';

/**
 * Queries in one request: a blending array or the ranges of a `compareDateRange`. Cube sets no
 * limit; here each one is a warehouse query, so a request cannot multiply its cost without bound.
 */
export const MAX_QUERIES_PER_REQUEST = 20;

/**
 * JSON nesting of the `query` parameter (a blending array, a query, its filters, their and/or
 * groups): room for about a dozen levels of and/or, checked without recursion before the schema
 * (which recurses) walks it.
 */
export const MAX_QUERY_DEPTH = 32;

export const QUERY_TYPES = { regular: 'regularQuery', compareDateRange: 'compareDateRangeQuery', blending: 'blendingQuery' } as const;
export type QueryType = (typeof QUERY_TYPES)[keyof typeof QUERY_TYPES];

export const RESPONSE_FORMATS = ['default', 'compact', 'columnar'] as const;
export type ResponseFormat = (typeof RESPONSE_FORMATS)[number];

/** Cube's cache modes; Farol's cache is keyed by the gold data version, so only `no-cache` changes anything. */
export const CACHE_MODES = ['stale-if-slow', 'stale-while-revalidate', 'must-revalidate', 'no-cache'] as const;
export const cacheModeSchema = z.enum(CACHE_MODES);

/** Members of Cube's query format that Farol does not serve, with the reason given to the caller. */
const UNSUPPORTED: Readonly<Record<string, string>> = {
  subqueryJoins: 'subquery joins are a Cube SQL API feature; Farol serves governed view members only',
  joinHints: 'views fix their join paths; join hints are not accepted',
  maskedMembers: 'maskedMembers cannot be provided in the query',
  cacheMode: 'use "cache"',
};

const text = z.string().min(1).max(MAX_VALUE_LENGTH);
const list = <T extends z.ZodType>(item: T) => z.array(item).max(MAX_LIST_LENGTH);
const dateRange = z.union([text, z.array(text).min(1).max(2)]);

type CubeFilter =
  | { member?: string | undefined; dimension?: string | undefined; operator: string; values?: (string | number | boolean)[] | undefined }
  | { and: CubeFilter[] }
  | { or: CubeFilter[] };

const filterSchema: z.ZodType<CubeFilter> = z.lazy(() =>
  z.union([
    z.object({
      member: text.optional(),
      dimension: text.optional(),
      operator: z.string().max(100),
      values: z.array(z.union([z.string().max(MAX_VALUE_LENGTH), z.number(), z.boolean()])).max(MAX_FILTER_VALUES).optional(),
    }).strict(),
    z.object({ and: list(filterSchema).min(1) }).strict(),
    z.object({ or: list(filterSchema).min(1) }).strict(),
  ]),
);

const direction = z.enum(['asc', 'desc']);

/** One query as Cube's clients write it: https://cube.dev/docs/product/apis-integrations/rest-api/query-format */
const cubeQuerySchema = z.object({
  measures: list(text).optional(),
  dimensions: list(text).optional(),
  timeDimensions: list(
    z.object({
      dimension: text,
      granularity: z.string().max(100).optional(),
      dateRange: dateRange.optional(),
      compareDateRange: z.array(dateRange).min(1).max(MAX_QUERIES_PER_REQUEST).optional(),
    }).strict(),
  ).optional(),
  filters: list(filterSchema).optional(),
  segments: list(text).optional(),
  order: z.union([z.record(text, direction), list(z.tuple([text, direction]))]).optional(),
  limit: z.number().int().optional(),
  offset: z.number().int().optional(),
  timezone: z.string().max(100).optional(),
  total: z.boolean().optional(),
  renewQuery: z.boolean().optional(),
  ungrouped: z.boolean().optional(),
  cache: cacheModeSchema.optional(),
  responseFormat: z.enum(RESPONSE_FORMATS).optional(),
}).strict();

type CubeQuery = z.infer<typeof cubeQuerySchema>;

/** One query translated to the engine's input (still unparsed: the engine's schema has the last word), plus what only this face needs. */
export interface TranslatedQuery {
  /** Cube's query in the engine's REST shape: `dimension` filters renamed, values as strings, order as tuples. */
  readonly input: Record<string, unknown>;
  readonly total: boolean;
}

export interface CubeLoadRequest {
  readonly queryType: QueryType;
  readonly queries: readonly TranslatedQuery[];
  readonly responseFormat: ResponseFormat;
}

/**
 * Reads the `query` parameter of `/load`, `/sql` and `/dry-run` as Cube's API gateway does: JSON
 * text (a GET) or an object (a POST body); an array is a blending query; a time dimension with
 * `compareDateRange` becomes one query per range. Errors name the query and the field.
 */
export function parseCubeLoadRequest(raw: unknown, requestCache?: z.infer<typeof cacheModeSchema>): CubeLoadRequest {
  const value = decodeQueryParam(raw);
  if (Array.isArray(value)) {
    if (value.length === 0) throw new CubeApiRequestError('query: an empty array asks for nothing; send one query or several');
    if (value.length > MAX_QUERIES_PER_REQUEST) throw new CubeApiRequestError(`query: at most ${MAX_QUERIES_PER_REQUEST} queries per request, got ${value.length}`);
    const queries = value.map((q, i) => parseOne(q, `query[${i}]`));
    queries.forEach((q, i) => {
      if (q.timeDimensions?.some((td) => td.compareDateRange)) throw new CubeApiRequestError(`query[${i}].timeDimensions: compareDateRange cannot be part of a blending query`);
    });
    assertBlendable(queries);
    return { queryType: QUERY_TYPES.blending, queries: queries.map((q) => translate(q, requestCache)), responseFormat: responseFormatOf(queries) };
  }
  const query = parseOne(value, 'query');
  const compared = (query.timeDimensions ?? []).flatMap((td, i) => (td.compareDateRange ? [i] : []));
  if (compared.length > 1) throw new CubeApiRequestError('query.timeDimensions: compareDateRange can only exist for one timeDimension');
  const index = compared[0];
  if (index === undefined) return { queryType: QUERY_TYPES.regular, queries: [translate(query, requestCache)], responseFormat: responseFormatOf([query]) };
  const tds = query.timeDimensions ?? [];
  const td = tds[index];
  if (td?.dateRange !== undefined) throw new CubeApiRequestError(`query.timeDimensions[${index}]: give dateRange or compareDateRange, not both`);
  // As Cube's gateway does: one query per range, the rest of the query unchanged.
  const queries = (td?.compareDateRange ?? []).map((range) =>
    translate({ ...query, timeDimensions: tds.map((t, i) => (i === index ? { dimension: t.dimension, granularity: t.granularity, dateRange: range } : t)) }, requestCache),
  );
  return { queryType: QUERY_TYPES.compareDateRange, queries, responseFormat: responseFormatOf([query]) };
}

function decodeQueryParam(raw: unknown): unknown {
  if (raw === undefined || raw === null || raw === '' || raw === 'undefined') throw new CubeApiRequestError('Query param is required');
  if (Array.isArray(raw) && raw.every((r) => typeof r === 'string')) throw new CubeApiRequestError('query: give one "query" parameter, not several');
  let value: unknown = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw) as unknown;
    } catch (err) {
      throw new CubeApiRequestError(`Unable to decode query param as JSON, error: ${(err as Error).message}`);
    }
  }
  if (nestedDeeperThan(value, MAX_QUERY_DEPTH)) throw new CubeApiRequestError(`query: nested deeper than ${MAX_QUERY_DEPTH} levels of JSON`);
  return value;
}

/** Walks a parsed JSON value with its own stack, stopping at the first branch past `max`. */
function nestedDeeperThan(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop() as [unknown, number];
    if (typeof v !== 'object' || v === null) continue;
    if (depth + 1 > max) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, depth + 1]);
  }
  return false;
}

function parseOne(value: unknown, where: string): CubeQuery {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new CubeApiRequestError(`${where}: expected a query object`);
  for (const key of Object.keys(value)) {
    const why = UNSUPPORTED[key];
    if (why) throw new CubeApiRequestError(`${where}.${key}: not supported: ${why}`);
  }
  const parsed = cubeQuerySchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CubeApiRequestError(`Invalid query format: ${where}${formatPath(issue?.path ?? [])}: ${issue?.message ?? 'malformed'}`);
  }
  if (parsed.data.ungrouped) throw new CubeApiRequestError(`${where}.ungrouped: not supported: Farol serves aggregated, governed numbers, not raw rows`);
  return parsed.data;
}

function translate(q: CubeQuery, requestCache: z.infer<typeof cacheModeSchema> | undefined): TranslatedQuery {
  const dimensions: string[] = [];
  const timeDimensions: Record<string, unknown>[] = (q.timeDimensions ?? []).map((td) => ({
    dimension: td.dimension,
    ...(td.granularity === undefined ? {} : { granularity: td.granularity }),
    ...(td.dateRange === undefined ? {} : { dateRange: normalizeRange(td.dateRange) }),
  }));
  // Cube reads `view.time.granularity` in dimensions as a time dimension with that granularity.
  for (const d of q.dimensions ?? []) {
    const parts = d.split('.');
    if (parts.length === 3) timeDimensions.push({ dimension: `${parts[0]}.${parts[1]}`, granularity: parts[2] });
    else dimensions.push(d);
  }
  const order = q.order === undefined ? undefined : Array.isArray(q.order) ? q.order : Object.entries(q.order);
  const cache = q.cache ?? requestCache;
  const input: Record<string, unknown> = {
    measures: q.measures ?? [],
    dimensions,
    timeDimensions,
    filters: (q.filters ?? []).map(translateFilter),
    segments: q.segments ?? [],
    ...(order === undefined ? {} : { order }),
    ...(q.limit === undefined ? {} : { limit: q.limit }),
    ...(q.offset === undefined ? {} : { offset: q.offset }),
    ...(q.timezone === undefined ? {} : { timezone: q.timezone }),
    ...(q.renewQuery || cache === 'no-cache' ? { renewQuery: true } : {}),
  };
  return { input, total: q.total === true };
}

/** Cube reads a one-element range as that single day or instant. */
function normalizeRange(range: string | string[]): string | [string, string] {
  if (typeof range === 'string') return range;
  const [from, to = from] = range as [string, string?];
  return [from, to];
}

function translateFilter(f: CubeFilter): Record<string, unknown> {
  if ('and' in f) return { and: f.and.map(translateFilter) };
  if ('or' in f) return { or: f.or.map(translateFilter) };
  if ((f.member === undefined) === (f.dimension === undefined)) {
    throw new CubeApiRequestError(`Invalid query format: filter on operator "${f.operator}" must name exactly one of "member" or "dimension"`);
  }
  const member = (f.member ?? f.dimension) as string;
  // Cube turns values into strings before they reach the query; the engine then checks them against the member's type.
  return { member, operator: f.operator, ...(f.values === undefined ? {} : { values: f.values.map(String) }) };
}

/** Cube refuses blending queries whose time dimensions differ in granularity, or have none. */
function assertBlendable(queries: readonly CubeQuery[]): void {
  const granularities = new Set(queries.map((q) => q.timeDimensions?.[0]?.granularity).filter((g): g is string => g !== undefined));
  if (granularities.size > 1) throw new CubeApiRequestError('Data blending query granularities must match');
  if (granularities.size === 0) throw new CubeApiRequestError('Data blending query without granularity is not supported');
}

function responseFormatOf(queries: readonly CubeQuery[]): ResponseFormat {
  return queries[0]?.responseFormat ?? 'default';
}

function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : `.${String(p)}`;
  return out;
}
