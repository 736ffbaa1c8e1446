import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DuckDbWarehouse } from '../../src/warehouse/duckdb/duckdb-warehouse.js';
import { WarehouseQueryTimeoutError } from '../../src/warehouse/warehouse.js';

/** Runs for minutes on any machine unless stopped. */
const ENDLESS = 'SELECT sum(x * x) AS s FROM range(50000000000) t(x)';

let wh: DuckDbWarehouse;

beforeEach(async () => {
  wh = await DuckDbWarehouse.open({ path: ':memory:', readConnections: 1 });
});
afterEach(() => wh.close());

describe('DuckDbWarehouse query timeout', () => {
  it('interrupts a read that runs past its timeout and rejects with WarehouseQueryTimeoutError', async () => {
    const err = await wh.query(ENDLESS, [], { timeoutMs: 200 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WarehouseQueryTimeoutError);
    expect((err as WarehouseQueryTimeoutError).timeoutMs).toBe(200);
  });

  it('leaves the connection usable: the next read on it answers', async () => {
    await wh.query(ENDLESS, [], { timeoutMs: 100 }).catch(() => undefined);
    expect(await wh.query('SELECT 42 AS n', [], { timeoutMs: 5_000 })).toEqual([{ n: 42 }]);
  });

  it('stops only its own query: one waiting for the connection is not interrupted, and gives up in the queue when its own time runs out', async () => {
    const slow = wh.query(ENDLESS, [], { timeoutMs: 300 }).catch((e: unknown) => e);
    const queuedShort = wh.query('SELECT 1 AS n', [], { timeoutMs: 50 }).catch((e: unknown) => e);
    const queued = wh.query('SELECT 2 AS n', [], { timeoutMs: 30_000 });
    expect(await queuedShort).toBeInstanceOf(WarehouseQueryTimeoutError);
    expect(await slow).toBeInstanceOf(WarehouseQueryTimeoutError);
    expect(await queued).toEqual([{ n: 2 }]);
  });

  it('passes a database error through unchanged when the time did not run out', async () => {
    await expect(wh.query('SELECT * FROM no_such_table', [], { timeoutMs: 5_000 })).rejects.toThrow(/no_such_table/);
  });
});
