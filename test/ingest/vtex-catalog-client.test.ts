import { afterEach, describe, expect, it } from 'vitest';
import type { VtexConfig } from '../../src/config.js';
import { TerminalHttpError } from '../../src/ingest/http/index.js';
import {
  createVtexCatalogClient,
  PRODUCT_PAGE_SIZE,
  type CatalogRetry,
  type VtexCatalogClient,
} from '../../src/ingest/sources/vtex-catalog/vtex-catalog-client.js';
import { InvalidSkuIdError } from '../../src/ingest/sources/vtex-catalog/vtex-sku-id.js';
import { createLogger, silentLogger, type Logger } from '../../src/observability/logger.js';
import { UNPRICED_SKU_IDS } from '../../src/sandbox/vtex/catalog-store.js';
import { CATALOG, createVtexSandbox, type VtexSandbox, type VtexSandboxOptions } from '../../src/sandbox/vtex/index.js';
import { captureStream } from './support/test-server.js';

const END_AT = new Date('2025-06-01T12:00:00.000Z');
/** Short back-off; a server's Retry-After still wins, as it must. */
const TEST_RETRY: CatalogRetry = { maxAttempts: 8, baseDelayMs: 5, maxDelayMs: 50 };
const SKU_IDS = CATALOG.map((sku) => sku.skuId);

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

async function store(options: VtexSandboxOptions = {}): Promise<VtexSandbox> {
  const sandbox = createVtexSandbox({ seed: 5, history: { orders: 0, days: 1, endAt: END_AT }, publishIntervalMs: 0, ...options });
  await sandbox.start();
  closers.push(() => sandbox.close());
  return sandbox;
}

function account(sandbox: VtexSandbox, overrides: Partial<VtexConfig> = {}): VtexConfig {
  return { account: sandbox.account, appKey: sandbox.appKey, appToken: sandbox.appToken, baseUrl: sandbox.url, ...overrides };
}

function clientOf(sandbox: VtexSandbox, logger: Logger = silentLogger(), vtex: VtexConfig = account(sandbox)): VtexCatalogClient {
  const client = createVtexCatalogClient(vtex, sandbox.pricingUrl, logger, 1_000, TEST_RETRY);
  closers.push(() => client.close());
  return client;
}

/** Every product window of `size`, and every SKU's document and price, one request at a time. */
async function readAll(client: VtexCatalogClient, size: number) {
  const products = new Map<string, readonly number[]>();
  for (let from = 1; ; from += size) {
    const page = await client.productAndSkuIds(from, from + size - 1);
    for (const [productId, skuIds] of Object.entries(page.data)) {
      expect(products.has(productId), `product ${productId} read twice`).toBe(false);
      products.set(productId, skuIds);
    }
    if (from + size - 1 >= page.range.total) break;
  }
  const skus = new Map<string, unknown>();
  const prices = new Map<string, unknown>();
  for (const skuId of [...products.values()].flat().map(String)) {
    skus.set(skuId, await client.getSku(skuId));
    prices.set(skuId, await client.getPrice(skuId));
  }
  return { products, skus, prices };
}

describe('VTEX catalog client against the sandbox', () => {
  it('reads the whole catalog and every price through 429s with Retry-After and 5xx answers', async () => {
    // Seeded so that both Catalog and Pricing throttle once (each 429 costs its client a real second).
    const sandbox = await store({ seed: 12, faults: { throttleRate: 0.015, failureRate: 0.1, retryAfterSeconds: 1 } });
    const logs = captureStream();
    const client = clientOf(sandbox, createLogger({ level: 'trace', destination: logs.stream }));

    const { products, skus, prices } = await readAll(client, 10);

    expect(products.size).toBe(new Set(CATALOG.map((sku) => sku.productId)).size);
    expect([...skus.keys()].sort()).toEqual([...SKU_IDS].sort());
    for (const [skuId, doc] of skus) expect(doc, skuId).toMatchObject({ Id: Number(skuId), AlternateIds: { RefId: expect.any(String) } });
    for (const [skuId, price] of prices) {
      if (UNPRICED_SKU_IDS.includes(skuId)) expect(price, skuId).toBeUndefined();
      else expect(price, skuId).toMatchObject({ itemId: skuId, basePrice: expect.any(Number) });
    }

    const retries = logs.records().filter((r) => typeof r.failure === 'string') as Array<{ failure: string; delayMs: number; path: string }>;
    const throttled = retries.filter((r) => r.failure === '429');
    expect(throttled.some((r) => r.path.startsWith('/api/catalog_system/')), 'a Catalog 429').toBe(true);
    expect(throttled.some((r) => r.path.startsWith('/pricing/prices/')), 'a Pricing 429').toBe(true);
    // Retry-After: 1 outweighs the 5-50 ms back-off.
    for (const r of throttled) expect(r.delayMs).toBeGreaterThanOrEqual(1_000);
    expect(retries.some((r) => r.failure.startsWith('5'))).toBe(true);
    expect(sandbox.stats().faultsInjected).toBe(retries.length);

    const captured = logs.text();
    expect(captured).toContain('http attempt');
    expect(captured).not.toContain(sandbox.appToken);
    expect(captured).not.toContain(sandbox.appKey);
  });

  it('sees a renamed, deactivated or repriced SKU and a deleted price on the next read', async () => {
    const sandbox = await store();
    const client = clientOf(sandbox);
    const first = await readAll(client, PRODUCT_PAGE_SIZE);
    expect(first.skus.get('2003')).toMatchObject({ NameComplete: 'Camiseta Estampada Reserva P', IsActive: true });
    expect(first.prices.get('2003')).toMatchObject({ basePrice: 129, listPrice: 129 });

    sandbox.updateSku('2003', { name: 'Camiseta Estampada Reserva PP', isActive: false });
    sandbox.setPrice('2003', { basePriceCents: 9990 });
    sandbox.setPrice('2004', null);

    const second = await readAll(client, PRODUCT_PAGE_SIZE);
    expect(second.skus.get('2003')).toMatchObject({ NameComplete: 'Camiseta Estampada Reserva PP', IsActive: false });
    expect(second.prices.get('2003')).toMatchObject({ basePrice: 99.9, listPrice: 129 });
    expect(second.prices.get('2004')).toBeUndefined();
    for (const skuId of SKU_IDS.filter((id) => id !== '2003' && id !== '2004')) {
      expect(second.skus.get(skuId), skuId).toEqual(first.skus.get(skuId));
      expect(second.prices.get(skuId), skuId).toEqual(first.prices.get(skuId));
    }
  });

  it('answers undefined for an unknown SKU, in Catalog and in Pricing', async () => {
    const sandbox = await store();
    const client = clientOf(sandbox);
    expect(await client.getSku('2147483647')).toBeUndefined();
    expect(await client.getPrice('2147483647')).toBeUndefined();
    expect(sandbox.stats()).toMatchObject({ catalogRequests: 1, pricingRequests: 1 });
  });

  it('refuses bad SKU ids and product windows before any request', async () => {
    const sandbox = await store();
    const client = clientOf(sandbox);
    for (const id of ['..', '1/2', '1%2F2', '1 OR 1=1', '0', '-1', '01', '1.5', '2147483648', '', ' 2001', 'abc']) {
      await expect(client.getSku(id), JSON.stringify(id)).rejects.toBeInstanceOf(InvalidSkuIdError);
      await expect(client.getPrice(id), JSON.stringify(id)).rejects.toBeInstanceOf(InvalidSkuIdError);
    }
    for (const [from, to] of [[0, 10], [1, PRODUCT_PAGE_SIZE + 1], [5, 4], [1.5, 3], [Number.NaN, 2]] as const) {
      await expect(client.productAndSkuIds(from, to), `${from}..${to}`).rejects.toBeInstanceOf(RangeError);
    }
    expect(sandbox.stats()).toMatchObject({ catalogRequests: 0, pricingRequests: 0 });
    expect((await client.productAndSkuIds(1, PRODUCT_PAGE_SIZE)).range).toMatchObject({ from: 1, to: PRODUCT_PAGE_SIZE });
  });

  it('keeps a rejected app token out of its error and its logs', async () => {
    const sandbox = await store();
    const wrongToken = 'WRONGTOKENQWHZKPLMTRVNXCYBFDGJSAEUIO0123456789';
    const logs = captureStream();
    const client = clientOf(sandbox, createLogger({ level: 'trace', destination: logs.stream }), account(sandbox, { appToken: wrongToken }));
    for (const read of [() => client.getSku('2001'), () => client.getPrice('2001'), () => client.productAndSkuIds(1, 10)]) {
      const err = await read().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(TerminalHttpError);
      expect((err as TerminalHttpError).status).toBe(403);
      expect(`${(err as Error).message} ${JSON.stringify(err)}`).not.toContain(wrongToken);
    }
    expect(logs.text()).toContain('http attempt');
    expect(logs.text()).not.toContain(wrongToken);
  });
});
