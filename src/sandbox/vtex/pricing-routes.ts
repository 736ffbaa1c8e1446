import type { ServerResponse } from 'node:http';
import { catalogId } from './catalog-routes.js';
import { answerFault, vtexErrorDialect, type FaultGate } from './fault-response.js';
import { sendError, sendJson, type SandboxRoutes } from './oms-routes.js';
import type { VtexPrice } from './vtex-catalog-types.js';

/**
 * VTEX Pricing's Get price. The live API has its own host (`https://api.vtex.com/{account}`); the
 * sandbox serves it on its one port under `/{account}`, so the Pricing base URL is
 * `${sandbox.url}/${account}` and a client keeps a separate base URL for it, as it must for VTEX.
 */

/**
 * Pricing reports its burst credits on every response. GET's own limit is unpublished ("under
 * review"), so the sandbox reports the documented write routes' 500 credits refilled at 33/s; the
 * numbers are informative only: throttling comes from the fault injector, not from counting.
 */
export const PRICING_BURST_CREDITS = 500;
export const PRICING_CREDITS_PER_SECOND = 33;

export interface PricingBackend extends FaultGate {
  readonly account: string;
  price(skuId: string): VtexPrice | undefined;
  countRequest(): void;
}

export function createPricingRoutes(backend: PricingBackend): SandboxRoutes {
  const prefix = `/${backend.account}/pricing/prices/`;
  return async (req, res, path) => {
    // Fixed and computed prices (`/{itemId}/fixed`, `/computed/...`) are not served.
    if (!path.startsWith(prefix) || path.indexOf('/', prefix.length) !== -1) return false;
    const method = req.method ?? 'GET';
    if (method !== 'GET') {
      sendError(res, 405, '405', `${method} not allowed`);
      return true;
    }
    backend.countRequest();
    rateLimitHeaders(res, PRICING_BURST_CREDITS, 0);
    const throttled = (retryAfterSeconds: number): Record<string, string> => ({
      'Ratelimit-Remaining': '0',
      'Ratelimit-Reset': String(Math.max(retryAfterSeconds, Math.ceil(PRICING_BURST_CREDITS / PRICING_CREDITS_PER_SECOND))),
    });
    if (await answerFault(backend, res, vtexErrorDialect(throttled))) return true;
    const id = catalogId(path.slice(prefix.length));
    const price = id === undefined ? undefined : backend.price(String(id));
    if (price === undefined) sendError(res, 404, '404', id === undefined ? 'Price not found' : `Price not found for SKU ${id}`);
    else sendJson(res, 200, price);
    return true;
  };
}

function rateLimitHeaders(res: ServerResponse, remaining: number, resetSeconds: number): void {
  res.setHeader('Ratelimit-Limit', String(PRICING_BURST_CREDITS));
  res.setHeader('Ratelimit-Remaining', String(remaining));
  res.setHeader('Ratelimit-Reset', String(resetSeconds));
}
