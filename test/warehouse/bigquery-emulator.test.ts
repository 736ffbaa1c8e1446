import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BronzeStore, type BronzeInput } from '../../src/ingest/bronze/bronze-store.js';
import { readCursor, writeCursor } from '../../src/ingest/state/cursor-store.js';
import { stageVtexOrdersInSession } from '../../src/ingest/sources/vtex-orders/vtex-order-staging.js';
import { stageClubMembers } from '../../src/ingest/sources/club-registry/club-registry-staging.js';
import { stageInOneTransaction, type StageContext, type StageResult } from '../../src/ingest/sources/source-module.js';
import { stageStoreTargets } from '../../src/ingest/sources/store-targets/store-target-staging.js';
import { stageVtexCatalog } from '../../src/ingest/sources/vtex-catalog/vtex-catalog-staging.js';
import { stageVtexCustomers } from '../../src/ingest/sources/vtex-customers/vtex-customer-staging.js';
import type { BronzeRelation } from '../../src/ingest/bronze/bronze-store.js';
import { generateOrders } from '../../src/sandbox/vtex/index.js';
import { latestDataTestResults, recordDataTestResults } from '../../src/pipeline/data-tests/record-data-tests.js';
import { addRunCounts, finishRun, listRuns, setSourceStatus, sourceHealth, startRun } from '../../src/pipeline/run-log.js';
import { BIGQUERY_WAREHOUSE_MIGRATIONS } from '../../src/pipeline/warehouse-migrations.js';
import { SILVER_ENTITIES, type SilverEntityName } from '../../src/transform/silver-entity.js';
import { ensureSilverStaging } from '../../src/transform/silver/silver-ddl.js';
import { mergeOrders, SILVER_ORDER_COLUMNS, SILVER_ORDER_ITEM_COLUMNS } from '../../src/transform/silver/merge-orders.js';
import { DataVersions } from '../../src/warehouse/data-version.js';
import type { SqlExecutor, SqlValue, Warehouse, WarehouseDialect } from '../../src/warehouse/warehouse.js';
import { executingBigQueryPerFile, type ExecutingBigQuery } from '../fixtures/executing-bigquery.js';
import { tempWarehouse } from '../fixtures/temp-warehouse.js';
import { sampleVtexOrder } from '../fixtures/vtex-order.js';

/**
 * The BigQuery adapter end to end against the executing fake BigQuery server (BigQuery SQL
 * translated and run on DuckDB): `openWarehouse` applies every BigQuery migration, then the parts
 * already ported run as the pipeline runs them — bronze landings (a load job into a staging table
 * inside the transaction) and bulk segments, the runner's bookkeeping (runs, cursors, source
 * status, data versions, data-test results), the orders merge from staged rows — and what they
 * wrote is read back through the adapter. The orders merge is also run on the DuckDB warehouse
 * with the same batches: both must leave the same silver.
 */
let bq: ExecutingBigQuery;
let wh: Warehouse;

executingBigQueryPerFile((server, warehouse) => {
  bq = server;
  wh = warehouse;
});

describe('migrations on the emulator', () => {
  it('applies every BigQuery migration once, and the tables answer tables.get in BigQuery types', async () => {
    const ledger = await wh.query<{ version: string; applied_at: string }>('SELECT version, applied_at FROM ops.schema_migrations ORDER BY version');
    expect(ledger.map((r) => r.version)).toEqual(BIGQUERY_WAREHOUSE_MIGRATIONS.map((m) => m.version));
    expect(ledger[0]!.applied_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(await wh.migrate(BIGQUERY_WAREHOUSE_MIGRATIONS)).toEqual({ applied: [], current: '0006-gold-seed' });
    // The credentials in `bq.env` got their token from the server itself, as a pipeline would.
    expect(bq.fake.requests.some((r) => r.method === 'POST' && r.path === '/v1/token')).toBe(true);
    const res = await fetch(`${bq.fake.url}/bigquery/v2/projects/farol-test/datasets/analytics/tables/silver_orders`, {
      headers: { authorization: (await bq.authClient.getRequestHeaders()).get('authorization')! },
    });
    const table = (await res.json()) as { schema: { fields: { name: string; type: string; mode: string; precision?: string; scale?: string }[] } };
    const field = (name: string) => table.schema.fields.find((f) => f.name === name);
    expect(field('order_id')).toEqual({ name: 'order_id', type: 'STRING', mode: 'REQUIRED' });
    expect(field('total')).toEqual({ name: 'total', type: 'NUMERIC', mode: 'REQUIRED', precision: '18', scale: '2' });
    expect(field('last_change')).toEqual({ name: 'last_change', type: 'TIMESTAMP', mode: 'REQUIRED' });
    expect(field('installments')).toEqual({ name: 'installments', type: 'INTEGER', mode: 'NULLABLE' });
    expect(field('is_corporate')).toEqual({ name: 'is_corporate', type: 'BOOLEAN', mode: 'NULLABLE' });
  });

  it('fails a statement DuckDB rejects as a BigQuery job error, and rolls the transaction back', async () => {
    await expect(wh.query('SELECT no_such_column FROM ops.runs')).rejects.toThrow(/no_such_column/);
    await expect(wh.transaction(async (tx) => {
      await tx.execute("INSERT INTO ops.source_status (source, state, message, changed_at) VALUES ('rolled-back', 'active', NULL, ?)", [new Date()]);
      await tx.execute('UPDATE ops.runs SET no_such_column = 1 WHERE true');
    })).rejects.toThrow(/no_such_column/);
    expect(await wh.query("SELECT source FROM ops.source_status WHERE source = 'rolled-back'")).toEqual([]);
  });

  it('keeps a transaction\'s writes from reads outside it until COMMIT', async () => {
    const seen = await wh.transaction(async (tx) => {
      await tx.execute("INSERT INTO ops.source_status (source, state, message, changed_at) VALUES ('isolated', 'active', NULL, ?)", [new Date()]);
      return {
        inside: await tx.query("SELECT source FROM ops.source_status WHERE source = 'isolated'"),
        outside: await wh.query("SELECT source FROM ops.source_status WHERE source = 'isolated'"),
      };
    });
    expect(seen).toEqual({ inside: [{ source: 'isolated' }], outside: [] });
    expect(await wh.query("SELECT source FROM ops.source_status WHERE source = 'isolated'")).toEqual([{ source: 'isolated' }]);
  });

  it('refuses DDL on a permanent table inside a transaction, as BigQuery does', async () => {
    await expect(wh.transaction((tx) => tx.execute('CREATE TABLE IF NOT EXISTS ops.not_in_a_transaction (x INT64)'))).rejects.toThrow(/not supported inside a transaction/);
  });
});

describe('bronze on the emulator', () => {
  const rec = (i: number, extra: Partial<BronzeInput> = {}): BronzeInput => ({ entity: 'order', naturalKey: `o${i}`, payload: JSON.stringify({ i, name: `pedido ${i}` }), ...extra });

  it('lands records through a load job inside the transaction, bulk segments through a staging table, and reads them back in seq order', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'farol-bq-emulator-bronze-'));
    try {
      const store = await BronzeStore.open(wh, path.join(dir, 'farol.bronze'));
      const landed = await wh.transaction(async (tx) => {
        const rows = await store.append(tx, 'vtex-orders', [rec(1), rec(2, { payloadBase64: Buffer.from([0xff, 0x41]).toString('base64') })], 'run-1');
        await writeCursor(tx, 'vtex-orders', 'extract', 'page=2', new Date('2025-03-14T13:00:00Z'));
        return rows;
      });
      expect(landed.map((r) => r.seq)).toEqual([1, 2]);
      const seg = await store.writeSegment('vtex-orders', [rec(3), rec(4), rec(5)], 'run-2', '2025-03-14');
      await wh.transaction((tx) => store.register(tx, seg));
      await store.settle(seg, true);

      const rel = await store.relation(wh, 'vtex-orders', ['order'], 0, store.readableUpTo('vtex-orders'));
      const rows = await wh.query<{ seq: number; natural_key: string; payload: string }>(`SELECT seq, natural_key, payload FROM (${rel.sql}) r ORDER BY seq`, rel.params);
      expect(rows.map((r) => [r.seq, r.natural_key])).toEqual([[1, 'o1'], [2, 'o2'], [3, 'o3'], [4, 'o4'], [5, 'o5']]);
      expect(JSON.parse(rows[2]!.payload)).toEqual({ i: 3, name: 'pedido 3' });
      const stored = await wh.query<{ payload_hash: string; payload_base64: string | null; partition_date: string; batch_id: string }>(
        'SELECT payload_hash, payload_base64, partition_date, batch_id FROM bronze.records WHERE seq IN (2, 3) ORDER BY seq',
      );
      expect(stored[0]!.payload_base64).toBe('/0E=');
      expect(stored[0]!.payload_hash).toMatch(/^[0-9a-f]{32}$/);
      expect(stored[1]).toMatchObject({ partition_date: '2025-03-14', batch_id: 'run-2', payload_base64: null });
      expect(await readCursor(wh, 'vtex-orders', 'extract')).toBe('page=2');
      // Staging tables are gone once settled: only Farol's own tables remain.
      const leftovers = await bq.fake.engine!.read("SELECT table_name FROM duckdb_tables() WHERE table_name LIKE 'stage_%' OR table_name LIKE 'pending_%'");
      expect(leftovers).toEqual([]);
      // A reopened store continues after the highest seq.
      const again = await BronzeStore.open(wh, path.join(dir, 'farol.bronze'));
      expect(again.readableUpTo('vtex-orders')).toBe(5);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the runner\'s bookkeeping on the emulator', () => {
  const AT = new Date('2025-03-14T13:00:00.000Z');
  const LATER = new Date('2025-03-14T13:05:00.000Z');

  it('records a run, its counts, its end, the source status and health', async () => {
    await startRun(wh, { runId: 'run-a', source: 'vtex-catalog', entity: 'product', trigger: 'cli', cursorBefore: undefined, at: AT });
    await wh.transaction((tx) => addRunCounts(tx, 'run-a', { recordsIn: 10, upserted: 8, quarantined: 2, cursorAfter: 'c-1', dataVersion: 3 }));
    await wh.transaction((tx) => addRunCounts(tx, 'run-a', { recordsIn: 5 }));
    await finishRun(wh, 'run-a', 'failed', 'VTEX answered 503', LATER);
    await setSourceStatus(wh, 'vtex-catalog', 'stopped', 'credentials refused', LATER);
    const [run] = await listRuns(wh, { source: 'vtex-catalog', limit: 5 });
    expect(run).toEqual({
      run_id: 'run-a', source: 'vtex-catalog', entity: 'product', trigger: 'cli', status: 'failed', started_at: AT.toISOString(), ended_at: LATER.toISOString(),
      records_in: 15, upserted: 8, quarantined: 2, error: 'VTEX answered 503', cursor_before: null, cursor_after: 'c-1', data_version: 3,
    });
    const [health] = await sourceHealth(wh, ['vtex-catalog'], { now: new Date(LATER.getTime() + 60_000) });
    expect(health).toMatchObject({ source: 'vtex-catalog', state: 'stopped', message: 'credentials refused', lastRunStatus: 'failed', lastError: 'VTEX answered 503', lastSuccessAt: null });
  });

  it('moves cursors and bumps the data version in a transaction', async () => {
    await wh.transaction((tx) => writeCursor(tx, 'vtex-catalog', 'silver_seq', '7', AT));
    await wh.transaction((tx) => writeCursor(tx, 'vtex-catalog', 'silver_seq', '9', LATER));
    expect(await readCursor(wh, 'vtex-catalog', 'silver_seq')).toBe('9');
    expect(await wh.query('SELECT count(*) AS n FROM ops.cursors WHERE source = ?', ['vtex-catalog'])).toEqual([{ n: 1 }]);
    const versions = await DataVersions.load(wh);
    const before = versions.current();
    const v1 = await wh.transaction((tx) => versions.bumpInTransaction(tx, 'gold', AT));
    const v2 = await wh.transaction((tx) => versions.bumpInTransaction(tx, 'gold', LATER));
    expect([v1, v2]).toEqual([before + 1, before + 2]);
    const reloaded = await DataVersions.load(wh);
    expect([reloaded.current(), reloaded.refreshedAt()]).toEqual([before + 2, LATER.toISOString()]);
  });

  it('records data-test results and reads the latest of each', async () => {
    const result = (status: 'passed' | 'failed', failingCount: number) => ({
      testId: 'silver.orders.currency.accepted_values', table: 'silver.orders', column: 'currency', kind: 'accepted_values' as const, severity: 'error' as const,
      status, failingCount, sampleKeys: failingCount ? ['vtex-orders:1'] : [], message: `${failingCount} rows not in (BRL)`,
    });
    await recordDataTestResults(wh, { runId: 'run-1', source: 'vtex-orders', checkedAt: AT }, [result('failed', 1)]);
    await recordDataTestResults(wh, { runId: 'run-2', source: 'vtex-orders', checkedAt: LATER }, [result('passed', 0)]);
    const latest = await latestDataTestResults(wh, { source: 'vtex-orders' });
    expect(latest).toHaveLength(1);
    expect(latest[0]).toMatchObject({ runId: 'run-2', status: 'passed', failingCount: 0, sampleKeys: [], checkedAt: LATER.toISOString() });
  });
});

/** The merge scenario of test/transform/silver-orders-bigquery.test.ts, on any warehouse. */
describe('the orders merge on the emulator', () => {
  const order = (id: string, lastChange: string, seq: number): SqlValue[] => {
    const row: Record<string, SqlValue> = {
      source: 'vtex-orders', order_id: id, status: 'invoiced', sales_channel: '1', created_at: '2025-03-01T10:00:00Z', last_change: lastChange,
      currency: 'BRL', items_total: 10.5, discounts_total: 0, shipping_total: 1.25, tax_total: 0, total: 11.75, bronze_record_id: `rec-${seq}`,
      bronze_seq: seq, updated_at: '2025-03-20T00:00:00Z', first_name: `v${seq}`,
    };
    return SILVER_ORDER_COLUMNS.map((c) => row[c] ?? null);
  };
  const items = (id: string, seq: number, n: number): SqlValue[][] => Array.from({ length: n }, (_, i) => {
    const row: Record<string, SqlValue> = {
      source: 'vtex-orders', order_id: id, item_index: i, sku_id: `sku-${seq}-${i}`, quantity: 1, unit_price: 5.25, selling_price: 5.25, is_gift: false, bronze_record_id: `rec-${seq}`,
    };
    return SILVER_ORDER_ITEM_COLUMNS.map((c) => row[c] ?? null);
  });
  const insertRows = async (tx: SqlExecutor, table: string, columns: readonly string[], rows: readonly SqlValue[][]) => {
    for (const r of rows) {
      await tx.execute(`INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map((c) => (/total|price/.test(c) ? 'CAST(? AS NUMERIC)' : c === 'is_gift' || c === 'is_corporate' ? 'CAST(? AS BOOL)' : /_at$|last_change/.test(c) ? 'CAST(? AS TIMESTAMP)' : /seq|index|quantity|installments/.test(c) ? 'CAST(? AS INT64)' : '?')).join(', ')})`, r);
    }
  };
  const BATCHES: readonly (readonly [string, string, number, number][])[] = [
    [['a', '2025-03-10T12:00:00Z', 1, 2], ['d', '2025-03-10T10:00:00Z', 2, 3]],
    [
      ['a', '2025-03-10T11:00:00Z', 3, 1], ['a', '2025-03-10T12:00:00Z', 4, 5], ['b', '2025-03-10T09:00:00Z', 5, 2], ['b', '2025-03-10T13:00:00Z', 6, 1],
      ['b', '2025-03-10T13:00:00Z', 7, 4], ['c', '2025-03-10T08:00:00Z', 8, 1], ['d', '2025-03-10T11:00:00Z', 9, 1],
    ],
  ];

  async function mergeAll(w: Warehouse, dialect: WarehouseDialect): Promise<{ changed: number[]; orders: unknown[]; items: unknown[] }> {
    const changed: number[] = [];
    for (const versions of BATCHES) {
      await w.writerSession(async (s) => {
        await s.transaction(async (tx) => {
          await ensureSilverStaging(tx);
          await insertRows(tx, 'temp.stage_orders', SILVER_ORDER_COLUMNS, versions.map(([id, at, seq]) => order(id, at, seq)));
          await insertRows(tx, 'temp.stage_order_items', SILVER_ORDER_ITEM_COLUMNS, versions.flatMap(([id, , seq, n]) => items(id, seq, n)));
        });
        changed.push(await s.transaction(async (tx) => {
          const n = await mergeOrders(tx, dialect);
          await SILVER_ENTITIES.orders.clearStaging(tx);
          return n;
        }));
      });
    }
    return {
      changed,
      orders: await w.query('SELECT order_id, last_change, bronze_record_id, first_name, total FROM silver.orders ORDER BY order_id'),
      items: await w.query('SELECT order_id, item_index, sku_id, bronze_record_id FROM silver.order_items ORDER BY order_id, item_index'),
    };
  }

  it('leaves the same silver as the DuckDB warehouse: latest change wins, ties keep the stored row, items follow their order', async () => {
    await wh.execute('DELETE FROM silver.orders WHERE true');
    await wh.execute('DELETE FROM silver.order_items WHERE true');
    const onBigQuery = await mergeAll(wh, 'bigquery');
    const { warehouse, cleanup } = await tempWarehouse();
    try {
      expect(onBigQuery).toEqual(await mergeAll(warehouse, 'duckdb'));
    } finally {
      await cleanup();
    }
    expect(onBigQuery.changed).toEqual([2, 3]);
    expect(onBigQuery.orders).toEqual([
      { order_id: 'a', last_change: '2025-03-10T12:00:00.000Z', bronze_record_id: 'rec-1', first_name: 'v1', total: 11.75 },
      { order_id: 'b', last_change: '2025-03-10T13:00:00.000Z', bronze_record_id: 'rec-7', first_name: 'v7', total: 11.75 },
      { order_id: 'c', last_change: '2025-03-10T08:00:00.000Z', bronze_record_id: 'rec-8', first_name: 'v8', total: 11.75 },
      { order_id: 'd', last_change: '2025-03-10T11:00:00.000Z', bronze_record_id: 'rec-9', first_name: 'v9', total: 11.75 },
    ]);
    expect(onBigQuery.items.map((i) => (i as { bronze_record_id: string }).bronze_record_id)).toEqual(['rec-1', 'rec-1', 'rec-7', 'rec-7', 'rec-7', 'rec-7', 'rec-8', 'rec-9']);
  });

});

/**
 * The VTEX orders staging as the pipeline runs it (`stageVtexOrdersInSession` on bronze landed by
 * `BronzeStore`), on the emulator with the BigQuery SQL and on DuckDB with the DuckDB SQL: the
 * same payloads must stage the same orders and items and quarantine the same records.
 */
describe('the VTEX orders staging on the emulator', () => {
  const sample = sampleVtexOrder();
  const PAYLOADS: readonly string[] = [
    ...[...generateOrders({ seed: 4242, count: 25, from: new Date('2025-01-01T00:00:00Z'), to: new Date('2025-05-31T00:00:00Z') })].map((o) => JSON.stringify(o)),
    JSON.stringify(sample),
    JSON.stringify(sampleVtexOrder({ orderId: 'corp-1', clientProfileData: { ...(sample.clientProfileData as object), isCorporate: true, corporateDocument: '11.222.333/0001-81' } })),
    JSON.stringify(sampleVtexOrder({ orderId: 'bad-value', value: 10.5 })),
    JSON.stringify(sampleVtexOrder({ orderId: 'bad-date', creationDate: '14/03/2025 13:22' })),
    JSON.stringify(sampleVtexOrder({ orderId: 'fraction', creationDate: '2025-03-14T13:22:05.1234567Z' })),
    JSON.stringify(sampleVtexOrder({ orderId: `'; DROP TABLE silver.orders; --`, hostname: 'loja-🛒' })),
    JSON.stringify(sampleVtexOrder({ orderId: 'value-text', value: '25980' })),
    JSON.stringify(sampleVtexOrder({ orderId: 'value-null', value: null })),
    JSON.stringify(sampleVtexOrder({ orderId: 'no-zone', creationDate: '2025-03-14T13:22:05' })),
    JSON.stringify(sampleVtexOrder({ orderId: 'client-text', clientProfileData: 'Mariana' })),
    JSON.stringify(sampleVtexOrder({ orderId: 'items-null', items: [(sample.items as unknown[])[0], null] })),
    JSON.stringify(sampleVtexOrder({ orderId: 'items-object', items: { 0: (sample.items as unknown[])[0] } })),
    JSON.stringify(sampleVtexOrder({ orderId: 'no-totals', totals: undefined })),
    JSON.stringify(sampleVtexOrder({ orderId: 'qty-negative', items: [{ ...((sample.items as Record<string, unknown>[])[0]), quantity: -1 }] })),
    JSON.stringify(sampleVtexOrder({ orderId: 'qty-text', items: [{ ...((sample.items as Record<string, unknown>[])[0]), quantity: '2' }] })),
    JSON.stringify(sampleVtexOrder({ orderId: 12345 })),
    JSON.stringify([sample]),
    'not json {', '{}', 'null', '',
  ];
  const CTX = { source: 'vtex-orders', runId: 'run-staging', now: '2025-06-01T12:00:00.000Z' };

  async function staged(w: Warehouse, dialect: WarehouseDialect) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'farol-bq-emulator-staging-'));
    try {
      const store = await BronzeStore.open(w, path.join(dir, 'farol.bronze'));
      const landed = await w.transaction((tx) => store.append(tx, 'vtex-orders', PAYLOADS.map((payload, i) => ({ entity: 'order', naturalKey: `key-${i}`, payload })), 'run-landing'));
      const from = landed[0]!.seq - 1;
      const relation = await store.relation(w, 'vtex-orders', ['order'], from, store.readableUpTo('vtex-orders'));
      return await w.writerSession(async (session) => {
        const result = await stageVtexOrdersInSession(session, relation, { ...CTX, dialect });
        // Record ids are uuids of each landing; rows are compared by their seq and natural key.
        const withoutIds = (rows: Record<string, unknown>[]) => rows.map(({ bronze_record_id: _id, ...rest }) => rest);
        return session.transaction(async (tx) => ({
          result,
          orders: withoutIds(await tx.query('SELECT * FROM temp.stage_orders ORDER BY bronze_seq')).map((o) => ({ ...o, bronze_seq: Number(o.bronze_seq) - from })),
          items: withoutIds(await tx.query('SELECT * FROM temp.stage_order_items ORDER BY order_id, item_index')),
          quarantine: await tx.query('SELECT natural_key, reason, payload, run_id, quarantined_at FROM temp.stage_quarantine ORDER BY natural_key'),
        }));
      });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }

  it('stages, maps and quarantines the same rows as the DuckDB staging', async () => {
    const onBigQuery = await staged(wh, 'bigquery');
    const { warehouse, cleanup } = await tempWarehouse();
    let onDuckDb;
    try {
      onDuckDb = await staged(warehouse, 'duckdb');
    } finally {
      await cleanup();
    }
    expect(onBigQuery.quarantine).toEqual(onDuckDb.quarantine);
    expect(onBigQuery.orders).toEqual(onDuckDb.orders);
    expect(onBigQuery.items).toEqual(onDuckDb.items);
    expect(onBigQuery.result).toEqual(onDuckDb.result);
    // Not vacuous: orders staged with their items, and the broken payloads quarantined.
    expect(onDuckDb.result.staged).toBeGreaterThan(25);
    expect(onDuckDb.items.length).toBeGreaterThan(onDuckDb.result.staged);
    expect(onDuckDb.quarantine.length).toBeGreaterThanOrEqual(15);
  });
});

/**
 * Every other source's staging and merge (catalog, customer base, club registry, store targets)
 * as a refresh runs them, on the emulator and on DuckDB: the same records staged, quarantined
 * (with the same reasons) and merged into the same silver rows, from a few valid documents of each
 * source, a few each rule refuses, and junk every source gets.
 */
describe('the other sources\' staging on the emulator', () => {
  type Stage = (tx: SqlExecutor, bronze: BronzeRelation, ctx: StageContext) => Promise<StageResult>;
  const target = (cells: Record<string, unknown>) => JSON.stringify({ store: '1', month: '2025-03', revenue_target: '1000', orders_target: '10', decimal: '.', file: 'metas.csv', line: 2, ...cells });
  const club = (op: string, lsn: string, row: Record<string, unknown>) => JSON.stringify({ op, lsn, row });
  const SOURCES: readonly {
    source: 'vtex-catalog' | 'vtex-customers' | 'club-registry' | 'store-targets'; entity: SilverEntityName; entities: readonly string[]; stage: Stage;
    /** Payloads its rules accept (and a few they refuse), beside the junk every source gets. */
    valid: readonly (string | readonly [entity: string, payload: string])[]; silver: readonly string[];
  }[] = [
    {
      source: 'vtex-catalog', entity: 'catalog', entities: ['sku', 'price'], stage: stageVtexCatalog, silver: ['products', 'product_prices'],
      valid: [
        ['sku', JSON.stringify({
          Id: 2001, ProductId: 1, NameComplete: 'Camiseta Básica P', ProductName: 'Camiseta Básica', SkuName: 'P', BrandId: 2000001, BrandName: 'Marca',
          ProductCategoryIds: '/1/11/', ProductCategories: { 1: 'Moda', 11: 'Camisetas' }, AlternateIds: { RefId: 'CB-P', Ean: '7891234567895' },
          IsActive: true, IsProductActive: true,
        })],
        ['sku', JSON.stringify({ Id: 2002, NameComplete: ' ', IsActive: true, IsProductActive: false })],
        ['sku', JSON.stringify({ Id: '2003', IsActive: true })], ['sku', JSON.stringify({ Id: 2004, IsActive: 'yes' })],
        ['price', JSON.stringify({ itemId: '2001', basePrice: 59.9, listPrice: 79.9, costPrice: 20, markup: 199.5 })],
        ['price', JSON.stringify({ itemId: '2002', basePrice: 10, listPrice: null })],
        ['price', JSON.stringify({ itemId: '2005', basePrice: 'free' })], ['price', JSON.stringify({ itemId: '2006', basePrice: 1e20 })],
      ],
    },
    {
      source: 'vtex-customers', entity: 'customers', entities: ['customer'], stage: stageVtexCustomers, silver: ['customers'],
      valid: [
        JSON.stringify({ id: 'c1', userId: 'u1', email: ' Ana@Example.com ', firstName: 'Ana', lastName: 'Silva', document: '390.533.447-05', documentType: 'CPF',
          phone: '(11) 98765-4321', isCorporate: false, isNewsletterOptIn: true, createdIn: '2025-03-01T10:00:00.000Z', updatedIn: null }),
        JSON.stringify({ id: 'c2', email: 'b@ct.vtex.com.br', isCorporate: true, corporateDocument: '11.222.333/0001-81', corporateName: 'Loja Zé',
          cellPhone: '11 91234-5678', createdIn: '2025-03-02T10:00:00Z', updatedIn: '2025-03-05T10:00:00.1234567Z', isNewsletterOptIn: false }),
        JSON.stringify({ id: 'c3', email: 7 }), JSON.stringify({ id: 'c4', createdIn: 'yesterday' }), JSON.stringify({ id: 'c5', isCorporate: 'no' }),
      ],
    },
    {
      source: 'club-registry', entity: 'club', entities: ['club_member'], stage: stageClubMembers, silver: ['club_members'],
      valid: [
        club('insert', '10', { id: 1, club_status: 'active', document: '390.533.447-05', email: ' Ana@Example.com ', phone: '(11) 98765-4321', tier: 'gold', marketing_opt_in: true, updated_at: '2025-03-10T10:00:00Z' }),
        club('insert', '11', { id: 2, club_status: 'active', document: '11.222.333/0001-81', name: 'Loja Zé' }),
        club('update', '12', { id: 1, club_status: 'suspended', document: '390.533.447-05', email: 'ana@example.com' }),
        club('delete', '13', { id: 2 }),
        club('insert', '14', { id: 3, club_status: 'sleeping' }),
        club('upsert', '15', { id: 4, club_status: 'active' }),
      ],
    },
    {
      source: 'store-targets', entity: 'store_targets', entities: ['store_target'], stage: stageStoreTargets, silver: ['store_targets'],
      valid: [
        target({}), target({ store: '2', month: '04/2025', revenue_target: 'R$ 1.234,56', decimal: ',', orders_target: '' }),
        target({ store: '3', month: '2025-05-01', revenue_target: '2,500.75' }), target({ store: '4', month: '2025-13' }), target({ store: '5', revenue_target: 'abc' }),
      ],
    },
  ];
  const JUNK = ['not json {', '{}', 'null', '[1, 2]', '"text"', '{"id": {"nested": true}, "Id": 7}'];

  async function refreshed(w: Warehouse, dialect: WarehouseDialect, s: (typeof SOURCES)[number]) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'farol-bq-emulator-sources-'));
    try {
      const store = await BronzeStore.open(w, path.join(dir, 'farol.bronze'));
      const receivedAt = new Date('2025-03-14T12:00:00.000Z');
      // Landed under the id the source reads it by (a club member's, a CL document's), as the sources land them.
      const idOf = (payload: string) => {
        try {
          const doc = JSON.parse(payload) as { row?: { id?: unknown }; id?: unknown; Id?: unknown; itemId?: unknown };
          const id = doc.row?.id ?? doc.id ?? doc.Id ?? doc.itemId;
          return typeof id === 'string' || typeof id === 'number' ? String(id) : undefined;
        } catch {
          return undefined;
        }
      };
      const mine = (entity: string) => s.valid.flatMap((v) => (typeof v === 'string' ? [v] : v[0] === entity ? [v[1]] : []));
      const payloads = s.entities.flatMap((entity) => [...mine(entity), ...JUNK].map((payload, i) => ({ entity, naturalKey: idOf(payload) ?? `${entity}-${i}`, payload, receivedAt })));
      const landed = await w.transaction((tx) => store.append(tx, s.source, payloads, 'run-landing'));
      const relation = await store.relation(w, s.source, s.entities, landed[0]!.seq - 1, store.readableUpTo(s.source));
      return await w.writerSession(async (session) => {
        // As silver-refresh.ts's stageInSession: the staging tables first, then the source's staging.
        await session.transaction((tx) => ensureSilverStaging(tx));
        const staged = await stageInOneTransaction(s.stage)(session, relation, { source: s.source, runId: 'run-sources', now: '2025-03-14T13:00:00.000Z', dialect });
        const quarantine = await session.transaction((tx) => tx.query('SELECT natural_key, reason FROM temp.stage_quarantine ORDER BY natural_key, reason'));
        const merged = await session.transaction(async (tx) => {
          const n = await SILVER_ENTITIES[s.entity].merge(tx, dialect);
          await SILVER_ENTITIES[s.entity].clearStaging(tx);
          return n;
        });
        // Record ids are each landing's uuids; the rest of every silver row must match.
        const silver = await session.transaction(async (tx) => Promise.all(s.silver.map(async (t) =>
          (await tx.query(`SELECT * FROM silver.${t}`)).map(({ bronze_record_id: _id, bronze_seq: seq, ...rest }) => ({ ...rest, seq: Number(seq) - landed[0]!.seq }))
            .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))))));
        return { staged, quarantine, merged, silver };
      });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }

  it.each(SOURCES)('$source stages, quarantines and merges as on DuckDB', async (s) => {
    const onBigQuery = await refreshed(wh, 'bigquery', s);
    const { warehouse, cleanup } = await tempWarehouse();
    try {
      expect(onBigQuery).toEqual(await refreshed(warehouse, 'duckdb', s));
    } finally {
      await cleanup();
    }
    expect(onBigQuery.quarantine.length).toBeGreaterThan(0);
    if (s.valid.length > 0) expect(onBigQuery.silver.flat().length).toBeGreaterThan(0);
  });
});
