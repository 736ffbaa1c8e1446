import type { Logger } from 'pino';
import { z } from 'zod';
import type { VtexConfig } from '../../../config.js';
import { TerminalHttpError, type HttpClient, type HttpClientOptions, type RetryPolicy } from '../../http/index.js';
import { createVtexAppKeyClient } from '../vtex-app-key-http.js';
import { InvalidSkuIdError, isVtexSkuId } from './vtex-sku-id.js';

/**
 * VTEX Catalog and Pricing calls Farol makes to sweep the catalog: product and SKU ids a page at a
 * time, then each SKU's "SKU and context" document and its price. Pricing lives on its own host
 * (`https://api.vtex.com/{account}`), so it gets a second HTTP client on that base URL, with the
 * same credentials, redaction and retry policy.
 */

/** GetProductAndSkuIds answers at most 250 products per call. */
export const PRODUCT_PAGE_SIZE = 250;
/**
 * Catalog allows 45,000 requests/min per account and 15,000/min per endpoint (250/s); a sweep
 * stays at a fifth of one endpoint's share, leaving the account to the store's other integrations.
 */
export const CATALOG_REQUESTS_PER_SECOND = 50;
/**
 * Pricing does not publish its GET limit ("under review"); the sweep stays under the documented
 * write limit of 33/s, which shares nothing with it but is the nearest published figure.
 */
export const PRICING_REQUESTS_PER_SECOND = 20;
/**
 * A sweep has no queue behind it: a request that gives up fails the page (the run resumes there).
 * So it waits as asked after a 429 and tries several times. Catalog does not document
 * `Retry-After`; Pricing does, and the client honours it wherever it is sent.
 */
export const CATALOG_RETRY = { maxAttempts: 6, baseDelayMs: 500, maxDelayMs: 30_000, maxRetryAfterMs: 120_000 };
export type CatalogRetry = Partial<RetryPolicy>;

const productSkuIdsSchema = z.object({
  data: z.record(z.string().regex(/^\d+$/, 'expected a product id'), z.array(z.number().int().positive())),
  range: z.object({ total: z.number().int().nonnegative(), from: z.number().int(), to: z.number().int() }),
});

export interface ProductSkuIdsPage {
  readonly data: Readonly<Record<string, readonly number[]>>;
  readonly range: { readonly total: number; readonly from: number; readonly to: number };
}

export interface VtexCatalogClient {
  /** Products [from, to] (VTEX's _from/_to) with their SKU ids, and the product total. */
  productAndSkuIds(from: number, to: number): Promise<ProductSkuIdsPage>;
  /** The "SKU and context" JSON as VTEX sent it (validated later, in the warehouse), or undefined on 404. */
  getSku(skuId: string): Promise<unknown>;
  /** The Pricing JSON as sent, or undefined when the SKU has no price (404). */
  getPrice(skuId: string): Promise<unknown>;
  close(): Promise<void>;
}

export function createVtexCatalogClient(
  vtex: VtexConfig,
  /** `https://api.vtex.com/{account}` for a real store; the sandbox's `pricingUrl` locally. */
  pricingBaseUrl: string,
  logger: Logger,
  /** Caps both Catalog and Pricing; only a local stand-in for VTEX should raise it. */
  requestsPerSecond?: number,
  retry: CatalogRetry = CATALOG_RETRY,
  /** Every HTTP attempt, retries included (for retry counters). */
  onAttempt?: HttpClientOptions['onAttempt'],
): VtexCatalogClient {
  const common = { timeoutMs: 10_000, retry, logger, ...(onAttempt ? { onAttempt } : {}) };
  const catalog: HttpClient = createVtexAppKeyClient(vtex, {
    ...common,
    rateLimit: { requestsPerSecond: requestsPerSecond ?? CATALOG_REQUESTS_PER_SECOND, burst: 20 },
  });
  const pricing: HttpClient = createVtexAppKeyClient(vtex, {
    ...common,
    baseUrl: pricingBaseUrl,
    rateLimit: { requestsPerSecond: requestsPerSecond ?? PRICING_REQUESTS_PER_SECOND, burst: 10 },
  });

  return {
    async productAndSkuIds(from, to) {
      if (!Number.isInteger(from) || !Number.isInteger(to) || from < 1 || to < from || to - from + 1 > PRODUCT_PAGE_SIZE) {
        throw new RangeError(`product positions must satisfy 1 <= from <= to < from + ${PRODUCT_PAGE_SIZE}, got ${from}..${to}`);
      }
      const res = await catalog.request({
        path: '/api/catalog_system/pvt/products/GetProductAndSkuIds',
        query: { _from: String(from), _to: String(to) },
        schema: productSkuIdsSchema,
      });
      return res.data;
    },
    async getSku(skuId) {
      return orNotFound(catalog, `/api/catalog_system/pvt/sku/stockkeepingunitbyid/${checked(skuId)}`);
    },
    async getPrice(skuId) {
      return orNotFound(pricing, `/pricing/prices/${checked(skuId)}`);
    },
    async close() {
      await Promise.all([catalog.close(), pricing.close()]);
    },
  };
}

/** Digits only once checked, so the id goes into the path as is. */
function checked(skuId: string): string {
  if (!isVtexSkuId(skuId)) throw new InvalidSkuIdError();
  return skuId;
}

/** The body as sent, or undefined when VTEX answers 404 (no such SKU, or no price for it). */
async function orNotFound(http: HttpClient, path: string): Promise<unknown> {
  try {
    return (await http.request({ path })).data;
  } catch (err) {
    if (err instanceof TerminalHttpError && err.status === 404) return undefined;
    throw err;
  }
}
