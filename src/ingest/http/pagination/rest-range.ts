/**
 * Header-driven ranges: VTEX Master Data v1 search (`GET /api/dataentities/{entity}/search`).
 * Request `REST-Range: resources=a-b` (b exclusive), response
 * `REST-Content-Range: resources=a-b/total`; the body is a bare array of documents.
 *
 * Send `_sort` with every search: without it pages may repeat or skip documents.
 */
import { z, type ZodType } from 'zod';
import { assertPageSize, headerValue, withHeader, type PaginationStrategy } from './pagination-strategy.js';

/** Master Data returns at most 100 documents per search request. */
export const MASTER_DATA_MAX_RANGE = 100;
/**
 * Master Data steers readers of more than 10,000 documents to the scroll endpoint; search
 * pagination is assumed not to reach beyond that.
 */
export const MASTER_DATA_SEARCH_MAX_RECORDS = 10_000;

export const REST_RANGE_HEADER = 'rest-range';
export const REST_CONTENT_RANGE_HEADER = 'rest-content-range';

export interface RestRangeOptions<TItem> {
  item: ZodType<TItem>;
  /** Default and maximum MASTER_DATA_MAX_RANGE. */
  pageSize?: number;
  /** Default MASTER_DATA_SEARCH_MAX_RECORDS. */
  maxRecords?: number;
}

export function formatRestRange(from: number, to: number): string {
  return `resources=${from}-${to}`;
}

/** `resources=a-b` of a request header; undefined if malformed. */
export function parseRestRange(value: string | undefined): { from: number; to: number } | undefined {
  const match = value ? /^\s*resources=(\d+)-(\d+)\s*$/i.exec(value) : null;
  if (!match) return undefined;
  return { from: Number(match[1]), to: Number(match[2]) };
}

/** `resources=a-b/total` of a response header; undefined if absent or malformed. */
export function parseRestContentRange(
  value: string | undefined,
): { from: number; to: number; total: number } | undefined {
  const match = value ? /^\s*resources=(\d+)-(\d+)\/(\d+)\s*$/i.exec(value) : null;
  if (!match) return undefined;
  return { from: Number(match[1]), to: Number(match[2]), total: Number(match[3]) };
}

export function restRange<TItem>(options: RestRangeOptions<TItem>) {
  const pageSize = options.pageSize ?? MASTER_DATA_MAX_RANGE;
  const maxRecords = options.maxRecords ?? MASTER_DATA_SEARCH_MAX_RECORDS;
  assertPageSize('restRange', 'pageSize', pageSize, MASTER_DATA_MAX_RANGE);
  const pageSchema = z.array(options.item);

  const strategy: PaginationStrategy<TItem, z.output<typeof pageSchema>> = {
    name: 'restRange',
    pageSchema,
    first: (request) => ({
      ...request,
      headers: withHeader(request.headers, REST_RANGE_HEADER, formatRestRange(0, pageSize)),
    }),
    items: (page) => page.data,
    next(previous, page, items) {
      const sent = parseRestRange(headerValue(previous.headers, REST_RANGE_HEADER)) ?? { from: 0, to: pageSize };
      const content = parseRestContentRange(page.headers[REST_CONTENT_RANGE_HEADER]);
      // Without a total, only a short page can tell that the listing ended.
      if (!content) {
        if (items.length < sent.to - sent.from) return { kind: 'done' };
      } else if (content.total > maxRecords) {
        return {
          kind: 'limit-exceeded',
          limit: maxRecords,
          needed: content.total,
          unit: 'records',
          hint: 'narrow _where (e.g. an updatedIn window) or read the entity through /scroll',
        };
      }
      const from = sent.from + items.length;
      if (content && from >= content.total) return { kind: 'done' };
      return {
        kind: 'next',
        request: { ...previous, headers: withHeader(previous.headers, REST_RANGE_HEADER, formatRestRange(from, from + pageSize)) },
      };
    },
  };
  return strategy;
}
