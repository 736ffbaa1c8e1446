import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { startFarol, type FarolApp } from '../../src/main.js';
import { silentLogger } from '../../src/observability/logger.js';
import { graphql } from '../fixtures/graphql-client.js';
import { expectedRevenueByDay, localDay } from '../fixtures/sale-statuses.js';
import { whenIngestDrained } from '../fixtures/ingest-drained.js';

const API_KEY = 'e2e-test-key-0123456789abcdef';
const TZ = 'America/Sao_Paulo';
let dir: string;
let app: FarolApp;
let config: ReturnType<typeof loadConfig>;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'farol-e2e-'));
  config = loadConfig({
    FAROL_PORT: '0',
    FAROL_SQL_PORT: 'off',
    FAROL_HOST: '127.0.0.1',
    FAROL_WAREHOUSE: `duckdb:${path.join(dir, 'farol.duckdb')}`,
    FAROL_API_KEYS: `${API_KEY}:analyst`,
    FAROL_SANDBOX_PORT: '0',
    FAROL_SANDBOX_HISTORY_ORDERS: '240',
    FAROL_SANDBOX_HISTORY_DAYS: '6',
    FAROL_SANDBOX_ORDERS_PER_MINUTE: '0',
  });
  app = await startFarol(config, silentLogger());
  const sandbox = app.sandbox!;
  await sandbox.whenAllDelivered(90_000);
  await whenIngestDrained(app);
}, 180_000);

afterAll(async () => {
  await app?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('sandbox → hook → bronze → silver → gold → GraphQL', () => {
  it('had duplicate and out-of-order notifications in the stream', () => {
    const stats = app.sandbox!.stats();
    expect(stats.duplicatesSent).toBeGreaterThan(0);
    expect(stats.outOfOrderSent).toBeGreaterThan(0);
    expect(stats.notificationsAcknowledged).toBeGreaterThanOrEqual(stats.notificationsPlanned);
  });

  it('has every order in silver in its final state', async () => {
    const orders = app.sandbox!.orders();
    const silver = await app.pipeline.warehouse.query<{ order_id: string; status: string }>('SELECT order_id, status FROM silver.orders');
    const byId = new Map(silver.map((r) => [r.order_id, r.status]));
    expect(silver).toHaveLength(orders.length);
    for (const o of orders) expect(byId.get(o.orderId), o.orderId).toBe(o.status);
    expect(await app.pipeline.warehouse.query('SELECT count(*)::INT n FROM silver.quarantine')).toEqual([{ n: 0 }]);
  });

  it('serves revenue per São Paulo day equal to the sum over the sandbox orders', async () => {
    const orders = app.sandbox!.orders();
    const expected = expectedRevenueByDay(orders, TZ);
    const days = [...expected.keys()].sort();
    const from = localDay(orders.map((o) => o.creationDate).sort()[0]!, TZ);
    const to = localDay(orders.map((o) => o.creationDate).sort().at(-1)!, TZ);
    const res = await graphql<{ metrics: { rows: Record<string, unknown>[]; annotation: { measures: { name: string; format?: string }[] } } }>(
      app.url,
      API_KEY,
      `query Q($q: MetricsQueryInput!) { metrics(query: $q) { rows annotation { measures { name title type format } } } }`,
      {
        q: {
          measures: ['sales.revenue', 'sales.orders', 'sales.average_ticket'],
          timeDimensions: [{ dimension: 'sales.order_date', granularity: 'day', dateRange: [from, to] }],
          order: [{ member: 'sales.order_date', direction: 'ASC' }],
          timezone: TZ,
        },
      },
    );
    expect(res.errors).toBeUndefined();
    const rows = res.data!.metrics.rows;
    const got = new Map(
      rows
        .filter((r) => Number(r['sales.orders']) > 0)
        .map((r) => [String(r['sales.order_date.day']).slice(0, 10), { revenue: Number(r['sales.revenue']), orders: Number(r['sales.orders']) }]),
    );
    expect([...got.keys()].sort()).toEqual(days);
    for (const day of days) {
      const e = expected.get(day)!;
      const g = got.get(day)!;
      expect(g.orders, day).toBe(e.orders);
      expect(Math.round(g.revenue * 100), day).toBe(Math.round(e.revenue * 100));
    }
    const revenueAnnotation = res.data!.metrics.annotation.measures.find((m) => m.name === 'sales.revenue');
    expect(revenueAnnotation?.format).toBe('currency');
  });

  it('shows in the catalog where each view comes from, down to the source', async () => {
    const res = await graphql<{ catalog: { name: string; lineage: { gold: string[]; silver: string[]; bronze: string[]; sources: string[] } }[] }>(
      app.url, API_KEY, '{ catalog { name lineage { gold silver bronze sources } } }',
    );
    const sales = res.data?.catalog.find((v) => v.name === 'sales');
    expect(sales?.lineage.gold).toEqual(expect.arrayContaining(['gold.fct_orders', 'gold.dim_channel']));
    // gold.dim_store is also fed by store targets and gold.dim_customer by the customer base, so
    // they are part of the view's lineage too.
    expect(sales?.lineage.silver).toEqual(['silver.customers', 'silver.order_items', 'silver.orders', 'silver.store_targets']);
    expect(sales?.lineage.bronze).toContain('bronze.vtex-orders');
    expect(sales?.lineage.sources).toEqual(['store-targets', 'vtex-customers', 'vtex-orders']);
    // Products come from orders and from the catalog.
    const products = res.data?.catalog.find((v) => v.name === 'product_sales');
    expect(products?.lineage.sources).toEqual(expect.arrayContaining(['vtex-catalog', 'vtex-orders']));
    expect(products?.lineage.silver).toEqual(expect.arrayContaining(['silver.products', 'silver.product_prices']));
  });

  it('records the hook-driven work as runs, and /healthz shows each source', async () => {
    const health = (await (await fetch(`${app.url}/healthz`)).json()) as { sources: { source: string; state: string }[] };
    expect(health.sources.map((s) => s.source)).toEqual(['club-registry', 'store-targets', 'vtex-catalog', 'vtex-customers', 'vtex-orders']);
    // The club registry has no database configured here: nothing runs it, and health says so.
    expect(Object.fromEntries(health.sources.map((s) => [s.source, s.state]))).toMatchObject({ 'club-registry': 'idle', 'vtex-orders': 'active' });
    const runs = await app.pipeline.warehouse.query<{ trigger: string; records_in: number }>(
      "SELECT trigger, records_in FROM ops.runs WHERE source = 'vtex-orders'",
    );
    expect(runs.some((r) => r.trigger === 'hook' && r.records_in > 0)).toBe(true);
  });

  it('rejects a query without an API key and names an unknown member', async () => {
    const anon = await fetch(`${app.url}/graphql`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ catalog { name } }' }),
    });
    expect(anon.status).toBe(401);
    const bad = await graphql(app.url, API_KEY, `{ metrics(query: { measures: ["sales.nope"] }) { rows } }`);
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(bad.errors?.[0]?.message).toContain('sales.nope');
  });

  it('serves the same numbers after a restart, before anything new arrives', async () => {
    const query = `{ metrics(query: { measures: ["sales.revenue", "sales.orders"], dimensions: ["sales.channel"],
      order: [{ member: "sales.channel", direction: ASC }] }) { rows } }`;
    const before = await graphql<{ metrics: { rows: unknown[] } }>(app.url, API_KEY, query);
    await app.close();
    app = await startFarol(config, silentLogger(), { startWorker: false });
    const after = await graphql<{ metrics: { rows: unknown[] } }>(app.url, API_KEY, query);
    expect(after.data?.metrics.rows.length).toBeGreaterThan(0);
    expect(after.data).toEqual(before.data);
  });
});
