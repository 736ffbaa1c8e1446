import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { metricsQuerySchema, type MetricsQuery } from '../../src/metrics/metrics-query.js';
import { createSemanticEngine, type SemanticEngine } from '../../src/metrics/semantic-engine.js';
import { BIGQUERY_WAREHOUSE_MIGRATIONS, WAREHOUSE_MIGRATIONS } from '../../src/pipeline/warehouse-migrations.js';
import { DataVersions } from '../../src/warehouse/data-version.js';
import { openWarehouse } from '../../src/warehouse/open-warehouse.js';
import type { Warehouse } from '../../src/warehouse/warehouse.js';
import { policy } from '../fixtures/access-policies.js';
import { FAKE_TOKEN, startFakeBigQuery, wireRow, type FakeBigQuery, type RecordedJob } from '../fixtures/fake-bigquery.js';
import { customContext, roleContext } from '../fixtures/security-contexts.js';
import { MODEL_DIR } from '../metrics/gold-fixtures.js';

/**
 * The serving path on BigQuery, from configuration to a governed answer: FAROL_WAREHOUSE opens the
 * BigQuery adapter, its migrations create gold partitioned and clustered, the semantic engine
 * compiles the model in the BigQuery dialect, and a metrics query runs as one parameterised job
 * whose rows come back in the same shapes as on DuckDB. No DuckDB file is opened.
 */
const authClient = { getRequestHeaders: async () => new Headers({ authorization: `Bearer ${FAKE_TOKEN}` }) };

let fake: FakeBigQuery;
let warehouse: Warehouse;
let engine: SemanticEngine;

const q = (input: Partial<MetricsQuery>): MetricsQuery => metricsQuerySchema.parse(input);
const queryConfig = (job: RecordedJob) => (job.resource.configuration as { query: Record<string, unknown> }).query;

beforeAll(async () => {
  fake = await startFakeBigQuery({ requireToken: FAKE_TOKEN });
  fake.answer((sql) => {
    if (sql.startsWith('SELECT layer, version, changed_at')) {
      return { schema: [{ name: 'layer', type: 'STRING' }, { name: 'version', type: 'INTEGER' }, { name: 'changed_at', type: 'TIMESTAMP' }], rows: [wireRow(['gold', '7', '1741957200000000'])] };
    }
    if (sql.includes('gold_fct_orders') && sql.includes('sales__order_date_day')) {
      return {
        incompletePolls: 1,
        pageSize: 1,
        schema: [{ name: 'sales__order_date_day', type: 'TIMESTAMP' }, { name: 'sales__revenue', type: 'NUMERIC' }, { name: 'sales__orders', type: 'INTEGER' }],
        // Cube's BigQuery dialect returns the local day as a TIMESTAMP at UTC midnight.
        rows: [wireRow(['1741910400000000', '345.00', '3']), wireRow(['1741996800000000', '365.35', '2'])],
      };
    }
    return undefined;
  });
  const config = loadConfig({
    FAROL_WAREHOUSE: 'bigquery:farol-test.analytics',
    FAROL_BIGQUERY_LOCATION: 'southamerica-east1',
    FAROL_BIGQUERY_MAX_BYTES_BILLED: '2000000000',
    FAROL_BIGQUERY_API_ENDPOINT: fake.url,
  });
  warehouse = await openWarehouse(config.warehouse, { duckdb: WAREHOUSE_MIGRATIONS, bigquery: BIGQUERY_WAREHOUSE_MIGRATIONS }, undefined, { bigQueryAuthClient: authClient });
  const dataVersions = await DataVersions.load(warehouse);
  engine = await createSemanticEngine({ warehouse, modelDir: MODEL_DIR, dataVersions, timezone: config.timezone, cache: { maxEntries: 100, ttlMs: 0 }, queryTimeoutMs: 30_000 });
});

afterAll(async () => {
  await engine?.close();
  await warehouse?.close();
  await fake?.close();
});

describe('serving metrics from BigQuery', () => {
  it('migrates gold with partitioned, clustered facts before serving', () => {
    expect(warehouse.dialect).toBe('bigquery');
    const ddl = fake.jobs.find((j) => j.sql?.includes('gold_fct_orders') && j.sql.includes('CREATE TABLE'))!.sql!;
    expect(ddl).toMatch(/CREATE TABLE IF NOT EXISTS `farol-test\.analytics\.gold_fct_orders` \([^;]*\)\nPARTITION BY DATE\(created_at\)\nCLUSTER BY channel_key, store_key;/);
    expect(ddl).toMatch(/`farol-test\.analytics\.gold_fct_sales` \([^;]*\)\nPARTITION BY DATE\(created_at\)\nCLUSTER BY channel_key, store_key;/);
    expect(ddl).not.toMatch(/VARCHAR|TIMESTAMPTZ|DECIMAL|CREATE SCHEMA/);
    expect(ddl).toContain('total            NUMERIC(18,2) NOT NULL');
  });

  it('runs a metrics query as one parameterised BigQuery job and answers in DuckDB\'s shapes', async () => {
    const before = fake.jobs.length;
    const result = await engine.load(q({
      measures: ['sales.revenue', 'sales.orders'],
      timeDimensions: [{ dimension: 'sales.order_date', granularity: 'day', dateRange: ['2025-03-14', '2025-03-15'] }],
    }), roleContext('analyst'));
    expect(result.rows).toEqual([
      { 'sales.order_date.day': '2025-03-14T00:00:00.000', 'sales.order_date': '2025-03-14T00:00:00.000', 'sales.revenue': 345, 'sales.orders': 3 },
      { 'sales.order_date.day': '2025-03-15T00:00:00.000', 'sales.order_date': '2025-03-15T00:00:00.000', 'sales.revenue': 365.35, 'sales.orders': 2 },
    ]);
    expect(result.dataVersion).toBe(7);
    expect(result.refreshedAt).toBe('2025-03-14T13:00:00.000Z');
    const jobs = fake.jobs.slice(before);
    expect(jobs).toHaveLength(1);
    const job = jobs[0]!;
    expect(job.sql).toContain('FROM\n      `farol-test.analytics.gold_fct_orders` AS `orders`');
    expect(job.sql).toContain('`orders`.created_at >= TIMESTAMP(?) AND `orders`.created_at <= TIMESTAMP(?)');
    expect(queryConfig(job)).toMatchObject({
      maximumBytesBilled: '2000000000',
      parameterMode: 'positional',
      queryParameters: [
        { parameterType: { type: 'STRING' }, parameterValue: { value: '2025-03-14T03:00:00.000000Z' } },
        { parameterType: { type: 'STRING' }, parameterValue: { value: '2025-03-16T02:59:59.999999Z' } },
      ],
    });
    expect(job.resource.configuration).toMatchObject({ labels: { app: 'farol', kind: 'metrics' }, jobTimeoutMs: '30000' });
    expect((job.resource.jobReference as { location: string }).location).toBe('southamerica-east1');
    // The analyst role sees the SQL it ran: Cube's, before table names are qualified.
    expect(result.sql?.sql).toContain('gold.fct_orders');
  });

  it('applies row-level rules as parameters of the BigQuery job', async () => {
    const before = fake.jobs.length;
    const centro = customContext(policy('store_manager'), { store: "centro' OR 1=1 --" });
    await engine.load(q({ measures: ['sales.revenue'], dimensions: ['sales.channel'] }), centro);
    const job = fake.jobs[before]!;
    expect(job.sql).toContain('LEFT JOIN `farol-test.analytics.gold_dim_store` AS `stores`');
    expect(job.sql).not.toContain("centro'");
    expect(queryConfig(job).queryParameters).toEqual([{ parameterType: { type: 'STRING' }, parameterValue: { value: "centro' OR 1=1 --" } }]);
  });
});
