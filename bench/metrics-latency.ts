import Fastify from 'fastify';
import { Pool } from 'undici';
import { ClubMemberIndex, Customer360Service } from '../src/customers/index.js';
import { DEFAULT_MODEL_DIR } from '../src/main.js';
import type { MetricsQuery } from '../src/metrics/metrics-query.js';
import { createSemanticEngine } from '../src/metrics/semantic-engine.js';
import { silentLogger } from '../src/observability/logger.js';
import { registerGraphql } from '../src/schema/index.js';
import type { DataVersions } from '../src/warehouse/data-version.js';
import type { DuckDbWarehouse } from '../src/warehouse/duckdb/duckdb-warehouse.js';
import { median, quantile, timeIt } from './stats.js';
import { Authenticator } from '../src/auth/index.js';

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

/**
 * BENCH_QUERY written by hand, as an analyst would in DuckDB: every measure counts sales only,
 * every channel and month with an item appears.
 */
const BENCH_QUERY_BY_HAND = `
  SELECT c.channel_name AS channel, date_trunc('month', timezone('America/Sao_Paulo', f.created_at)) AS month,
         sum(CASE WHEN f.is_sale THEN f.net_amount END) AS item_revenue, sum(CASE WHEN f.is_sale THEN f.quantity END) AS units
  FROM gold.fct_sales f LEFT JOIN gold.dim_channel c ON c.channel_key = f.channel_key
  GROUP BY 1, 2 ORDER BY 2, 1`;

/** A fast query, where a fixed cost would show: revenue and orders of one São Paulo day. */
export function fastBenchQuery(day: string): MetricsQuery {
  return {
    measures: ['sales.revenue', 'sales.orders'], dimensions: [], filters: [], segments: [], order: [], timezone: 'America/Sao_Paulo',
    timeDimensions: [{ dimension: 'sales.order_date', dateRange: [day, day] }],
  };
}

const fastQueryByHand = (day: string) => `
  SELECT sum(total) FILTER (WHERE is_sale) AS revenue, count(*) FILTER (WHERE is_sale) AS orders FROM gold.fct_orders
  WHERE created_at >= timezone('America/Sao_Paulo', TIMESTAMP '${day} 00:00:00')
    AND created_at < timezone('America/Sao_Paulo', TIMESTAMP '${day} 00:00:00' + INTERVAL 1 DAY)`;

const GQL = `query Bench($q: MetricsQueryInput!) { metrics(query: $q) { rows cached dataVersion } }`;

export interface QueryLatency {
  readonly rows: number;
  /** The query written by hand, on a bare DuckDB connection: no Farol code in the path. */
  readonly directMedianMs: number;
  /** Through GraphQL over HTTP with the result cache bypassed (`renewQuery`). */
  readonly uncachedMedianMs: number;
  readonly uncachedRatio: number;
  readonly cachedMedianMs: number;
  readonly cachedP99Ms: number;
  readonly cachedRatio: number;
  readonly uncachedRuns: number;
  readonly cachedRuns: number;
}

export interface MetricsLatency extends QueryLatency {
  /** The same, for a one-day query that takes a few milliseconds. */
  readonly fast: QueryLatency & { readonly day: string };
}

/**
 * A slow grouped query (BENCH_QUERY) and a fast one (one day's revenue), each three ways: written
 * by hand and run on a bare DuckDB connection, through GraphQL over HTTP with the result cache
 * bypassed, and through GraphQL over HTTP from the cache. "Uncached" bypasses Farol's result
 * cache only: DuckDB's buffer pool and the compiled model stay warm on both sides, as they would
 * in production.
 */
export async function benchMetricsLatency(warehouse: DuckDbWarehouse, dataVersions: DataVersions, uncachedRuns = 25, cachedRuns = 2_000): Promise<MetricsLatency> {
  const engine = await createSemanticEngine({
    warehouse, modelDir: DEFAULT_MODEL_DIR, dataVersions, timezone: 'America/Sao_Paulo', cache: { maxEntries: 1_000, ttlMs: 3_600_000 }, logger: silentLogger(),
  });
  const app = Fastify();
  const authenticator = new Authenticator({ config: { apiKeys: [{ kind: 'plain', key: KEY, role: 'admin' }], jwt: undefined, accessFile: undefined } });
  const clubIndex = new ClubMemberIndex(warehouse, dataVersions);
  await registerGraphql(app, { metrics: engine, views: engine.modelViews, customers: new Customer360Service(warehouse, dataVersions), clubIndex, authenticator, logger: silentLogger() });
  const base = await app.listen({ host: '127.0.0.1', port: 0 });
  const pool = new Pool(base, { connections: 1 });
  const bare = await warehouse.bareConnection();
  try {
    const gql = (query: MetricsQuery) => async (renewQuery: boolean) => {
      const res = await pool.request({
        path: '/graphql', method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` },
        body: JSON.stringify({ query: GQL, variables: { q: { ...graphqlQuery(query), renewQuery } } }),
      });
      const json = (await res.body.json()) as { data?: { metrics: { rows: unknown[] } }; errors?: unknown };
      if (!json.data) throw new Error(`GraphQL error: ${JSON.stringify(json.errors)}`);
      return json.data.metrics.rows.length;
    };
    const byHand = (sql: string) => async () => (await bare.runAndReadAll(sql)).getRows().length;
    const [busiest] = await warehouse.query<{ day: string }>(
      "SELECT strftime(timezone('America/Sao_Paulo', created_at), '%Y-%m-%d') AS day FROM gold.fct_orders GROUP BY 1 ORDER BY count(*) DESC LIMIT 1",
    );
    const day = busiest?.day ?? '2026-01-01';
    const slow = await measure(byHand(BENCH_QUERY_BY_HAND), gql(BENCH_QUERY), uncachedRuns, cachedRuns);
    const fast = await measure(byHand(fastQueryByHand(day)), gql(fastBenchQuery(day)), uncachedRuns * 4, cachedRuns);
    return { ...slow, fast: { ...fast, day } };
  } finally {
    bare.closeSync();
    await pool.close();
    await app.close();
    await engine.close();
  }
}

async function measure(direct: () => Promise<number>, gql: (renewQuery: boolean) => Promise<number>, uncachedRuns: number, cachedRuns: number): Promise<QueryLatency> {
  const handRows = await direct();
  const rows = await gql(true);
  // The hand-written SQL must answer the same question, or the comparison means nothing.
  if (handRows !== rows) throw new Error(`the hand-written query gave ${handRows} rows, the model ${rows}`);
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
  await gql(false);
  const cachedMs: number[] = [];
  for (let i = 0; i < cachedRuns; i++) cachedMs.push(await timeIt(() => gql(false)));
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
