/**
 * `page` / `pagesize` paging over a bare JSON array with no total: VTEX Catalog
 * `GET /api/catalog_system/pvt/sku/stockkeepingunitids` (`[1,2,3]`). A page shorter than the page
 * size is the last one.
 */
import { z, type ZodType } from 'zod';
import { assertPageSize, numberParam, type PaginationStrategy } from './pagination-strategy.js';

/** stockkeepingunitids accepts `pagesize` up to 1000. */
export const VTEX_SKU_IDS_MAX_PAGE_SIZE = 1000;

export interface PageSizeArrayOptions<TItem> {
  /** e.g. `z.number().int()` for SKU ids. */
  item: ZodType<TItem>;
  /** Default and maximum VTEX_SKU_IDS_MAX_PAGE_SIZE. */
  pageSize?: number;
  /** Query names; `stockkeepingunitidsbysaleschannel` spells the size `pageSize`. */
  pageParam?: string;
  sizeParam?: string;
  firstPage?: number;
}

export function pageSizeArray<TItem>(options: PageSizeArrayOptions<TItem>) {
  const pageSize = options.pageSize ?? VTEX_SKU_IDS_MAX_PAGE_SIZE;
  const pageParam = options.pageParam ?? 'page';
  const sizeParam = options.sizeParam ?? 'pagesize';
  const firstPage = options.firstPage ?? 1;
  assertPageSize('pageSizeArray', 'pageSize', pageSize, VTEX_SKU_IDS_MAX_PAGE_SIZE);
  const pageSchema = z.array(options.item);

  const strategy: PaginationStrategy<TItem, z.output<typeof pageSchema>> = {
    name: 'pageSizeArray',
    pageSchema,
    first: (request) => ({ ...request, query: { ...request.query, [pageParam]: firstPage, [sizeParam]: pageSize } }),
    items: (page) => page.data,
    next(previous, _page, items) {
      if (items.length < pageSize) return { kind: 'done' };
      const current = numberParam(previous.query, pageParam, firstPage);
      return { kind: 'next', request: { ...previous, query: { ...previous.query, [pageParam]: current + 1 } } };
    },
  };
  return strategy;
}
