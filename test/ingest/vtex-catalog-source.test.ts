import { afterEach, describe, expect, it } from 'vitest';
import { createVtexCatalogClient } from '../../src/ingest/sources/vtex-catalog/vtex-catalog-client.js';
import { createVtexCatalogSource } from '../../src/ingest/sources/vtex-catalog/vtex-catalog-source.js';
import { createSemanticEngine } from '../../src/metrics/semantic-engine.js';
import { metricsQuerySchema } from '../../src/metrics/metrics-query.js';
import { silentLogger } from '../../src/observability/logger.js';
import { rebuild } from '../../src/pipeline/rebuild.js';
import { CATALOG } from '../../src/sandbox/vtex/index.js';
import { INACTIVE_SKU_IDS, UNPRICED_SKU_IDS } from '../../src/sandbox/vtex/catalog-store.js';
import { heldCatalogDocuments } from '../../src/transform/silver/held-catalog.js';
import { goldChecksums } from '../fixtures/gold-checksums.js';
import { landOrders } from '../fixtures/land-orders.js';
import { tempPipeline, type TempPipeline } from '../fixtures/temp-pipeline.js';
import { sandboxAccount, storeWithHistory } from '../fixtures/vtex-store.js';
import { MODEL_DIR } from '../metrics/gold-fixtures.js';
import { roleContext } from '../fixtures/security-contexts.js';

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

const FAST_RETRY = { maxAttempts: 8, baseDelayMs: 20, maxDelayMs: 200, maxRetryAfterMs: 2_000 };

async function storeAndPipeline(opts: { pageSize?: number; faults?: boolean } = {}) {
  const { sandbox, close } = await storeWithHistory({
    seed: 31, history: { orders: 150, days: 3 },
    ...(opts.faults ? { faults: { failureRate: 0.1, throttleRate: 0.1, retryAfterSeconds: 1 } } : {}),
  });
  closers.push(close);
  const catalog = createVtexCatalogClient(sandboxAccount(sandbox), sandbox.pricingUrl, silentLogger(), 10_000, FAST_RETRY);
  closers.push(() => catalog.close());
  const requests = { skus: 0 };
  const counted = { ...catalog, getSku: (id: string) => (requests.skus++, catalog.getSku(id)) };
  const p: TempPipeline = await tempPipeline({
    vtexStore: { catalog: counted },
    registry: (base) => ({
      ...base,
      'vtex-catalog': createVtexCatalogSource({
        account: sandbox.account, client: () => counted, concurrency: 8, scheduled: true, pageSize: opts.pageSize,
        known: (ids) => heldCatalogDocuments(p.warehouse, 'vtex-catalog', ids),
      }),
    }),
  });
  closers.push(() => p.cleanup());
  return { sandbox, p, requests };
}


type ProductRow = { product_key: string; name: string; brand_name: string; department: string; category: string; category_path: string; is_active: boolean; base_price: number | null; list_price: number | null; in_catalog: boolean };
async function dimProduct(p: TempPipeline): Promise<Map<string, ProductRow>> {
  const rows = await p.warehouse.query<ProductRow>(
    'SELECT product_key, name, brand_name, department, category, category_path, is_active, base_price::DOUBLE AS base_price, list_price::DOUBLE AS list_price, in_catalog FROM gold.dim_product',
  );
  return new Map(rows.map((r) => [r.product_key, r]));
}


describe('VTEX catalog and prices', () => {
  it('sweeps every SKU and price through 429s and 500s; gold products get brand and category names, product_sales sells by them', async () => {
    const { sandbox, p } = await storeAndPipeline({ faults: true });
    await landOrders(p, sandbox.orders());
    const run = await p.runner.run('vtex-catalog', { trigger: 'cli' });
    expect(run.landed).toBe(CATALOG.length * 2 - UNPRICED_SKU_IDS.length);
    expect(sandbox.stats().faultsInjected).toBeGreaterThan(0);

    const products = await dimProduct(p);
    for (const sku of CATALOG) {
      const row = products.get(sku.skuId);
      expect(row, sku.skuId).toBeDefined();
      expect(row?.in_catalog).toBe(true);
      expect(row?.brand_name).toBe(sku.brandName);
      // Names in the order of the id path, department first.
      const names = sku.categoriesIds.split('/').filter(Boolean).map((id) => sku.categories.find((c) => String(c.id) === id)?.name);
      expect(row?.department).toBe(names[0]);
      expect(row?.category).toBe(names.at(-1));
      expect(row?.category_path).toBe(names.join(' > '));
      expect(row?.is_active).toBe(!INACTIVE_SKU_IDS.includes(sku.skuId));
      // Pricing speaks reais; the fixture keeps cents.
      expect(row?.base_price).toBe(UNPRICED_SKU_IDS.includes(sku.skuId) ? null : sku.price / 100);
    }

    // The governed view answers by category, and every sold item has one.
    const engine = await createSemanticEngine({
      warehouse: p.warehouse, modelDir: MODEL_DIR, dataVersions: p.dataVersions, timezone: 'America/Sao_Paulo',
      cache: { maxEntries: 10, ttlMs: 1_000 },
    });
    closers.push(() => engine.close());
    const result = await engine.load(
      metricsQuerySchema.parse({ measures: ['product_sales.units'], dimensions: ['product_sales.department', 'product_sales.category', 'product_sales.brand'] }),
      roleContext('analyst'),
    );
    expect(result.rows.length).toBeGreaterThan(3);
    for (const r of result.rows) {
      expect(r['product_sales.category']).toEqual(expect.any(String));
      expect(r['product_sales.brand']).toEqual(expect.any(String));
    }
    const [sold] = await p.warehouse.query<{ units: number }>(
      "SELECT sum(i.quantity)::INT AS units FROM silver.order_items i JOIN gold.fct_orders f ON f.order_key = i.source || ':' || i.order_id WHERE f.is_sale",
    );
    expect(result.rows.reduce((n, r) => n + Number(r['product_sales.units']), 0)).toBe(sold?.units);
  });

  it('lands only what changed on the next sweep; the catalog keeps its names when later orders arrive; a rebuild gives the same gold', async () => {
    const { sandbox, p, requests } = await storeAndPipeline();
    const orders = sandbox.orders();
    await landOrders(p, orders.slice(0, 100));
    await p.runner.run('vtex-catalog', { trigger: 'cli' });

    const again = await p.runner.run('vtex-catalog', { trigger: 'cli' });
    expect(again.landed).toBe(0);
    expect(again.upserted).toBe(0);
    // An unchanged catalog still costs the reads (the Catalog API has no "changed since").
    expect(requests.skus).toBe(CATALOG.length * 2);

    sandbox.updateSku('2001', { name: 'Camiseta Básica Algodão Off-White M' });
    sandbox.setPrice('2002', { basePriceCents: 3990 });
    const changed = await p.runner.run('vtex-catalog', { trigger: 'cli' });
    expect(changed.landed).toBe(2);
    expect(changed.upserted).toBe(2);
    let products = await dimProduct(p);
    expect(products.get('2001')?.name).toBe('Camiseta Básica Algodão Off-White M');
    expect(products.get('2002')?.base_price).toBe(39.9);

    // Orders still say the old name; the catalog's stands.
    await landOrders(p, orders.slice(100));
    products = await dimProduct(p);
    expect(products.get('2001')?.name).toBe('Camiseta Básica Algodão Off-White M');

    const before = await goldChecksums(p.warehouse);
    await rebuild(p.runner);
    expect(await goldChecksums(p.warehouse)).toEqual(before);
  });

  it('resumes a stopped sweep at the next page of products', async () => {
    const { sandbox, p, requests } = await storeAndPipeline({ pageSize: 10 });
    const stop = new AbortController();
    let pages = 0;
    await p.runner.run('vtex-catalog', {
      trigger: 'cli', signal: stop.signal,
      onProgress: (pr) => { if (pr.phase === 'extract' && ++pages === 2) stop.abort(); },
    }).catch(() => undefined);
    const [{ n: firstSkus } = { n: 0 }] = await p.warehouse.query<{ n: number }>(
      "SELECT count(DISTINCT natural_key)::INT AS n FROM bronze.records WHERE source = 'vtex-catalog' AND entity = 'sku'",
    );
    expect(firstSkus).toBeGreaterThan(0);
    expect(firstSkus).toBeLessThan(CATALOG.length);
    // The stopped run says what became of it, not the aborted request it was in.
    const [stopped] = await p.warehouse.query<{ error: string }>("SELECT error FROM ops.runs WHERE source = 'vtex-catalog' AND status = 'cancelled'");
    expect(stopped?.error).toMatch(/^run cancelled before it finished; what landed is kept/);
    const readBefore = requests.skus;

    await p.runner.run('vtex-catalog', { trigger: 'cli' });
    // The resumed run reads only the SKUs of the pages not landed yet.
    expect(requests.skus - readBefore).toBe(CATALOG.length - firstSkus);
    const [{ n } = { n: 0 }] = await p.warehouse.query<{ n: number }>("SELECT count(*)::INT AS n FROM silver.products WHERE source = 'vtex-catalog'");
    expect(n).toBe(CATALOG.length);
    expect(sandbox.stats().catalogRequests).toBeGreaterThan(0);
  });

  it('quarantines documents that are not what the APIs send, with the field and the value', async () => {
    const { p } = await storeAndPipeline();
    await p.runner.ingest('vtex-catalog', async function* () {
      yield {
        records: [
          { entity: 'sku', naturalKey: '2001', payload: JSON.stringify({ Id: 2002, IsActive: true }) },
          { entity: 'sku', naturalKey: '2003', payload: JSON.stringify({ Id: '2003', IsActive: true }) },
          { entity: 'sku', naturalKey: '2004', payload: '<html>502 Bad Gateway</html>' },
          { entity: 'sku', naturalKey: '2005', payload: JSON.stringify({ Id: 2005, IsActive: 'yes' }) },
          { entity: 'price', naturalKey: '2001', payload: JSON.stringify({ itemId: '2001', basePrice: '49,90' }) },
          { entity: 'price', naturalKey: '2006', payload: JSON.stringify({ itemId: '2006', basePrice: 1e30 }) },
          { entity: 'sku', naturalKey: '2007', payload: JSON.stringify({ Id: 2007, IsActive: true, NameComplete: "x'); DROP TABLE silver.products; --" }) },
        ],
      };
    }, { trigger: 'cli' });
    const rows = await p.warehouse.query<{ natural_key: string; entity: string; reason: string }>(
      "SELECT natural_key, entity, reason FROM silver.quarantine WHERE source = 'vtex-catalog' ORDER BY entity, natural_key",
    );
    expect(rows).toEqual([
      { natural_key: '2001', entity: 'price', reason: 'basePrice: expected a number, received 49,90' },
      { natural_key: '2006', entity: 'price', reason: 'basePrice: 1e30 does not fit DECIMAL(18,2)' },
      { natural_key: '2001', entity: 'sku', reason: 'Id: 2002 is not the SKU it was read for (2001)' },
      { natural_key: '2003', entity: 'sku', reason: 'Id: expected an integer, received 2003' },
      { natural_key: '2004', entity: 'sku', reason: 'payload: expected a JSON object (a Catalog SKU document)' },
      { natural_key: '2005', entity: 'sku', reason: 'IsActive: expected true or false, received "yes"' },
    ]);
    const [kept] = await p.warehouse.query<{ name: string }>("SELECT name FROM silver.products WHERE sku_id = '2007'");
    expect(kept?.name).toBe("x'); DROP TABLE silver.products; --");
  });
});
