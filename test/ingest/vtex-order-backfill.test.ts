import { afterEach, describe, expect, it } from 'vitest';
import { LIST_ORDERS_CAP } from '../../src/ingest/sources/vtex-orders/vtex-order-backfill.js';
import { createVtexOmsClient } from '../../src/ingest/sources/vtex-orders/vtex-oms-client.js';
import { silentLogger } from '../../src/observability/logger.js';
import type { VtexSandbox, VtexSandboxOptions } from '../../src/sandbox/vtex/index.js';
import type { TempPipeline } from '../fixtures/temp-pipeline.js';
import { backfillPipeline, sandboxAccount, storeWithHistory, TEST_BACKFILL_RETRY } from '../fixtures/vtex-store.js';

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

async function openStore(options: VtexSandboxOptions): Promise<VtexSandbox> {
  const { sandbox, close } = await storeWithHistory(options);
  closers.push(close);
  return sandbox;
}

async function pipelineOn(sandbox: VtexSandbox) {
  const client = createVtexOmsClient(sandboxAccount(sandbox), silentLogger(), 10_000, TEST_BACKFILL_RETRY);
  closers.push(() => client.close());
  const { p, calls } = await backfillPipeline(sandbox, client);
  closers.push(() => p.cleanup());
  return { p, calls };
}

async function silverOrders(p: TempPipeline): Promise<Map<string, string>> {
  const rows = await p.warehouse.query<{ order_id: string; status: string }>("SELECT order_id, status FROM silver.orders WHERE source = 'vtex-orders'");
  return new Map(rows.map((r) => [r.order_id, r.status]));
}

describe('VTEX orders backfill', () => {
  it('lands exactly the store\'s orders through 429s and 500s, resumes after being stopped midway, and fetches nothing twice', async () => {
    const sandbox = await openStore({ seed: 11, history: { orders: 2_400, days: 6 }, faults: { failureRate: 0.1, throttleRate: 0.015, retryAfterSeconds: 1 } });
    const { p, calls } = await pipelineOn(sandbox);
    const since = new Date(Date.now() - 8 * 24 * 3_600_000);

    // Stopped after its third window has landed, as a killed run would be between pages.
    const stop = new AbortController();
    let windows = 0;
    await p.runner.run('vtex-orders', {
      trigger: 'cli', since, signal: stop.signal,
      onProgress: (pr) => { if (pr.phase === 'extract' && ++windows === 3) stop.abort(); },
    }).catch(() => undefined);
    // What landed stays in bronze, with the cursor of the last landed window.
    const landed = await p.warehouse.transaction(async (tx) => {
      const rel = await p.bronze.relation(tx, 'vtex-orders', ['order'], 0, p.bronze.readableUpTo('vtex-orders'));
      return (await tx.query<{ n: number }>(`SELECT count(DISTINCT natural_key)::INT AS n FROM (${rel.sql}) b`, rel.params))[0]?.n ?? 0;
    });
    expect(landed).toBeGreaterThan(0);
    expect(landed).toBeLessThan(2_400);
    expect(calls.get).toBe(landed);
    const getsBefore = calls.get;

    const resumed = await p.runner.run('vtex-orders', { trigger: 'cli', since });
    const silver = await silverOrders(p);
    const store = new Map(sandbox.orders().map((o) => [o.orderId, o.status]));
    expect(silver).toEqual(store);
    expect(sandbox.stats().faultsInjected).toBeGreaterThan(0);
    // The resumed run fetched only what the first had not landed.
    expect(calls.get - getsBefore).toBe(2_400 - landed);
    expect(resumed.cursorBefore).toBeDefined();

    // A second pass over the same days finds everything held and current: lists, fetches nothing.
    const getsAfter = calls.get;
    await p.runner.run('vtex-orders', { trigger: 'cli', since, full: true });
    expect(calls.get).toBe(getsAfter);
    const runs = await p.warehouse.query<{ status: string; n: number }>(
      "SELECT status, count(*)::INT AS n FROM ops.runs WHERE source = 'vtex-orders' GROUP BY status ORDER BY status",
    );
    // The stopped run says it did not finish; both full passes succeeded.
    expect(runs).toEqual([{ status: 'cancelled', n: 1 }, { status: 'succeeded', n: 2 }]);
  }, 180_000);

  it(`splits a window holding more than List orders' ${LIST_ORDERS_CAP} rows, so no order past the 30th page is missed`, async () => {
    const sandbox = await openStore({ seed: 12, history: { orders: LIST_ORDERS_CAP + 400, days: 1 }, faults: {} });
    const { p, calls } = await pipelineOn(sandbox);
    await p.runner.run('vtex-orders', { trigger: 'cli', since: new Date(Date.now() - 2 * 24 * 3_600_000) });
    expect((await silverOrders(p)).size).toBe(LIST_ORDERS_CAP + 400);
    expect(calls.get).toBe(LIST_ORDERS_CAP + 400);
  }, 240_000);

  it('heals orders whose hooks never came: each scheduled run lists the last days again and fetches only what silver lacks', async () => {
    const sandbox = await openStore({ seed: 13, history: { orders: 300, days: 10 }, faults: {} });
    const { p, calls } = await pipelineOn(sandbox);
    await p.runner.run('vtex-orders', { trigger: 'cli', since: new Date(Date.now() - 12 * 24 * 3_600_000) });
    // Farol is now current up to this instant. Some orders it should hold are not there, as if
    // their hooks had never come: every fifth one, over the ten days.
    const day = 24 * 3_600_000;
    const lost = sandbox.orders().filter((_, i) => i % 5 === 0);
    const recent = lost.filter((o) => Date.parse(o.creationDate) > Date.now() - 3 * day + 60_000).map((o) => o.orderId);
    const older = lost.filter((o) => Date.parse(o.creationDate) < Date.now() - 3 * day - 60_000).map((o) => o.orderId);
    expect(recent.length).toBeGreaterThan(0);
    expect(older.length).toBeGreaterThan(0);
    await p.warehouse.transaction(async (tx) => {
      const ids = lost.map((o) => o.orderId);
      const list = ids.map(() => '?').join(', ');
      await tx.execute(`DELETE FROM silver.order_items WHERE order_id IN (${list})`, ids);
      await tx.execute(`DELETE FROM silver.orders WHERE order_id IN (${list})`, ids);
    });

    const lists = calls.list;
    const gets = calls.get;
    await p.runner.run('vtex-orders', { trigger: 'schedule' });
    const after = await silverOrders(p);
    for (const id of recent) expect(after.has(id), id).toBe(true);
    // Beyond the reconciliation window nothing is listed again, so the older ones stay missing.
    for (const id of older) expect(after.has(id), id).toBe(false);
    // Three days and today, a page each: not the twelve days the first run listed; and only the
    // missing orders fetched.
    expect(calls.list - lists).toBeLessThanOrEqual(5);
    expect(calls.get - gets).toBe(recent.length);
  }, 120_000);
});
