import { describe, expect, it } from 'vitest';
import { dataTestsFor } from '../../src/pipeline/data-tests/data-test-catalog.js';
import { runDataTests } from '../../src/pipeline/data-tests/run-data-tests.js';
import { GOLD_DERIVED_TABLES } from '../../src/transform/gold/gold-ddl.js';
import { SILVER_ENTITIES } from '../../src/transform/silver-entity.js';
import { GOLD_SEED_BIGQUERY_SQL } from '../../src/transform/gold/gold-seed.js';
import type { GoldRefreshOptions } from '../../src/transform/gold/refresh-order-gold.js';
import type { DuckDbWarehouse } from '../../src/warehouse/duckdb/duckdb-warehouse.js';
import type { SqlExecutor, SqlValue, Warehouse, WriterSession } from '../../src/warehouse/warehouse.js';
import { applyMasterData, applyOrders, BUSINESS_TZ, openC360Warehouse } from '../fixtures/customer-360-fixtures.js';
import { MASTER_DATA, ORDERS } from '../fixtures/customer-360-people.js';
import { executingBigQueryPerFile } from '../fixtures/executing-bigquery.js';

/**
 * Gold's BigQuery statements executed by the BigQuery emulator (the fake server in execute mode):
 * orders and Master Data documents refreshed through the BigQuery adapter (the seed rows from
 * GOLD_SEED_BIGQUERY_SQL, a first refresh, then changes on a later day) leave the gold the DuckDB
 * warehouse leaves, table for table.
 */
let bigquery: Warehouse;
executingBigQueryPerFile((_server, warehouse) => (bigquery = warehouse));

/**
 * The fixtures stage rows with text for money and times, which DuckDB casts on insert and
 * BigQuery refuses: on the way to the emulator a staging INSERT's placeholders are typed by
 * their value (a NULL literal, CAST AS NUMERIC or TIMESTAMP). Nothing else is touched.
 */
function typedStaging(ex: SqlExecutor): SqlExecutor {
  const type = (sql: string, params: readonly SqlValue[] = []): [string, SqlValue[]] => {
    if (!/^INSERT INTO temp\.stage_\w+ \(/.test(sql)) return [sql, [...params]];
    let i = 0;
    const kept: SqlValue[] = [];
    const out = sql.replace(/\?/g, () => {
      const v = params[i++] ?? null;
      if (v === null) return 'NULL';
      kept.push(v);
      if (typeof v === 'string' && /^-?\d+\.\d+$/.test(v)) return 'CAST(? AS NUMERIC)';
      if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(v)) return 'CAST(? AS TIMESTAMP)';
      return '?';
    });
    return [out, kept];
  };
  return {
    query: (sql, params) => ex.query(...type(sql, params)),
    execute: (sql, params) => ex.execute(...type(sql, params)),
    append: (t, c, r) => ex.append(t, c, r),
  } as SqlExecutor;
}
function typedWarehouse(w: Warehouse): DuckDbWarehouse {
  const session = (s: WriterSession): WriterSession => ({ transaction: (fn) => s.transaction((tx) => fn(typedStaging(tx))) });
  return {
    dialect: w.dialect,
    query: (sql: string, params?: readonly SqlValue[]) => w.query(sql, params),
    execute: (sql: string, params?: readonly SqlValue[]) => typedStaging(w).execute(sql, params),
    transaction: <T>(fn: (tx: SqlExecutor) => Promise<T>) => w.transaction((tx) => fn(typedStaging(tx))),
    writerSession: <T>(fn: (s: WriterSession) => Promise<T>) => w.writerSession((s) => fn(session(s))),
  } as unknown as DuckDbWarehouse;
}

const GOLD: GoldRefreshOptions = { timezone: BUSINESS_TZ, now: () => new Date('2025-06-30T15:00:00Z') };
const rowsOf = async (w: Warehouse, table: string) =>
  (await w.query<Record<string, unknown>>(`SELECT * FROM ${table}`)).map((r) => JSON.stringify(Object.entries(r).sort(([a], [b]) => a.localeCompare(b)))).sort();

describe('gold on the BigQuery emulator', () => {
  it('orders and documents refreshed through the BigQuery adapter leave the DuckDB gold', { timeout: 300_000 }, async () => {
    await bigquery.execute(GOLD_SEED_BIGQUERY_SQL);
    const duck = await openC360Warehouse();
    try {
      // The first refresh builds identity whole; the later ones, on a later day, roll the day and
      // resolve around the changed records.
      const later: GoldRefreshOptions = { ...GOLD, now: () => new Date('2025-08-15T12:00:00Z') };
      const first = ORDERS[0]!;
      for (const w of [duck.warehouse, typedWarehouse(bigquery)]) {
        await applyOrders(w, GOLD, ORDERS);
        await applyMasterData(w, GOLD, MASTER_DATA);
        await applyOrders(w, later, [{ ...first, orderId: `${first.orderId}-2`, createdAt: '2025-08-14T23:30:00Z', total: '10.00' }]);
        await applyMasterData(w, later, [{ ...MASTER_DATA[1]!, email: 'outro@example.com', changedAt: '2025-08-15T00:00:00Z' }]);
      }
      expect((await rowsOf(bigquery, 'gold.customer_360')).length).toBeGreaterThan(3);
      expect(await bigquery.query('SELECT DISTINCT refreshed_on FROM gold.customer_360')).toEqual([{ refreshed_on: '2025-08-15' }]);
      for (const t of GOLD_DERIVED_TABLES) {
        expect(await rowsOf(bigquery, `gold.${t}`), t).toEqual(await rowsOf(duck.warehouse, `gold.${t}`));
      }
      // And the data tests of every table an orders or documents refresh touches, over whole tables.
      const tables = [...new Set(['orders', 'customers'].flatMap((e) => {
        const entity = SILVER_ENTITIES[e as 'orders' | 'customers'];
        return [...entity.silverTables, ...entity.goldTables];
      }))];
      const now = new Date('2025-08-15T12:00:00Z');
      const results = async (w: Warehouse) => w.transaction((tx) => runDataTests(tx, dataTestsFor(tables), { kind: 'all' }, now, w.dialect));
      const onDuckDb = await results(duck.warehouse);
      expect(onDuckDb.length).toBeGreaterThan(30);
      expect(await results(bigquery)).toEqual(onDuckDb);
    } finally {
      await duck.cleanup();
    }
  });
});
