import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metricsQuerySchema, type MetricsQuery } from '../../src/metrics/metrics-query.js';
import { createSemanticEngine, type SemanticEngine } from '../../src/metrics/semantic-engine.js';
import { generateOrders } from '../../src/sandbox/vtex/index.js';
import { landOrders } from '../fixtures/land-orders.js';
import { useModelDirs } from '../fixtures/model-dir.js';
import { roleContext } from '../fixtures/security-contexts.js';
import { tempPipeline, type TempPipeline } from '../fixtures/temp-pipeline.js';
import { BUSINESS_TZ, MODEL_DIR } from './gold-fixtures.js';

/**
 * Pre-aggregations on gold the pipeline built from sandbox orders, refreshed by the runner, and
 * on models that declare what Farol cannot serve.
 */
const analyst = roleContext('analyst');
const FROM = new Date('2026-01-01T00:00:00Z');
const TO = new Date('2026-04-01T00:00:00Z');
const modelDir = useModelDirs();


let p: TempPipeline;
let engine: SemanticEngine;
let raw: SemanticEngine;

beforeAll(async () => {
  p = await tempPipeline();
  await landOrders(p, [...generateOrders({ seed: 7, count: 400, from: FROM, to: TO })]);
  const common = { warehouse: p.warehouse, modelDir: MODEL_DIR, dataVersions: p.dataVersions, timezone: BUSINESS_TZ, cache: { maxEntries: 100, ttlMs: 0 } };
  engine = await createSemanticEngine({ ...common, preAggregations: true });
  raw = await createSemanticEngine({ ...common, preAggregations: false });
  await engine.preAggregations?.settled();
}, 120_000);

afterAll(async () => {
  await engine?.close();
  await raw?.close();
  await p?.cleanup();
});

const q = (input: Partial<MetricsQuery>): MetricsQuery => metricsQuerySchema.parse({ ...input, renewQuery: true });
const sorted = (rows: readonly object[]) => rows.map((r) => JSON.stringify(Object.entries(r).sort(([a], [b]) => a.localeCompare(b)))).sort();

describe('pre-aggregations over pipeline gold', () => {
  const monthly = { measures: ['sales.revenue', 'sales.orders', 'sales.average_ticket', 'sales.cancellation_rate'], dimensions: ['sales.channel', 'sales.store'], timeDimensions: [{ dimension: 'sales.order_date', granularity: 'month' as const }] };

  it('answers from the rollup with the numbers gold gives, and a refresh rebuilds it so new orders count', async () => {
    const before = await engine.load(q(monthly), analyst);
    expect(before.servedFrom).toBe('pre-aggregation');
    expect(sorted(before.rows)).toEqual(sorted((await raw.load(q(monthly), analyst)).rows));

    await landOrders(p, [...generateOrders({ seed: 8, count: 150, from: FROM, to: TO })]);
    await engine.preAggregations?.settled();
    const after = await engine.load(q(monthly), analyst);
    expect(after.servedFrom).toBe('pre-aggregation');
    expect(after.dataVersion).toBeGreaterThan(before.dataVersion);
    expect(after.sql?.sql).toContain(`_v${after.dataVersion}`);
    expect(sorted(after.rows)).toEqual(sorted((await raw.load(q(monthly), analyst)).rows));
    const total = (rows: readonly Record<string, unknown>[]) => rows.reduce((n, r) => n + Number(r['sales.orders']), 0);
    expect(total(after.rows)).toBeGreaterThan(total(before.rows));
  });

  it('leaves rolling windows to gold, with the same numbers either way', async () => {
    const rolling = { measures: ['sales.revenue_7d', 'sales.revenue'], timeDimensions: [{ dimension: 'sales.order_date', granularity: 'day' as const, dateRange: ['2026-02-01', '2026-02-28'] as [string, string] }] };
    const r = await engine.load(q(rolling), analyst);
    const g = await raw.load(q(rolling), analyst);
    expect(r.servedFrom).toBe('warehouse');
    expect(r.rows).toEqual(g.rows);
    expect(r.rows.some((row) => Number(row['sales.revenue_7d']) > Number(row['sales.revenue']))).toBe(true);
  });
});

describe('a model declaring a pre-aggregation Farol cannot serve', () => {
  const cube = (preAggregation: string) => ({
    'cubes/o.yml': `
cubes:
  - name: o
    sql_table: gold.fct_orders
    public: false
    measures:
      - name: n
        title: N
        description: Orders.
        type: count
        format: number
        meta: { owner: test@farol.example }
    dimensions:
      - name: k
        sql: order_key
        type: string
        primary_key: true
      - name: created
        title: Created
        description: When.
        sql: created_at
        type: time
        meta: { owner: test@farol.example }
    pre_aggregations:
${preAggregation}
`,
    'views/v.yml': `
views:
  - name: v
    cubes:
      - join_path: o
        includes: [n, created]
`,
  });

  it.each([
    ['external: false (raw SQL would read a table that may not exist)', '      - name: daily\n        external: false\n        measures: [n]\n        time_dimension: created\n        granularity: day\n        allow_non_strict_date_range_match: false', /o\.daily: set external: true/],
    ['non-strict date ranges', '      - name: daily\n        external: true\n        measures: [n]\n        time_dimension: created\n        granularity: day', /o\.daily: set allow_non_strict_date_range_match: false/],
    ['original_sql', '      - name: copy\n        type: original_sql', /o\.copy: type "originalSql" is not supported/],
    ['partitions', '      - name: daily\n        external: true\n        measures: [n]\n        time_dimension: created\n        granularity: day\n        partition_granularity: month\n        allow_non_strict_date_range_match: false', /o\.daily: partition_granularity is not supported/],
  ])('refuses to start with %s, naming the pre-aggregation', async (_, block, message) => {
    const err = await createSemanticEngine({ warehouse: p.warehouse, modelDir: modelDir(cube(block)), dataVersions: p.dataVersions, timezone: BUSINESS_TZ, cache: { maxEntries: 0, ttlMs: 0 } }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(message);
  });
});
