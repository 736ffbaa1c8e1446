import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import { KEYS, startSqlApiHarness, type SqlApiHarness } from './sql-api-harness.js';

/**
 * Semantic SQL through a real node-postgres client over the gold fixture
 * (test/metrics/gold-fixtures.ts). Sales per São Paulo day: 2025-03-14 345.00 (3 orders),
 * 03-15 365.35 (2), 03-16 70.00 (1); by channel: Site 405.10 (4 orders), Mercado Livre 375.25 (2).
 */
let h: SqlApiHarness;
let c: pg.Client;
beforeAll(async () => {
  h = await startSqlApiHarness();
  c = await h.client(KEYS.admin);
});
afterAll(async () => {
  await h?.close();
});

const rows = async (sql: string, params: unknown[] = []) => (await c.query({ text: sql, values: params, rowMode: 'array' })).rows as unknown[][];

describe('semantic SQL', () => {
  it('groups a measure by a dimension, filtered, ordered and limited', async () => {
    const res = await c.query("SELECT channel, MEASURE(revenue) FROM sales WHERE order_date >= '2025-01-01' GROUP BY 1 ORDER BY 2 DESC LIMIT 10");
    expect(res.fields.map((f) => [f.name, f.dataTypeID])).toEqual([['channel', 25], ['measure', 1700]]);
    expect(res.rows).toEqual([
      { channel: 'Site', measure: '405.1' },
      { channel: 'Mercado Livre', measure: '375.25' },
    ]);
  });

  it('answers the form Looker generates: the view aliased as itself, qualified columns, quoted dotted aliases', async () => {
    const res = await c.query(
      'SELECT sales.channel AS "sales.channel", MEASURE(sales.revenue) AS "sales.revenue" FROM public.sales AS sales GROUP BY 1 ORDER BY 2 DESC LIMIT 500',
    );
    expect(res.rows).toEqual([
      { 'sales.channel': 'Site', 'sales.revenue': '405.1' },
      { 'sales.channel': 'Mercado Livre', 'sales.revenue': '375.25' },
    ]);
  });

  it('answers Looker\'s `type: sum` form, COALESCE(SUM(m), 0), with the constant where a group has no value', async () => {
    const res = await c.query(
      'SELECT "sales"."channel" AS "sales.channel", COALESCE(SUM("sales"."revenue"), 0) AS "sales.revenue" FROM "public"."sales" AS "sales" GROUP BY 1 ORDER BY 2 DESC',
    );
    expect(res.fields.map((f) => f.dataTypeID)).toEqual([25, 1700]);
    expect(res.rows).toEqual([
      { 'sales.channel': 'Site', 'sales.revenue': '405.1' },
      { 'sales.channel': 'Mercado Livre', 'sales.revenue': '375.25' },
    ]);
    // No sale on the 20th: SUM is NULL there, and COALESCE makes it 0, as in PostgreSQL.
    const empty = await rows("SELECT COALESCE(SUM(revenue), 0), MEASURE(revenue) FROM sales WHERE order_date >= '2025-03-20' AND order_date < '2025-03-21'");
    expect(empty).toEqual([['0', null]]);
  });

  it('accepts the aggregate matching each measure type, aliases, quoted identifiers and public.view', async () => {
    const res = await c.query('SELECT "channel" AS ch, SUM(revenue) AS rev, COUNT(orders) AS n, COUNT(DISTINCT customers) AS buyers, AVG(average_ticket) AS t FROM public.sales s GROUP BY s.channel ORDER BY ch');
    expect(res.fields.map((f) => [f.name, f.dataTypeID])).toEqual([['ch', 25], ['rev', 1700], ['n', 20], ['buyers', 20], ['t', 1700]]);
    expect(res.rows).toEqual([
      { ch: 'Mercado Livre', rev: '375.25', n: '2', buyers: '2', t: '187.625' },
      { ch: 'Site', rev: '405.1', n: '4', buyers: '2', t: '101.275' },
    ]);
  });

  it('groups by DATE_TRUNC at every granularity from hour to year, typed timestamp', async () => {
    const res = await c.query("SELECT DATE_TRUNC('day', order_date) AS day, MEASURE(revenue), MEASURE(orders) FROM sales GROUP BY 1 ORDER BY 1");
    expect(res.fields.map((f) => f.dataTypeID)).toEqual([1114, 1700, 20]);
    expect(await rows("SELECT DATE_TRUNC('day', order_date), MEASURE(revenue), MEASURE(orders) FROM sales GROUP BY 1 ORDER BY 1")).toEqual([
      [new Date(2025, 2, 14), '345', '3'],
      [new Date(2025, 2, 15), '365.35', '2'],
      [new Date(2025, 2, 16), '70', '1'],
    ].map(([d, ...rest]) => [d, ...rest]));
    for (const unit of ['hour', 'week', 'month', 'quarter', 'year']) {
      const r = await rows(`SELECT DATE_TRUNC('${unit}', order_date), MEASURE(orders) FROM sales GROUP BY 1`);
      expect(r.reduce((n, row) => n + Number(row[1]), 0)).toBe(6);
    }
    expect(await rows("SELECT DATE_TRUNC('month', order_date)::text, MEASURE(orders) FROM sales GROUP BY 1").catch((e: Error) => e.message)).toMatch(/cannot be translated/);
  });

  it('answers timestamps as PostgreSQL text (YYYY-MM-DD HH:MM:SS)', async () => {
    const res = await c.query({ text: "SELECT DATE_TRUNC('month', order_date) AS m, MEASURE(orders) FROM sales GROUP BY 1", types: { getTypeParser: () => (v: string) => v } as never });
    expect(res.rows).toEqual([{ m: '2025-03-01 00:00:00', orders: undefined, measure: '6' }]);
  });

  it('filters dimensions with =, <>, IN, NOT IN, BETWEEN, ILIKE, IS NULL, AND and OR', async () => {
    const total = async (where: string, params: unknown[] = []) => (await rows(`SELECT MEASURE(orders) FROM sales WHERE ${where}`, params))[0]?.[0];
    expect(await total("channel = 'Site'")).toBe('4');
    expect(await total("channel <> 'Site'")).toBe('2');
    expect(await total("channel IN ('Site', 'Mercado Livre')")).toBe('6');
    expect(await total("channel NOT IN ('Site')")).toBe('2');
    expect(await total("order_date BETWEEN '2025-03-15' AND '2025-03-16 23:59:59'")).toBe('3');
    expect(await total("order_date >= '2025-03-15' AND order_date < '2025-03-16'")).toBe('2');
    expect(await total("order_date < '2025-03-15'")).toBe('3');
    expect(await total("channel ILIKE '%livre%'")).toBe('2');
    expect(await total("channel ILIKE 'site%'")).toBe('4');
    expect(await total("channel NOT ILIKE '%livre'")).toBe('4');
    expect(await total("channel LIKE 'Site'")).toBe('4');
    expect(await total('coupon IS NULL')).toBe('4');
    expect(await total('coupon IS NOT NULL')).toBe('2');
    expect(await total("coupon <> 'X'")).toBe('2'); // NULL coupons are not <> 'X' in SQL
    expect(await total("channel = 'Site' AND (coupon IS NOT NULL OR store = 'sul')")).toBe('2');
    expect(await total('channel = $1 AND order_date >= $2', ['Mercado Livre', '2025-03-15'])).toBe('1');
    expect(await total('is_sale')).toBe('6');
  });

  it('filters measures in HAVING and pages with LIMIT/OFFSET (also as parameters)', async () => {
    expect(await rows('SELECT channel, MEASURE(revenue) FROM sales GROUP BY channel HAVING MEASURE(revenue) > 400')).toEqual([['Site', '405.1']]);
    expect(await rows('SELECT channel FROM sales GROUP BY 1 ORDER BY channel LIMIT $1 OFFSET $2', [1, 1])).toEqual([['Site']]);
    expect(await rows('SELECT channel, MEASURE(revenue) FROM sales GROUP BY 1 ORDER BY MEASURE(revenue) LIMIT 1')).toEqual([['Mercado Livre', '375.25']]);
    expect(await rows('SELECT channel AS c, MEASURE(revenue) AS r FROM sales GROUP BY c ORDER BY r DESC LIMIT 1')).toEqual([['Site', '405.1']]);
    expect(await rows('SELECT channel FROM sales GROUP BY 1 LIMIT 0')).toEqual([]);
  });

  it('SELECT * answers every dimension the caller sees, no measures', async () => {
    const res = await c.query('SELECT * FROM sales LIMIT 10');
    const dims = h.engine.modelViews.find((v) => v.name === 'sales')?.dimensions.map((d) => d.name.split('.')[1]);
    expect(res.fields.map((f) => f.name)).toEqual(dims);
    expect(res.rows).toHaveLength(8);
  });

  it('answers several statements of one Query message, each with its own result', async () => {
    const results = (await c.query("SELECT MEASURE(orders) FROM sales; SELECT channel FROM sales WHERE channel = 'Site' GROUP BY 1")) as unknown as pg.QueryResult[];
    expect(results.map((r) => r.rows)).toEqual([[{ measure: '6' }], [{ channel: 'Site' }]]);
  });
});
