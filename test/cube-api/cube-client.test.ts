import fs from 'node:fs';
import cube, { Meta, RequestError, type CubeApi, type Query } from '@cubejs-client/core';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metricsQuerySchema, type MetricsQuery } from '../../src/metrics/metrics-query.js';
import { createSemanticEngine, type SemanticEngine } from '../../src/metrics/semantic-engine.js';
import { roleContext } from '../fixtures/security-contexts.js';
import { BUSINESS_TZ, openGoldFixture, type GoldFixture } from '../metrics/gold-fixtures.js';
import { withCustomerSalesView } from '../metrics/customer-sales-view.js';
import { JWT_SECRET, KEYS, startCubeApiServer, type CubeApiServer } from './cube-api-server.js';

/**
 * `@cubejs-client/core` 1.7.43, unchanged, pointed at Farol's Cube API over the gold fixture
 * (test/metrics/gold-fixtures.ts) and the real model, plus a view exposing a personal-data member.
 * Sales per São Paulo day: 2025-03-14 345.00 (3 orders), 03-15 365.35 (2), 03-16 70.00 (1).
 */

let fixture: GoldFixture;
let engine: SemanticEngine;
let server: CubeApiServer;
let modelDir: string;

const client = (token: string | (() => Promise<string>), options: { method?: 'GET' | 'POST'; castNumerics?: boolean } = {}): CubeApi =>
  cube(token, { apiUrl: server.apiUrl, ...options });

beforeAll(async () => {
  fixture = await openGoldFixture();
  modelDir = await withCustomerSalesView(fixture, 'farol-cube-api-model-');
  engine = await createSemanticEngine({
    warehouse: fixture.warehouse, modelDir, dataVersions: fixture.dataVersions, timezone: BUSINESS_TZ, cache: { maxEntries: 100, ttlMs: 60_000 },
  });
  server = await startCubeApiServer(engine);
});

afterAll(async () => {
  await server?.close();
  await engine?.close();
  await fixture?.cleanup();
  if (modelDir) fs.rmSync(modelDir, { recursive: true, force: true });
});

const byDay: Query = {
  measures: ['sales.revenue', 'sales.orders'],
  timeDimensions: [{ dimension: 'sales.order_date', granularity: 'day', dateRange: ['2025-03-14', '2025-03-16'] }],
};
const engineQuery = (q: Partial<MetricsQuery>): MetricsQuery => metricsQuerySchema.parse(q);

describe('cubeApi.load', () => {
  it('answers what the engine answers, keyed as Cube keys rows, numbers as strings', async () => {
    const expected = await engine.load(
      engineQuery({ measures: ['sales.revenue', 'sales.orders'], timeDimensions: [{ dimension: 'sales.order_date', granularity: 'day', dateRange: ['2025-03-14', '2025-03-16'] }] }),
      roleContext('analyst'),
    );
    const rs = await client(KEYS.analyst).load(byDay);
    expect(rs.rawData()).toEqual(
      expected.rows.map((r) => ({
        'sales.order_date.day': r['sales.order_date.day'],
        'sales.order_date': r['sales.order_date'],
        'sales.revenue': String(r['sales.revenue']),
        'sales.orders': String(r['sales.orders']),
      })),
    );
    expect(rs.rawData().map((r) => [r['sales.order_date.day'], Number(r['sales.revenue']), Number(r['sales.orders'])])).toEqual([
      ['2025-03-14T00:00:00.000', 345, 3],
      ['2025-03-15T00:00:00.000', 365.35, 2],
      ['2025-03-16T00:00:00.000', 70, 1],
    ]);
  });

  it('answers a cached result the same, in every response format, however often it is asked', async () => {
    const first = (await client(KEYS.analyst).load(byDay)).rawData();
    for (let i = 0; i < 3; i++) expect((await client(KEYS.analyst).load(byDay)).rawData()).toEqual(first);
    // The compact format is built from the same converted rows: numbers as strings, members once.
    const res = await fetch(`${server.apiUrl}/load?query=${encodeURIComponent(JSON.stringify({ ...byDay, responseFormat: 'compact' }))}`, {
      headers: { authorization: KEYS.analyst },
    });
    const compact = (await res.json()) as { results?: { data: { members: string[]; dataset: unknown[][] } }[]; data?: { members: string[]; dataset: unknown[][] } };
    const data = compact.data ?? compact.results?.[0]?.data;
    expect(data?.dataset).toEqual(first.map((r) => (data?.members ?? []).map((m) => r[m])));
    // The cached rows themselves were not touched by the conversion.
    expect((await client(KEYS.analyst).load(byDay)).rawData()).toEqual(first);
  });

  it('pivots with ResultSet: tablePivot, chartPivot, series, tableColumns', async () => {
    const rs = await client(KEYS.analyst).load(byDay);
    expect(rs.tablePivot()).toEqual([
      { 'sales.order_date.day': '2025-03-14T00:00:00.000', 'sales.revenue': '345', 'sales.orders': '3' },
      { 'sales.order_date.day': '2025-03-15T00:00:00.000', 'sales.revenue': '365.35', 'sales.orders': '2' },
      { 'sales.order_date.day': '2025-03-16T00:00:00.000', 'sales.revenue': '70', 'sales.orders': '1' },
    ]);
    expect(rs.chartPivot().map(({ x, 'sales.revenue': revenue, 'sales.orders': orders }) => ({ x, revenue, orders }))).toEqual([
      { x: '2025-03-14T00:00:00.000', revenue: 345, orders: 3 },
      { x: '2025-03-15T00:00:00.000', revenue: 365.35, orders: 2 },
      { x: '2025-03-16T00:00:00.000', revenue: 70, orders: 1 },
    ]);
    expect(rs.series().map((s) => ({ key: s.key, title: s.title, values: s.series.map((p) => p.value) }))).toEqual([
      { key: 'sales.revenue', title: 'Sales Revenue', values: [345, 365.35, 70] },
      { key: 'sales.orders', title: 'Sales Orders', values: [3, 2, 1] },
    ]);
    expect(rs.tableColumns().map((c) => c.key)).toEqual(['sales.order_date.day', 'sales.revenue', 'sales.orders']);
    const revenue = rs.annotation().measures['sales.revenue'];
    expect(revenue).toMatchObject({ title: 'Sales Revenue', type: 'number', format: 'currency' });
  });

  it('fills days without sales in chartPivot, as Cube does, from the resolved date range', async () => {
    const rs = await client(KEYS.analyst).load({ ...byDay, timeDimensions: [{ dimension: 'sales.order_date', granularity: 'day', dateRange: ['2025-03-13', '2025-03-17'] }] });
    expect(rs.chartPivot().map((p) => [p.x, p['sales.revenue']])).toEqual([
      ['2025-03-13T00:00:00.000', 0], ['2025-03-14T00:00:00.000', 345], ['2025-03-15T00:00:00.000', 365.35], ['2025-03-16T00:00:00.000', 70], ['2025-03-17T00:00:00.000', 0],
    ]);
  });

  it('casts numbers for clients that ask (castNumerics), and answers GET and POST alike', async () => {
    const viaGet = await client(KEYS.analyst, { castNumerics: true }).load(byDay);
    const viaPost = await client(KEYS.analyst, { method: 'POST', castNumerics: true }).load(byDay);
    expect(viaGet.rawData().map((r) => r['sales.revenue'])).toEqual([345, 365.35, 70]);
    expect(viaPost.rawData()).toEqual(viaGet.rawData());
  });

  it('accepts dimensions, filters on `dimension`, order as an object, and a time dimension written as view.member.granularity', async () => {
    const rs = await client(KEYS.analyst).load({
      measures: ['sales.revenue'],
      dimensions: ['sales.channel', 'sales.order_date.day'],
      filters: [{ dimension: 'sales.store', operator: 'equals', values: ['Loja Centro'] } as never],
      order: { 'sales.revenue': 'desc' },
    });
    const rows = rs.rawData();
    expect(rows[0]).toMatchObject({ 'sales.channel': 'Site', 'sales.order_date.day': '2025-03-14T00:00:00.000', 'sales.revenue': '295' });
    expect(rows.map((r) => Number(r['sales.revenue']))).toEqual([...rows.map((r) => Number(r['sales.revenue']))].sort((a, b) => b - a));
  });

  it("carries Farol's provenance beside Cube's fields without upsetting the client", async () => {
    const rs = await client(KEYS.analyst).load(byDay);
    const [result] = (rs.serialize().loadResponse as unknown as { results: Record<string, unknown>[] }).results;
    expect(result).toMatchObject({
      dataSource: 'default', dbType: 'duckdb', external: false, slowQuery: false, total: null,
      farol: { dataVersion: fixture.dataVersions.current(), servedFrom: expect.stringMatching(/^(cache|warehouse)$/) },
      query: { limit: 10000, rowLimit: 10000, timezone: BUSINESS_TZ, queryType: 'regularQuery', timeDimensions: [{ dimension: 'sales.order_date', granularity: 'day', dateRange: ['2025-03-14T00:00:00.000', '2025-03-16T23:59:59.999'] }] },
    });
  });

  it('counts total rows when asked, past the page', async () => {
    const rs = await client(KEYS.analyst).load({ measures: ['sales.revenue'], dimensions: ['sales.order_id'], limit: 2, total: true });
    expect(rs.rawData()).toHaveLength(2);
    // Every order has an id, sales or not: 8 rows in all.
    expect(rs.totalRows()).toBe(8);
  });

  it('answers a single query without queryType in the plain result shape, as Cube does for old clients', async () => {
    const res = await fetch(`${server.apiUrl}/load?query=${encodeURIComponent(JSON.stringify(byDay))}`, { headers: { authorization: KEYS.analyst } });
    const body = (await res.json()) as Record<string, unknown>;
    expect(res.status).toBe(200);
    expect(body).not.toHaveProperty('results');
    expect(body).toMatchObject({ data: expect.any(Array), annotation: { measures: { 'sales.revenue': { type: 'number' } } } });
  });
});

describe('compareDateRange and blending', () => {
  it('splits compareDateRange into one query per range and answers compareDateRangeQuery', async () => {
    const rs = await client(KEYS.analyst).load({
      measures: ['sales.revenue'],
      timeDimensions: [{ dimension: 'sales.order_date', granularity: 'day', compareDateRange: [['2025-03-14', '2025-03-14'], ['2025-03-15', '2025-03-15']] }],
    });
    const raw = rs.serialize().loadResponse as unknown as { queryType: string; pivotQuery: { dimensions: string[] } };
    expect(raw.queryType).toBe('compareDateRangeQuery');
    expect(raw.pivotQuery.dimensions).toEqual(['compareDateRange']);
    expect(rs.decompose().map((r) => r.rawData().map((row) => [row['compareDateRange'], row['sales.revenue']]))).toEqual([
      [['2025-03-14T00:00:00.000 - 2025-03-14T23:59:59.999', '345']],
      [['2025-03-15T00:00:00.000 - 2025-03-15T23:59:59.999', '365.35']],
    ]);
    const series = rs.series().map((s) => ({ key: s.key, values: s.series.map((p) => p.value) }));
    expect(series).toEqual([
      { key: '2025-03-14T00:00:00.000 - 2025-03-14T23:59:59.999,sales.revenue', values: [345] },
      { key: '2025-03-15T00:00:00.000 - 2025-03-15T23:59:59.999,sales.revenue', values: [365.35] },
    ]);
  });

  it('answers an array of queries as a blending query on one time axis', async () => {
    const day = { dimension: 'sales.order_date', granularity: 'day' as const, dateRange: ['2025-03-14', '2025-03-16'] as [string, string] };
    const rs = await client(KEYS.analyst).load([
      { measures: ['sales.revenue'], timeDimensions: [day] },
      { measures: ['product_sales.item_revenue'], timeDimensions: [{ ...day, dimension: 'product_sales.order_date' }] },
    ]);
    expect(rs.serialize().loadResponse).toMatchObject({ queryType: 'blendingQuery', pivotQuery: { measures: ['sales.revenue', 'product_sales.item_revenue'], timeDimensions: [{ dimension: 'time', granularity: 'day' }] } });
    expect(rs.chartPivot().map((p) => [p.x, p['sales.revenue'], p['product_sales.item_revenue']])).toEqual([
      ['2025-03-14T00:00:00.000', 345, 100],
      ['2025-03-15T00:00:00.000', 365.35, 300],
      ['2025-03-16T00:00:00.000', 70, 0],
    ]);
  });
});

describe('meta, sql and dryRun', () => {
  it('meta() lists the views the caller may query, members with Cube fields', async () => {
    const meta = await client(KEYS.analyst).meta();
    expect(meta).toBeInstanceOf(Meta);
    expect(meta.cubes.map((c) => [c.name, c.type])).toEqual([['customer_sales', 'view'], ['customers', 'view'], ['product_sales', 'view'], ['sales', 'view'], ['store_targets', 'view']]);
    expect(meta.resolveMember('sales.revenue', 'measures')).toMatchObject({ name: 'sales.revenue', title: 'Sales Revenue', shortTitle: 'Revenue', type: 'number', format: 'currency', aggType: 'sum' });
    expect(meta.resolveMember('customer_sales.customer', 'dimensions')).toMatchObject({ type: 'string', meta: { pii: true } });
    expect(meta.membersGroupedByCube().timeDimensions.find((g) => g.cubeName === 'sales')?.members.map((m) => m.name)).toContain('sales.order_date');
    expect(meta.filterOperatorsForMember('sales.revenue', 'measures').map((o) => o.name)).toContain('gt');
  });

  it('meta() leaves out members the role may not see', async () => {
    const meta = await client(KEYS.marketing).meta();
    expect(meta.cubes.map((c) => c.name)).toEqual(['sales']);
    const names = meta.cubes[0]?.dimensions.map((d) => d.name) ?? [];
    expect(names).toContain('sales.channel');
    expect(names).not.toContain('sales.coupon');
  });

  it('sql() gives the SQL and its parameters to roles with metricsSql, and 403 to others', async () => {
    const sql = await client(KEYS.analyst).sql({ ...byDay, filters: [{ member: 'sales.channel', operator: 'equals', values: ["Site'; DROP TABLE gold.fct_orders; --"] }] });
    expect(sql.sql()).toMatch(/SELECT[\s\S]*FROM[\s\S]*gold\.fct_orders/i);
    expect(sql.sql()).not.toContain('DROP TABLE');
    const raw = sql.rawQuery() as unknown as { sql: [string, unknown[]]; order: Record<string, string> };
    expect(raw.sql[1]).toContain("Site'; DROP TABLE gold.fct_orders; --");
    expect(raw.order).toEqual({ 'sales.order_date': 'asc' });
    const refused = await client(KEYS.app).sql(byDay).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(RequestError);
    expect((refused as RequestError).status).toBe(403);
    expect((refused as RequestError).response).toEqual({ error: 'Role "app" may not see the SQL of metrics queries' });
  });

  it('dryRun() normalises without running: relative ranges resolved, order, pivot query', async () => {
    const dry = await client(KEYS.app).dryRun({ measures: ['sales.revenue'], dimensions: ['sales.channel'], timeDimensions: [{ dimension: 'sales.order_date', dateRange: 'last 7 days' }] });
    expect(dry).toMatchObject({ queryType: 'regularQuery', queryOrder: [{ 'sales.revenue': 'desc' }], transformedQueries: [null], pivotQuery: { queryType: 'regularQuery', measures: ['sales.revenue'] } });
    const [range] = dry.normalizedQueries.map((q) => q.timeDimensions?.[0]?.dateRange as string[]);
    expect(range?.[0]).toMatch(/^\d{4}-\d{2}-\d{2}T00:00:00\.000$/);
    expect(range?.[1]).toMatch(/^\d{4}-\d{2}-\d{2}T23:59:59\.999$/);
  });
});

describe('access', () => {
  const refusal = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e as RequestError);

  it('refuses requests without a valid key, with Cube\'s error shape', async () => {
    const none = await fetch(`${server.apiUrl}/load?query=${encodeURIComponent(JSON.stringify(byDay))}`);
    expect(none.status).toBe(401);
    expect(await none.json()).toEqual({ error: 'Authorization header isn\'t set: send an API key or JWT as "Authorization: <token>"' });
    const wrong = await refusal(client('not-a-key-0123456789').load(byDay));
    expect(wrong).toMatchObject({ status: 401, response: { error: 'The API key is not valid' } });
    for (const path of ['meta', 'sql', 'dry-run']) expect((await fetch(`${server.apiUrl}/${path}`)).status, path).toBe(401);
  });

  it('refuses a role without the metrics capability', async () => {
    const pos = await refusal(client(KEYS.pos).load(byDay));
    expect(pos).toMatchObject({ status: 403, response: { error: 'Role "pos" may not query metrics' } });
    expect(await refusal(client(KEYS.pos).meta())).toMatchObject({ status: 403 });
  });

  it('accepts the key with or without "Bearer ", and a JWT whose row rule filters the numbers', async () => {
    const bearer = await client(`Bearer ${KEYS.analyst}`).load(byDay);
    expect(bearer.rawData()).toHaveLength(3);
    const jwt = await new SignJWT({ role: 'store_manager', store: 'centro' }).setProtectedHeader({ alg: 'HS256' }).setSubject('maria').setExpirationTime('5m')
      .sign(new TextEncoder().encode(JWT_SECRET));
    const rs = await client(async () => jwt).load({ measures: ['sales.revenue'] });
    // Loja Centro's sales: o1 100 + o3 195 + o7 40.10 + o8 70.
    expect(rs.rawData()).toEqual([{ 'sales.revenue': '405.1' }]);
  });

  it('masks personal data for analyst and shows it to app', async () => {
    const q: Query = { measures: ['customer_sales.revenue'], dimensions: ['customer_sales.customer'], order: [['customer_sales.revenue', 'desc']] };
    const shown = await client(KEYS.app).load(q);
    expect(shown.rawData().map((r) => r['customer_sales.customer'])).toEqual(['cpf:12345678909', 'phone:+5511987654334', 'email:joao.silva@gmail.com']);
    const masked = await client(KEYS.analyst).load(q);
    expect(masked.rawData().map((r) => r['customer_sales.customer'])).toEqual(['cpf:***.***.***-09', 'phone:+55 11 *****-**34', 'email:j***@g***.com']);
    expect(JSON.stringify(masked.serialize())).not.toMatch(/joao|456789|98765/);
  });

  it('refuses a hidden member wherever the query names it, naming only that member', async () => {
    for (const q of [
      { measures: ['sales.revenue'], dimensions: ['sales.coupon'] },
      { measures: ['sales.revenue'], filters: [{ member: 'sales.coupon', operator: 'set' }] },
      { measures: ['sales.revenue'], dimensions: ['sales.channel'], order: { 'sales.coupon': 'asc' } },
    ] as Query[]) {
      const e = await refusal(client(KEYS.marketing).load(q));
      expect(e, JSON.stringify(q)).toMatchObject({ status: 403, response: { code: 'FORBIDDEN_MEMBER', member: 'sales.coupon' } });
      expect((e as RequestError).message).toContain('sales.coupon');
    }
    expect(await refusal(client(KEYS.marketing).load({ measures: ['sales.revenue'], dimensions: ['sales.channel'] }))).toBeUndefined();
  });

  it('answers 400 naming the member for a query the engine cannot serve', async () => {
    const e = await refusal(client(KEYS.analyst).load({ measures: ['sales.nope'] }));
    expect(e).toMatchObject({ status: 400, response: { code: 'UNKNOWN_MEMBER', type: 'UserError' } });
    expect((e as RequestError).message).toContain('"sales.nope"');
  });
});
