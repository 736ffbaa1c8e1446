import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DataTest, DataTestResult, DataTestScope } from '../../src/pipeline/data-tests/data-test.js';
import { dataTestsFor } from '../../src/pipeline/data-tests/data-test-catalog.js';
import { runDataTests } from '../../src/pipeline/data-tests/run-data-tests.js';
import { SILVER_ENTITIES } from '../../src/transform/silver-entity.js';
import { BigQueryWarehouse } from '../../src/warehouse/bigquery/bigquery-warehouse.js';
import type { DuckDbWarehouse } from '../../src/warehouse/duckdb/duckdb-warehouse.js';
import type { SqlValue } from '../../src/warehouse/warehouse.js';
import { expectBigQuerySql, expectOneTransaction, goldenText } from '../fixtures/bigquery-sql-checks.js';
import { duckDbSpeakingBigQuery } from '../fixtures/bigquery-text-on-duckdb.js';
import { FAKE_TOKEN, wireRow, type FakeBigQuery } from '../fixtures/fake-bigquery.js';
import { fakeBigQueryPerFile } from '../fixtures/fake-bigquery-per-file.js';
import { tempWarehouse } from '../fixtures/temp-warehouse.js';

/**
 * The data tests' checks on BigQuery: every declared test of the tables an orders refresh
 * touches, over the changed rows and over whole tables, as BigQuery receives them (against the
 * fake BigQuery REST server): BigQuery SQL only, accepted values, bounds and the e-mail rule as
 * typed parameters, inside the refresh's transaction. `test/golden/data-tests-bigquery/*.sql`
 * hold the statements (rewrite with `UPDATE_GOLDEN=1 npx vitest run test/pipeline/data-tests-bigquery.test.ts`).
 * The same statements run on DuckDB (through `bigquery-text-on-duckdb.ts`) over rows that break
 * every kind of rule must give the results the DuckDB statements give.
 */
const authClient = { getRequestHeaders: async () => new Headers({ authorization: `Bearer ${FAKE_TOKEN}` }) };
const NOW = new Date('2025-03-14T14:30:00.000Z');
const ORDER_TABLES = [...SILVER_ENTITIES.orders.silverTables, ...SILVER_ENTITIES.orders.goldTables];
const CHANGED: DataTestScope = { kind: 'changed', keys: SILVER_ENTITIES.orders.changedKeys };
/** Values the tests bind; none may appear in SQL text. */
const VALUES = ["'BRL'", 'hibernating', 'at_risk', '12345678900', '[^\\s@]+@'];
const golden = (name: string) => fileURLToPath(new URL(`../golden/data-tests-bigquery/${name}.sql`, import.meta.url));

let fake: FakeBigQuery;
fakeBigQueryPerFile((f) => (fake = f));

function open(): BigQueryWarehouse {
  return new BigQueryWarehouse({ projectId: 'farol-test', dataset: 'analytics', location: 'southamerica-east1', apiEndpoint: fake.url, authClient, pollMs: 1 });
}

async function statementsOf(scope: DataTestScope): Promise<{ text: string; results: DataTestResult[] }> {
  fake.answer((sql) => {
    // One invalid document in scope, so the value check's second statement is sent too.
    if (sql.startsWith('SELECT DISTINCT CAST(')) return { schema: [{ name: 'value', type: 'STRING' }], rows: [wireRow(['12345678900'])] };
    return undefined;
  });
  const wh = open();
  const results = await wh.transaction((tx) => runDataTests(tx, dataTestsFor(ORDER_TABLES), scope, NOW, wh.dialect));
  const inside = expectOneTransaction(fake.jobs.filter((j) => j.kind === 'query'));
  expectBigQuerySql(inside, VALUES);
  return { text: goldenText(inside), results };
}

function expectGolden(name: string, text: string): void {
  if (process.env.UPDATE_GOLDEN === '1') fs.writeFileSync(golden(name), text);
  expect(text, 'review, then UPDATE_GOLDEN=1 npx vitest run test/pipeline/data-tests-bigquery.test.ts').toBe(fs.readFileSync(golden(name), 'utf8'));
}

describe('data tests on BigQuery', () => {
  it('over an orders refresh\'s changed rows: copies of the scoped rows in session tables, EXISTS for tuples, COUNTIF and ARRAY_AGG', async () => {
    const { text, results } = await statementsOf(CHANGED);
    expect(results.length).toBeGreaterThan(20);
    expect(text).toContain('CREATE OR REPLACE TEMP TABLE data_test_scope_0 AS SELECT t.* FROM `farol-test.analytics.silver_orders` AS t WHERE EXISTS');
    expect(text).toContain('FROM _SESSION.data_test_scope_0 AS t');
    expect(text).toMatch(/COUNTIF\(checked\.failing_0\) AS failing_count_0, ARRAY_AGG\(IF\(checked\.failing_0, checked\.sample_key_0, NULL\) IGNORE NULLS ORDER BY/);
    expect(text).toContain('UNNEST(JSON_VALUE_ARRAY(?, \'$\')) AS v');
    expect(text).toContain('DROP TABLE IF EXISTS _SESSION.data_test_scope_0');
    expect(text).not.toContain('information_schema');
    expectGolden('orders-changed', text);
  });

  it('over whole tables (a rebuild): one combined scan per table, duplicates grouped and matched with EXISTS', async () => {
    const { text } = await statementsOf({ kind: 'all' });
    expect(text).toMatch(/EXISTS \(SELECT 1 FROM \(SELECT t\.`source`, t\.`order_id` FROM|EXISTS \(SELECT 1 FROM \(SELECT dup\.`source`, dup\.`order_id` FROM `[^`]+silver_orders` AS dup/);
    expect(text).toContain('max(t.`last_change`) < CAST(? AS TIMESTAMP) AS stale');
    expect(text).not.toContain('data_test_scope_');
    expectGolden('orders-all', text);
  });
});

describe("data tests' results read from BigQuery's answers", () => {
  it('counts and sample keys come back from COUNTIF and ARRAY_AGG columns; freshness from a TIMESTAMP', async () => {
    fake.answer((sql) => {
      if (sql.startsWith('SELECT COUNTIF(')) {
        return {
          schema: [
            { name: 'failing_count_0', type: 'INT64' }, { name: 'sample_keys_0', type: 'STRING', mode: 'REPEATED' },
            { name: 'failing_count_1', type: 'INT64' }, { name: 'sample_keys_1', type: 'STRING', mode: 'REPEATED' },
          ],
          rows: [wireRow([2, [{ v: 'vtex-orders:1' }, { v: 'vtex-orders:2' }], 0, []])],
        };
      }
      if (sql.includes('AS stale FROM')) {
        return {
          schema: [{ name: 'row_count', type: 'INT64' }, { name: 'latest', type: 'TIMESTAMP' }, { name: 'stale', type: 'BOOL' }],
          rows: [wireRow([5, '1741958400.0', true])],
        };
      }
      return undefined;
    });
    const tests: DataTest[] = [
      { table: 'silver.orders', keyColumns: ['source', 'order_id'], kind: 'not_null', column: 'status', severity: 'error' },
      { table: 'silver.orders', keyColumns: ['source', 'order_id'], kind: 'accepted_values', column: 'currency', values: ['BRL'], severity: 'error' },
      { table: 'silver.orders', keyColumns: ['source', 'order_id'], kind: 'freshness', column: 'last_change', maxAgeHours: 1, severity: 'warn' },
    ];
    const wh = open();
    const results = await wh.transaction((tx) => runDataTests(tx, tests, { kind: 'all' }, NOW, wh.dialect));
    expect(results.map((r) => [r.testId, r.status, r.failingCount, r.sampleKeys])).toEqual([
      ['silver.orders.status.not_null', 'failed', 2, ['vtex-orders:1', 'vtex-orders:2']],
      ['silver.orders.currency.accepted_values', 'passed', 0, []],
      ['silver.orders.last_change.freshness', 'failed', 1, []],
    ]);
    expect(results[2]!.message).toContain('2025-03-14T13:20:00.000Z');
  });
});

/** Rows that break a rule of every kind the orders' tables declare, and some in scope, some not. */
async function seedMess(wh: DuckDbWarehouse): Promise<void> {
  const insert = async (table: string, rows: readonly Record<string, SqlValue>[]) => {
    const [schema, name] = table.split('.') as [string, string];
    const columns = Object.keys(rows[0] ?? {});
    await wh.append({ schema, table: name }, columns, rows.map((r) => columns.map((c) => r[c] ?? null)));
  };
  const at = '2025-03-14T13:30:00.000Z';
  const order = (id: string, over: Record<string, SqlValue> = {}) => ({
    source: 'vtex-orders', order_id: id, status: 'invoiced', sales_channel: '1', created_at: at, last_change: at, currency: 'BRL',
    items_total: 100, discounts_total: -10, shipping_total: 5, tax_total: 0, total: 95, document_type: 'cpf', document: '52998224725',
    customer_email: 'ana@example.com.br', bronze_record_id: `b-${id}`, bronze_seq: 1, updated_at: at, ...over,
  });
  await insert('silver.orders', [
    order('1'), order('2', { currency: 'USD', total: -3, customer_email: 'not an email' }), order('3', { document: '12345678900' }),
    order('2', { currency: 'EUR' }), order('4', { discounts_total: 7 }), order('5', { status: null as unknown as string }),
  ].filter((o) => o.status !== null));
  const item = (id: string, i: number, over: Record<string, SqlValue> = {}) => ({
    source: 'vtex-orders', order_id: id, item_index: i, sku_id: 'sku', quantity: 1, unit_price: 10, selling_price: 9, is_gift: false, bronze_record_id: `b-${id}`, ...over,
  });
  await insert('silver.order_items', [item('1', 0), item('1', 0, { sku_id: 'twin' }), item('3', 0, { quantity: -1 }), item('9', 0)]);
  const fct = (id: string, over: Record<string, SqlValue> = {}) => ({
    order_key: `vtex-orders:${id}`, source: 'vtex-orders', order_id: id, order_date: '2025-03-14', created_at: at, status: 'invoiced', is_sale: true,
    is_canceled: false, channel_key: 'sc:1', items_count: 1, items_total: 100, discounts_total: -10, shipping_total: 5, total: 95, last_change: at, ...over,
  });
  await insert('gold.dim_channel', [{ channel_key: 'sc:1', channel_name: 'Loja online', channel_type: 'site', sales_channel: '1' }]);
  await insert('gold.fct_orders', [fct('1'), fct('2', { channel_key: 'sc:9', total: -1, status: 'brand-new' }), fct('2'), fct('3')]);
  await insert('gold.fct_sales', [{
    order_key: 'vtex-orders:7', source: 'vtex-orders', order_id: '7', item_index: 0, order_date: '2025-03-14', created_at: at, status: 'invoiced',
    is_sale: true, channel_key: 'sc:1', product_key: 'nope', quantity: 1, unit_price: 10, gross_amount: 10, net_amount: 9, discount_amount: 1,
  }]);
  await insert('gold.customer_identity', [
    { source: 'vtex-orders', source_id: 'cpf:1', customer_id: 'cpf:1', matched_by: 'document' },
    { source: 'vtex-orders', source_id: 'cpf:2', customer_id: 'cpf:2', matched_by: 'telepathy' },
  ]);
  await insert('gold.customer_360', [{
    customer_id: 'cpf:1', key_type: 'cpf', document: '12345678900', email: 'x@', orders: 1, ltv: -5, orders_last_365d: -1, is_returning: false,
    segment: 'whales', refreshed_on: '2025-03-14',
  }]);
}

describe("the data tests' BigQuery statements, run on DuckDB", () => {
  let cleanups: (() => Promise<void>)[] = [];
  beforeEach(() => {
    cleanups = [];
  });
  afterEach(async () => {
    for (const c of cleanups) await c();
  });

  async function resultsOn(speakBigQuery: boolean, scope: DataTestScope): Promise<DataTestResult[]> {
    const { warehouse, cleanup } = await tempWarehouse();
    cleanups.push(cleanup);
    await seedMess(warehouse);
    const w = speakBigQuery ? duckDbSpeakingBigQuery(warehouse) : warehouse;
    return w.writerSession(async (s) => {
      // The refresh's changed orders: 2 and 3 (and 7, whose only row is a sale), not 1.
      await s.transaction(async (tx) => {
        await tx.execute('CREATE TEMP TABLE IF NOT EXISTS stage_changed_orders (source VARCHAR, order_id VARCHAR, bronze_record_id VARCHAR)');
        await tx.execute("INSERT INTO temp.stage_changed_orders VALUES ('vtex-orders', '2', 'b'), ('vtex-orders', '3', 'b'), ('vtex-orders', '7', 'b')");
        await tx.execute('CREATE TEMP TABLE IF NOT EXISTS stage_changed_customer_360 (customer_id VARCHAR)');
        await tx.execute("INSERT INTO temp.stage_changed_customer_360 VALUES ('cpf:1'), ('cpf:2')");
      });
      const tests: DataTest[] = dataTestsFor(ORDER_TABLES);
      return s.transaction((tx) => runDataTests(tx, tests, scope, NOW, w.dialect));
    });
  }

  for (const [name, scope] of [['whole tables', { kind: 'all' }], ["an orders refresh's changed rows", CHANGED]] as const) {
    it(`give the DuckDB statements' results over ${name}`, { timeout: 60_000 }, async () => {
      const duckdb = await resultsOn(false, scope);
      const bigquery = await resultsOn(true, scope);
      expect(duckdb.filter((r) => r.status === 'failed').length).toBeGreaterThan(10);
      expect(bigquery).toEqual(duckdb);
    });
  }
});
