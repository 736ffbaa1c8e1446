import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metricsQuerySchema, type MetricsQuery } from '../../src/metrics/metrics-query.js';
import type { MetricsResult, SecurityContext } from '../../src/metrics/metrics-service.js';
import { createSemanticEngine, type SemanticEngine } from '../../src/metrics/semantic-engine.js';
import { policy } from '../fixtures/access-policies.js';
import { customContext, roleContext } from '../fixtures/security-contexts.js';
import { BUSINESS_TZ, MODEL_DIR, ORDERS, insertOrders, openGoldFixture, type GoldFixture, type OrderFixture } from './gold-fixtures.js';

/**
 * The sales_daily rollup against the hand-checkable gold star: one engine with pre-aggregations,
 * one without (the raw reference), over the same DuckDB file.
 */
const analyst = roleContext('analyst');
const app = roleContext('app');

let fixture: GoldFixture;
let engine: SemanticEngine;
let raw: SemanticEngine;

beforeAll(async () => {
  fixture = await openGoldFixture();
  const common = { warehouse: fixture.warehouse, modelDir: MODEL_DIR, dataVersions: fixture.dataVersions, timezone: BUSINESS_TZ, cache: { maxEntries: 100, ttlMs: 0 } };
  engine = await createSemanticEngine({ ...common, preAggregations: true });
  raw = await createSemanticEngine({ ...common, preAggregations: false });
  await engine.preAggregations?.settled();
});

afterAll(async () => {
  await engine?.close();
  await raw?.close();
  await fixture?.cleanup();
});

const q = (input: Partial<MetricsQuery>): MetricsQuery => metricsQuerySchema.parse({ ...input, renewQuery: true });

/** The same query through the rollup engine and the raw one; both answers, after checking they agree. */
async function both(input: Partial<MetricsQuery>, ctx: SecurityContext = analyst): Promise<{ rolled: MetricsResult; gold: MetricsResult }> {
  const rolled = await engine.load(q(input), ctx);
  const gold = await raw.load(q(input), ctx);
  expect(gold.servedFrom).toBe('warehouse');
  // Rows tied under the query's order (two channels in one week) come in no defined order from either.
  expect(sorted(rolled.rows)).toEqual(sorted(gold.rows));
  return { rolled, gold };
}

function sorted(rows: MetricsResult['rows']): string[] {
  return rows.map((r) => JSON.stringify(Object.entries(r).sort(([a], [b]) => a.localeCompare(b)))).sort();
}

const SALES = ['sales.revenue', 'sales.orders', 'sales.average_ticket', 'sales.items_sold', 'sales.placed_orders', 'sales.canceled_orders', 'sales.cancellation_rate'];

describe('a query the rollup answers', () => {
  it('is served from the rollup built for the current data version, with the numbers gold gives', async () => {
    const { rolled } = await both({ measures: SALES, dimensions: ['sales.channel', 'sales.store'], timeDimensions: [{ dimension: 'sales.order_date', granularity: 'day' }] });
    expect(rolled.servedFrom).toBe('pre-aggregation');
    expect(rolled.dataVersion).toBe(0);
    expect(rolled.sql?.sql).toMatch(/FROM preagg\.orders_sales_daily_[0-9a-f]{10}_v0\b/);
    expect(rolled.sql?.sql).not.toMatch(/gold\./);
    // Hand-checked: the 14th in São Paulo, Site at Loja Centro, is o1 + o3 (o3 is 22:30 local).
    expect(rolled.rows).toContainEqual(expect.objectContaining({
      'sales.order_date.day': '2025-03-14T00:00:00.000', 'sales.channel': 'Site', 'sales.store': 'Loja Centro', 'sales.revenue': 295, 'sales.orders': 2,
    }));
  });

  it.each(['week', 'month', 'quarter', 'year'] as const)('regroups São Paulo days into %s with the same numbers', async (granularity) => {
    const { rolled } = await both({ measures: SALES, dimensions: ['sales.channel_type'], timeDimensions: [{ dimension: 'sales.order_date', granularity }] });
    expect(rolled.servedFrom).toBe('pre-aggregation');
    expect(rolled.rows.length).toBeGreaterThan(0);
  });

  it('serves whole-day date ranges, each period of a period-over-period pair equal to gold', async () => {
    for (const dateRange of [['2025-03-15', '2025-03-16'], ['2025-03-13', '2025-03-14']] as [string, string][]) {
      const { rolled } = await both({ measures: ['sales.revenue', 'sales.orders'], timeDimensions: [{ dimension: 'sales.order_date', granularity: 'day', dateRange }] });
      expect(rolled.servedFrom).toBe('pre-aggregation');
    }
    const { rolled } = await both({ measures: ['sales.revenue'], timeDimensions: [{ dimension: 'sales.order_date', dateRange: ['2025-03-14', '2025-03-15'] }] });
    expect(rolled.rows).toEqual([{ 'sales.revenue': 710.35 }]);
  });

  it('keeps a count at 0, not null, where no row qualifies (Cube would sum the stored counts to null)', async () => {
    const { rolled } = await both({
      measures: ['sales.orders', 'sales.placed_orders', 'sales.revenue', 'sales.average_ticket'],
      filters: [{ member: 'sales.store', operator: 'equals', values: ['Loja Norte'] }],
    });
    expect(rolled.servedFrom).toBe('pre-aggregation');
    expect(rolled.rows).toEqual([{ 'sales.orders': 0, 'sales.placed_orders': 0, 'sales.revenue': null, 'sales.average_ticket': null }]);
  });

  it('applies filters on rollup dimensions as parameters, whatever characters they carry', async () => {
    const hostile = ["Site'; DROP TABLE gold.fct_orders; --", 'preagg.orders_sales_daily', '%', '\\', '"channels__name"'];
    for (const operator of ['equals', 'contains', 'startsWith'] as const) {
      const { rolled } = await both({ measures: ['sales.orders'], dimensions: ['sales.channel'], filters: [{ member: 'sales.channel', operator, values: hostile }] });
      expect(rolled.servedFrom).toBe('pre-aggregation');
      // The values, and a numeric LIMIT when the plan came from its shape's template.
      expect(rolled.sql?.params.filter((p) => typeof p === 'string')).toHaveLength(hostile.length);
      expect(rolled.rows).toEqual([]);
    }
    const exact = await engine.load(q({ measures: ['sales.orders'], filters: [{ member: 'sales.channel', operator: 'equals', values: hostile }] }), analyst);
    expect(exact.sql?.params.slice(0, hostile.length)).toEqual(hostile);
    expect(exact.sql?.sql).not.toContain('DROP');
  });

  it('gives the cached, the pre-aggregated and the raw answer alike', async () => {
    const query = { measures: SALES, dimensions: ['sales.store'], timeDimensions: [{ dimension: 'sales.order_date', granularity: 'month' as const }] };
    const first = await engine.load(metricsQuerySchema.parse(query), app);
    const hit = await engine.load(metricsQuerySchema.parse(query), app);
    const renewed = await engine.load(q(query), app);
    const gold = await raw.load(q(query), app);
    expect([first.servedFrom, hit.servedFrom, renewed.servedFrom]).toEqual(['pre-aggregation', 'cache', 'pre-aggregation']);
    expect(hit.rows).toEqual(first.rows);
    // Rows of one month by store have no order among themselves: compared as sets.
    expect(sorted(renewed.rows)).toEqual(sorted(first.rows));
    expect(sorted(gold.rows)).toEqual(sorted(first.rows));
    // The SQL is for roles with metricsSql only; app has none, analyst has it.
    expect(hit.sql).toBeUndefined();
  });
});

describe('a query the rollup cannot answer runs on gold', () => {
  const cases: [string, Partial<MetricsQuery>][] = [
    ['in another time zone', { measures: ['sales.revenue'], timeDimensions: [{ dimension: 'sales.order_date', granularity: 'day' }], timezone: 'Asia/Tokyo' }],
    ['in a zone with the same offset today but another name', { measures: ['sales.revenue'], timeDimensions: [{ dimension: 'sales.order_date', granularity: 'day' }], timezone: 'America/Recife' }],
    ['by a dimension outside the rollup', { measures: ['sales.revenue'], dimensions: ['sales.status'] }],
    ['filtered on a dimension outside the rollup', { measures: ['sales.revenue'], filters: [{ member: 'sales.coupon', operator: 'set' }] }],
    ['with a segment', { measures: ['sales.revenue'], segments: ['sales.sales_only'] }],
    ['with a distinct count (not additive)', { measures: ['sales.revenue', 'sales.customers'], timeDimensions: [{ dimension: 'sales.order_date', granularity: 'month' }] }],
    ['finer than a day', { measures: ['sales.revenue'], timeDimensions: [{ dimension: 'sales.order_date', granularity: 'hour' }] }],
    ['over a range that cuts through a day', { measures: ['sales.revenue'], timeDimensions: [{ dimension: 'sales.order_date', granularity: 'day', dateRange: ['2025-03-14T12:00:00', '2025-03-15T23:59:59.999'] }] }],
  ];
  it.each(cases)('%s', async (_, input) => {
    const { rolled } = await both(input);
    expect(rolled.servedFrom).toBe('warehouse');
    expect(rolled.sql?.sql).not.toMatch(/preagg\./);
    expect(rolled.sql?.sql).toMatch(/gold\.fct_orders/);
  });

  it('the cut-through-a-day range really differs from whole days (so serving it from days would be wrong)', async () => {
    const cut = await raw.load(q(cases[7]![1]), analyst);
    const days = await raw.load(q({ measures: ['sales.revenue'], timeDimensions: [{ dimension: 'sales.order_date', granularity: 'day', dateRange: ['2025-03-14', '2025-03-15'] }] }), analyst);
    expect(cut.rows).not.toEqual(days.rows);
  });
});

describe('row filters', () => {
  const centro = customContext(policy('store_manager'), { store: 'centro' });
  const sul = customContext(policy('store_manager'), { store: 'sul' });
  const nowhere = customContext(policy('store_manager'), { store: 'norte' });

  it("are applied on the rollup's store key, so a store manager sees only their store", async () => {
    const query = { measures: ['sales.revenue', 'sales.orders'], timeDimensions: [{ dimension: 'sales.order_date', granularity: 'month' as const }] };
    const a = await both(query, centro);
    const b = await both(query, sul);
    const none = await both({ measures: ['sales.revenue', 'sales.orders'] }, nowhere);
    expect(a.rolled.servedFrom).toBe('pre-aggregation');
    expect(a.rolled.rows).toEqual([{ 'sales.order_date.month': '2025-03-01T00:00:00.000', 'sales.order_date': '2025-03-01T00:00:00.000', 'sales.revenue': 405.1, 'sales.orders': 4 }]);
    expect(b.rolled.rows).toEqual([{ 'sales.order_date.month': '2025-03-01T00:00:00.000', 'sales.order_date': '2025-03-01T00:00:00.000', 'sales.revenue': 375.25, 'sales.orders': 2 }]);
    expect(none.rolled.rows).toEqual([{ 'sales.revenue': null, 'sales.orders': 0 }]);
  });

  it('are in the SQL the rollup answer was computed with', async () => {
    const manager = policy('store_manager');
    const ctx = customContext({ ...manager, capabilities: new Set([...manager.capabilities, 'metricsSql' as const]) }, { store: 'centro' });
    const r = await engine.load(q({ measures: ['sales.revenue'] }), ctx);
    expect(r.servedFrom).toBe('pre-aggregation');
    expect(r.sql?.sql).toMatch(/"stores__store_key" = \?/);
    expect(r.sql?.params).toContain('centro');
  });
});

describe('after a gold refresh', () => {
  const extra: OrderFixture = { ...ORDERS[0]!, order_id: 'o9', created_at: '2025-03-16T15:00:00Z', channel_key: 'mkt:ml', store_key: 'sul', total: '1000.00', items_total: '1000.00' };
  const query = { measures: ['sales.revenue', 'sales.orders'], dimensions: ['sales.channel'], timeDimensions: [{ dimension: 'sales.order_date', granularity: 'day' as const }] };

  it('answers from gold until the new build exists, then from the new build, with the new order in both', async () => {
    const before = await both(query);
    const version = await fixture.warehouse.transaction(async (tx) => {
      await insertOrders(tx, [extra]);
      return fixture.dataVersions.bumpInTransaction(tx);
    });
    fixture.dataVersions.publish(version);
    // The build started on publish; it cannot have committed before this synchronous check runs.
    const during = await engine.load(q(query), analyst);
    expect(during.servedFrom).toBe('warehouse');
    expect(during.dataVersion).toBe(version);
    await engine.preAggregations?.settled();
    const after = await both(query);
    expect(after.rolled.servedFrom).toBe('pre-aggregation');
    expect(after.rolled.dataVersion).toBe(version);
    expect(after.rolled.sql?.sql).toContain(`_v${version}`);
    expect(after.rolled.rows).toEqual(during.rows);
    expect(after.rolled.rows).not.toEqual(before.rolled.rows);
    expect(after.rolled.rows).toContainEqual(expect.objectContaining({ 'sales.order_date.day': '2025-03-16T00:00:00.000', 'sales.channel': 'Mercado Livre', 'sales.revenue': 1000, 'sales.orders': 1 }));
  });

  it('keeps the current and the previous build only', async () => {
    const version = await fixture.warehouse.transaction((tx) => fixture.dataVersions.bumpInTransaction(tx));
    fixture.dataVersions.publish(version);
    await engine.preAggregations?.settled();
    const tables = (await fixture.warehouse.query<{ table_name: string }>("SELECT table_name FROM information_schema.tables WHERE table_schema = 'preagg' ORDER BY table_name")).map((r) => r.table_name);
    expect(tables).toHaveLength(2);
    expect(tables.map((t) => Number(/_v(\d+)$/.exec(t)?.[1]))).toEqual([version - 1, version].sort());
    expect(engine.preAggregations?.built().map((b) => b.dataVersion)).toEqual([version, version - 1]);
  });

  it('answers from gold when the build it planned against has gone', async () => {
    const [current] = engine.preAggregations?.built() ?? [];
    await fixture.warehouse.execute(`DROP TABLE ${current!.table}`);
    const r = await engine.load(q(query), analyst);
    expect(r.servedFrom).toBe('warehouse');
    expect(r.rows).toEqual((await raw.load(q(query), analyst)).rows);
  });
});
