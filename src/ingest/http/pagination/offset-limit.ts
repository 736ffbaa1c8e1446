/**
 * `limit` / `offset` paging with a total in the body: Sienge REST list endpoints
 * (`GET /sales-contracts?limit=200&offset=0`, body `{ resultSetMetadata: { count }, results }`).
 */
import { z, type ZodType } from 'zod';
import { assertPageSize, numberParam, type PaginationStrategy } from './pagination-strategy.js';

/** Sienge REST list endpoints return at most 200 records per request. */
export const SIENGE_MAX_LIMIT = 200;

export interface OffsetLimitOptions<TItem> {
  item: ZodType<TItem>;
  /** Default and maximum SIENGE_MAX_LIMIT. */
  limit?: number;
}

export function offsetLimit<TItem>(options: OffsetLimitOptions<TItem>) {
  const limit = options.limit ?? SIENGE_MAX_LIMIT;
  assertPageSize('offsetLimit', 'limit', limit, SIENGE_MAX_LIMIT);
  const pageSchema = z.object({
    resultSetMetadata: z.object({ count: z.number().int().nonnegative() }),
    results: z.array(options.item),
  });

  const strategy: PaginationStrategy<TItem, z.output<typeof pageSchema>> = {
    name: 'offsetLimit',
    pageSchema,
    first: (request) => ({ ...request, query: { ...request.query, limit, offset: 0 } }),
    items: (page) => page.data.results,
    next(previous, page, items) {
      // Advance by what arrived, not by what was asked: a server that caps lower must not cause gaps.
      const offset = numberParam(previous.query, 'offset', 0) + items.length;
      if (offset >= page.data.resultSetMetadata.count) return { kind: 'done' };
      return { kind: 'next', request: { ...previous, query: { ...previous.query, offset } } };
    },
  };
  return strategy;
}
