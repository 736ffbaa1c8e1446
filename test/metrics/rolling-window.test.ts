import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MetricsQueryError } from '../../src/metrics/metrics-errors.js';
import type { MetricsQuery } from '../../src/metrics/metrics-query.js';
import type { SecurityContext } from '../../src/metrics/metrics-service.js';
import { createSemanticEngine, type SemanticEngine } from '../../src/metrics/semantic-engine.js';
import { roleContext } from '../fixtures/security-contexts.js';
import { BUSINESS_TZ, MODEL_DIR, type GoldFixture } from './gold-fixtures.js';
import { openTimeFixture, referenceRows } from './time-fixtures.js';

/**
 * `sales.revenue_7d`, `sales.revenue_28d` and `sales.orders_7d` as Cube's legacy planner builds
 * them for DuckDB, against hand-written SQL over gold: each row's window is the N days ending on
 * the row's last day (that day included), reaching before the range start when it must.
 */
const analyst: SecurityContext = roleContext('analyst');
const MEASURES = ['sales.revenue_7d', 'sales.revenue_28d', 'sales.orders_7d'];

let fixture: GoldFixture;
let engine: SemanticEngine;

beforeAll(async () => {
  fixture = await openTimeFixture();
  engine = await createSemanticEngine({
    warehouse: fixture.warehouse, modelDir: MODEL_DIR, dataVersions: fixture.dataVersions, timezone: BUSINESS_TZ, cache: { maxEntries: 1_000, ttlMs: 0 },
  });
});

afterAll(async () => {
  await engine?.close();
  await fixture?.cleanup();
});

/** Sales revenue and orders of the `days` days before `end` (exclusive), local to `tz`. Null orders when no order at all, as Cube's window join gives. */
const window = (days: number, what: 'revenue' | 'orders') => `(
  SELECT ${what === 'revenue' ? 'CAST(sum(total) FILTER (WHERE is_sale) AS DOUBLE)' : 'CASE WHEN count(*) = 0 THEN NULL ELSE count(*) FILTER (WHERE is_sale) END'}
  FROM gold.fct_orders WHERE timezone($tz, created_at) >= bucket_end - INTERVAL ${days} DAY AND timezone($tz, created_at) < bucket_end)`;

/** One row per bucket of `granularity` from the bucket holding `start` to the one holding `end`. */
async function handWritten(tz: string, granularity: 'day' | 'week' | 'month', start: string, end: string) {
  const step = granularity === 'week' ? 'INTERVAL 7 DAY' : `INTERVAL 1 ${granularity.toUpperCase()}`;
  const sql = `WITH buckets AS (
      SELECT unnest(generate_series(date_trunc('${granularity}', CAST($start AS TIMESTAMP)), date_trunc('${granularity}', CAST($end AS TIMESTAMP)), ${step})) AS bucket
    ), bounded AS (SELECT bucket, bucket + ${step} AS bucket_end FROM buckets)
    SELECT strftime(bucket, '%Y-%m-%dT%H:%M:%S.000') AS bucket, ${window(7, 'revenue')} AS r7, ${window(28, 'revenue')} AS r28, ${window(7, 'orders')} AS o7
    FROM bounded ORDER BY 1`;
  return referenceRows(fixture.warehouse, sql.replaceAll('$tz', '$1').replaceAll('$start', '$2').replaceAll('$end', '$3'), [tz, start, end]);
}

function expectClose(actual: unknown, expected: unknown, at: string) {
  if (expected === null || expected === undefined) expect(actual, at).toBeNull();
  else expect(actual as number, at).toBeCloseTo(expected as number, 6);
}

const query = (extra: Partial<MetricsQuery>): MetricsQuery => ({ measures: MEASURES, dimensions: [], timeDimensions: [], filters: [], segments: [], order: [], ...extra });

describe.each([BUSINESS_TZ, 'Europe/Berlin'])('rolling windows in %s', (tz) => {
  it.each([
    ['day', '2025-03-01', '2025-03-31'],
    // A range on neither week boundary: Cube widens it to whole weeks, each window ends on the Sunday.
    ['week', '2025-02-05', '2025-03-20'],
    ['month', '2024-12-01', '2025-04-30'],
  ] as const)('at %s grain over %s..%s match the hand-written windows, cached or fresh', async (granularity, start, end) => {
    const q = query({ timeDimensions: [{ dimension: 'sales.order_date', granularity, dateRange: [start, end] }], timezone: tz });
    const result = await engine.load(q, analyst);
    const expected = await handWritten(tz, granularity, start, end);
    expect(result.rows.map((r) => r[`sales.order_date.${granularity}`])).toEqual(expected.map((e) => e['bucket']));
    result.rows.forEach((row, i) => {
      const want = expected[i] as Record<string, unknown>;
      const at = `${String(want['bucket'])}`;
      expectClose(row['sales.revenue_7d'], want['r7'], `${at} revenue_7d`);
      expectClose(row['sales.revenue_28d'], want['r28'], `${at} revenue_28d`);
      expect(row['sales.orders_7d'], `${at} orders_7d`).toBe(want['o7']);
    });
    const fresh = await engine.load({ ...q, renewQuery: true }, analyst);
    const cached = await engine.load(q, analyst);
    expect([fresh.cached, cached.cached]).toEqual([false, true]);
    expect(fresh.rows).toEqual(result.rows);
    expect(cached.rows).toEqual(result.rows);
  });

  it('reaches before the range start: the first day carries the six days before it', async () => {
    const result = await engine.load(query({ timeDimensions: [{ dimension: 'sales.order_date', granularity: 'day', dateRange: ['2025-03-10', '2025-03-10'] }], timezone: tz }), analyst);
    const [inRange] = await referenceRows(fixture.warehouse, `SELECT CAST(sum(total) FILTER (WHERE is_sale) AS DOUBLE) AS r FROM gold.fct_orders
      WHERE timezone(?, created_at) >= TIMESTAMP '2025-03-10' AND timezone(?, created_at) < TIMESTAMP '2025-03-11'`, [tz, tz]);
    const [expected] = await handWritten(tz, 'day', '2025-03-10', '2025-03-10');
    expect(result.rows).toHaveLength(1);
    expectClose(result.rows[0]?.['sales.revenue_7d'], expected?.['r7'], 'revenue_7d');
    expect(result.rows[0]?.['sales.revenue_7d'] as number).toBeGreaterThan((inRange?.['r'] as number | null) ?? 0);
  });

  it('without a granularity, gives the window ending on the last day of the range', async () => {
    const result = await engine.load(query({ timeDimensions: [{ dimension: 'sales.order_date', dateRange: ['2025-01-01', '2025-03-15'] }], timezone: tz }), analyst);
    const [expected] = await handWritten(tz, 'day', '2025-03-15', '2025-03-15');
    expect(result.rows).toHaveLength(1);
    expectClose(result.rows[0]?.['sales.revenue_7d'], expected?.['r7'], 'revenue_7d');
    expectClose(result.rows[0]?.['sales.revenue_28d'], expected?.['r28'], 'revenue_28d');
    expect(result.rows[0]?.['sales.orders_7d']).toBe(expected?.['o7']);
  });
});

describe('rolling windows', () => {
  it('split by a dimension, each window holds that dimension\'s orders only', async () => {
    const result = await engine.load(
      query({ measures: ['sales.revenue_7d'], dimensions: ['sales.channel'], timeDimensions: [{ dimension: 'sales.order_date', granularity: 'day', dateRange: ['2025-03-01', '2025-03-07'] }] }),
      analyst,
    );
    const expected = await referenceRows(fixture.warehouse, `
      WITH days AS (SELECT unnest(generate_series(TIMESTAMP '2025-03-01', TIMESTAMP '2025-03-07', INTERVAL 1 DAY)) AS d)
      SELECT strftime(d, '%Y-%m-%dT%H:%M:%S.000') AS bucket, c.channel_name AS channel, CAST(sum(o.total) FILTER (WHERE o.is_sale) AS DOUBLE) AS r7
      FROM days JOIN gold.fct_orders o ON timezone($1, o.created_at) >= d - INTERVAL 6 DAY AND timezone($1, o.created_at) < d + INTERVAL 1 DAY
      JOIN gold.dim_channel c ON c.channel_key = o.channel_key GROUP BY ALL ORDER BY 1, 2`, [BUSINESS_TZ]);
    const rows = [...result.rows].sort((a, b) => String(a['sales.order_date']).localeCompare(String(b['sales.order_date'])) || String(a['sales.channel']).localeCompare(String(b['sales.channel'])));
    expect(rows.map((r) => [r['sales.order_date'], r['sales.channel']])).toEqual(expected.map((e) => [e['bucket'], e['channel']]));
    rows.forEach((r, i) => expectClose(r['sales.revenue_7d'], expected[i]?.['r7'], `row ${i}`));
  });

  it('beside ordinary measures, keeps only the rows those have (Cube joins the two with INNER JOIN)', async () => {
    const range: [string, string] = ['2025-01-01', '2025-03-31'];
    const mixed = await engine.load(query({ measures: ['sales.revenue_7d', 'sales.revenue'], timeDimensions: [{ dimension: 'sales.order_date', granularity: 'day', dateRange: range }] }), analyst);
    const alone = await engine.load(query({ measures: ['sales.revenue_7d'], timeDimensions: [{ dimension: 'sales.order_date', granularity: 'day', dateRange: range }] }), analyst);
    const daysWithOrders = await referenceRows(fixture.warehouse, `SELECT DISTINCT strftime(date_trunc('day', timezone(?, created_at)), '%Y-%m-%dT%H:%M:%S.000') AS bucket
      FROM gold.fct_orders WHERE timezone(?, created_at) BETWEEN TIMESTAMP '2025-01-01' AND TIMESTAMP '2025-03-31 23:59:59.999' ORDER BY 1`, [BUSINESS_TZ, BUSINESS_TZ]);
    expect(alone.rows).toHaveLength(90);
    expect(daysWithOrders.length).toBeLessThan(90);
    expect(mixed.rows.map((r) => r['sales.order_date'])).toEqual(daysWithOrders.map((d) => d['bucket']));
    const byDay = new Map(alone.rows.map((r) => [r['sales.order_date'], r['sales.revenue_7d']]));
    for (const r of mixed.rows) expect(r['sales.revenue_7d']).toBe(byDay.get(r['sales.order_date']));
  });

  it('refuses a rolling measure without a date range, naming it, instead of summing all history', async () => {
    for (const q of [
      query({ timeDimensions: [{ dimension: 'sales.order_date', granularity: 'day' }] }),
      query({}),
      query({ dimensions: ['sales.order_date.week'], timeDimensions: [{ dimension: 'sales.order_date', dateRange: ['2025-03-01', '2025-03-31'] }] }),
      query({ filters: [{ member: 'sales.order_date', operator: 'inDateRange', values: ['2025-03-01', '2025-03-31'] }] }),
    ]) {
      const err = await engine.load(q, analyst).then(() => undefined, (e: unknown) => e);
      expect(err).toBeInstanceOf(MetricsQueryError);
      expect([(err as MetricsQueryError).code, (err as MetricsQueryError).member], (err as Error).message).toEqual(['INVALID_QUERY', 'sales.revenue_7d']);
      expect((err as Error).message).toContain('measures[0] is a rolling window and needs a dateRange');
    }
  });

  it('refuses a window series too long to compute (hours over decades) as the caller\'s mistake, not an internal error', async () => {
    const q = query({ timeDimensions: [{ dimension: 'sales.order_date', granularity: 'hour', dateRange: ['1990-01-01', '2030-12-31'] }] });
    const err = await engine.load(q, analyst).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(MetricsQueryError);
    expect((err as MetricsQueryError).code).toBe('INVALID_QUERY');
    expect((err as Error).message).toMatch(/date ranges .* is over limit/);
  });

  it('compares periods like any measure', async () => {
    const result = await engine.load(
      query({ measures: ['sales.revenue_7d'], timeDimensions: [{ dimension: 'sales.order_date', granularity: 'day', dateRange: ['2025-03-08', '2025-03-14'] }], compare: 'PREVIOUS_PERIOD' }),
      analyst,
    );
    const prior = await handWritten(BUSINESS_TZ, 'day', '2025-03-01', '2025-03-07');
    expect(result.rows).toHaveLength(7);
    result.rows.forEach((r, i) => expectClose(r['sales.revenue_7d.previous'], prior[i]?.['r7'], `row ${i}`));
  });
});
