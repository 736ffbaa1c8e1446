import fs from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { installedCubeVersion } from '../../src/metrics/cube/cube-modules.js';
import { compileModel } from '../../src/metrics/cube/model-compiler.js';
import { ModelCatalog } from '../../src/metrics/cube/model-catalog.js';
import { QueryPlanner, type QueryPlan } from '../../src/metrics/cube/query-planner.js';
import { resolveQuery } from '../../src/metrics/cube/query-resolution.js';
import { BUSINESS_TZ, MODEL_DIR } from './gold-fixtures.js';

/**
 * Farol runs Cube's legacy (non-native) planner and reads its SQL through its own port. A Cube
 * upgrade that changes that SQL must fail here, loudly, before it changes a governed number:
 * re-check the fragments below against the new output and update them deliberately.
 */
const CUBE_PACKAGES = ['@cubejs-backend/schema-compiler', '@cubejs-backend/duckdb-driver'] as const;

const REFERENCE_QUERY = {
  measures: ['sales.revenue', 'sales.orders', 'sales.average_ticket'],
  dimensions: ['sales.channel'],
  timeDimensions: [{ dimension: 'sales.order_date', granularity: 'day', dateRange: ['2025-03-01', '2025-03-31'] }],
};

let plan: QueryPlan;

beforeAll(async () => {
  const model = await compileModel(MODEL_DIR);
  const planner = new QueryPlanner(model.compilers, ModelCatalog.fromCompilers(model.compilers), 'duckdb');
  const { query, key } = resolveQuery(REFERENCE_QUERY, BUSINESS_TZ);
  plan = planner.plan(query, key);
});

describe('Cube upgrade guard', () => {
  it('runs the exact Cube version package.json pins', () => {
    const pkg = JSON.parse(fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { dependencies: Record<string, string> };
    const pinned = pkg.dependencies['@cubejs-backend/schema-compiler'];
    expect(pinned).toMatch(/^\d+\.\d+\.\d+$/);
    expect(installedCubeVersion()).toBe(pinned);
    for (const name of CUBE_PACKAGES) expect(pkg.dependencies[name], name).toBe(pinned);
  });

  it('compiles the reference query to the same legacy-planner SQL', () => {
    const sql = plan.sql.replace(/\s+/g, ' ');
    for (const fragment of [
      `"channels".channel_name "sales__channel"`,
      `DATE_TRUNC('day', timezone('America/Sao_Paulo', "orders".created_at::timestamptz)) "sales__order_date_day"`,
      `sum(CASE WHEN ("orders".is_sale) THEN "orders".total END) "sales__revenue"`,
      `count(CASE WHEN ("orders".is_sale) THEN "orders".order_id END) "sales__orders"`,
      `sum(CASE WHEN ("orders".is_sale) THEN "orders".total END) / NULLIF(count(CASE WHEN ("orders".is_sale) THEN "orders".order_id END), 0) "sales__average_ticket"`,
      `FROM gold.fct_orders AS "orders"`,
      `LEFT JOIN gold.dim_channel AS "channels" ON "orders".channel_key = "channels".channel_key`,
      `WHERE ("orders".created_at >= ?::timestamptz AND "orders".created_at <= ?::timestamptz)`,
      `GROUP BY 1, 2 ORDER BY 2 ASC LIMIT 10000`,
    ]) {
      expect(sql).toContain(fragment);
    }
    // São Paulo midnight is 03:00 UTC: the range is converted once, in parameters.
    expect(plan.params).toEqual(['2025-03-01T03:00:00.000Z', '2025-04-01T02:59:59.999Z']);
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
