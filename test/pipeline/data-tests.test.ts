import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DataTest, DataTestResult, DataTestScope } from '../../src/pipeline/data-tests/data-test.js';
import { DATA_TESTS_BY_TABLE, dataTestCatalog, dataTestsFor } from '../../src/pipeline/data-tests/data-test-catalog.js';
import {
  DataTestFailure,
  assertNoBlockingFailures,
  latestDataTestResults,
  recordDataTestResults,
} from '../../src/pipeline/data-tests/record-data-tests.js';
import { runDataTests } from '../../src/pipeline/data-tests/run-data-tests.js';
import type { DuckDbWarehouse } from '../../src/warehouse/duckdb/duckdb-warehouse.js';
import type { SqlValue } from '../../src/warehouse/warehouse.js';
import { tempWarehouse } from '../fixtures/temp-warehouse.js';

let wh: DuckDbWarehouse;
let cleanup: () => Promise<void>;

beforeEach(async () => {
  ({ warehouse: wh, cleanup } = await tempWarehouse());
});
afterEach(async () => cleanup());

const LAST_CHANGE = '2025-03-14T13:30:00.000Z';
/** An hour after the fixtures' last change: fresh by any sensible threshold. */
const NOW = new Date('2025-03-14T14:30:00.000Z');
const ALL: DataTestScope = { kind: 'all' };

type Fields = Record<string, SqlValue>;

/** Data tests run inside the refresh transaction; so do these (scoped rows are copied to temporary tables). */
const runInTx = (...args: Parameters<typeof runDataTests> extends [unknown, ...infer R] ? R : never) =>
  wh.transaction((tx) => runDataTests(tx, ...args));

async function insert(table: string, rows: readonly Fields[]): Promise<void> {
  const [schema, name] = table.split('.') as [string, string];
  const columns = Object.keys(rows[0] ?? {});
  await wh.append({ schema, table: name }, columns, rows.map((r) => columns.map((c) => r[c] ?? null)));
}

function order(orderId: string, over: Fields = {}): Fields {
  return {
    source: 'vtex-orders', order_id: orderId, status: 'invoiced', sales_channel: '1',
    created_at: '2025-03-14T13:22:05.000Z', last_change: LAST_CHANGE, currency: 'BRL',
    items_total: 100, discounts_total: -10, shipping_total: 5, tax_total: 0, total: 95,
    document_type: 'cpf', document: '52998224725', customer_email: 'ana@example.com.br',
    bronze_record_id: `b-${orderId}`, bronze_seq: 1, updated_at: LAST_CHANGE, ...over,
  };
}

function item(orderId: string, itemIndex: number, over: Fields = {}): Fields {
  return {
    source: 'vtex-orders', order_id: orderId, item_index: itemIndex, sku_id: '2031', quantity: 1,
    unit_price: 100, selling_price: 90, is_gift: false, bronze_record_id: `b-${orderId}`, ...over,
  };
}

function fctOrder(orderId: string, over: Fields = {}): Fields {
  return {
    order_key: `vtex-orders:${orderId}`, source: 'vtex-orders', order_id: orderId, order_date: '2025-03-14',
    created_at: '2025-03-14T13:22:05.000Z', status: 'invoiced', is_sale: true, is_canceled: false,
    channel_key: 'sc:1', items_count: 1, items_total: 100, discounts_total: -10, shipping_total: 5, total: 95,
    last_change: LAST_CHANGE, ...over,
  };
}

function fctSale(orderId: string, itemIndex: number, over: Fields = {}): Fields {
  return {
    order_key: `vtex-orders:${orderId}`, source: 'vtex-orders', order_id: orderId, item_index: itemIndex,
    order_date: '2025-03-14', created_at: '2025-03-14T13:22:05.000Z', status: 'invoiced', is_sale: true,
    channel_key: 'sc:1', product_key: '2031', quantity: 1, unit_price: 100, gross_amount: 100, net_amount: 90,
    discount_amount: 10, ...over,
  };
}

/** Two good orders through silver and gold, one store target. */
async function seedGood(): Promise<void> {
  await insert('silver.orders', [order('1001-01'), order('1002-01', { document: '11.222.333/0001-81', document_type: 'cnpj' })]);
  await insert('silver.order_items', [item('1001-01', 0), item('1001-01', 1), item('1002-01', 0)]);
  await insert('silver.store_targets', [{
    source: 'store-targets', store_key: 'loja-1', month: '2025-03-01', revenue_target: 10000, changed_at: LAST_CHANGE,
    bronze_record_id: 'b-t', bronze_seq: 1, updated_at: LAST_CHANGE,
  }]);
  await insert('gold.dim_channel', [{ channel_key: 'sc:1', channel_name: 'Loja online', channel_type: 'site', sales_channel: '1' }]);
  await insert('gold.dim_product', [{ product_key: '2031', name: 'Camiseta' }]);
  await insert('gold.fct_orders', [fctOrder('1001-01'), fctOrder('1002-01')]);
  await insert('gold.fct_sales', [fctSale('1001-01', 0), fctSale('1001-01', 1), fctSale('1002-01', 0)]);
  await insert('gold.fct_store_targets', [{ store_key: 'loja-1', month: '2025-03-01', revenue_target: 10000 }]);
}

const allCatalogTests = (): DataTest[] => Object.values(DATA_TESTS_BY_TABLE).flat();
const byId = (results: readonly DataTestResult[], id: string): DataTestResult => {
  const r = results.find((x) => x.testId === id);
  if (!r) throw new Error(`no result for ${id}; got ${results.map((x) => x.testId).join(', ')}`);
  return r;
};
const failed = (results: readonly DataTestResult[]) => results.filter((r) => r.status === 'failed').map((r) => r.testId);

describe('declared data tests on a real warehouse', () => {
  it('pass on good silver and gold rows', async () => {
    await seedGood();
    const results = await runInTx( allCatalogTests(), ALL, NOW);
    expect(failed(results)).toEqual([]);
    expect(results).toHaveLength(allCatalogTests().length);
    expect(byId(results, 'silver.orders.currency.accepted_values')).toMatchObject({
      status: 'passed', failingCount: 0, sampleKeys: [], message: 'silver.orders.currency: passed (in (BRL))',
    });
  });

  it('report a foreign currency with its count, sample key and a sentence', async () => {
    await seedGood();
    await insert('silver.orders', [order('1234-01', { currency: 'USD' })]);
    const [result] = await runInTx( DATA_TESTS_BY_TABLE['silver.orders']!.filter((t) => t.kind === 'accepted_values'), ALL, NOW);
    expect(result).toEqual({
      testId: 'silver.orders.currency.accepted_values', table: 'silver.orders', column: 'currency',
      kind: 'accepted_values', severity: 'error', status: 'failed', failingCount: 1,
      sampleKeys: ['vtex-orders:1234-01'],
      message: 'silver.orders.currency: 1 row not in (BRL) — e.g. vtex-orders:1234-01',
    });
  });

  it('find duplicate items, orphan items and negative quantities', async () => {
    await seedGood();
    await insert('silver.order_items', [
      item('1001-01', 1, { sku_id: 'dup' }),
      item('9999-01', 0),
      item('1002-01', 1, { quantity: -2, selling_price: -1 }),
    ]);
    const results = await runInTx( DATA_TESTS_BY_TABLE['silver.order_items']!, ALL, NOW);
    expect(failed(results)).toEqual([
      'silver.order_items.source,order_id,item_index.unique',
      'silver.order_items.quantity.range',
      'silver.order_items.selling_price.range',
      'silver.order_items.source,order_id.relationship',
    ]);
    // Both twins fail; they share one key.
    expect(byId(results, 'silver.order_items.source,order_id,item_index.unique')).toMatchObject({
      failingCount: 2, sampleKeys: ['vtex-orders:1001-01:1'],
      message: 'silver.order_items.source,order_id,item_index: 2 rows not unique — e.g. vtex-orders:1001-01:1',
    });
    expect(byId(results, 'silver.order_items.source,order_id.relationship')).toMatchObject({
      severity: 'error', failingCount: 1, sampleKeys: ['vtex-orders:9999-01:0'],
      message: 'silver.order_items.source,order_id: 1 row without a match in silver.orders.source,order_id — e.g. vtex-orders:9999-01:0',
    });
    expect(byId(results, 'silver.order_items.quantity.range').message).toBe(
      'silver.order_items.quantity: 1 row below 0 — e.g. vtex-orders:1002-01:1',
    );
    expect(byId(results, 'silver.order_items.selling_price.range').severity).toBe('warn');
  });

  it('check gold facts against their dimensions and each other', async () => {
    await seedGood();
    await insert('gold.fct_orders', [
      fctOrder('1001-01'),
      fctOrder('2001-01', { channel_key: 'sc:9', status: 'brand-new-vtex-status', total: -1 }),
    ]);
    await insert('gold.fct_sales', [fctSale('3001-01', 0, { product_key: 'unknown-sku' })]);
    const results = await runInTx( dataTestsFor(['gold.fct_orders', 'gold.fct_sales']), ALL, NOW);
    expect(failed(results)).toEqual([
      'gold.fct_orders.order_key.unique',
      'gold.fct_orders.channel_key.relationship',
      'gold.fct_orders.status.relationship',
      'gold.fct_orders.total.range',
      'gold.fct_sales.order_key.relationship',
      'gold.fct_sales.product_key.relationship',
    ]);
    expect(byId(results, 'gold.fct_orders.status.relationship')).toMatchObject({
      severity: 'warn', sampleKeys: ['vtex-orders:2001-01'],
      message: 'gold.fct_orders.status: 1 row without a match in gold.dim_order_status.status — e.g. vtex-orders:2001-01',
    });
    expect(byId(results, 'gold.fct_sales.product_key.relationship').sampleKeys).toEqual(['vtex-orders:3001-01:0']);
  });

  it('check not_null, two-sided ranges and a where condition', async () => {
    await insert('silver.orders', [
      order('1', { customer_key: null, installments: 3 }),
      order('2', { customer_key: 'cpf:52998224725', installments: 30 }),
      order('3', { customer_key: null, installments: 0, status: 'canceled' }),
    ]);
    const base = { table: 'silver.orders', keyColumns: ['source', 'order_id'] } as const;
    const tests: DataTest[] = [
      { ...base, kind: 'not_null', column: 'customer_key', severity: 'warn' },
      { ...base, kind: 'range', column: 'installments', min: 1, max: 24, severity: 'warn', where: `status <> 'canceled'` },
    ];
    const [notNull, range] = await runInTx( tests, ALL, NOW);
    expect(notNull).toMatchObject({ failingCount: 2, sampleKeys: ['vtex-orders:1', 'vtex-orders:3'] });
    expect(notNull?.message).toBe('silver.orders.customer_key: 2 rows null — e.g. vtex-orders:1, vtex-orders:3');
    expect(range).toMatchObject({ failingCount: 1, sampleKeys: ['vtex-orders:2'] });
    expect(range?.message).toBe('silver.orders.installments: 1 row outside [1, 24] — e.g. vtex-orders:2');
  });

  it('verify CPF/CNPJ check digits over distinct values, skipping other document types', async () => {
    await insert('silver.orders', [
      order('1', { document: '529.982.247-25' }),
      order('2', { document: '52998224724' }), // wrong check digit
      order('3', { document: '52998224724' }), // the same bad value on a second row
      order('4', { document: '11222333000181', document_type: 'CNPJ' }),
      order('5', { document: '11111111111' }), // repeated digits
      order('6', { document: 'X1234567', document_type: 'passport' }),
      order('7', { document: null, document_type: null }),
      order('8', { document: '123', document_type: null }),
    ]);
    const tests = DATA_TESTS_BY_TABLE['silver.orders']!.filter((t) => t.kind === 'document');
    const [result] = await runInTx( tests, ALL, NOW);
    expect(result).toMatchObject({
      testId: 'silver.orders.document.document', severity: 'warn', status: 'failed', failingCount: 4,
      sampleKeys: ['vtex-orders:2', 'vtex-orders:3', 'vtex-orders:5', 'vtex-orders:8'],
    });
    expect(result?.message).toBe(
      'silver.orders.document: 4 rows not a valid CPF or CNPJ — e.g. vtex-orders:2, vtex-orders:3, vtex-orders:5',
    );
  });

  it('accept masked VTEX aliases as email addresses and flag broken ones', async () => {
    await insert('silver.orders', [
      order('1', { customer_email: 'a1b2c3d4e5f6@ct.vtex.com.br' }),
      order('2', { customer_email: ' Ana@Example.com ' }),
      order('3', { customer_email: 'ana@example' }),
      order('4', { customer_email: 'ana silva@example.com' }),
      order('5', { customer_email: null }),
    ]);
    const tests = DATA_TESTS_BY_TABLE['silver.orders']!.filter((t) => t.kind === 'email');
    const [result] = await runInTx( tests, ALL, NOW);
    expect(result).toMatchObject({ failingCount: 2, sampleKeys: ['vtex-orders:3', 'vtex-orders:4'] });
    expect(result?.message).toBe('silver.orders.customer_email: 2 rows not a valid email address — e.g. vtex-orders:3, vtex-orders:4');
  });

  it('keep data with quotes and SQL in it as data', async () => {
    const nasty = `x'); DROP TABLE silver.orders; --`;
    await insert('silver.orders', [
      order(nasty, { currency: `BR'L`, document: `'; DROP TABLE silver.orders; --`, customer_email: `o'brien@example.com` }),
      order(`it's-2`, { currency: 'BRL' }),
    ]);
    const results = await runInTx( DATA_TESTS_BY_TABLE['silver.orders']!, ALL, NOW);
    expect(failed(results)).toEqual(['silver.orders.currency.accepted_values', 'silver.orders.document.document']);
    expect(byId(results, 'silver.orders.currency.accepted_values').sampleKeys).toEqual([`vtex-orders:${nasty}`]);
    expect(byId(results, 'silver.orders.document.document').sampleKeys).toEqual([`vtex-orders:${nasty}`]);
    // A quoted accepted value is a bound parameter, not SQL text.
    const quoted: DataTest = {
      table: 'silver.orders', keyColumns: ['source', 'order_id'], kind: 'accepted_values', column: 'currency',
      values: [`BR'L`, 'BRL'], severity: 'error',
    };
    expect((await runInTx( [quoted], ALL, NOW))[0]?.status).toBe('passed');
    expect(await wh.query('SELECT count(*)::INT AS n FROM silver.orders')).toEqual([{ n: 2 }]);
  });

  it('refuse a test whose table name is not an identifier before running any SQL', async () => {
    const bad = {
      table: 'silver.orders; DROP TABLE silver.orders', keyColumns: ['order_id'], kind: 'not_null', column: 'order_id', severity: 'error',
    } as const satisfies DataTest;
    await expect(runInTx( [bad], ALL, NOW)).rejects.toThrow(/schema\.table|invalid SQL identifier/);
  });
});

describe('changed scope', () => {
  const CHANGED_ORDERS: DataTestScope = {
    kind: 'changed',
    keys: {
      'silver.orders': 'SELECT source, order_id FROM ops.test_changed_orders',
      'silver.order_items': 'SELECT source, order_id FROM ops.test_changed_orders',
      'gold.fct_orders': `SELECT source || ':' || order_id AS order_key FROM ops.test_changed_orders`,
    },
  };

  beforeEach(async () => {
    // A regular table stands in for the refresh's temporary staging (reads here use other connections).
    await wh.execute('CREATE TABLE IF NOT EXISTS ops.test_changed_orders (source VARCHAR, order_id VARCHAR)');
  });

  async function changed(...orderIds: string[]): Promise<void> {
    await insert('ops.test_changed_orders', orderIds.map((id) => ({ source: 'vtex-orders', order_id: id })));
  }

  it('look only at the changed rows', async () => {
    await seedGood();
    await insert('silver.orders', [order('old-bad', { currency: 'USD' }), order('new-bad', { currency: 'EUR' })]);
    await changed('new-bad', '1001-01');
    const results = await runInTx( DATA_TESTS_BY_TABLE['silver.orders']!, CHANGED_ORDERS, NOW);
    expect(byId(results, 'silver.orders.currency.accepted_values')).toMatchObject({
      failingCount: 1, sampleKeys: ['vtex-orders:new-bad'],
    });
  });

  it('report a duplicate whose twin lies outside the scope', async () => {
    await insert('silver.orders', [order('A', { sequence: '500123' }), order('B', { sequence: '500123' }), order('C', { sequence: '500124' })]);
    await changed('A', 'C');
    const sameSequence: DataTest = {
      table: 'silver.orders', keyColumns: ['source', 'order_id'], kind: 'unique', columns: ['source', 'sequence'], severity: 'warn',
    };
    const [result] = await runInTx( [sameSequence], CHANGED_ORDERS, NOW);
    // A is in scope and shares its sequence with B, which is not: A is reported, B is not looked at.
    expect(result).toMatchObject({ failingCount: 1, sampleKeys: ['vtex-orders:A'] });
  });

  it('count both rows of a duplicated key in scope, and nothing outside it', async () => {
    await seedGood();
    await insert('gold.fct_orders', [fctOrder('1001-01', { total: 1 }), fctOrder('outside', { channel_key: 'sc:404' })]);
    await insert('silver.order_items', [item('9999-01', 0)]);
    await changed('1001-01');
    const gold = await runInTx( DATA_TESTS_BY_TABLE['gold.fct_orders']!, CHANGED_ORDERS, NOW);
    expect(failed(gold)).toEqual(['gold.fct_orders.order_key.unique']);
    expect(byId(gold, 'gold.fct_orders.order_key.unique')).toMatchObject({ failingCount: 2, sampleKeys: ['vtex-orders:1001-01'] });
    // The orphan item 9999-01 is outside the scope.
    expect(failed(await runInTx( DATA_TESTS_BY_TABLE['silver.order_items']!, CHANGED_ORDERS, NOW))).toEqual([]);
  });

  it('find a duplicate item among the changed rows, judged from their copy (scope columns within the unique ones)', async () => {
    await seedGood();
    await insert('silver.order_items', [item('1001-01', 0), item('outside', 0), item('outside', 0)]);
    await changed('1001-01');
    const results = await runInTx(DATA_TESTS_BY_TABLE['silver.order_items']!, CHANGED_ORDERS, NOW);
    expect(failed(results)).toEqual(['silver.order_items.source,order_id,item_index.unique']);
    expect(byId(results, 'silver.order_items.source,order_id,item_index.unique')).toMatchObject({
      failingCount: 2, sampleKeys: ['vtex-orders:1001-01:0'],
    });
  });

  it('omit tests of tables without keys in scope', async () => {
    await seedGood();
    await insert('gold.fct_store_targets', [{ store_key: 'loja-2', month: '2025-03-01', revenue_target: 1 }]);
    await changed('1001-01');
    const results = await runInTx( allCatalogTests(), CHANGED_ORDERS, NOW);
    expect(new Set(results.map((r) => r.table))).toEqual(new Set(['silver.orders', 'silver.order_items', 'gold.fct_orders']));
    expect(failed(results)).toEqual([]);
  });

  it('run nothing when nothing changed, and freshness over the whole table', async () => {
    await seedGood();
    expect(failed(await runInTx( allCatalogTests(), CHANGED_ORDERS, NOW))).toEqual([]);
    // No changed keys at all: row tests find nothing, freshness still sees the whole table.
    const later = new Date('2025-03-20T00:00:00.000Z');
    const results = await runInTx( DATA_TESTS_BY_TABLE['gold.fct_orders']!, CHANGED_ORDERS, later);
    expect(failed(results)).toEqual(['gold.fct_orders.last_change.freshness']);
  });
});

describe('freshness', () => {
  const freshness = (over: Partial<Extract<DataTest, { kind: 'freshness' }>> = {}): DataTest => ({
    table: 'gold.fct_orders', keyColumns: ['order_key'], kind: 'freshness', column: 'last_change', maxAgeHours: 48,
    severity: 'warn', ...over,
  });

  it('fails when the newest value is older than the threshold', async () => {
    await insert('gold.fct_orders', [fctOrder('1', { last_change: '2025-03-10T00:00:00.000Z' }), fctOrder('2')]);
    const [fresh] = await runInTx( [freshness()], ALL, NOW);
    expect(fresh).toMatchObject({ status: 'passed', failingCount: 0 });
    expect(fresh?.message).toBe(`gold.fct_orders.last_change: newest value ${LAST_CHANGE} is within 48 h`);
    const [stale] = await runInTx( [freshness()], ALL, new Date('2025-03-16T13:30:00.001Z'));
    expect(stale).toMatchObject({ status: 'failed', failingCount: 1, sampleKeys: [] });
    expect(stale?.message).toBe(`gold.fct_orders.last_change: newest value ${LAST_CHANGE} is older than 48 h`);
    // Exactly at the threshold is still fresh.
    const [edge] = await runInTx( [freshness()], ALL, new Date('2025-03-16T13:30:00.000Z'));
    expect(edge?.status).toBe('passed');
  });

  it('passes on an empty table unless told otherwise', async () => {
    const [empty] = await runInTx( [freshness()], ALL, NOW);
    expect(empty).toMatchObject({ status: 'passed', message: 'gold.fct_orders.last_change: no rows yet; freshness not checked' });
    const [strict] = await runInTx( [freshness({ whenEmpty: 'fail' })], ALL, NOW);
    expect(strict).toMatchObject({ status: 'failed', failingCount: 1 });
  });

  it('is configurable in the catalog, and can be left out', async () => {
    const hours = (c: ReturnType<typeof dataTestCatalog>) =>
      c['gold.fct_orders']!.flatMap((t) => (t.kind === 'freshness' ? [t.maxAgeHours] : []));
    expect(hours(DATA_TESTS_BY_TABLE)).toEqual([48]);
    expect(hours(dataTestCatalog({ ordersFreshnessHours: 6 }))).toEqual([6]);
    expect(hours(dataTestCatalog({ ordersFreshnessHours: null }))).toEqual([]);
  });
});

describe('recording and holding a refresh back', () => {
  it('writes one ops.data_tests row per result and reads the latest of each test back', async () => {
    await seedGood();
    await insert('silver.orders', [order(`1234-01`, { currency: 'USD', total: -1 })]);
    const tests = DATA_TESTS_BY_TABLE['silver.orders']!;
    const first = await runInTx( tests, ALL, NOW);
    expect(await recordDataTestResults(wh, { runId: 'run-1', source: 'vtex-orders', checkedAt: NOW }, first)).toBe(tests.length);
    const rows = await wh.query(
      `SELECT run_id, source, table_name, column_name, kind, severity, status, failing_count, sample_keys, message, checked_at
       FROM ops.data_tests WHERE test_id = 'silver.orders.currency.accepted_values'`,
    );
    expect(rows).toEqual([{
      run_id: 'run-1', source: 'vtex-orders', table_name: 'silver.orders', column_name: 'currency', kind: 'accepted_values',
      severity: 'error', status: 'failed', failing_count: 1, sample_keys: '["vtex-orders:1234-01"]',
      message: 'silver.orders.currency: 1 row not in (BRL) — e.g. vtex-orders:1234-01', checked_at: NOW.toISOString(),
    }]);

    await wh.execute(`UPDATE silver.orders SET currency = 'BRL' WHERE order_id = '1234-01'`);
    const later = new Date(NOW.getTime() + 60_000);
    await recordDataTestResults(wh, { runId: 'run-2', source: 'vtex-orders', checkedAt: later }, await runInTx( tests, ALL, later));

    const latest = await latestDataTestResults(wh, { source: 'vtex-orders' });
    expect(latest).toHaveLength(tests.length);
    expect(latest[0]).toMatchObject({
      runId: 'run-2', testId: 'silver.orders.total.range', status: 'failed', severity: 'warn',
      sampleKeys: ['vtex-orders:1234-01'], checkedAt: later.toISOString(),
    });
    expect(latest.find((r) => r.testId === 'silver.orders.currency.accepted_values')).toMatchObject({ runId: 'run-2', status: 'passed' });
    expect(await latestDataTestResults(wh, { source: 'store-targets' })).toEqual([]);
    expect(await latestDataTestResults(wh, { limit: 2 })).toHaveLength(2);
  });

  it('rolls the refresh back on an error-level failure; warnings do not hold it back', async () => {
    await seedGood();
    const refresh = (rows: Fields[]) =>
      wh.transaction(async (tx) => {
        await tx.append({ schema: 'gold', table: 'fct_orders' }, Object.keys(rows[0]!), rows.map((r) => Object.values(r)));
        const results = await runDataTests(tx, DATA_TESTS_BY_TABLE['gold.fct_orders']!, ALL, NOW);
        assertNoBlockingFailures(results);
        return results;
      });

    const error = await refresh([fctOrder('1001-01', { total: 1 })]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataTestFailure);
    expect((error as DataTestFailure).message).toBe(
      'data test failed: gold.fct_orders.order_key.unique (2 rows, e.g. vtex-orders:1001-01); gold keeps its last good state',
    );
    expect((error as DataTestFailure).failures.map((f) => f.testId)).toEqual(['gold.fct_orders.order_key.unique']);
    expect(await wh.query('SELECT order_key, total FROM gold.fct_orders ORDER BY order_key')).toEqual([
      { order_key: 'vtex-orders:1001-01', total: 95 },
      { order_key: 'vtex-orders:1002-01', total: 95 },
    ]);

    const warned = await refresh([fctOrder('3001-01', { total: -5 })]);
    expect(failed(warned)).toEqual(['gold.fct_orders.total.range']);
    expect(await wh.query(`SELECT count(*)::INT AS n FROM gold.fct_orders`)).toEqual([{ n: 3 }]);
  });
});
