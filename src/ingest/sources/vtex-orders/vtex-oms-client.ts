import type { Logger } from 'pino';
import type { VtexConfig } from '../../../config.js';
import { createHttpClient, type HttpClient } from '../../http/index.js';
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

/** Statuses the hook subscribes to: every documented VTEX status, so no change goes unseen. */
export const HOOK_STATUSES = [
  'order-created', 'order-completed', 'on-order-completed', 'payment-pending', 'waiting-for-order-authorization',
  'approve-payment', 'payment-approved', 'payment-denied', 'request-cancel', 'waiting-for-seller-decision',
  'authorize-fulfillment', 'order-create-error', 'order-creation-error', 'window-to-cancel', 'ready-for-handling',
  'start-handling', 'handling', 'invoice-after-cancellation-deny', 'order-accepted', 'invoice', 'invoiced',
  'replaced', 'cancellation-requested', 'cancel', 'canceled',
] as const;

export interface VtexOmsClient {
  /** The Get-order JSON as VTEX sent it; validation happens in silver so bad payloads are quarantined, not retried. */
  getOrder(orderId: string): Promise<unknown>;
  /** Saves the order hook (VTEX pings `url` and refuses the config unless it answers 200). */
  configureOrderHook(url: string, hookToken: string): Promise<void>;
  close(): Promise<void>;
}

export function createVtexOmsClient(
  vtex: VtexConfig,
  logger: Logger,
  /** Defaults to OMS_REQUESTS_PER_SECOND; only a local stand-in for VTEX should raise it. */
  requestsPerSecond = OMS_REQUESTS_PER_SECOND,
): VtexOmsClient {
  const http: HttpClient = createHttpClient({
    source: 'vtex',
    baseUrl: vtex.baseUrl,
    headers: { 'X-VTEX-API-AppKey': vtex.appKey, 'X-VTEX-API-AppToken': vtex.appToken, Accept: 'application/json' },
    secrets: [vtex.appToken, vtex.appKey],
    timeoutMs: 10_000,
    retry: OMS_RETRY,
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
