import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CATALOG, createVtexSandbox, type VtexOrderItem, type VtexSandbox, type VtexSandboxOptions } from '../../src/sandbox/vtex/index.js';
import { INACTIVE_SKU_IDS, UNPRICED_SKU_IDS } from '../../src/sandbox/vtex/catalog-store.js';
import { describeErrors, loadCatalogApiValidators, loadPricingApiValidators } from './openapi-schema.js';
import { omsClient, type OmsTestClient } from './support.js';

const END_AT = new Date('2025-06-01T12:00:00.000Z');
const OPTIONS: VtexSandboxOptions = { seed: 11, history: { orders: 200, days: 10, endAt: END_AT }, publishIntervalMs: 0 };
const PRODUCTS_PATH = '/api/catalog_system/pvt/products/GetProductAndSkuIds';
const SKU_PATH = '/api/catalog_system/pvt/sku/stockkeepingunitbyid';
const PRODUCT_IDS = [...new Set(CATALOG.map((sku) => Number(sku.productId)))].sort((a, b) => a - b);

interface SkuDoc {
  Id: number;
  ProductId: number;
  NameComplete: string;
  ProductName: string;
  SkuName: string;
  ProductRefId: string;
  IsActive: boolean;
  BrandId: string;
  BrandName: string;
  ProductCategoryIds: string;
  ProductCategories: Record<string, string>;
  AlternateIds: { Ean?: string; RefId?: string };
  AlternateIdValues: string[];
  ImageUrl: string;
  DetailUrl: string;
  MeasurementUnit: string;
  UnitMultiplier: number;
  Dimension: Record<string, number>;
  ProductClustersIds: string;
  SkuSellers: Array<{ SellerId: string; StockKeepingUnitId: number }>;
  SalesChannels: number[];
}
interface PriceDoc {
  itemId: string;
  listPrice: number;
  costPrice: number;
  markup: number;
  basePrice: number;
  fixedPrices: unknown[];
}
interface ProductPage {
  data: Record<string, number[]>;
  range: { total: number; from: number; to: number };
}

const catalogApi = loadCatalogApiValidators();
const pricingApi = loadPricingApiValidators();

/** A sandbox nobody changes, shared by the read-only tests. */
let shared: { sandbox: VtexSandbox; http: OmsTestClient };
beforeAll(async () => {
  const sandbox = createVtexSandbox(OPTIONS);
  await sandbox.start();
  shared = { sandbox, http: omsClient(sandbox) };
});
afterAll(async () => {
  await shared.http.close();
  await shared.sandbox.close();
});

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

async function running(options: VtexSandboxOptions): Promise<{ sandbox: VtexSandbox; http: OmsTestClient }> {
  const sandbox = createVtexSandbox({ ...OPTIONS, ...options });
  await sandbox.start();
  const http = omsClient(sandbox);
  cleanups.push(() => sandbox.close(), () => http.close());
  return { sandbox, http };
}

function pricePath(sandbox: VtexSandbox, skuId: string): string {
  return `/${sandbox.account}/pricing/prices/${skuId}`;
}

async function getSku(http: OmsTestClient, skuId: string): Promise<SkuDoc> {
  const res = await http.get(`${SKU_PATH}/${skuId}`);
  expect(res.status, `SKU ${skuId}`).toBe(200);
  expect(catalogApi.skuContext(res.json), `SKU ${skuId}:\n${describeErrors(catalogApi.skuContext.errors)}`).toBe(true);
  return res.json as SkuDoc;
}

async function getPrice(http: OmsTestClient, sandbox: VtexSandbox, skuId: string): Promise<PriceDoc> {
  const res = await http.get(pricePath(sandbox, skuId));
  expect(res.status, `price of ${skuId}`).toBe(200);
  expect(pricingApi.getPrice(res.json), `price of ${skuId}:\n${describeErrors(pricingApi.getPrice.errors)}`).toBe(true);
  return res.json as PriceDoc;
}

describe('GetProductAndSkuIds', () => {
  it('pages through every product exactly once, 1-based and inclusive, each page as the OpenAPI describes it', async () => {
    const { http } = shared;
    const seen: number[] = [];
    const skus: number[] = [];
    for (let from = 1; ; from += 7) {
      const res = await http.get(`${PRODUCTS_PATH}?_from=${from}&_to=${from + 6}`);
      expect(res.status).toBe(200);
      expect(catalogApi.productAndSkuIds(res.json), describeErrors(catalogApi.productAndSkuIds.errors)).toBe(true);
      const page = res.json as ProductPage;
      expect(page.range).toEqual({ total: PRODUCT_IDS.length, from, to: from + 6 });
      for (const [productId, skuIds] of Object.entries(page.data)) {
        seen.push(Number(productId));
        skus.push(...skuIds);
      }
      if (from + 6 >= page.range.total) break;
    }
    expect(seen).toEqual(PRODUCT_IDS);
    expect(skus.sort((a, b) => a - b)).toEqual(CATALOG.map((sku) => Number(sku.skuId)).sort((a, b) => a - b));
    // SKU ids sit under the product the fixture (and every order item) gives them.
    const whole = (await http.get(`${PRODUCTS_PATH}?_from=1&_to=250`)).json as ProductPage;
    for (const sku of CATALOG) expect(whole.data[sku.productId]).toContain(Number(sku.skuId));
  });

  it('refuses more than 250 products per call and positions below 1, and answers an empty page past the end', async () => {
    const { http } = shared;
    for (const query of ['_from=1&_to=251', '_from=0&_to=10', '_from=10&_to=5', '_from=a&_to=10']) {
      const res = await http.get(`${PRODUCTS_PATH}?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.json, query).toMatchObject({ error: { code: '400', message: expect.any(String) } });
    }
    expect((await http.get(`${PRODUCTS_PATH}?_from=251&_to=500`)).status).toBe(200);
    const past = (await http.get(`${PRODUCTS_PATH}?_from=100&_to=120`)).json as ProductPage;
    expect(past).toEqual({ data: {}, range: { total: PRODUCT_IDS.length, from: 100, to: 120 } });
  });

  it('filters by category, department included', async () => {
    const beauty = (await shared.http.get(`${PRODUCTS_PATH}?_from=1&_to=50&categoryId=4`)).json as ProductPage;
    const expected = new Set(CATALOG.filter((sku) => sku.categoriesIds.startsWith('/4/')).map((sku) => Number(sku.productId)));
    expect(Object.keys(beauty.data).map(Number).sort((a, b) => a - b)).toEqual([...expected].sort((a, b) => a - b));
    expect(beauty.range.total).toBe(expected.size);
  });
});

describe('SKU and context', () => {
  it('agrees with what the orders selling the SKU carry', async () => {
    const { sandbox, http } = shared;
    const sold = new Map<string, { item: VtexOrderItem; salesChannel: string }[]>();
    for (const order of sandbox.orders()) {
      for (const item of order.items) sold.set(item.id, [...(sold.get(item.id) ?? []), { item, salesChannel: order.salesChannel }]);
    }
    expect(sold.size).toBeGreaterThanOrEqual(30);
    for (const [skuId, sales] of sold) {
      const doc = await getSku(http, skuId);
      for (const { item, salesChannel } of sales.slice(0, 3)) {
        const info = item.additionalInfo;
        expect(doc).toMatchObject({
          Id: Number(item.id),
          ProductId: Number(item.productId),
          NameComplete: item.name,
          BrandName: info.brandName,
          BrandId: info.brandId,
          ProductCategoryIds: info.categoriesIds,
          ProductCategories: Object.fromEntries(info.categories.map((c) => [String(c.id), c.name])),
          ImageUrl: item.imageUrl,
          DetailUrl: item.detailUrl,
          MeasurementUnit: item.measurementUnit,
          UnitMultiplier: item.unitMultiplier,
          Dimension: info.dimension,
          ProductClustersIds: info.productClusterId,
        });
        // AlternateIds is a loose object in the OpenAPI; these are the ids Farol joins on.
        expect(doc.AlternateIds).toEqual({ Ean: item.ean, RefId: item.refId });
        expect(doc.AlternateIdValues).toEqual([item.ean, item.refId]);
        expect(doc.SkuSellers.map((s) => s.SellerId)).toContain(item.seller);
        expect(doc.SalesChannels).toContain(Number(salesChannel));
      }
    }
  });

  it('names the product apart from its variation, and uses the fixture department and category names', async () => {
    const { http } = shared;
    const white = await getSku(http, '2001');
    expect(white).toMatchObject({
      ProductName: 'Camiseta Básica Algodão',
      SkuName: 'Branca M',
      ProductRefId: 'CAM-BAS',
      ProductCategories: { '1': 'Moda', '11': 'Camisetas' },
    });
    expect((await getSku(http, '2002')).ProductName).toBe(white.ProductName);
    const pans = await getSku(http, '2019');
    expect(pans).toMatchObject({ NameComplete: 'Jogo de Panelas Antiaderente 5 Peças', ProductRefId: 'TRM-PAN', ProductCategories: { '3': 'Casa', '31': 'Cozinha' } });
  });

  it('keeps an inactive SKU readable', async () => {
    const [inactive = ''] = INACTIVE_SKU_IDS;
    expect((await getSku(shared.http, inactive)).IsActive).toBe(false);
    expect((await getSku(shared.http, '2001')).IsActive).toBe(true);
  });
});

describe('Get price', () => {
  it('answers reais, not cents, matching the prices own-channel orders were charged', async () => {
    const { sandbox, http } = shared;
    expect(sandbox.pricingUrl).toBe(`${sandbox.url}/${sandbox.account}`);
    const shirt = await getPrice(http, sandbox, '2001');
    expect(shirt).toEqual({ itemId: '2001', listPrice: 59.9, costPrice: 19, markup: 163, basePrice: 49.9, fixedPrices: [] });

    const checked = new Set<string>();
    for (const order of sandbox.orders()) {
      if (order.salesChannel !== '1' && order.salesChannel !== '2') continue;
      for (const item of order.items) {
        if (checked.has(item.id) || UNPRICED_SKU_IDS.includes(item.id)) continue;
        checked.add(item.id);
        const price = await getPrice(http, sandbox, item.id);
        expect(price.itemId).toBe(item.id);
        // Order items are cents; Pricing is reais.
        expect(Math.round(price.basePrice * 100)).toBe(item.price);
        expect(Math.round(price.listPrice * 100)).toBe(item.listPrice);
        expect(Math.round(price.costPrice * 100)).toBe(item.costPrice);
        expect(price.basePrice).toBeLessThan(item.price);
      }
    }
    expect(checked.size).toBeGreaterThanOrEqual(25);
  });

  it('answers 404 with the error envelope for a SKU without a price, which Catalog still serves', async () => {
    const { sandbox, http } = shared;
    const [unpriced = ''] = UNPRICED_SKU_IDS;
    const res = await http.get(pricePath(sandbox, unpriced));
    expect(res.status).toBe(404);
    expect(res.json).toMatchObject({ error: { code: '404', message: expect.any(String), exception: null } });
    expect((await getSku(http, unpriced)).IsActive).toBe(true);
    // Pricing reports its rate-limit state on every answer.
    expect(res.headers['ratelimit-limit']).toBe('500');
    expect(res.headers['ratelimit-remaining']).toBeDefined();
  });
});

describe('unknown and hostile ids', () => {
  const HOSTILE = ['999999', '0', '02001', '2147483648', '-2001', '2001.0', '..', '1%2F2', '2001%2F..', encodeURIComponent('1 OR 1=1'), encodeURIComponent('<script>alert(1)</script>')];

  it('answers 404 with the error envelope and never echoes the id', async () => {
    const { sandbox, http } = shared;
    for (const id of HOSTILE) {
      for (const path of [`${SKU_PATH}/${id}`, pricePath(sandbox, id)]) {
        const res = await http.get(path);
        expect(res.status, path).toBe(404);
        expect(res.json, path).toMatchObject({ error: { code: '404', message: expect.any(String), exception: null } });
        const body = JSON.stringify(res.json);
        for (const fragment of ['OR 1=1', '<script>', '..', '%2F', '2001.0', '-2001']) expect(body, path).not.toContain(fragment);
      }
    }
  });
});

describe('auth and faults', () => {
  it('asks for the same credentials as OMS', async () => {
    const { sandbox } = shared;
    const anonymous = omsClient(sandbox, 'none');
    cleanups.push(() => anonymous.close());
    for (const path of [`${PRODUCTS_PATH}?_from=1&_to=10`, `${SKU_PATH}/2001`, pricePath(sandbox, '2001')]) {
      expect((await anonymous.get(path)).status, path).toBe(401);
      const wrong = await shared.http.get(path, { 'X-VTEX-API-AppToken': 'not-the-token' });
      expect(wrong.status, path).toBe(403);
      expect(JSON.stringify(wrong.json)).not.toContain(sandbox.appToken);
    }
  });

  it('throttles with Retry-After (and Pricing with its Ratelimit headers) and fails with 5xx', async () => {
    const throttled = await running({ faults: { throttleRate: 1, retryAfterSeconds: 3 } });
    const catalog = await throttled.http.get(`${SKU_PATH}/2001`);
    expect(catalog.status).toBe(429);
    expect(catalog.headers['retry-after']).toBe('3');
    const products = await throttled.http.get(`${PRODUCTS_PATH}?_from=1&_to=10`);
    expect(products.status).toBe(429);
    const pricing = await throttled.http.get(pricePath(throttled.sandbox, '2001'));
    expect(pricing.status).toBe(429);
    expect(pricing.headers).toMatchObject({ 'retry-after': '3', 'ratelimit-limit': '500', 'ratelimit-remaining': '0' });
    expect(Number(pricing.headers['ratelimit-reset'])).toBeGreaterThanOrEqual(3);
    expect(throttled.sandbox.stats()).toMatchObject({ catalogRequests: 2, pricingRequests: 1, faultsInjected: 3, getOrderRequests: 0 });

    const failing = await running({ faults: { failureRate: 1 } });
    for (const path of [`${SKU_PATH}/2001`, pricePath(failing.sandbox, '2001')]) {
      const res = await failing.http.get(path);
      expect(res.status).toBeGreaterThanOrEqual(500);
      expect(res.json).toMatchObject({ error: { code: String(res.status) } });
    }
  });
});

describe('run-time changes', () => {
  it('shows renamed, deactivated and repriced SKUs and deleted prices on the next read, orders untouched', async () => {
    const { sandbox, http } = await running({});
    const before = await getSku(http, '2002');
    sandbox.updateSku('2002', { name: 'Camiseta Básica Algodão Preta GG', isActive: false });
    sandbox.setPrice('2002', { basePriceCents: 3990 });
    sandbox.setPrice('2001', null);
    sandbox.setPrice(UNPRICED_SKU_IDS[0] ?? '', { basePriceCents: 27990, costPriceCents: 12600, listPriceCents: 29990 });

    const after = await getSku(http, '2002');
    expect(after).toMatchObject({ NameComplete: 'Camiseta Básica Algodão Preta GG', SkuName: 'Preta GG', IsActive: false, ProductName: before.ProductName });
    expect(await getPrice(http, sandbox, '2002')).toMatchObject({ basePrice: 39.9, listPrice: 59.9, costPrice: 19 });
    expect((await http.get(pricePath(sandbox, '2001'))).status).toBe(404);
    expect(await getPrice(http, sandbox, UNPRICED_SKU_IDS[0] ?? '')).toMatchObject({ basePrice: 279.9, listPrice: 299.9, costPrice: 126 });
    // Orders are a pure function of the seed: they keep the name the fixture gives.
    const sold = sandbox.orders().flatMap((o) => o.items).find((item) => item.id === '2002');
    if (sold) expect(sold.name).toBe(before.NameComplete);

    expect(() => sandbox.updateSku('424242', { isActive: false })).toThrow(/no SKU/);
    expect(() => sandbox.setPrice('2001', { basePriceCents: 12.5 })).toThrow(RangeError);
  });
});
