import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DataVersions } from '../../src/warehouse/data-version.js';
import { DuckDbWarehouse } from '../../src/warehouse/duckdb/duckdb-warehouse.js';
import { WAREHOUSE_MIGRATIONS as MIGRATIONS } from '../../src/pipeline/warehouse-migrations.js';
import { quoteIdent } from '../../src/warehouse/warehouse.js';
import { tempWarehouse } from '../fixtures/temp-warehouse.js';

let wh: DuckDbWarehouse;
let file: string;
let cleanup: () => Promise<void>;

beforeEach(async () => {
  ({ warehouse: wh, file, cleanup } = await tempWarehouse());
  await wh.execute('CREATE TABLE ops.t (id VARCHAR, n BIGINT, amount DECIMAL(18,2), ts TIMESTAMPTZ, d DATE, flag BOOLEAN DEFAULT true)');
});
afterEach(async () => cleanup());

describe('DuckDbWarehouse (real DuckDB file)', () => {
  it('creates every layer and is idempotent to migrate again', async () => {
    expect(await wh.migrate(MIGRATIONS)).toEqual({ applied: [], current: MIGRATIONS.at(-1)?.version });
    const schemas = await wh.query<{ schema_name: string }>(
      "SELECT DISTINCT schema_name FROM information_schema.schemata WHERE schema_name IN ('bronze','silver','gold','ops') ORDER BY 1",
    );
    expect(schemas.map((s) => s.schema_name)).toEqual(['bronze', 'gold', 'ops', 'silver']);
    expect(await wh.query("SELECT count(*)::INT n FROM gold.dim_order_status WHERE is_sale")).toEqual([{ n: 13 }]);
  });

  it('binds parameters, never splicing them into SQL', async () => {
    const evil = "x'); DROP TABLE ops.t; --";
    await wh.execute('INSERT INTO ops.t (id, n) VALUES (?, ?)', [evil, 1]);
    expect(await wh.query('SELECT id FROM ops.t WHERE id = ?', [evil])).toEqual([{ id: evil }]);
  });

  it('appends in bulk with exact decimals, timestamps and defaults', async () => {
    const rows = Array.from({ length: 5_000 }, (_, i) => [`id${i}`, i, '10.05', '2025-03-14T13:22:05.1234567+00:00', '2025-03-14']);
    expect(await wh.append({ schema: 'ops', table: 't' }, ['id', 'n', 'amount', 'ts', 'd'], rows)).toBe(5_000);
    expect(await wh.query('SELECT count(*) AS n, sum(amount) AS total, min(ts) AS ts, min(d) AS d, bool_and(flag) AS flag FROM ops.t')).toEqual([
      { n: 5_000, total: 50_250, ts: '2025-03-14T13:22:05.123Z', d: '2025-03-14', flag: true },
    ]);
    await expect(wh.append({ schema: 'ops', table: 't' }, ['nope'], [[1]])).rejects.toThrow(/no column\(s\) nope/);
  });

  it('rolls a failed transaction back entirely', async () => {
    await expect(
      wh.transaction(async (tx) => {
        await tx.execute("INSERT INTO ops.t (id) VALUES ('a')");
        await tx.execute('SELECT * FROM no_such_table');
      }),
    ).rejects.toThrow();
    expect(await wh.query('SELECT count(*)::INT n FROM ops.t')).toEqual([{ n: 0 }]);
    // and the writer is usable afterwards
    await wh.execute("INSERT INTO ops.t (id) VALUES ('b')");
    expect(await wh.query('SELECT id FROM ops.t')).toEqual([{ id: 'b' }]);
  });

  it('keeps committed data across a reopen and serialises concurrent writers', async () => {
    await Promise.all(Array.from({ length: 50 }, (_, i) => wh.transaction((tx) => tx.execute('INSERT INTO ops.t (id, n) VALUES (?, ?)', [`w${i}`, i]))));
    const dv = await DataVersions.load(wh);
    dv.publish(await wh.transaction((tx) => dv.bumpInTransaction(tx)));
    await wh.close();
    const again = await DuckDbWarehouse.open({ path: file });
    try {
      expect(await again.query('SELECT count(*) AS n, sum(n) AS s FROM ops.t')).toEqual([{ n: 50, s: 1225 }]);
      expect((await DataVersions.load(again)).current()).toBe(1);
    } finally {
      await again.close();
      wh = await DuckDbWarehouse.open({ path: file }); // for afterEach
    }
  });

  it('refuses identifiers that are not plain names', () => {
    expect(quoteIdent('fct_orders')).toBe('"fct_orders"');
    expect(() => quoteIdent('x"; DROP')).toThrow(/invalid SQL identifier/);
  });
});

describe('appending timestamps with a UTC offset', () => {
  it('keeps the instant (the appender alone would drop the offset)', async () => {
    await wh.execute('CREATE TABLE ops.tz (ts TIMESTAMPTZ, n INTEGER)');
    await wh.append({ schema: 'ops', table: 'tz' }, ['ts', 'n'], [
      ['2025-03-14T23:59:59-03:00', 1], ['2025-03-14T23:59:59.1234567+05:30', 2], ['2025-03-15T02:59:59Z', 3],
    ]);
    expect(await wh.query('SELECT n, ts FROM ops.tz ORDER BY n')).toEqual([
      { n: 1, ts: '2025-03-15T02:59:59.000Z' }, { n: 2, ts: '2025-03-14T18:29:59.123Z' }, { n: 3, ts: '2025-03-15T02:59:59.000Z' },
    ]);
    expect(await wh.query("SELECT epoch_us(ts) % 1000000 AS us FROM ops.tz WHERE n = 2")).toEqual([{ us: 123456 }]);
  });
});

describe('the idle checkpoint', () => {
  const walBytes = (file: string): number => (fs.existsSync(`${file}.wal`) ? fs.statSync(`${file}.wal`).size : 0);

  async function opened(options: { idleCheckpointMs: number }): Promise<{ w: DuckDbWarehouse; file: string; done: () => Promise<void> }> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'farol-ckpt-'));
    const file = path.join(dir, 'farol.duckdb');
    const w = await DuckDbWarehouse.open({ path: file, ...options });
    return { w, file, done: async () => { await w.close(); fs.rmSync(dir, { recursive: true, force: true }); } };
  }

  it('folds the WAL into the file once writes pause, not in the commit, with reads going on', async () => {
    const { w, file, done } = await opened({ idleCheckpointMs: 200 });
    try {
      // Below the threshold, DuckDB alone would leave this in the WAL until close.
      await w.execute('CREATE TABLE t AS SELECT range AS i, md5(range::VARCHAR) AS h FROM range(200000)');
      expect(walBytes(file)).toBeGreaterThan(0);
      const reading = w.query('SELECT count(*) AS n FROM t, range(20)');
      await expect.poll(() => walBytes(file), { timeout: 20_000, interval: 50 }).toBe(0);
      expect(await reading).toEqual([{ n: 4_000_000 }]);
      expect(await w.query('SELECT count(*) AS n FROM t')).toEqual([{ n: 200_000 }]);
    } finally {
      await done();
    }
  });

  it('leaves the WAL alone when turned off', async () => {
    const { w, file, done } = await opened({ idleCheckpointMs: 0 });
    try {
      await w.execute('CREATE TABLE t AS SELECT range AS i FROM range(100000)');
      await new Promise((r) => setTimeout(r, 400));
      expect(walBytes(file)).toBeGreaterThan(0);
    } finally {
      await done();
    }
  });
});
