import type { Logger } from 'pino';
import { z } from 'zod';
import type { VtexConfig } from '../../../config.js';
import {
  formatRestRange,
  MASTER_DATA_SEARCH_MAX_RECORDS,
  parseRestContentRange,
  REST_CONTENT_RANGE_HEADER,
  REST_RANGE_HEADER,
  ResponseValidationError,
  TerminalHttpError,
  TransientHttpError,
  type HttpClient,
  type HttpClientOptions,
  type HttpResponse,
} from '../../http/index.js';
import { createVtexAppKeyClient } from '../vtex-app-key-http.js';

/**
 * VTEX Master Data v1 reads of the `CL` (customer profile) entity: the whole base through the
 * scroll API, and changed documents through search. Master Data publishes no request rate; it
 * blocks an account that overuses wildcard or `keyword` queries (503 on search, 429 on scroll),
 * which Farol never sends, so the pace below only keeps headroom for the store's own apps.
 */
export const MD_REQUESTS_PER_SECOND = 20;
/** Documents per scroll call: the documented maximum of `_size`. */
export const MD_SCROLL_SIZE = 1000;
/** Documents per search call: the documented maximum of a REST-Range. */
export const MD_SEARCH_PAGE = 100;
/** Search pages no deeper than this; past it VTEX points readers to scroll. */
export const MD_SEARCH_WINDOW = MASTER_DATA_SEARCH_MAX_RECORDS;
/**
 * A read has no queue behind it and a scroll token lives 20 minutes, so a throttled or failing
 * call waits as long as the server asks and is tried several times before the run fails.
 */
export const MD_RETRY = { maxAttempts: 6, baseDelayMs: 1_000, maxDelayMs: 30_000, maxRetryAfterMs: 120_000 };
export type MasterDataRetry = typeof MD_RETRY;

/** The CL fields Farol reads: identity, contact, company and the change instants. */
export const CL_FIELDS: readonly string[] = Object.freeze([
  'id', 'userId', 'email', 'firstName', 'lastName', 'document', 'documentType', 'phone', 'homePhone', 'cellPhone',
  'isCorporate', 'corporateName', 'tradeName', 'corporateDocument', 'isNewsletterOptIn', 'createdIn', 'updatedIn',
  'lastInteractionIn',
]);

export interface MasterDataPage {
  readonly documents: readonly unknown[];
  /** Documents the whole query matches, as Master Data counted them; undefined when it did not say. */
  readonly total: number | undefined;
}

export interface VtexMasterDataClient {
  /** Every CL document matching `where` (undefined: all), page by page, through the scroll API (first load). */
  scrollCustomers(opts: { where?: string; signal?: AbortSignal }): AsyncIterable<MasterDataPage>;
  /** CL documents changed after `since` (createdIn or updatedIn after it: a new document has updatedIn null), oldest change first, through search with REST-Range paging; `from` is the 0-based offset to resume at. */
  searchChangedCustomers(since: Date, from: number, opts?: { signal?: AbortSignal; until?: Date }): Promise<MasterDataPage>;
  close(): Promise<void>;
}

const SCROLL_PATH = '/api/dataentities/CL/scroll';
const SEARCH_PATH = '/api/dataentities/CL/search';
const TOKEN_HEADER = 'x-vtex-md-token';
const TOTAL_HEADER = 'rest-content-total';
/** How long a scroll token outlives its last use; a scroll left open blocks the next one that long. */
const SCROLL_IDLE_MS = 20 * 60_000;
/** Documents are returned as sent; silver validates each one and quarantines what it cannot read. */
const documentsSchema = z.array(z.unknown());

export function createVtexMasterDataClient(
  vtex: VtexConfig,
  logger: Logger,
  /** Defaults to MD_REQUESTS_PER_SECOND; only a local stand-in for VTEX should raise it. */
  requestsPerSecond = MD_REQUESTS_PER_SECOND,
  retry: MasterDataRetry = MD_RETRY,
  /** Every HTTP attempt, retries included (for retry counters). */
  onAttempt?: HttpClientOptions['onAttempt'],
): VtexMasterDataClient {
  const http: HttpClient = createVtexAppKeyClient(vtex, {
    ...(onAttempt ? { onAttempt } : {}),
    timeoutMs: 30_000,
    retry,
    rateLimit: { requestsPerSecond, burst: 10 },
    logger,
  });
  const fields = CL_FIELDS.join(',');

  return {
    async *scrollCustomers({ where, signal }) {
      signal?.throwIfAborted();
      let res = await scrollCall(http, { _size: MD_SCROLL_SIZE, _fields: fields, _where: where }, false);
      let token = res.headers[TOKEN_HEADER];
      let total = integerHeader(res.headers[TOTAL_HEADER]);
      // An empty array ends a scroll; until then every call renews the token for 20 minutes. A
      // consumer that stops early leaves the scroll open on VTEX's side until the token idles out.
      while (res.data.length > 0) {
        yield { documents: res.data, total };
        signal?.throwIfAborted();
        if (token === undefined) {
          throw new ResponseValidationError(
            { source: http.source, method: 'GET', path: SCROLL_PATH },
            { status: res.status, issues: [{ path: 'X-VTEX-MD-TOKEN', message: 'absent from a scroll page with documents, so the scroll cannot go on' }] },
          );
        }
        res = await scrollCall(http, { _token: token }, true);
        token = res.headers[TOKEN_HEADER] ?? token;
        total = integerHeader(res.headers[TOTAL_HEADER]) ?? total;
      }
    },

    /*
     * Staying inside the search window: a page reaches at most MD_SEARCH_WINDOW documents deep
     * (a RangeError otherwise, before any request). Callers page by key rather than by offset:
     * after each page they pass the change instant of its last document (its `updatedIn`, else
     * `createdIn`) as the next `since` and start again at `from` 0, so no read goes deep, and a
     * document edited mid-read moves past the cursor instead of shifting unread ones to offsets
     * already read. `from` is for going on within one `since` (a resumed read, or a burst of
     * documents sharing one instant).
     *
     * `since` and `until` are whole milliseconds while Master Data stamps 100 ns ticks: a
     * document changed within `since`'s millisecond comes back again, and `until` includes its
     * whole millisecond; reading the boundary twice is cheaper than missing it.
     *
     * "Oldest change first" sorts by `lastInteractionIn`, which Master Data sets on creation and
     * on every update (VTEX's examples: equal to `createdIn` while `updatedIn` is null, to
     * `updatedIn` after), the one field holding the latest of the two.
     */
    async searchChangedCustomers(since, from, opts = {}) {
      if (!Number.isInteger(from) || from < 0) throw new RangeError(`from must be a non-negative integer, got ${from}`);
      if (from >= MD_SEARCH_WINDOW) {
        throw new RangeError(`Master Data search reads at most ${MD_SEARCH_WINDOW} documents deep (from ${from}); move since to the last document's change and start again at 0`);
      }
      opts.signal?.throwIfAborted();
      const to = Math.min(from + MD_SEARCH_PAGE, MD_SEARCH_WINDOW);
      const res = await http.request({
        path: SEARCH_PATH,
        query: { _fields: fields, _where: changedWhere(since, opts.until), _sort: 'lastInteractionIn ASC' },
        headers: { [REST_RANGE_HEADER]: formatRestRange(from, to) },
        schema: documentsSchema,
      });
      return { documents: res.data, total: parseRestContentRange(res.headers[REST_CONTENT_RANGE_HEADER])?.total };
    },

    close: () => http.close(),
  };
}

/** `(createdIn>S OR updatedIn>S)`, and with `until` neither instant past it: a new document has `updatedIn` null. */
export function changedWhere(since: Date, until?: Date): string {
  const s = since.toISOString();
  const changed = `(createdIn>${s} OR updatedIn>${s})`;
  if (until === undefined) return changed;
  const u = new Date(until.getTime() + 1).toISOString();
  return `${changed} AND createdIn<${u} AND (updatedIn is null OR updatedIn<${u})`;
}

/**
 * One scroll call. Master Data answers 400 both for a second scroll while one is open and for a
 * token that expired; neither is the request's fault, and a later run succeeds, so both become
 * transient (status alone cannot tell them from a malformed query, hence the message check on
 * the first call).
 */
async function scrollCall(http: HttpClient, query: Record<string, string | number | undefined>, withToken: boolean): Promise<HttpResponse<unknown[]>> {
  try {
    return await http.request({ path: SCROLL_PATH, query, schema: documentsSchema });
  } catch (err) {
    if (!(err instanceof TerminalHttpError) || err.status !== 400) throw err;
    const context = { source: http.source, method: 'GET' as const, path: SCROLL_PATH };
    if (withToken) throw new TransientHttpError(context, { status: 400, attempts: 1, note: 'the scroll token expired or is unknown; scroll again from the start' });
    if (/simultaneous scrolls/i.test(err.bodyExcerpt)) {
      throw new TransientHttpError(context, {
        status: 400,
        attempts: 1,
        retryAfterMs: SCROLL_IDLE_MS,
        note: 'another scroll of CL is open; Master Data allows one at a time, until it ends or its token idles out',
      });
    }
    throw err;
  }
}

function integerHeader(value: string | undefined): number | undefined {
  return value !== undefined && /^\d+$/.test(value.trim()) ? Number(value.trim()) : undefined;
}
