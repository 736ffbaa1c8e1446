import type { Logger } from 'pino';
import { z } from 'zod';
import type { VtexConfig } from '../../../config.js';
import type { HttpClient } from '../../http/index.js';
import { createVtexAppKeyClient } from '../vtex-app-key-http.js';
import { HOOK_TOKEN_HEADER } from '../../webhooks/hook-token.js';
import { InvalidOrderIdError, isVtexOrderId } from './vtex-order-id.js';

/**
 * VTEX OMS calls Farol makes: Get order (for every hook notification) and the hook
 * configuration. Get order is limited to 6000 requests/min per account; we stay under it with
 * headroom for other integrations sharing the account.
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
  close(): Promise<void>;
}

export function createVtexOmsClient(
  vtex: VtexConfig,
  logger: Logger,
  /** Defaults to OMS_REQUESTS_PER_SECOND; only a local stand-in for VTEX should raise it. */
  requestsPerSecond = OMS_REQUESTS_PER_SECOND,
  retry: OmsRetry = OMS_RETRY,
): VtexOmsClient {
  const http: HttpClient = createVtexAppKeyClient(vtex, {
    timeoutMs: 10_000,
    retry,
    rateLimit: { requestsPerSecond, burst: 20 },
    logger,
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
    close: () => http.close(),
  };
}
