import { PaginationLimitError } from '../http-errors.js';
import type { HttpClient } from '../http-types.js';
import { displayPath } from '../request-url.js';
import type { PageRequest, PaginationStrategy } from './pagination-strategy.js';

/**
 * Pages of items, one HTTP request per page, lazily: the next page is fetched only when the
 * consumer asks for it, so a slow sink applies back-pressure instead of buffering a whole listing.
 *
 * The next request is computed before a page is yielded, so a listing too large for the API
 * (PaginationLimitError) fails before the caller has written anything from it.
 */
export async function* paginate<TItem, TPage>(
  client: HttpClient,
  request: PageRequest,
  strategy: PaginationStrategy<TItem, TPage>,
): AsyncGenerator<TItem[], void, undefined> {
  let current: PageRequest = strategy.first(request);
  for (;;) {
    const page = await client.request<TPage>({ ...current, schema: strategy.pageSchema });
    const items = strategy.items(page);
    // An empty page ends every listing, whatever the strategy: it is the one stop rule that
    // cannot loop forever on a server that keeps pointing at another page.
    if (items.length === 0) return;

    const next = strategy.next(current, page, items, { baseUrl: client.baseUrl });
    switch (next.kind) {
      case 'next':
        yield items;
        current = next.request;
        break;
      case 'done':
        yield items;
        return;
      case 'limit-exceeded':
        throw new PaginationLimitError(
          { source: client.source, method: current.method ?? 'GET', path: displayPath(current.path) },
          { strategy: strategy.name, limit: next.limit, needed: next.needed, unit: next.unit, hint: next.hint },
        );
      default: {
        const unhandled: never = next;
        throw new Error(`unhandled next page ${JSON.stringify(unhandled)}`);
      }
    }
  }
}
