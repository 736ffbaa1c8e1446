import Fastify from 'fastify';
import { Pool } from 'undici';
import { DEFAULT_MODEL_DIR } from '../src/main.js';
import type { MetricsQuery } from '../src/metrics/metrics-query.js';
import { createSemanticEngine } from '../src/metrics/semantic-engine.js';
import { silentLogger } from '../src/observability/logger.js';
import { registerGraphql } from '../src/schema/index.js';
import type { DataVersions } from '../src/warehouse/data-version.js';
import type { Warehouse } from '../src/warehouse/warehouse.js';
import { median, quantile, timeIt } from './stats.js';

const KEY = 'bench-api-key-0123456789abcdef';

/** The grouped query: item revenue and units by channel and month over every order item. */
export const BENCH_QUERY: MetricsQuery = {
  measures: ['product_sales.item_revenue', 'product_sales.units'],
  dimensions: ['product_sales.channel'],
  timeDimensions: [{ dimension: 'product_sales.order_date', granularity: 'month' }],
  filters: [],
  segments: [],
  order: [],
  timezone: 'America/Sao_Paulo',
};

const GQL = `query Bench($q: MetricsQueryInput!) { metrics(query: $q) { rows cached dataVersion } }`;

export interface MetricsLatency {
  readonly rows: number;
  readonly directMedianMs: number;
  readonly uncachedMedianMs: number;
  readonly uncachedRatio: number;
  readonly cachedMedianMs: number;
  readonly cachedP99Ms: number;
  readonly cachedRatio: number;
  readonly uncachedRuns: number;
  readonly cachedRuns: number;
}

/**
 * The same query three ways: its SQL straight through the warehouse port (the raw warehouse
 * query), through GraphQL over HTTP with the result cache bypassed (`renewQuery`), and through
 * GraphQL over HTTP from the cache.
 */
export async function benchMetricsLatency(warehouse: Warehouse, dataVersions: DataVersions, uncachedRuns = 25, cachedRuns = 2_000): Promise<MetricsLatency> {
  const engine = await createSemanticEngine({
    warehouse, modelDir: DEFAULT_MODEL_DIR, dataVersions, timezone: 'America/Sao_Paulo', cache: { maxEntries: 1_000, ttlMs: 3_600_000 }, logger: silentLogger(),
  });
  const app = Fastify();
  await registerGraphql(app, { metrics: engine, apiKeys: [{ key: KEY, role: 'admin' }], logger: silentLogger() });
  const base = await app.listen({ host: '127.0.0.1', port: 0 });
  const pool = new Pool(base, { connections: 1 });
  const ctx = { role: 'admin' as const, apiKeyId: 'bench' };
  const { sql, params } = await engine.toSql(BENCH_QUERY, ctx);

  const gql = async (renewQuery: boolean) => {
    const res = await pool.request({
      path: '/graphql', method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` },
      body: JSON.stringify({ query: GQL, variables: { q: { ...graphqlQuery(BENCH_QUERY), renewQuery } } }),
    });
    const json = (await res.body.json()) as { data?: { metrics: { rows: unknown[] } }; errors?: unknown };
    if (!json.data) throw new Error(`GraphQL error: ${JSON.stringify(json.errors)}`);
    return json.data.metrics.rows.length;
  };
  const direct = () => warehouse.query(sql, params as never);

  for (let i = 0; i < 3; i++) {
    await direct();
    await gql(true);
  }
  const directMs: number[] = [];
  const uncachedMs: number[] = [];
  for (let i = 0; i < uncachedRuns; i++) {
    // Interleaved, so drift (page cache, CPU frequency) hits both sides alike.
    directMs.push(await timeIt(direct));
    uncachedMs.push(await timeIt(() => gql(true)));
  }
  const rows = await gql(false);
  const cachedMs: number[] = [];
  for (let i = 0; i < cachedRuns; i++) cachedMs.push(await timeIt(() => gql(false)));

  await pool.close();
  await app.close();
  await engine.close();
  const d = median(directMs);
  return {
    rows, directMedianMs: d, uncachedMedianMs: median(uncachedMs), uncachedRatio: median(uncachedMs) / d,
    cachedMedianMs: median(cachedMs), cachedP99Ms: quantile(cachedMs, 0.99), cachedRatio: median(cachedMs) / d,
    uncachedRuns, cachedRuns,
  };
}

/** Cube's `order` tuples become `{member, direction}` objects in the GraphQL input. */
function graphqlQuery(q: MetricsQuery): Record<string, unknown> {
  const { order, ...rest } = q;
  return { ...rest, order: order.map(([member, dir]) => ({ member, direction: dir.toUpperCase() })) };
}
