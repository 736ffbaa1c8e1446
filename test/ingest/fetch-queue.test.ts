import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { completeFetches, dueFetches, enqueueFetches, failFetches } from '../../src/ingest/state/fetch-queue.js';
import type { DuckDbWarehouse } from '../../src/warehouse/duckdb/duckdb-warehouse.js';
import { tempWarehouse } from '../fixtures/temp-warehouse.js';

let wh: DuckDbWarehouse;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ warehouse: wh, cleanup } = await tempWarehouse()));
afterEach(async () => cleanup());

const req = (naturalKey: string) => ({ source: 'vtex', entity: 'order', naturalKey });
const due = () => dueFetches(wh, 'vtex', 'order', 100);

describe('fetch queue', () => {
  it('keeps a request that arrived while its fetch was under way', async () => {
    await wh.transaction((tx) => enqueueFetches(tx, [req('A'), req('B'), req('A')]));
    const first = await due();
    expect(first.map((d) => d.naturalKey).sort()).toEqual(['A', 'B']);
    await wh.transaction((tx) => enqueueFetches(tx, [req('A')])); // A changed again mid-fetch
    await wh.transaction((tx) => completeFetches(tx, first));
    const second = await due();
    expect(second.map((d) => d.naturalKey)).toEqual(['A']);
    await wh.transaction((tx) => completeFetches(tx, second));
    expect(await due()).toEqual([]);
  });

  it('backs a failed fetch off, counts attempts and keeps the error; a new request makes it due again', async () => {
    await wh.transaction((tx) => enqueueFetches(tx, [req('A')]));
    const [a] = await due();
    await wh.transaction((tx) => failFetches(tx, [{ fetch: a!, error: 'vtex GET /api/oms/pvt/orders/A failed with 503 after 3 attempts' }]));
    expect(await due()).toEqual([]);
    expect(await wh.query('SELECT attempts, last_error FROM ops.fetch_queue')).toEqual([
      { attempts: 1, last_error: 'vtex GET /api/oms/pvt/orders/A failed with 503 after 3 attempts' },
    ]);
    await wh.transaction((tx) => enqueueFetches(tx, [req('A')]));
    expect((await due()).map((d) => [d.naturalKey, d.attempts])).toEqual([['A', 1]]);
  });
});
