import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BronzeStore } from '../../src/ingest/bronze/bronze-store.js';
import { stageClubMembers } from '../../src/ingest/sources/club-registry/club-registry-staging.js';
import { stageInOneTransaction } from '../../src/ingest/sources/source-module.js';
import { SILVER_ENTITIES, type SilverEntityName } from '../../src/transform/silver-entity.js';
import { SILVER_PRODUCT_COLUMNS, SILVER_PRODUCT_PRICE_COLUMNS } from '../../src/transform/silver/merge-catalog.js';
import { SILVER_CLUB_MEMBER_COLUMNS } from '../../src/transform/silver/merge-club-members.js';
import { SILVER_CUSTOMER_COLUMNS } from '../../src/transform/silver/merge-customers.js';
import { SILVER_STORE_TARGET_COLUMNS } from '../../src/transform/silver/merge-store-targets.js';
import { heldOrderChanges } from '../../src/transform/silver/held-orders.js';
import { ensureSilverStaging, STAGE } from '../../src/transform/silver/silver-ddl.js';
import type { DuckDbWarehouse } from '../../src/warehouse/duckdb/duckdb-warehouse.js';
import type { SqlExecutor, SqlValue } from '../../src/warehouse/warehouse.js';
import { tempWarehouse } from '../fixtures/temp-warehouse.js';

/**
 * The catalog, customer, club and store-target merges on DuckDB. Their SQL is one text for both
 * warehouses (MERGE, QUALIFY beside a WHERE, EXISTS for key sets), so what this shows of it holds
 * on BigQuery too: per key the latest change wins wherever it lands (first, last, in the same
 * batch or an earlier one), ties are settled as each entity's rule says, a version no newer than
 * silver's changes nothing, and only what changed is counted and left for gold.
 */
let wh: DuckDbWarehouse;
let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ warehouse: wh, dir, cleanup } = await tempWarehouse());
});
afterEach(async () => {
  await cleanup();
});

type Row = Record<string, SqlValue>;
let seq = 0;

/** One refresh: the rows staged in a transaction of their own, then the entity's merge, as silver-refresh.ts runs them. */
async function refresh(entity: SilverEntityName, staged: readonly [string, readonly string[], readonly Row[]][]): Promise<number> {
  return wh.writerSession(async (s) => {
    await s.transaction(async (tx) => {
      await ensureSilverStaging(tx);
      for (const [table, columns, rows] of staged) await insert(tx, table, columns, rows);
    });
    return s.transaction(async (tx) => {
      const n = await SILVER_ENTITIES[entity].merge(tx, 'duckdb');
      await SILVER_ENTITIES[entity].clearStaging(tx);
      return n;
    });
  });
}

async function insert(tx: SqlExecutor, table: string, columns: readonly string[], rows: readonly Row[]): Promise<void> {
  for (const r of rows) {
    await tx.execute(`INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`, columns.map((c) => r[c] ?? null));
  }
}

const at = (hour: number) => `2025-03-10T${String(hour).padStart(2, '0')}:00:00Z`;
const lineage = (): Row => {
  seq += 1;
  return { bronze_record_id: `rec-${seq}`, bronze_seq: seq, updated_at: '2025-03-20T00:00:00Z' };
};

describe('the catalog merge on DuckDB', () => {
  const sku = (id: string, hour: number, hash: string): Row => ({ source: 'vtex-catalog', sku_id: id, name: hash, is_active: true, changed_at: at(hour), payload_hash: hash, ...lineage() });
  const price = (id: string, hour: number, hash: string, base: number): Row => ({ source: 'vtex-catalog', sku_id: id, base_price: base, changed_at: at(hour), payload_hash: hash, ...lineage() });
  const stage = (skus: Row[], prices: Row[]) => refresh('catalog', [[STAGE.products, SILVER_PRODUCT_COLUMNS, skus], [STAGE.productPrices, SILVER_PRODUCT_PRICE_COLUMNS, prices]]);

  it('takes the latest read per SKU, skips reads identical to silver, and refreshes a changed SKU\'s price with it', async () => {
    expect(await stage([sku('a', 10, 'h1'), sku('b', 10, 'h1')], [price('a', 10, 'p1', 10)])).toBe(2);
    expect(await stage(
      [
        sku('a', 11, 'h1'), // a newer read, same document: nothing changes
        sku('b', 11, 'h2'), sku('b', 9, 'h3'), // the latest in the batch wins, wherever it lands
        sku('c', 11, 'h1'), // new
        sku('d', 11, 'h6'), sku('d', 11, 'h7'), // a tie inside the batch: the later landing wins
      ],
      [price('a', 11, 'p1', 10)], // unchanged, its SKU unchanged: stays as held
    )).toBe(3);
    expect(await stage([sku('b', 8, 'h4'), sku('a', 12, 'h5')], [price('a', 12, 'p1', 10)])).toBe(1); // b older: ignored; a changed, its price read with it
    const products = await wh.query('SELECT sku_id, payload_hash, CAST(changed_at AS VARCHAR) AS changed_at FROM silver.products ORDER BY sku_id');
    expect(products).toEqual([
      { sku_id: 'a', payload_hash: 'h5', changed_at: '2025-03-10 12:00:00+00' },
      { sku_id: 'b', payload_hash: 'h2', changed_at: '2025-03-10 11:00:00+00' },
      { sku_id: 'c', payload_hash: 'h1', changed_at: '2025-03-10 11:00:00+00' },
      { sku_id: 'd', payload_hash: 'h7', changed_at: '2025-03-10 11:00:00+00' },
    ]);
    expect(await wh.query('SELECT sku_id, CAST(changed_at AS VARCHAR) AS changed_at FROM silver.product_prices')).toEqual([{ sku_id: 'a', changed_at: '2025-03-10 12:00:00+00' }]);
  });
});

describe('the customer merge on DuckDB', () => {
  const doc = (id: string, hour: number, email: string): Row => ({ source: 'vtex-customers', customer_id: id, email, changed_at: at(hour), ...lineage() });
  const stage = (rows: Row[]) => refresh('customers', [[STAGE.customers, SILVER_CUSTOMER_COLUMNS, rows]]);

  it('keeps the latest change per document; a tie keeps the first landing, in a batch as across batches', async () => {
    expect(await stage([doc('c1', 10, 'v1'), doc('c2', 10, 'v1')])).toBe(2);
    expect(await stage([
      doc('c1', 10, 'reread'), // the same change read again: the first landing stays
      doc('c2', 9, 'older'), // older: ignored
      doc('c3', 12, 'first'), doc('c3', 12, 'second'), // a tie inside the batch: the first landing wins
      doc('c4', 13, 'newest'), doc('c4', 11, 'late-but-older'), // out of order: the latest change wins
    ])).toBe(2);
    expect(await stage([doc('c1', 11, 'v2')])).toBe(1);
    expect(await wh.query('SELECT customer_id, email FROM silver.customers ORDER BY customer_id')).toEqual([
      { customer_id: 'c1', email: 'v2' }, { customer_id: 'c2', email: 'v1' }, { customer_id: 'c3', email: 'first' }, { customer_id: 'c4', email: 'newest' },
    ]);
  });
});

describe('the store-target merge on DuckDB', () => {
  const target = (store: string, month: string, hour: number, revenue: number): Row => ({
    source: 'store-targets', store_key: store, month, revenue_target: revenue, orders_target: null, changed_at: at(hour), ...lineage(),
  });
  const stage = (rows: Row[]) => refresh('store_targets', [[STAGE.storeTargets, SILVER_STORE_TARGET_COLUMNS, rows]]);

  it('takes the latest received row per store and month; equal numbers change nothing; an older file is ignored', async () => {
    expect(await stage([target('S1', '2025-03-01', 10, 100), target('S1', '2025-04-01', 10, 50)])).toBe(2);
    expect(await stage([
      target('S1', '2025-03-01', 11, 100), // same numbers: no change
      target('S1', '2025-04-01', 11, 60), target('S1', '2025-04-01', 11, 70), // a tie: the later landing wins
      target('S2', '2025-03-01', 11, 5),
    ])).toBe(2);
    expect(await stage([target('S1', '2025-04-01', 9, 80)])).toBe(0);
    expect(await wh.query('SELECT store_key, CAST(month AS VARCHAR) AS month, CAST(revenue_target AS VARCHAR) AS revenue, CAST(changed_at AS VARCHAR) AS changed_at FROM silver.store_targets ORDER BY store_key, month')).toEqual([
      { store_key: 'S1', month: '2025-03-01', revenue: '100.00', changed_at: '2025-03-10 10:00:00+00' },
      { store_key: 'S1', month: '2025-04-01', revenue: '70.00', changed_at: '2025-03-10 11:00:00+00' },
      { store_key: 'S2', month: '2025-03-01', revenue: '5.00', changed_at: '2025-03-10 11:00:00+00' },
    ]);
  });
});

describe('the club merge on DuckDB', () => {
  const change = (id: string, lsn: number, tier: string, deleted = false): Row => ({
    source: 'club-registry', member_id: id, club_status: 'active', tier, lsn, deleted, ...lineage(),
  });
  const end = (lsn: number): Row => ({ source: 'club-registry', lsn, bronze_seq: ++seq });
  const stage = (rows: Row[], ends: Row[] = []) =>
    refresh('club', [[STAGE.clubMembers, [...SILVER_CLUB_MEMBER_COLUMNS, 'deleted'], rows], [STAGE.clubSnapshots, ['source', 'lsn', 'bronze_seq'], ends]]);

  it('takes the highest LSN per member (ties to the later landing), deletes on a winning delete, and a finished snapshot removes older rows', async () => {
    expect(await stage([change('m1', 100, 'gold'), change('m2', 100, 'gold'), change('m3', 100, 'gold')])).toBe(3);
    expect(await stage([
      change('m1', 200, 'platinum'), change('m1', 200, 'diamond'), // one commit, two changes: the later landing wins
      change('m2', 150, '', true), // deleted
      change('m3', 90, 'old'), // older than silver's: ignored
      change('m4', 120, '', true), // a delete of a row silver never held: nothing
      change('m5', 160, 'new'), change('m5', 170, '', true), // inserted and deleted in one batch: nothing
    ])).toBe(2);
    expect(await stage([], [end(180)])).toBe(1); // m3 (LSN 100) was not in the snapshot taken at 180
    expect(await wh.query('SELECT member_id, tier, lsn FROM silver.club_members ORDER BY member_id')).toEqual([{ member_id: 'm1', tier: 'diamond', lsn: 200 }]);
  });

  it('quarantines a change whose row id is not the member it was landed as, and stages the rest', async () => {
    const store = await BronzeStore.open(wh, `${dir}/bronze`);
    const change = (key: string, id: string) => ({ entity: 'club_member', naturalKey: key, payload: JSON.stringify({ op: 'insert', lsn: '10', row: { id, club_status: 'active' } }) });
    await wh.transaction((tx) => store.append(tx, 'club-registry', [change('1', '1'), change('2', '99')], 'run-1'));
    const relation = await store.relation(wh, 'club-registry', ['club_member'], 0, store.readableUpTo('club-registry'));
    const result = await wh.writerSession(async (s) => {
      const staged = await stageInOneTransaction(stageClubMembers)(s, relation, { source: 'club-registry', runId: 'run-1', now: '2025-03-20T00:00:00Z', dialect: 'duckdb' });
      const reasons = await s.transaction((tx) => tx.query(`SELECT natural_key, reason FROM ${STAGE.quarantine}`));
      return { staged, reasons };
    });
    expect(result.staged).toEqual({ staged: 1, quarantined: 1 });
    expect(result.reasons).toEqual([{ natural_key: '2', reason: 'id: 99 is not the member it was landed as (2)' }]);
  });
});

describe('held orders on DuckDB', () => {
  it('gives last_change in epoch ms, as epoch_ms did (microseconds truncated)', async () => {
    await wh.execute(`INSERT INTO silver.orders (source, order_id, status, sales_channel, created_at, last_change, currency, items_total, discounts_total,
      shipping_total, tax_total, total, bronze_record_id, bronze_seq, updated_at)
      VALUES ('vtex-orders', 'o1', 'invoiced', '1', TIMESTAMPTZ '2025-03-01 00:00:00+00', TIMESTAMPTZ '2025-03-10 12:00:00.123987+00', 'BRL', 0, 0, 0, 0, 0, 'r', 1, TIMESTAMPTZ '2025-03-01 00:00:00+00')`);
    const [row] = await wh.query<{ ms: number }>("SELECT epoch_ms(last_change) AS ms FROM silver.orders WHERE order_id = 'o1'");
    expect([...await heldOrderChanges(wh, 'vtex-orders', ['o1', 'o2'])]).toEqual([['o1', Number(row!.ms)]]);
    expect(Number(row!.ms)).toBe(Date.parse('2025-03-10T12:00:00.123Z'));
  });
});
