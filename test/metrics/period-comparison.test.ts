import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveDateExpression } from '../../src/metrics/cube/relative-date-range.js';
import { MetricsQueryError } from '../../src/metrics/metrics-errors.js';
import type { CompareMode, MetricsQuery } from '../../src/metrics/metrics-query.js';
import type { MetricsResult, SecurityContext } from '../../src/metrics/metrics-service.js';
import { createSemanticEngine, type SemanticEngine } from '../../src/metrics/semantic-engine.js';
import { roleContext } from '../fixtures/security-contexts.js';
import { BUSINESS_TZ, MODEL_DIR, type GoldFixture } from './gold-fixtures.js';
import { openTimeFixture, referenceRows } from './time-fixtures.js';

/**
 * Period-over-period (`compare`, `compareDateRange`) against hand-written SQL over gold, on a
 * seeded year and a half of orders, in São Paulo and Berlin, and cached answers against fresh ones.
 */
const analyst: SecurityContext = roleContext('analyst');

let fixture: GoldFixture;
let engine: SemanticEngine;

beforeAll(async () => {
  fixture = await openTimeFixture();
  engine = await createSemanticEngine({
    warehouse: fixture.warehouse,
    modelDir: MODEL_DIR,
    dataVersions: fixture.dataVersions,
    timezone: BUSINESS_TZ,
    cache: { maxEntries: 1_000, ttlMs: 0 },
  });
});

afterAll(async () => {
  await engine?.close();
  await fixture?.cleanup();
});

/** Revenue and orders per bucket of one local range, the way the model defines them. */
const periodCte = (granularity: string, byChannel: boolean) => `
  SELECT date_trunc('${granularity}', timezone(?, o.created_at)) AS b${byChannel ? ', c.channel_name AS ch' : ''},
         CAST(sum(o.total) FILTER (WHERE o.is_sale) AS DOUBLE) AS revenue,
         count(*) FILTER (WHERE o.is_sale) AS orders
  FROM gold.fct_orders o LEFT JOIN gold.dim_channel c ON c.channel_key = o.channel_key
  WHERE timezone(?, o.created_at) BETWEEN CAST(? AS TIMESTAMP) AND CAST(? AS TIMESTAMP)
  GROUP BY ALL`;

/** Each current bucket with the prior bucket `shift` earlier (written out per case, by hand). */
async function handWrittenComparison(tz: string, granularity: string, shift: string, current: [string, string], prior: [string, string], byChannel = false) {
  const sql = `WITH cur AS (${periodCte(granularity, byChannel)}), prev AS (${periodCte(granularity, byChannel)})
    SELECT strftime(cur.b, '%Y-%m-%dT%H:%M:%S.000') AS bucket, ${byChannel ? 'cur.ch AS channel,' : ''}
           cur.revenue, cur.orders, prev.revenue AS prev_revenue, prev.orders AS prev_orders
    FROM cur LEFT JOIN prev ON prev.b = cur.b - INTERVAL ${shift}${byChannel ? ' AND prev.ch = cur.ch' : ''}
    ORDER BY 1${byChannel ? ', 2' : ''}`;
  return referenceRows(fixture.warehouse, sql, [tz, tz, `${current[0]}T00:00:00`, `${current[1]}T23:59:59.999`, tz, tz, `${prior[0]}T00:00:00`, `${prior[1]}T23:59:59.999`]);
}

function expectComparison(result: MetricsResult, granularity: string, expected: Record<string, unknown>[], byChannel = false) {
  const rows = [...result.rows].sort((a, b) =>
    String(a[`sales.order_date.${granularity}`]).localeCompare(String(b[`sales.order_date.${granularity}`])) || String(a['sales.channel']).localeCompare(String(b['sales.channel'])),
  );
  expect(rows.length).toBe(expected.length);
  expect(rows.length).toBeGreaterThan(0);
  rows.forEach((row, i) => {
    const want = expected[i] as Record<string, number | string | null>;
    const at = `row ${i} (${String(want['bucket'])})`;
    expect(row[`sales.order_date.${granularity}`], at).toBe(want['bucket']);
    if (byChannel) expect(row['sales.channel'], at).toBe(want['channel']);
    for (const [m, cur, prev] of [['sales.revenue', 'revenue', 'prev_revenue'], ['sales.orders', 'orders', 'prev_orders']] as const) {
      const now = want[cur] as number | null;
      const then = want[prev] as number | null;
      expectClose(row[m], now, `${at} ${m}`);
      if (then === null) {
        expect([row[`${m}.previous`], row[`${m}.change`], row[`${m}.percentChange`]], `${at} ${m}`).toEqual([null, null, null]);
        continue;
      }
      expect(row[`${m}.previous`] as number, `${at} ${m}.previous`).toBeCloseTo(then, 6);
      if (now === null) {
        expect(row[`${m}.change`]).toBeNull();
        continue;
      }
      expect(row[`${m}.change`] as number, `${at} ${m}.change`).toBeCloseTo(now - then, 6);
      if (then === 0) expect(row[`${m}.percentChange`]).toBeNull();
      else expect(row[`${m}.percentChange`] as number, `${at} ${m}.percentChange`).toBeCloseTo((now - then) / Math.abs(then), 9);
    }
  });
}

/** Equal numbers up to float noise, or both null (a sum over no sales). */
function expectClose(actual: unknown, expected: unknown, at: string) {
  if (expected === null || expected === undefined) expect(actual, at).toBeNull();
  else expect(actual as number, at).toBeCloseTo(expected as number, 6);
}

/** The same answer fresh (renewQuery) and from the cache. */
async function expectCacheAgrees(query: MetricsQuery, first: MetricsResult) {
  const fresh = await engine.load({ ...query, renewQuery: true }, analyst);
  const again = await engine.load(query, analyst);
  expect(fresh.cached).toBe(false);
  expect(again.cached).toBe(true);
  expect(again.servedFrom).toBe('cache');
  // Rows of one day (by channel) have no order among themselves: compare them as sets.
  // (renewQuery stored the fresh answer, so the cached one is that.)
  expect(unordered(fresh.rows)).toEqual(unordered(first.rows));
  expect(again.rows).toEqual(fresh.rows);
  expect(again.annotation).toEqual(first.annotation);
}

function unordered(rows: MetricsResult['rows']): string[] {
  return rows.map((r) => JSON.stringify(r, Object.keys(r).sort())).sort();
}

interface Case {
  readonly mode: CompareMode;
  readonly granularity: 'day' | 'week' | 'month';
  readonly current: [string, string];
  readonly prior: [string, string];
  /** The bucket shift, as SQL interval text, written by hand for each case. */
  readonly shift: string;
  readonly byChannel?: boolean;
}

const CASES: readonly Case[] = [
  // 7 days against the 7 before: 2025-03-08 meets 2025-03-01.
  { mode: 'PREVIOUS_PERIOD', granularity: 'day', current: ['2025-03-08', '2025-03-14'], prior: ['2025-03-01', '2025-03-07'], shift: '7 DAY' },
  // Four ISO weeks against the four before.
  { mode: 'PREVIOUS_PERIOD', granularity: 'week', current: ['2025-03-03', '2025-03-30'], prior: ['2025-02-03', '2025-03-02'], shift: '28 DAY', byChannel: true },
  // A quarter of whole months against the quarter before (months of 31, 28, 31 vs 31, 30, 31 days).
  { mode: 'PREVIOUS_PERIOD', granularity: 'month', current: ['2025-01-01', '2025-03-31'], prior: ['2024-10-01', '2024-12-31'], shift: '3 MONTH' },
  // February (28 days) against January: whole months, not the 28 days before.
  { mode: 'PREVIOUS_PERIOD', granularity: 'month', current: ['2025-02-01', '2025-02-28'], prior: ['2025-01-01', '2025-01-31'], shift: '1 MONTH' },
  { mode: 'SAME_PERIOD_LAST_YEAR', granularity: 'day', current: ['2025-03-01', '2025-03-31'], prior: ['2024-03-01', '2024-03-31'], shift: '1 YEAR', byChannel: true },
  // Weeks a year apart are 52 weeks apart, Monday to Monday.
  { mode: 'SAME_PERIOD_LAST_YEAR', granularity: 'week', current: ['2025-03-03', '2025-03-30'], prior: ['2024-03-04', '2024-03-31'], shift: '364 DAY' },
  // February 2025 against all 29 days of February 2024.
  { mode: 'SAME_PERIOD_LAST_YEAR', granularity: 'month', current: ['2025-01-01', '2025-04-30'], prior: ['2024-01-01', '2024-04-30'], shift: '1 YEAR' },
];

describe.each([BUSINESS_TZ, 'Europe/Berlin'])('compare in %s', (tz) => {
  it.each(CASES.map((c) => [`${c.mode} at ${c.granularity} grain, ${c.current.join('..')}${c.byChannel ? ' by channel' : ''}`, c] as const))('%s', async (_name, c) => {
    const query: MetricsQuery = {
      measures: ['sales.revenue', 'sales.orders'],
      dimensions: c.byChannel ? ['sales.channel'] : [],
      timeDimensions: [{ dimension: 'sales.order_date', granularity: c.granularity, dateRange: c.current }],
      filters: [],
      segments: [],
      order: [],
      timezone: tz,
      compare: c.mode,
    };
    const result = await engine.load(query, analyst);
    const expected = await handWrittenComparison(tz, c.granularity, c.shift, c.current, c.prior, c.byChannel);
    expectComparison(result, c.granularity, expected, c.byChannel);
    expect(result.comparison).toEqual({
      mode: c.mode,
      dateRange: [`${c.current[0]}T00:00:00.000`, `${c.current[1]}T23:59:59.999`],
      previousDateRange: [`${c.prior[0]}T00:00:00.000`, `${c.prior[1]}T23:59:59.999`],
    });
    await expectCacheAgrees(query, result);
  });
});

describe('compare', () => {
  const base = (extra: Partial<MetricsQuery>): MetricsQuery => ({
    measures: ['sales.revenue'], dimensions: [], timeDimensions: [], filters: [], segments: [], order: [], ...extra,
  });

  it('annotates the added keys after each measure, formatted like it (percent change as percent)', async () => {
    const result = await engine.load(
      base({ measures: ['sales.revenue', 'sales.orders'], timeDimensions: [{ dimension: 'sales.order_date', dateRange: ['2025-03-01', '2025-03-31'] }], compare: 'PREVIOUS_PERIOD' }),
      analyst,
    );
    expect(result.annotation.measures.map((m) => [m.name, m.format])).toEqual([
      ['sales.revenue', 'currency'], ['sales.revenue.previous', 'currency'], ['sales.revenue.change', 'currency'], ['sales.revenue.percentChange', 'percent'],
      ['sales.orders', 'number'], ['sales.orders.previous', 'number'], ['sales.orders.change', 'number'], ['sales.orders.percentChange', 'percent'],
    ]);
    expect(result.annotation.measures[1]?.title).toBe('Sales Revenue (previous period)');
    // Without a granularity the whole month is one row against the whole of February.
    const [feb] = await referenceRows(fixture.warehouse, `SELECT CAST(sum(total) FILTER (WHERE is_sale) AS DOUBLE) AS r FROM gold.fct_orders
      WHERE timezone(?, created_at) BETWEEN TIMESTAMP '2025-02-01' AND TIMESTAMP '2025-02-28 23:59:59.999'`, [BUSINESS_TZ]);
    expect(result.rows).toHaveLength(1);
    expect(result.rows[0]?.['sales.revenue.previous']).toBeCloseTo(feb?.['r'] as number, 6);
  });

  it('resolves a relative range once, in the query zone, and compares with the period before it', async () => {
    const result = await engine.load(base({ timeDimensions: [{ dimension: 'sales.order_date', granularity: 'day', dateRange: 'last 7 days' }], timezone: 'Asia/Tokyo', compare: 'PREVIOUS_PERIOD' }), analyst);
    const [start, end] = resolveDateExpression('last 7 days', 'Asia/Tokyo', new Date());
    expect(result.comparison?.dateRange).toEqual([start, end]);
    expect(result.comparison?.previousDateRange[1]).toBe(new Date(Date.parse(`${start}Z`) - 1).toISOString().slice(0, -1));
  });

  it('keeps the current query\'s order and limit; the prior period still meets every row', async () => {
    const query = base({
      measures: ['sales.revenue'], dimensions: ['sales.channel'],
      timeDimensions: [{ dimension: 'sales.order_date', granularity: 'day', dateRange: ['2025-03-08', '2025-03-14'] }],
      order: [['sales.revenue', 'desc']], limit: 3, compare: 'PREVIOUS_PERIOD',
    });
    const result = await engine.load(query, analyst);
    expect(result.rows).toHaveLength(3);
    const revenues = result.rows.map((r) => r['sales.revenue'] as number);
    expect([...revenues].sort((a, b) => b - a)).toEqual(revenues);
    const all = await engine.load({ ...query, order: [], limit: undefined }, analyst);
    for (const row of result.rows) {
      const same = all.rows.find((r) => r['sales.order_date.day'] === row['sales.order_date.day'] && r['sales.channel'] === row['sales.channel']);
      expect(same?.['sales.revenue.previous']).toBe(row['sales.revenue.previous']);
    }
  });

  it('refuses what it cannot compare, naming the field', async () => {
    const errorOf = async (q: unknown): Promise<MetricsQueryError> => {
      const err = await engine.load(q as MetricsQuery, analyst).then(() => undefined, (e: unknown) => e);
      expect(err).toBeInstanceOf(MetricsQueryError);
      return err as MetricsQueryError;
    };
    expect((await errorOf(base({ timeDimensions: [{ dimension: 'sales.order_date', granularity: 'day' }], compare: 'PREVIOUS_PERIOD' }))).message)
      .toContain('PREVIOUS_PERIOD needs exactly one time dimension with a dateRange; this query has 0');
    expect((await errorOf({ ...base({}), compare: 'LAST_TUESDAY' })).message).toContain('compare');
    expect((await errorOf({ ...base({}), compare: 42 })).message).toContain('compare');
    const bad = await errorOf(base({ timeDimensions: [{ dimension: 'sales.order_date', dateRange: ['2025-03-31', '2025-03-01'] }], compare: 'SAME_PERIOD_LAST_YEAR' }));
    expect([bad.code, bad.member]).toEqual(['INVALID_DATE_RANGE', 'sales.order_date']);
    const hostile = await errorOf(base({ timeDimensions: [{ dimension: 'sales.order_date', dateRange: ["2025-03-01'; DROP TABLE gold.fct_orders; --", '2025-03-02'] }], compare: 'PREVIOUS_PERIOD' }));
    expect(hostile.message).toContain('timeDimensions[0].dateRange[0]');
    const hidden = await engine.load(base({ measures: ['sales.secret'], timeDimensions: [{ dimension: 'sales.order_date', dateRange: ['2025-03-01', '2025-03-02'] }], compare: 'PREVIOUS_PERIOD' }), analyst).catch((e: unknown) => e);
    expect((hidden as MetricsQueryError).code).toBe('UNKNOWN_MEMBER');
    expect(await fixture.warehouse.query('SELECT count(*) AS n FROM gold.fct_orders')).toHaveLength(1);
  });
});

describe('compareDateRange', () => {
  const query = (ranges: NonNullable<MetricsQuery['timeDimensions'][number]['compareDateRange']>, tz = BUSINESS_TZ): MetricsQuery => ({
    measures: ['sales.revenue', 'sales.orders'], dimensions: [], filters: [], segments: [], order: [], timezone: tz,
    timeDimensions: [{ dimension: 'sales.order_date', granularity: 'day', compareDateRange: ranges }],
  });

  it.each([BUSINESS_TZ, 'Europe/Berlin'])('answers one result per range, each like its own dateRange query and cached as one (%s)', async (tz) => {
    const results = await engine.loadCompareDateRange(query([['2025-03-01', '2025-03-07'], ['2024-03-01', '2024-03-07'], 'last week'], tz), analyst);
    const lastWeek = resolveDateExpression('last week', tz, new Date());
    expect(results.map((r) => r.dateRange)).toEqual([
      ['2025-03-01T00:00:00.000', '2025-03-07T23:59:59.999'],
      ['2024-03-01T00:00:00.000', '2024-03-07T23:59:59.999'],
      lastWeek,
    ]);
    for (const [i, range] of [['2025-03-01', '2025-03-07'], ['2024-03-01', '2024-03-07']].entries()) {
      const expected = await referenceRows(fixture.warehouse, `${periodCte('day', false).replace('SELECT', 'SELECT strftime(date_trunc(\'day\', timezone(?, o.created_at)), \'%Y-%m-%dT%H:%M:%S.000\') AS bucket,')} ORDER BY 1`,
        [tz, tz, tz, `${range[0]}T00:00:00`, `${range[1]}T23:59:59.999`]);
      const rows = results[i]?.rows ?? [];
      expect(rows.map((r) => r['sales.order_date.day'])).toEqual(expected.map((e) => e['bucket']));
      rows.forEach((r, k) => {
        expectClose(r['sales.revenue'], expected[k]?.['revenue'], `${range[0]} row ${k}`);
        expect(r['sales.orders']).toBe(expected[k]?.['orders']);
      });
      // Each range is an ordinary cached query: the same query with that dateRange is a cache hit.
      const single = await engine.load({ ...query([]), timezone: tz, timeDimensions: [{ dimension: 'sales.order_date', granularity: 'day', dateRange: range as [string, string] }] }, analyst);
      expect(single.cached).toBe(true);
      expect(single.rows).toEqual(rows);
    }
    const fresh = await engine.loadCompareDateRange({ ...query([['2025-03-01', '2025-03-07'], ['2024-03-01', '2024-03-07'], 'last week'], tz), renewQuery: true }, analyst);
    expect(fresh.map((r) => r.cached)).toEqual([false, false, false]);
    expect(fresh.map((r) => r.rows)).toEqual(results.map((r) => r.rows));
  });

  it('follows Cube\'s rules: one time dimension, not with dateRange or compare, and not through load', async () => {
    const refused = async (p: Promise<unknown>, text: string) => {
      const err = await p.then(() => undefined, (e: unknown) => e);
      expect(err).toBeInstanceOf(MetricsQueryError);
      expect((err as Error).message).toContain(text);
    };
    const twice = query([['2025-03-01', '2025-03-07']]);
    await refused(engine.loadCompareDateRange({ ...twice, timeDimensions: [...twice.timeDimensions, ...twice.timeDimensions] }, analyst), 'compareDateRange can only exist for one timeDimension');
    await refused(engine.loadCompareDateRange({ ...twice, timeDimensions: [{ dimension: 'sales.order_date' }] }, analyst), 'no time dimension has a compareDateRange');
    await refused(engine.loadCompareDateRange({ ...twice, timeDimensions: [{ dimension: 'sales.order_date', dateRange: '2025-03-01', compareDateRange: ['2025-03-02'] }] }, analyst), 'dateRange and compareDateRange are exclusive');
    await refused(engine.loadCompareDateRange({ ...twice, compare: 'PREVIOUS_PERIOD' }, analyst), 'compare and compareDateRange are exclusive');
    await refused(engine.load(twice, analyst), 'timeDimensions[0].compareDateRange');
    await refused(engine.toSql(twice, analyst), 'timeDimensions[0].compareDateRange');
    await refused(engine.loadCompareDateRange(query([['2025-03-01', 'soon']]), analyst), 'timeDimensions[0].compareDateRange[0][1]');
    await refused(engine.loadCompareDateRange(query(['someday']), analyst), 'timeDimensions[0].compareDateRange[0]');
    await refused(engine.loadCompareDateRange(query(Array.from({ length: 13 }, () => '2025-03-01')), analyst), 'timeDimensions[0].compareDateRange');
    await refused(engine.loadCompareDateRange(query([]), analyst), 'timeDimensions[0].compareDateRange');
  });
});
