import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MetricsQueryError } from '../../src/metrics/metrics-errors.js';
import { metricsQuerySchema, type MetricsQuery } from '../../src/metrics/metrics-query.js';
import type { MetricsService, SecurityContext } from '../../src/metrics/metrics-service.js';
import { createSemanticEngine, type SemanticEngine } from '../../src/metrics/semantic-engine.js';
import { roleContext } from '../fixtures/security-contexts.js';
import { BUSINESS_TZ, MODEL_DIR, ORDERS, countingWarehouse, insertOrders, openGoldFixture, type GoldFixture } from './gold-fixtures.js';

const analyst: SecurityContext = roleContext('analyst');
const q = (input: Partial<MetricsQuery>): MetricsQuery => metricsQuerySchema.parse(input);

let fixture: GoldFixture;
let engine: SemanticEngine;
let warehouseQueries: () => number;

beforeAll(async () => {
  fixture = await openGoldFixture();
  const counting = countingWarehouse(fixture.warehouse);
  warehouseQueries = counting.queries;
  engine = await createSemanticEngine({
    warehouse: counting.warehouse,
    modelDir: MODEL_DIR,
    dataVersions: fixture.dataVersions,
    timezone: BUSINESS_TZ,
    cache: { maxEntries: 100, ttlMs: 60_000 },
  });
});

afterAll(async () => {
  await engine?.close();
  await fixture?.cleanup();
});

async function expectQueryError(p: Promise<unknown>, code: MetricsQueryError['code'], member?: string): Promise<MetricsQueryError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(MetricsQueryError);
  const qe = err as MetricsQueryError;
  expect(qe.code).toBe(code);
  if (member !== undefined) expect(qe.member).toBe(member);
  return qe;
}

describe('governed sales KPIs', () => {
  it('gives revenue, orders and average ticket per São Paulo day', async () => {
    const result = await engine.load(
      q({
        measures: ['sales.revenue', 'sales.orders', 'sales.average_ticket'],
        timeDimensions: [{ dimension: 'sales.order_date', granularity: 'day', dateRange: ['2025-03-14', '2025-03-16'] }],
      }),
      analyst,
    );
    expect(result.rows.map((r) => [r['sales.order_date.day'], r['sales.revenue'], r['sales.orders']])).toEqual([
      ['2025-03-14T00:00:00.000', 345, 3],
      ['2025-03-15T00:00:00.000', 365.35, 2],
      ['2025-03-16T00:00:00.000', 70, 1],
    ]);
    expect(result.rows[0]?.['sales.order_date']).toBe('2025-03-14T00:00:00.000');
    expect(result.rows.map((r) => r['sales.average_ticket'] as number)).toEqual([115, expect.closeTo(182.675, 6), 70]);
    expect(typeof result.rows[0]?.['sales.orders']).toBe('number');
    expect(result.cached).toBe(false);
    expect(result.dataVersion).toBe(0);
    expect(result.annotation.measures.map((m) => [m.name, m.format])).toEqual([
      ['sales.revenue', 'currency'],
      ['sales.orders', 'number'],
      ['sales.average_ticket', 'currency'],
    ]);
    expect(result.annotation.timeDimensions).toEqual([expect.objectContaining({ name: 'sales.order_date.day', granularity: 'day', type: 'time' })]);
  });

  it('groups the same orders by UTC day when the query asks for UTC', async () => {
    const result = await engine.load(
      q({ measures: ['sales.revenue'], timeDimensions: [{ dimension: 'sales.order_date', granularity: 'day' }], timezone: 'UTC' }),
      analyst,
    );
    expect(result.rows.map((r) => [r['sales.order_date'], r['sales.revenue']])).toEqual([
      ['2025-03-14T00:00:00.000', 150],
      ['2025-03-15T00:00:00.000', 520.25],
      ['2025-03-16T00:00:00.000', 110.1],
    ]);
  });

  it('filters a São Paulo day by its local bounds', async () => {
    const result = await engine.load(
      q({ measures: ['sales.revenue', 'sales.orders'], timeDimensions: [{ dimension: 'sales.order_date', dateRange: '2025-03-14' }] }),
      analyst,
    );
    expect(result.rows).toEqual([{ 'sales.revenue': 345, 'sales.orders': 3 }]);
  });

  it('excludes canceled and pending orders from sales but counts them where defined', async () => {
    const result = await engine.load(
      q({ measures: ['sales.orders', 'sales.placed_orders', 'sales.canceled_orders', 'sales.cancellation_rate', 'sales.customers', 'sales.items_sold', 'sales.discounts', 'sales.shipping', 'sales.gmv'] }),
      analyst,
    );
    expect(result.rows).toEqual([
      {
        'sales.orders': 6,
        'sales.placed_orders': ORDERS.length,
        'sales.canceled_orders': 1,
        'sales.cancellation_rate': 0.125,
        'sales.customers': 3,
        'sales.items_sold': 12,
        'sales.discounts': 30,
        'sales.shipping': 50.25,
        // Every order placed, canceled (o4) and pending (o5) included.
        'sales.gmv': 920.35,
      },
    ]);
  });

  it('breaks revenue down by channel', async () => {
    const result = await engine.load(q({ measures: ['sales.revenue', 'sales.orders'], dimensions: ['sales.channel'], order: [['sales.channel', 'asc']] }), analyst);
    expect(result.rows).toEqual([
      { 'sales.channel': 'Mercado Livre', 'sales.revenue': 375.25, 'sales.orders': 2 },
      { 'sales.channel': 'Site', 'sales.revenue': 405.1, 'sales.orders': 4 },
    ]);
  });

  it('breaks revenue down by status; the sales_only segment drops non-sales', async () => {
    const all = await engine.load(q({ measures: ['sales.revenue', 'sales.orders'], dimensions: ['sales.status'], order: [['sales.status', 'asc']] }), analyst);
    expect(all.rows).toEqual([
      { 'sales.status': 'canceled', 'sales.revenue': null, 'sales.orders': 0 },
      { 'sales.status': 'handling', 'sales.revenue': 195, 'sales.orders': 1 },
      { 'sales.status': 'invoiced', 'sales.revenue': 495.25, 'sales.orders': 3 },
      { 'sales.status': 'payment-approved', 'sales.revenue': 50, 'sales.orders': 1 },
      { 'sales.status': 'payment-pending', 'sales.revenue': null, 'sales.orders': 0 },
      { 'sales.status': 'ready-for-handling', 'sales.revenue': 40.1, 'sales.orders': 1 },
    ]);
    const sales = await engine.load(
      q({ measures: ['sales.orders'], dimensions: ['sales.status_label'], segments: ['sales.sales_only'], order: [['sales.status_label', 'asc']] }),
      analyst,
    );
    expect(sales.rows.map((r) => r['sales.status_label'])).toEqual(['Faturado', 'Pagamento aprovado', 'Preparando entrega', 'Pronto para manuseio']);
  });

  it('applies filters, measure filters, order and limit', async () => {
    const siteOn14th = await engine.load(
      q({
        measures: ['sales.revenue', 'sales.orders'],
        filters: [
          { member: 'sales.channel', operator: 'equals', values: ['Site'] },
          { member: 'sales.order_date', operator: 'inDateRange', values: ['2025-03-14', '2025-03-14'] },
        ],
      }),
      analyst,
    );
    expect(siteOn14th.rows).toEqual([{ 'sales.revenue': 295, 'sales.orders': 2 }]);

    const top = await engine.load(q({ measures: ['sales.revenue'], dimensions: ['sales.store'], order: [['sales.revenue', 'desc']], limit: 1 }), analyst);
    expect(top.rows).toEqual([{ 'sales.store': 'Loja Centro', 'sales.revenue': 405.1 }]);

    const big = await engine.load(
      q({ measures: ['sales.revenue'], dimensions: ['sales.customer_state'], filters: [{ member: 'sales.revenue', operator: 'gt', values: ['400'] }] }),
      analyst,
    );
    expect(big.rows).toEqual([{ 'sales.customer_state': 'SP', 'sales.revenue': 690.25 }]);

    const coupon = await engine.load(
      q({ measures: ['sales.orders'], dimensions: ['sales.coupon'], filters: [{ member: 'sales.coupon', operator: 'set' }] }),
      analyst,
    );
    expect(coupon.rows).toEqual([{ 'sales.coupon': 'BEMVINDO10', 'sales.orders': 2 }]);
  });

  it('serves item-level sales through the product_sales view', async () => {
    const result = await engine.load(q({ measures: ['product_sales.item_revenue', 'product_sales.units'], dimensions: ['product_sales.product'] }), analyst);
    expect(result.rows).toEqual([
      { 'product_sales.product': 'Tênis Corrida 42', 'product_sales.item_revenue': 300, 'product_sales.units': 4 },
      { 'product_sales.product': 'Camiseta Azul M', 'product_sales.item_revenue': 100, 'product_sales.units': 2 },
    ]);
  });
});

describe('query errors', () => {
  it('names an unknown member', async () => {
    const err = await expectQueryError(engine.load(q({ measures: ['sales.foo'] }), analyst), 'UNKNOWN_MEMBER', 'sales.foo');
    expect(err.message).toBe('Unknown member "sales.foo" in measures');
    await expectQueryError(engine.load(q({ measures: ['sales.revenue'], dimensions: ['sales.nope'] }), analyst), 'UNKNOWN_MEMBER', 'sales.nope');
  });

  it('rejects cube members: only views are public', async () => {
    const err = await expectQueryError(engine.load(q({ measures: ['orders.revenue'] }), analyst), 'UNKNOWN_MEMBER', 'orders.revenue');
    expect(err.message).toContain('is not a public view member');
  });

  it('rejects a bad date range, naming the field', async () => {
    const invalid = await expectQueryError(
      engine.load(q({ measures: ['sales.revenue'], timeDimensions: [{ dimension: 'sales.order_date', dateRange: ['2025-13-01', '2025-03-01'] }] }), analyst),
      'INVALID_DATE_RANGE',
      'sales.order_date',
    );
    expect(invalid.message).toContain('timeDimensions[0].dateRange[0]');
    await expectQueryError(
      engine.load(q({ measures: ['sales.revenue'], timeDimensions: [{ dimension: 'sales.order_date', dateRange: ['2025-03-10', '2025-03-01'] }] }), analyst),
      'INVALID_DATE_RANGE',
      'sales.order_date',
    );
    await expectQueryError(
      engine.load(q({ measures: ['sales.revenue'], timeDimensions: [{ dimension: 'sales.order_date', dateRange: 'the other day' }] }), analyst),
      'INVALID_DATE_RANGE',
      'sales.order_date',
    );
  });

  it('rejects a bad granularity and a non-time time dimension', async () => {
    const bad = { measures: ['sales.revenue'], timeDimensions: [{ dimension: 'sales.order_date', granularity: 'fortnight' }] };
    const err = await expectQueryError(engine.load(bad as unknown as MetricsQuery, analyst), 'INVALID_QUERY');
    expect(err.message).toContain('timeDimensions[0].granularity');
    await expectQueryError(
      engine.load(q({ measures: ['sales.revenue'], timeDimensions: [{ dimension: 'sales.channel', granularity: 'day' }] }), analyst),
      'INVALID_QUERY',
      'sales.channel',
    );
  });

  it('rejects mixing views and ordering by a member outside the query', async () => {
    await expectQueryError(engine.load(q({ measures: ['sales.revenue', 'product_sales.units'] }), analyst), 'INVALID_QUERY');
    await expectQueryError(engine.load(q({ measures: ['sales.revenue'], order: [['sales.orders', 'desc']] }), analyst), 'INVALID_QUERY', 'sales.orders');
  });
});

describe('result cache', () => {
  const byDay = q({ measures: ['sales.revenue'], timeDimensions: [{ dimension: 'sales.order_date', granularity: 'day', dateRange: ['2025-03-14', '2025-03-20'] }] });

  it('serves a repeat from cache, renewQuery bypasses it, a new gold version misses', async () => {
    const first = await engine.load(byDay, analyst);
    const before = warehouseQueries();
    const second = await engine.load(byDay, analyst);
    expect(second.cached).toBe(true);
    expect(second.rows).toEqual(first.rows);
    expect(warehouseQueries()).toBe(before);

    const renewed = await engine.load({ ...byDay, renewQuery: true }, analyst);
    expect(renewed.cached).toBe(false);
    expect(warehouseQueries()).toBe(before + 1);
    expect((await engine.load(byDay, analyst)).cached).toBe(true);

    // A gold refresh: new rows and a version bump in one transaction, published after commit.
    const late = { ...(ORDERS[0] as (typeof ORDERS)[number]), order_id: 'o9', created_at: '2025-03-17T15:00:00Z', total: '10.00' };
    const version = await fixture.warehouse.transaction(async (tx) => {
      await insertOrders(tx, [late]);
      return fixture.dataVersions.bumpInTransaction(tx);
    });
    fixture.dataVersions.publish(version);

    const refreshed = await engine.load(byDay, analyst);
    expect(refreshed.cached).toBe(false);
    expect(refreshed.dataVersion).toBe(version);
    expect(refreshed.rows.at(-1)).toEqual({ 'sales.order_date.day': '2025-03-17T00:00:00.000', 'sales.order_date': '2025-03-17T00:00:00.000', 'sales.revenue': 10 });
    expect((await engine.load(byDay, analyst)).cached).toBe(true);
  });

  it('keys by role and by the query, not by how it was written', async () => {
    const query = q({ measures: ['sales.orders'], dimensions: ['sales.channel_type'] });
    await engine.load(query, analyst);
    const reordered = JSON.parse(JSON.stringify({ dimensions: query.dimensions, measures: query.measures })) as MetricsQuery;
    expect((await engine.load(q(reordered), analyst)).cached).toBe(true);
    expect((await engine.load(query, roleContext('app'))).cached).toBe(false);
  });

  it('shares one warehouse query between concurrent identical misses', async () => {
    const query = q({ measures: ['sales.shipping'], dimensions: ['sales.utm_campaign'] });
    const before = warehouseQueries();
    const results = await Promise.all(Array.from({ length: 5 }, () => engine.load(query, analyst)));
    expect(warehouseQueries()).toBe(before + 1);
    expect(new Set(results.map((r) => JSON.stringify(r.rows))).size).toBe(1);
  });

  // How fast a hit is belongs to `npm run bench`; here, that a hit does no work: no warehouse
  // query, and the very rows computed the first time (frozen, shared, not copied).
  it('answers a hit without the warehouse and without copying the rows', async () => {
    const query = q({ measures: ['sales.revenue', 'sales.orders', 'sales.average_ticket'], dimensions: ['sales.channel'], timeDimensions: [{ dimension: 'sales.order_date', granularity: 'day', dateRange: ['2025-03-01', '2025-03-31'] }] });
    const first = await engine.load(query, analyst);
    const before = warehouseQueries();
    for (let i = 0; i < 50; i++) {
      const hit = await engine.load(query, analyst);
      expect(hit.cached).toBe(true);
      expect(hit.rows).toBe(first.rows);
    }
    expect(warehouseQueries()).toBe(before);
    expect(Object.isFrozen(first.rows)).toBe(true);
  });
});

describe('catalog and SQL', () => {
  it('lists the views with descriptions and formats, and no cubes', async () => {
    const service: MetricsService = engine;
    const views = await service.catalog(analyst);
    expect(views.map((v) => v.name)).toEqual(['customers', 'product_sales', 'sales', 'store_targets']);
    const sales = views.find((v) => v.name === 'sales');
    expect(sales?.description).toMatch(/payment-approved/);
    const revenue = sales?.measures.find((m) => m.name === 'sales.revenue');
    expect(revenue).toMatchObject({ kind: 'measure', format: 'currency', currency: 'BRL', type: 'number' });
    expect(revenue?.description).toMatch(/after discounts and including shipping/);
    expect(sales?.dimensions.find((d) => d.name === 'sales.order_date')).toMatchObject({ kind: 'timeDimension', type: 'time' });
    expect(sales?.segments.map((s) => s.name)).toEqual(['sales.sales_only']);
    for (const v of views) for (const m of [...v.measures, ...v.dimensions, ...v.segments]) expect(m.description, m.name).toBeTruthy();
  });

  it('shows the SQL a query compiles to', async () => {
    const { sql, params } = await engine.toSql(q({ measures: ['sales.revenue'], timeDimensions: [{ dimension: 'sales.order_date', granularity: 'month', dateRange: ['2025-01-01', '2025-12-31'] }] }), analyst);
    expect(sql).toContain("timezone('America/Sao_Paulo'");
    // The row window is a parameter: queries of one shape share the SQL text.
    expect(sql).toMatch(/LIMIT \?$/);
    expect(params).toEqual(['2025-01-01T03:00:00.000Z', '2026-01-01T02:59:59.999Z', 10000]);
  });
});
