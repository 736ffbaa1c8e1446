import type { Logger } from 'pino';
import { z } from 'zod';
import type { VtexConfig } from '../../../config.js';
import type { HttpClient, HttpClientOptions } from '../../http/index.js';
import { createVtexAppKeyClient } from '../vtex-app-key-http.js';
import { HOOK_TOKEN_HEADER } from '../../webhooks/hook-token.js';
import { InvalidOrderIdError, isVtexOrderId } from './vtex-order-id.js';

/**
 * VTEX OMS calls Farol makes: Get order (for every hook notification) and the hook
 * configuration. Get order is limited to 6000 requests/min per account; we stay under it with
 * headroom for other integrations sharing the account. The Orders Feed v3 calls (configure, read,
 * commit) serve the feed reader, the safety net beside the hook.
 */
export const OMS_REQUESTS_PER_SECOND = 80;
/**
 * In-call retries stay short: the fetch queue is the long-term retry (with back-off measured
 * in minutes), and a worker batch should not stall behind one order.
 */
const OMS_RETRY = { maxAttempts: 3, baseDelayMs: 200, maxDelayMs: 2_000, maxRetryAfterMs: 5_000 };
/**
 * A backfill has no queue behind it: a request that gives up fails the run (which resumes from
 * its last landed window). So it waits as VTEX asks after a 429, a minute when no Retry-After
 * says otherwise, and tries more often.
 */
export const BACKFILL_RETRY = { maxAttempts: 8, baseDelayMs: 1_000, maxDelayMs: 60_000, maxRetryAfterMs: 120_000 };
export type OmsRetry = typeof OMS_RETRY;

/** Statuses the hook subscribes to: every documented VTEX status, so no change goes unseen. */
export const HOOK_STATUSES = [
  'order-created', 'order-completed', 'on-order-completed', 'payment-pending', 'waiting-for-order-authorization',
  'approve-payment', 'payment-approved', 'payment-denied', 'request-cancel', 'waiting-for-seller-decision',
  'authorize-fulfillment', 'order-create-error', 'order-creation-error', 'window-to-cancel', 'ready-for-handling',
  'start-handling', 'handling', 'invoice-after-cancellation-deny', 'order-accepted', 'invoice', 'invoiced',
  'replaced', 'cancellation-requested', 'cancel', 'canceled',
] as const;

/** List orders' ceiling: 30 pages of at most 100 rows per filter. */
export const LIST_ORDERS_PAGE_SIZE = 100;
export const LIST_ORDERS_MAX_PAGES = 30;

/** The List-orders fields Farol reads; the rest of each row is ignored. */
const listOrdersSchema = z.object({
  list: z.array(
    z.object({
      orderId: z.string(),
      creationDate: z.string(),
      lastChange: z.string().nullish(),
      status: z.string().nullish(),
    }),
  ),
  paging: z.object({ total: z.number().int().nonnegative(), pages: z.number().int().nonnegative() }),
});
export type ListOrdersPage = z.infer<typeof listOrdersSchema>;

/** Items per Orders Feed v3 read, at most (VTEX refuses a larger `maxlot`). */
export const FEED_MAX_LOT = 10;
/** VTEX's default: long enough to land a lot in bronze before committing it. */
const FEED_VISIBILITY_TIMEOUT_SECONDS = 250;
/** The longest VTEX keeps an uncommitted item (14 days), so an outage on our side loses nothing. */
const FEED_RETENTION_SECONDS = 1_209_600;

/** One Orders Feed v3 item (lower camelCase, unlike the hook's PascalCase). */
export interface OrderFeedItem {
  readonly eventId: string;
  /** Names this read of the item; a later read of the same item gets another. */
  readonly handle: string;
  readonly domain: string;
  readonly state: string;
  readonly lastState?: string | null;
  readonly orderId: string;
  readonly lastChange: string;
  readonly currentChange?: string | null;
}

/** Loose: fields VTEX adds later stay in the item, and so reach bronze. */
const orderFeedSchema = z.array(
  z.looseObject({
    eventId: z.string(),
    handle: z.string().min(1),
    domain: z.string(),
    state: z.string(),
    // The guide's examples leave these out of the hook payload; read them as optional here too.
    lastState: z.string().nullish(),
    orderId: z.string(),
    lastChange: z.string(),
    currentChange: z.string().nullish(),
  }),
);

export interface VtexOmsClient {
  /** The Get-order JSON as VTEX sent it; validation happens in silver so bad payloads are quarantined, not retried. */
  getOrder(orderId: string): Promise<unknown>;
  /**
   * One page (1-based, 100 rows) of the orders created in `[from, to]` (both ends inclusive, as
   * VTEX reads `f_creationDate`), oldest first. VTEX serves at most 30 pages per filter.
   */
  listOrders(from: Date, to: Date, page: number): Promise<ListOrdersPage>;
  /** Saves the order hook (VTEX pings `url` and refuses the config unless it answers 200). */
  configureOrderHook(url: string, hookToken: string): Promise<void>;
  /** Saves the account's Feed v3 configuration: every status (HOOK_STATUSES, FromWorkflow), items hidden 250 s once read, kept 14 days. */
  configureOrderFeed(): Promise<void>;
  /** Up to `maxLot` (1..FEED_MAX_LOT) feed items, hidden from other readers until committed or the visibility timeout passes. */
  readOrderFeed(maxLot: number): Promise<OrderFeedItem[]>;
  /** Deletes the items with these handles from the feed (after they are durable on our side). */
  commitOrderFeed(handles: readonly string[]): Promise<void>;
  close(): Promise<void>;
}

export function createVtexOmsClient(
  vtex: VtexConfig,
  logger: Logger,
  /** Defaults to OMS_REQUESTS_PER_SECOND; only a local stand-in for VTEX should raise it. */
  requestsPerSecond = OMS_REQUESTS_PER_SECOND,
  retry: OmsRetry = OMS_RETRY,
  /** Every HTTP attempt, retries included (for retry counters). */
  onAttempt?: HttpClientOptions['onAttempt'],
): VtexOmsClient {
  const http: HttpClient = createVtexAppKeyClient(vtex, {
    timeoutMs: 10_000,
    retry,
    rateLimit: { requestsPerSecond, burst: 20 },
    logger,
    ...(onAttempt ? { onAttempt } : {}),
  });
  return {
    async getOrder(orderId) {
      // encodeURIComponent leaves `..` as is, and a URL normaliser would climb out of /orders/ with it.
      if (!isVtexOrderId(orderId)) throw new InvalidOrderIdError();
      const res = await http.request({ path: `/api/oms/pvt/orders/${encodeURIComponent(orderId)}` });
      return res.data;
    },
    async listOrders(from, to, page) {
      const res = await http.request({
        path: '/api/oms/pvt/orders',
        query: {
          f_creationDate: `creationDate:[${from.toISOString()} TO ${to.toISOString()}]`,
          orderBy: 'creationDate,asc',
          page: String(page),
          per_page: String(LIST_ORDERS_PAGE_SIZE),
        },
        schema: listOrdersSchema,
      });
      return res.data;
    },
    async configureOrderHook(url, hookToken) {
      await http.request({
        method: 'POST',
        path: '/api/orders/hook/config',
        body: {
          filter: { type: 'FromWorkflow', status: [...HOOK_STATUSES] },
          hook: { url, headers: { [HOOK_TOKEN_HEADER]: hookToken } },
        },
      });
    },
    async configureOrderFeed() {
      await http.request({
        method: 'POST',
        path: '/api/orders/feed/config',
        body: {
          filter: { type: 'FromWorkflow', status: [...HOOK_STATUSES] },
          queue: { visibilityTimeoutInSeconds: FEED_VISIBILITY_TIMEOUT_SECONDS, MessageRetentionPeriodInSeconds: FEED_RETENTION_SECONDS },
        },
        // Create-or-update with the same body: repeating it changes nothing.
        idempotent: true,
      });
    },
    async readOrderFeed(maxLot) {
      if (!Number.isInteger(maxLot) || maxLot < 1 || maxLot > FEED_MAX_LOT) {
        throw new RangeError(`readOrderFeed: maxLot must be an integer from 1 to ${FEED_MAX_LOT}, got ${maxLot}`);
      }
      // Retried as a GET: items a lost answer had hidden come back after the visibility timeout.
      const res = await http.request({ path: '/api/orders/feed', query: { maxlot: String(maxLot) }, schema: orderFeedSchema });
      return res.data;
    },
    async commitOrderFeed(handles) {
      if (handles.length === 0) return;
      await http.request({
        method: 'POST',
        path: '/api/orders/feed',
        body: { handles: [...handles] },
        // Deleting what is already gone is a no-op, so a commit whose answer was lost can be resent.
        idempotent: true,
      });
    },
    close: () => http.close(),
  };
}
