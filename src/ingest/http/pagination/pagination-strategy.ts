/**
 * Pagination as strategy objects: each source's paging dialect is a small stateless object that
 * says how to build the first request, where the items are, and what the next request is. All
 * paging state travels in the request itself (query, headers, path), so one strategy object can
 * serve any number of concurrent listings.
 */
import type { ZodType } from 'zod';
import type { HttpRequest, HttpResponse } from '../http-types.js';
import type { QueryParams } from '../request-url.js';

/** A request as strategies see it: the page schema belongs to the strategy. */
export type PageRequest = Omit<HttpRequest<unknown>, 'schema'>;

export interface PageContext {
  /** The client's base URL, for resolving relative next links. */
  baseUrl: string;
}

export type NextPage =
  | { kind: 'next'; request: PageRequest }
  | { kind: 'done' }
  /** The API cannot page this far; `hint` tells the caller how to split the query. */
  | { kind: 'limit-exceeded'; limit: number; needed: number; unit: 'pages' | 'records'; hint: string };

export interface PaginationStrategy<TItem, TPage = unknown> {
  /** Names the strategy in errors. */
  readonly name: string;
  /** Validates one page; a mismatch fails the listing with ResponseValidationError. */
  readonly pageSchema: ZodType<TPage>;
  first(request: PageRequest): PageRequest;
  items(page: HttpResponse<TPage>): TItem[];
  /** Called only for pages with at least one item: an empty page always ends the listing. */
  next(previous: PageRequest, page: HttpResponse<TPage>, items: readonly TItem[], context: PageContext): NextPage;
}

/** A numeric query parameter of an earlier request, or `fallback` when absent or not numeric. */
export function numberParam(query: QueryParams | undefined, name: string, fallback: number): number {
  const raw = query?.[name];
  if (raw === undefined || typeof raw === 'boolean') return fallback;
  const value = Number(raw);
  return Number.isFinite(value) ? value : fallback;
}

/** Header value by case-insensitive name. */
export function headerValue(headers: Readonly<Record<string, string>> | undefined, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers ?? {})) {
    if (key.toLowerCase() === wanted) return value;
  }
  return undefined;
}

/** `headers` with `name` set, dropping any variant of it in other letter case. */
export function withHeader(
  headers: Readonly<Record<string, string>> | undefined,
  name: string,
  value: string,
): Record<string, string> {
  const wanted = name.toLowerCase();
  const out: Record<string, string> = {};
  for (const [key, existing] of Object.entries(headers ?? {})) {
    if (key.toLowerCase() !== wanted) out[key] = existing;
  }
  out[wanted] = value;
  return out;
}

export function assertPageSize(strategy: string, name: string, value: number, max: number): void {
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new RangeError(`${strategy}: ${name} must be an integer between 1 and ${max}, got ${value}`);
  }
}
