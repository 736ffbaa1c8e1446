import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compactBronze } from '../../src/ingest/bronze/bronze-compactor.js';
import { BronzeStore, listParquetFiles, type BronzeInput } from '../../src/ingest/bronze/bronze-store.js';
import { generateOrders } from '../../src/sandbox/vtex/index.js';
import type { DuckDbWarehouse } from '../../src/warehouse/duckdb/duckdb-warehouse.js';
import { tempWarehouse } from '../fixtures/temp-warehouse.js';

let wh: DuckDbWarehouse;
let dir: string;
let cleanup: () => Promise<void>;
let bronze: BronzeStore;

beforeEach(async () => {
  ({ warehouse: wh, dir, cleanup } = await tempWarehouse());
  bronze = await BronzeStore.open(wh, path.join(dir, 'farol.bronze'));
});
afterEach(async () => cleanup());

const rec = (i: number, payload = JSON.stringify({ i })): BronzeInput => ({ entity: 'order', naturalKey: `o${i}`, payload });

/** Everything bronze holds for a source, as a reader would see it. */
async function readAll(source = 'vtex-orders', entities = ['order']) {
  return wh.transaction(async (tx) => {
    const rel = await bronze.relation(tx, source, entities, 0, bronze.readableUpTo(source));
    return tx.query<{ seq: number; record_id: string; natural_key: string; payload: string }>(
      `SELECT seq, record_id, natural_key, payload FROM (${rel.sql}) b ORDER BY seq`,
      rel.params,
    );
  });
}

describe('BronzeStore', () => {
  it('hands out landing order in commit order and reads back exactly what was appended', async () => {
    await wh.transaction((tx) => bronze.append(tx, 'vtex-orders', [rec(1), rec(2)], 'run-a'));
    await wh.transaction((tx) => bronze.append(tx, 'vtex-orders', [rec(3)], 'run-b'));
    const rows = await readAll();
    expect(rows.map((r) => [r.seq, r.natural_key, r.payload])).toEqual([
      [1, 'o1', '{"i":1}'], [2, 'o2', '{"i":2}'], [3, 'o3', '{"i":3}'],
    ]);
    // Another source's rows and other entities are not part of the relation.
    await wh.transaction((tx) => bronze.append(tx, 'store-targets', [rec(4)], 'run-c'));
    expect((await readAll()).length).toBe(3);
  });

  it('keeps a bulk segment invisible to readers until it is registered, and below it nothing newer is readable', async () => {
    const seg = await bronze.writeSegment('vtex-orders', Array.from({ length: 10 }, (_, i) => rec(i)), 'bulk');
    // A hook record lands meanwhile, with a higher seq than the segment's range.
    await wh.transaction((tx) => bronze.append(tx, 'vtex-orders', [rec(100)], 'hook'));
    expect(bronze.readableUpTo('vtex-orders')).toBe(seg.minSeq - 1);
    expect(await readAll()).toEqual([]);
    await wh.transaction((tx) => bronze.register(tx, seg));
    await bronze.settle(seg, true);
    const rows = await readAll();
    expect(rows.map((r) => r.natural_key)).toEqual([...Array.from({ length: 10 }, (_, i) => `o${i}`), 'o100']);
    expect(rows.map((r) => r.seq)).toEqual([...rows.map((r) => r.seq)].sort((a, b) => a - b));
  });

  it('deletes the file of a segment whose registration failed, and orphan files at open', async () => {
    const seg = await bronze.writeSegment('vtex-orders', [rec(1)], 'bulk');
    if (seg.kind !== 'segment-file') throw new Error(`DuckDB wrote a ${seg.kind}`);
    const file = path.join(bronze.dir, seg.relativePath);
    expect(fs.existsSync(file)).toBe(true);
    await bronze.settle(seg, false);
    expect(fs.existsSync(file)).toBe(false);

    // A crash between writing and registering leaves a file no registry row names.
    await bronze.writeSegment('vtex-orders', [rec(2)], 'bulk');
    expect(listParquetFiles(bronze.dir)).toHaveLength(1);
    bronze = await BronzeStore.open(wh, bronze.dir);
    expect(listParquetFiles(bronze.dir)).toHaveLength(0);
    expect(await readAll()).toEqual([]);
  });

  it('carries any payload text through a segment unchanged', async () => {
    const odd = ['tab\there', 'line\nbreak\r\n', '\u0001starts with SOH', 'emoji 🛒 acentuação', "quote ' \" back\\slash", '\u0000nul'];
    const seg = await bronze.writeSegment('vtex-orders', odd.map((p, i) => ({ entity: 'order', naturalKey: `k\t${i}`, payload: p })), 'bulk');
    await wh.transaction((tx) => bronze.register(tx, seg));
    await bronze.settle(seg, true);
    const rows = await readAll();
    expect(rows.map((r) => r.payload)).toEqual(odd);
    expect(rows.map((r) => r.natural_key)).toEqual(odd.map((_, i) => `k\t${i}`));
  });

  it('compacts the write-ahead table into segments without losing, duplicating or reordering a record', async () => {
    const orders = [...generateOrders({ seed: 5, count: 300, from: new Date('2026-01-01T00:00:00Z'), to: new Date('2026-02-01T00:00:00Z') })];
    const inputs = orders.map((o) => ({ entity: 'order', naturalKey: o.orderId, payload: JSON.stringify(o), receivedAt: new Date('2026-02-01T10:00:00Z') }));
    await wh.transaction((tx) => bronze.append(tx, 'vtex-orders', inputs.slice(0, 150), 'r1'));
    await wh.transaction((tx) => bronze.append(tx, 'vtex-orders', inputs.slice(150).map((i) => ({ ...i, receivedAt: new Date('2026-02-02T10:00:00Z') })), 'r2'));
    const before = await readAll();
    const result = await compactBronze(bronze, { retentionDays: 0, now: new Date('2026-02-02T12:00:00Z') });
    expect(result).toMatchObject({ recordsMoved: 300, segmentsWritten: 2 });
    expect(await wh.query('SELECT count(*)::INT n FROM bronze.records')).toEqual([{ n: 0 }]);
    expect(await readAll()).toEqual(before);
    const [{ bytes, records }] = (await wh.query<{ bytes: number; records: number }>('SELECT sum(bytes) AS bytes, sum(records) AS records FROM bronze.segments')) as [{ bytes: number; records: number }];
    expect(records).toBe(300);
    // Compressed: a sandbox order is ~12 KB of JSON.
    expect(bytes / records).toBeLessThan(4_000);
  });

  it('merges the segments of a closed day into one file, and drops days past the retention, recording the gap', async () => {
    for (const day of ['2026-03-01', '2026-03-01', '2026-03-02']) {
      await wh.transaction((tx) => bronze.append(tx, 'vtex-orders', [rec(Math.random(), `{"day":"${day}"}`)].map((r) => ({ ...r, receivedAt: new Date(`${day}T12:00:00Z`) })), 'r'));
      await compactBronze(bronze, { retentionDays: 0, now: new Date(`${day}T13:00:00Z`) });
    }
    expect(await wh.query("SELECT partition_date::VARCHAR d, count(*)::INT n FROM bronze.segments GROUP BY 1 ORDER BY 1")).toEqual([
      { d: '2026-03-01', n: 1 }, { d: '2026-03-02', n: 1 },
    ]);
    const before = await readAll();
    expect(before).toHaveLength(3);
    expect(listParquetFiles(bronze.dir)).toHaveLength(2);

    const r = await compactBronze(bronze, { retentionDays: 30, now: new Date('2026-04-01T00:00:00Z') });
    expect(r.partitionsDropped).toBe(1);
    expect(await wh.query("SELECT source, partition_date::VARCHAR d, records::INT records FROM bronze.dropped_partitions")).toEqual([
      { source: 'vtex-orders', d: '2026-03-01', records: 2 },
    ]);
    expect((await readAll()).map((x) => x.payload)).toEqual(['{"day":"2026-03-02"}']);
    expect(listParquetFiles(bronze.dir)).toHaveLength(1);
  });

  it('continues the landing order across a reopen', async () => {
    await wh.transaction((tx) => bronze.append(tx, 'vtex-orders', [rec(1), rec(2)], 'r'));
    await compactBronze(bronze, { retentionDays: 0 });
    bronze = await BronzeStore.open(wh, bronze.dir);
    const [r] = await wh.transaction((tx) => bronze.append(tx, 'vtex-orders', [rec(3)], 'r'));
    expect(r?.seq).toBe(3);
  });
});
