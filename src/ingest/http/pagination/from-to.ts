/**
 * `_from` / `_to` index ranges with the total in the body: VTEX Catalog
 * `GET /api/catalog_system/pvt/products/GetProductAndSkuIds`, body
 * `{ data: { "<productId>": [skuId, ...] }, range: { total, from, to } }`.
 *
 * Ranges are 1-based and inclusive, as in the OpenAPI example (`from: 1, to: 20`), so a window of
 * 250 is `_from=1&_to=250`; `start` exists for accounts that turn out to count from 0.
 */
import { z } from 'zod';
import { assertPageSize, numberParam, type PaginationStrategy } from './pagination-strategy.js';

/** GetProductAndSkuIds returns at most 250 records per call. */
export const VTEX_CATALOG_MAX_RANGE = 250;
/** Index of the first record. */
export const VTEX_CATALOG_FIRST_INDEX = 1;

export interface ProductSkuIds {
  productId: number;
  /** May be empty: a product without SKUs. */
  skuIds: number[];
}

export interface FromToOptions {
  /** Records per call; default and maximum VTEX_CATALOG_MAX_RANGE. */
  pageSize?: number;
  start?: number;
}

const pageSchema = z.object({
  data: z.record(z.string().regex(/^\d+$/), z.array(z.number().int())),
  range: z.object({ total: z.number().int().nonnegative() }),
});

export function fromTo(options: FromToOptions = {}) {
  const pageSize = options.pageSize ?? VTEX_CATALOG_MAX_RANGE;
  const start = options.start ?? VTEX_CATALOG_FIRST_INDEX;
  assertPageSize('fromTo', 'pageSize', pageSize, VTEX_CATALOG_MAX_RANGE);

  const strategy: PaginationStrategy<ProductSkuIds, z.output<typeof pageSchema>> = {
    name: 'fromTo',
    pageSchema,
    first: (request) => ({ ...request, query: { ...request.query, _from: start, _to: start + pageSize - 1 } }),
    items: (page) =>
      Object.entries(page.data.data).map(([productId, skuIds]) => ({ productId: Number(productId), skuIds })),
    next(previous, page) {
      const to = numberParam(previous.query, '_to', start + pageSize - 1);
      const last = start + page.data.range.total - 1;
      if (to >= last) return { kind: 'done' };
      return {
        kind: 'next',
        request: { ...previous, query: { ...previous.query, _from: to + 1, _to: to + pageSize } },
      };
    },
  };
  return strategy;
}
