import fs from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { installedCubeVersion } from '../../src/metrics/cube/cube-modules.js';
import { compileModel } from '../../src/metrics/cube/model-compiler.js';
import { ModelCatalog } from '../../src/metrics/cube/model-catalog.js';
import { QueryPlanner, type QueryPlan } from '../../src/metrics/cube/query-planner.js';
import { resolveQuery } from '../../src/metrics/cube/query-resolution.js';
import { BUSINESS_TZ, MODEL_DIR } from './gold-fixtures.js';

/**
 * Farol runs Cube's legacy (non-native) planner, with its own copy of Cube's DuckDB dialect
 * (src/metrics/cube/duckdb-query.ts), and reads its SQL through its own port. A Cube upgrade
 * that changes that SQL must fail here, loudly, before it changes a governed number: re-check
 * the SQL below against the new output and update it deliberately (and the dialect copy against
 * the new `DuckDBQuery` of `@cubejs-backend/duckdb-driver`).
 *
 * The exact SQL below is what Cube 1.7.43 built with the driver's own `DuckDBQuery`, recorded
 * while that driver was still installed, with Farol's one deliberate change to it
 * (src/metrics/cube/filtered-measures.ts): Cube rendered filtered measures as
 * `sum(CASE WHEN ("orders".is_sale) THEN "orders".total END)` and the order count as
 * `count(CASE WHEN ("orders".is_sale) THEN "orders".order_key END)`; Farol renders
 * `sum("orders".total) FILTER (WHERE ("orders".is_sale))` and `count(*) FILTER (WHERE …)`, the
 * same numbers at a fraction of DuckDB's cost. And the row window Cube writes as `LIMIT 10000`
 * is bound as a parameter (`LIMIT ?`), so queries of one shape share one SQL text
 * (src/metrics/cube/query-shape.ts). Everything else is Cube's text.
 */
const CUBE_PACKAGES = ['@cubejs-backend/schema-compiler'] as const;

const REFERENCE_QUERY = {
  measures: ['sales.revenue', 'sales.orders', 'sales.average_ticket'],
  dimensions: ['sales.channel'],
  timeDimensions: [{ dimension: 'sales.order_date', granularity: 'day', dateRange: ['2025-03-01', '2025-03-31'] }],
};

const REFERENCE_SQL = [
  'SELECT',
  `      "channels".channel_name "sales__channel", DATE_TRUNC('day', timezone('America/Sao_Paulo', "orders".created_at::timestamptz)) "sales__order_date_day", sum("orders".total) FILTER (WHERE ("orders".is_sale)) "sales__revenue", count(*) FILTER (WHERE ("orders".is_sale)) "sales__orders", sum("orders".total) FILTER (WHERE ("orders".is_sale)) / NULLIF(count(*) FILTER (WHERE ("orders".is_sale)), 0) "sales__average_ticket"`,
  '    FROM',
  '      gold.fct_orders AS "orders"',
  `LEFT JOIN gold.dim_channel AS "channels" ON "orders".channel_key = "channels".channel_key  WHERE ("orders".created_at >= ?::timestamptz AND "orders".created_at <= ?::timestamptz) GROUP BY 1, 2 ORDER BY 2 ASC LIMIT ?`,
].join('\n');

/** Reaches what the DuckDB dialect overrides: week truncation, ILIKE, numeric parameter casts. */
const DIALECT_QUERY = {
  measures: ['sales.revenue', 'sales.customers'],
  dimensions: ['sales.order_date.week'],
  filters: [
    { member: 'sales.coupon', operator: 'contains', values: ['PROMO'] },
    { member: 'sales.revenue', operator: 'gt', values: ['100.5'] },
  ],
  timezone: 'Europe/Berlin',
};

const DIALECT_SQL = [
  'SELECT',
  `      DATE_TRUNC('week', timezone('Europe/Berlin', "orders".created_at::timestamptz)) "sales__order_date_week", sum("orders".total) FILTER (WHERE ("orders".is_sale)) "sales__revenue", count(distinct "orders".customer_key) FILTER (WHERE ("orders".is_sale)) "sales__customers"`,
  '    FROM',
  // ESCAPE is Farol's addition (duckdb-query.ts): Cube escapes LIKE wildcards with a backslash.
  `      gold.fct_orders AS "orders"  WHERE ("orders".coupon ILIKE '%' || ? || '%' ESCAPE '\\') GROUP BY 1 HAVING (sum("orders".total) FILTER (WHERE ("orders".is_sale)) > CAST(? AS DOUBLE)) ORDER BY 1 ASC LIMIT ?`,
].join('\n');

let plan: QueryPlan;
let dialectPlan: QueryPlan;

beforeAll(async () => {
  const model = await compileModel(MODEL_DIR);
  const planner = new QueryPlanner(model.compilers, ModelCatalog.fromCompilers(model.compilers), 'duckdb');
  const { query, key } = resolveQuery(REFERENCE_QUERY, BUSINESS_TZ);
  plan = planner.plan(query, key);
  const dialect = resolveQuery(DIALECT_QUERY, BUSINESS_TZ);
  dialectPlan = planner.plan(dialect.query, dialect.key);
});

describe('Cube upgrade guard', () => {
  it('runs the exact Cube version package.json pins', () => {
    const pkg = JSON.parse(fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { dependencies: Record<string, string> };
    const pinned = pkg.dependencies['@cubejs-backend/schema-compiler'];
    expect(pinned).toMatch(/^\d+\.\d+\.\d+$/);
    expect(installedCubeVersion()).toBe(pinned);
    for (const name of CUBE_PACKAGES) expect(pkg.dependencies[name], name).toBe(pinned);
  });

  it('compiles the reference query to the same legacy-planner SQL, byte for byte', () => {
    expect(plan.sql).toBe(REFERENCE_SQL);
    const sql = plan.sql.replace(/\s+/g, ' ');
    for (const fragment of [
      `"channels".channel_name "sales__channel"`,
      `DATE_TRUNC('day', timezone('America/Sao_Paulo', "orders".created_at::timestamptz)) "sales__order_date_day"`,
      `sum("orders".total) FILTER (WHERE ("orders".is_sale)) "sales__revenue"`,
      `count(*) FILTER (WHERE ("orders".is_sale)) "sales__orders"`,
      `sum("orders".total) FILTER (WHERE ("orders".is_sale)) / NULLIF(count(*) FILTER (WHERE ("orders".is_sale)), 0) "sales__average_ticket"`,
      `FROM gold.fct_orders AS "orders"`,
      `LEFT JOIN gold.dim_channel AS "channels" ON "orders".channel_key = "channels".channel_key`,
      `WHERE ("orders".created_at >= ?::timestamptz AND "orders".created_at <= ?::timestamptz)`,
      `GROUP BY 1, 2 ORDER BY 2 ASC LIMIT ?`,
    ]) {
      expect(sql).toContain(fragment);
    }
    // São Paulo midnight is 03:00 UTC: the range is converted once, in parameters.
    expect(plan.params).toEqual(['2025-03-01T03:00:00.000Z', '2025-04-01T02:59:59.999Z', 10000]);
  });

  it('compiles what the DuckDB dialect overrides to the same SQL, byte for byte', () => {
    expect(dialectPlan.sql).toBe(DIALECT_SQL);
    expect(dialectPlan.params).toEqual(['PROMO', '100.5', 10000]);
  });

  it('maps result aliases back to member names', () => {
    expect(plan.columns.map((c) => [c.alias, c.names])).toEqual([
      ['sales__revenue', ['sales.revenue']],
      ['sales__orders', ['sales.orders']],
      ['sales__average_ticket', ['sales.average_ticket']],
      ['sales__channel', ['sales.channel']],
      ['sales__order_date_day', ['sales.order_date.day', 'sales.order_date']],
    ]);
  });
});
