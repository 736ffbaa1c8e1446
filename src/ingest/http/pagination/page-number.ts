/**
 * `page` / `per_page` paging that reports the page count in the body: VTEX OMS List orders
 * (`GET /api/oms/pvt/orders`, body `{ list, paging: { total, pages, currentPage, perPage } }`).
 */
import { z, type ZodType } from 'zod';
import { assertPageSize, numberParam, type PaginationStrategy } from './pagination-strategy.js';

/** OMS List orders serves at most 100 orders per page. */
export const VTEX_OMS_MAX_PER_PAGE = 100;
/** OMS List orders serves at most 30 pages of one filter combination (3,000 orders). */
export const VTEX_OMS_MAX_PAGES = 30;

export interface PageNumberOptions<TItem> {
  item: ZodType<TItem>;
  /** Default and maximum VTEX_OMS_MAX_PER_PAGE. */
  perPage?: number;
  /** Default VTEX_OMS_MAX_PAGES. */
  maxPages?: number;
}

export function pageNumber<TItem>(options: PageNumberOptions<TItem>) {
  const perPage = options.perPage ?? VTEX_OMS_MAX_PER_PAGE;
  const maxPages = options.maxPages ?? VTEX_OMS_MAX_PAGES;
  assertPageSize('pageNumber', 'perPage', perPage, VTEX_OMS_MAX_PER_PAGE);
  const pageSchema = z.object({
    list: z.array(options.item),
    paging: z.object({ pages: z.number().int().nonnegative(), total: z.number().int().nonnegative().optional() }),
  });

  const strategy: PaginationStrategy<TItem, z.output<typeof pageSchema>> = {
    name: 'pageNumber',
    pageSchema,
    first: (request) => ({ ...request, query: { ...request.query, page: 1, per_page: perPage } }),
    items: (page) => page.data.list,
    next(previous, page) {
      const { pages, total } = page.data.paging;
      if (pages > maxPages) {
        const sent = numberParam(previous.query, 'per_page', perPage);
        return {
          kind: 'limit-exceeded',
          limit: maxPages,
          needed: pages,
          unit: 'pages',
          hint:
            `${total ?? 'more than ' + maxPages * sent} records match; slice the time window ` +
            `(e.g. f_creationDate=creationDate:[from TO to]) so each slice holds at most ${maxPages * sent}`,
        };
      }
      const current = numberParam(previous.query, 'page', 1);
      if (current >= pages) return { kind: 'done' };
      return { kind: 'next', request: { ...previous, query: { ...previous.query, page: current + 1 } } };
    },
  };
  return strategy;
}
