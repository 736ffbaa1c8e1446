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

  it('records a batch of failures in one statement, each with its own back-off and error', async () => {
    const keys = Array.from({ length: 200 }, (_, i) => `O${i}`);
    await wh.transaction((tx) => enqueueFetches(tx, keys.map(req)));
    const claimed = await dueFetches(wh, 'vtex', 'order', 500);
    let statements = 0;
    await wh.transaction((tx) => {
      const counting = { ...tx, execute: (sql: string, params?: Parameters<typeof tx.execute>[1]) => (statements++, tx.execute(sql, params)) };
      return failFetches(
        counting,
        claimed.map((fetch, i) => ({ fetch, error: `failed with 503 (${fetch.naturalKey})`, retryAfterMs: i === 0 ? 3_600_000 : undefined })),
        { baseMs: 60_000, maxMs: 60_000 },
      );
    });
    expect(statements).toBe(1);
    const rows = await wh.query<{ natural_key: string; attempts: number; last_error: string; wait_s: number }>(
      `SELECT natural_key, attempts, last_error, round(epoch(next_attempt_at - now()))::INT AS wait_s FROM ops.fetch_queue ORDER BY natural_key`,
    );
    expect(rows).toHaveLength(200);
    expect(rows.every((r) => r.attempts === 1 && r.last_error === `failed with 503 (${r.natural_key})`)).toBe(true);
    expect(rows.find((r) => r.natural_key === 'O0')?.wait_s).toBeGreaterThan(3_500); // Retry-After, longer than the back-off
    expect(rows.find((r) => r.natural_key === 'O1')?.wait_s).toBeLessThanOrEqual(60);
    expect(await due()).toEqual([]);
  });
});
