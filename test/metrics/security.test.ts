import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthError, type SecurityContext } from '../../src/auth/index.js';
import { MetricsQueryError, type MetricsQueryErrorCode } from '../../src/metrics/metrics-errors.js';
import { metricsQuerySchema, type MetricsQuery } from '../../src/metrics/metrics-query.js';
import { createSemanticEngine, type SemanticEngine } from '../../src/metrics/semantic-engine.js';
import { policy } from '../fixtures/access-policies.js';
import { customContext, roleContext } from '../fixtures/security-contexts.js';
import { BUSINESS_TZ, MODEL_DIR, countingWarehouse, openGoldFixture, type GoldFixture } from './gold-fixtures.js';

/**
 * Member access and row-level rules applied inside the engine, against the real model and a
 * real DuckDB file. Fixture stores: `centro` sells o1 100.00 + o3 195.00 + o7 40.10 + o8 70.00
 * = 405.10 (4 orders); `sul` o2 50.00 + o6 325.25 = 375.25 (2 orders); 780.35 in all.
 */
const q = (input: Partial<MetricsQuery>): MetricsQuery => metricsQuerySchema.parse(input);

const admin = roleContext('admin');
const app = roleContext('app');
const analyst = roleContext('analyst');
const pos = roleContext('pos');
const centro = customContext(policy('store_manager'), { store: 'centro' });
const sul = customContext(policy('store_manager'), { store: 'sul' });

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

async function refusal(p: Promise<unknown>): Promise<MetricsQueryError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(MetricsQueryError);
  return err as MetricsQueryError;
}

async function expectForbidden(p: Promise<unknown>, code: MetricsQueryErrorCode, member?: string): Promise<void> {
  const err = await refusal(p);
  expect(err.code).toBe(code);
  if (member !== undefined) {
    expect(err.member).toBe(member);
    expect(err.message).toBe(`Access to member "${member}" is forbidden`);
  }
}

const revenue = async (query: Partial<MetricsQuery>, ctx: SecurityContext) => (await engine.load(q({ measures: ['sales.revenue'], ...query }), ctx)).rows;

describe('catalog per role', () => {
  const names = async (ctx: SecurityContext) =>
    (await engine.catalog(ctx)).map((v) => ({ view: v.name, members: [...v.measures, ...v.dimensions, ...v.segments].map((m) => m.name) }));

  it('shows admin, app and analyst every view and member', async () => {
    const full = await names(admin);
    expect(full.map((v) => v.view)).toEqual(['customers', 'product_sales', 'sales', 'store_targets']);
    expect(await names(app)).toEqual(full);
    expect(await names(analyst)).toEqual(full);
  });

  it('shows pos nothing: tills have no semantic-model access', async () => {
    expect(await engine.catalog(pos)).toEqual([]);
  });

  it('leaves denied members out of a custom role\'s catalog', async () => {
    const views = await names(centro);
    const all = views.flatMap((v) => v.members);
    expect(views.map((v) => v.view)).toEqual(['product_sales', 'sales']);
    expect(all).toContain('sales.revenue');
    expect(all).not.toContain('sales.coupon');
    expect(all).not.toContain('product_sales.cost');
  });

  it('leaves out a view the role\'s row rule cannot reach', async () => {
    const partner = customContext(policy('brand_partner'));
    expect((await engine.catalog(partner)).map((v) => v.name)).toEqual(['product_sales']);
    await expectForbidden(engine.load(q({ measures: ['sales.revenue'] }), partner), 'FORBIDDEN_VIEW');
    // Sold items of brand Farol (sku-1): o1's 2 units; o4 was canceled.
    expect((await engine.load(q({ measures: ['product_sales.units'] }), partner)).rows).toEqual([{ 'product_sales.units': 2 }]);
  });
});

describe('members a role may not see', () => {
  it('are refused by name wherever the query names them, before anything runs', async () => {
    const before = warehouseQueries();
    await expectForbidden(engine.load(q({ measures: ['sales.revenue'], dimensions: ['sales.coupon'] }), centro), 'FORBIDDEN_MEMBER', 'sales.coupon');
    await expectForbidden(engine.load(q({ measures: ['sales.revenue'], filters: [{ or: [{ member: 'sales.coupon', operator: 'set' }] }] }), centro), 'FORBIDDEN_MEMBER', 'sales.coupon');
    await expectForbidden(engine.load(q({ measures: ['product_sales.cost'] }), centro), 'FORBIDDEN_MEMBER', 'product_sales.cost');
    await expectForbidden(engine.toSql(q({ measures: ['sales.revenue'], dimensions: ['sales.coupon'] }), centro), 'FORBIDDEN_MEMBER', 'sales.coupon');
    expect(warehouseQueries()).toBe(before);
  });

  it('refuse pos every member', async () => {
    await expectForbidden(engine.load(q({ measures: ['sales.orders'] }), pos), 'FORBIDDEN_MEMBER', 'sales.orders');
  });
});

describe('the store manager row rule', () => {
  it('limits every answer to the claimed store', async () => {
    expect(await revenue({}, centro)).toEqual([{ 'sales.revenue': 405.1 }]);
    expect(await revenue({}, sul)).toEqual([{ 'sales.revenue': 375.25 }]);
    expect(await revenue({ dimensions: ['sales.store'] }, centro)).toEqual([{ 'sales.store': 'Loja Centro', 'sales.revenue': 405.1 }]);
  });

  it('holds against a filter on another store', async () => {
    const rows = await revenue({ filters: [{ member: 'sales.store', operator: 'equals', values: ['Loja Sul'] }] }, centro);
    expect(rows).toEqual([{ 'sales.revenue': null }]);
  });

  it('holds against OR-ing another store in', async () => {
    const rows = await revenue(
      { dimensions: ['sales.store'], filters: [{ or: [{ member: 'sales.store', operator: 'equals', values: ['Loja Sul'] }, { member: 'sales.store', operator: 'notEquals', values: ['nada'] }, { member: 'sales.store', operator: 'notSet' }] }] },
      centro,
    );
    expect(rows).toEqual([{ 'sales.store': 'Loja Centro', 'sales.revenue': 405.1 }]);
  });

  it('holds with a segment, a time filter and an order', async () => {
    const rows = await revenue(
      { segments: ['sales.sales_only'], dimensions: ['sales.channel'], timeDimensions: [{ dimension: 'sales.order_date', dateRange: ['2025-03-01', '2025-03-31'] }], order: [['sales.channel', 'desc']] },
      centro,
    );
    expect(rows).toEqual([{ 'sales.channel': 'Site', 'sales.revenue': 405.1 }]);
  });

  it('holds through another view that reaches the same cube', async () => {
    const units = (ctx: SecurityContext) => engine.load(q({ measures: ['product_sales.units'], dimensions: ['product_sales.store'] }), ctx);
    expect((await units(admin)).rows).toEqual(expect.arrayContaining([{ 'product_sales.store': 'Loja Sul', 'product_sales.units': 4 }]));
    expect((await units(centro)).rows).toEqual([{ 'product_sales.store': 'Loja Centro', 'product_sales.units': 2 }]);
  });

  it('holds against an answer admin cached first, and keys the cache by the claimed store', async () => {
    const query = q({ measures: ['sales.revenue', 'sales.orders'], dimensions: ['sales.channel_type'] });
    const adminFirst = await engine.load(query, admin);
    expect(adminFirst.rows).toEqual(expect.arrayContaining([{ 'sales.channel_type': 'marketplace', 'sales.revenue': 375.25, 'sales.orders': 2 }]));
    expect((await engine.load(query, admin)).cached).toBe(true);

    const manager = await engine.load(query, centro);
    expect(manager.cached).toBe(false);
    expect(manager.rows).toEqual([{ 'sales.channel_type': 'site', 'sales.revenue': 405.1, 'sales.orders': 4 }]);
    expect((await engine.load(query, centro)).cached).toBe(true);

    const other = await engine.load(query, sul);
    expect(other.cached).toBe(false);
    expect(other.rows).toEqual([{ 'sales.channel_type': 'marketplace', 'sales.revenue': 375.25, 'sales.orders': 2 }]);
  });

  it('compiles the rule into the SQL itself', async () => {
    const { sql, params } = await engine.toSql(q({ measures: ['sales.revenue'] }), centro);
    expect(sql).toMatch(/"stores"\.store_key = \?/);
    expect(params).toContain('centro');
  });

  it('takes every store a list claim names', async () => {
    expect(await revenue({}, customContext(policy('store_manager'), { store: ['centro', 'sul'] }))).toEqual([{ 'sales.revenue': 780.35 }]);
  });

  it('fails closed when the token lacks the claim', () => {
    expect(() => customContext(policy('store_manager'), {})).toThrow(AuthError);
    expect(() => customContext(policy('store_manager'), { store: '' })).toThrow(/needs the claim "store"/);
    expect(() => customContext(policy('store_manager'), { store: { nested: 'centro' } })).toThrow(AuthError);
  });
});
