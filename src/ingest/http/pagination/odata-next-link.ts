/**
 * OData collections: Ploomes (`{ "@odata.context", value: [...], "@odata.nextLink"? }`) and SAP
 * Business One Service Layer (v1 `odata.nextLink`, v2 `@odata.nextLink`, often relative such as
 * `Orders?$filter=…&$skip=20`).
 *
 * A next link, when the server sends one, is followed verbatim (it carries the whole query). When
 * it sends none and `pageSize` was given, paging continues with `$top`/`$skip` until a short page.
 */
import { z, type ZodType } from 'zod';
import { buildRequestUrl } from '../request-url.js';
import { assertPageSize, numberParam, type PaginationStrategy } from './pagination-strategy.js';

/**
 * Largest `$top` accepted here. Ploomes silently truncates `$top` above 300, which would make a
 * full page look short and end `$skip` paging early.
 */
export const ODATA_MAX_TOP = 300;

export interface ODataNextLinkOptions<TItem> {
  item: ZodType<TItem>;
  /** Sent as `$top`; enables `$skip` paging when the server sends no next link. */
  pageSize?: number;
}

export function odataNextLink<TItem>(options: ODataNextLinkOptions<TItem>) {
  const { pageSize } = options;
  if (pageSize !== undefined) assertPageSize('odataNextLink', 'pageSize', pageSize, ODATA_MAX_TOP);
  const pageSchema = z.object({
    value: z.array(options.item),
    '@odata.nextLink': z.string().min(1).optional(),
    'odata.nextLink': z.string().min(1).optional(),
  });

  const strategy: PaginationStrategy<TItem, z.output<typeof pageSchema>> = {
    name: 'odataNextLink',
    pageSchema,
    first: (request) => (pageSize === undefined ? request : { ...request, query: { ...request.query, $top: pageSize } }),
    items: (page) => page.data.value,
    next(previous, page, items, context) {
      const link = page.data['@odata.nextLink'] ?? page.data['odata.nextLink'];
      if (link) {
        // Relative links resolve against the URL that produced them (RFC 3986), which for SAP is
        // the collection URL under the base path, e.g. /b1s/v1/Orders.
        const produced = new URL(buildRequestUrl(context.baseUrl, previous.path, previous.query));
        const { query: _consumed, ...rest } = previous;
        return { kind: 'next', request: { ...rest, path: new URL(link, produced).href } };
      }
      // Once the server has driven paging with links, a page without one is the last.
      const top = previous.query?.['$top'];
      if (pageSize === undefined || top === undefined || items.length < pageSize) return { kind: 'done' };
      const skip = numberParam(previous.query, '$skip', 0) + items.length;
      return { kind: 'next', request: { ...previous, query: { ...previous.query, $skip: skip } } };
    },
  };
  return strategy;
}
