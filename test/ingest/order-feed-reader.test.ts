import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import type { LandingPort } from '../../src/ingest/landing-port.js';
import { LandingPace } from '../../src/ingest/landing-pace.js';
import { OrderFeedReader } from '../../src/ingest/sources/vtex-orders/order-feed-reader.js';
import { createVtexOmsClient, FEED_MAX_LOT, type OrderFeedItem } from '../../src/ingest/sources/vtex-orders/vtex-oms-client.js';
import { silentLogger } from '../../src/observability/logger.js';
import { createVtexSandbox } from '../../src/sandbox/vtex/index.js';
import { tempPipeline, type TempPipeline } from '../fixtures/temp-pipeline.js';
import { sandboxAccount } from '../fixtures/vtex-store.js';
import { waitFor } from '../fixtures/wait-for.js';

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

/** A landing port that counts on one run, and can be told to fail the landing transaction. */
function landing(opts: { failNext?: boolean } = {}): LandingPort & { failNext: boolean } {
  return {
    failNext: opts.failNext ?? false,
    streamRun: async () => 'feed-test-run',
    async countLanded() {
      if (this.failNext) {
        this.failNext = false;
        throw new Error('the warehouse went away mid-write');
      }
    },
    requestRefresh: () => undefined,
  };
}

async function fetchQueue(p: TempPipeline): Promise<string[]> {
  return (await p.warehouse.query<{ natural_key: string }>('SELECT natural_key FROM ops.fetch_queue ORDER BY natural_key')).map((r) => r.natural_key);
}

describe('the order feed reader', () => {
  it('commits nothing when the bronze write fails: the items come back after the visibility timeout and land then', async () => {
    let now = Date.parse('2026-05-01T12:00:00Z');
    const sandbox = createVtexSandbox({ port: 0, seed: 5, history: { orders: 12, days: 1 }, publishIntervalMs: 0, feedClock: () => now });
    await sandbox.start();
    closers.push(() => sandbox.close());
    const oms = createVtexOmsClient(sandboxAccount(sandbox), silentLogger(), 10_000);
    closers.push(() => oms.close());
    await oms.configureOrderFeed();
    const elsewhere = Fastify();
    elsewhere.post('/hook', async () => ({ ok: true }));
    const hookUrl = `${await elsewhere.listen({ host: '127.0.0.1', port: 0 })}/hook`;
    closers.push(() => elsewhere.close());
    await oms.configureOrderHook(hookUrl, 'another-systems-token');
    await sandbox.whenAllDelivered(30_000);
    const queued = sandbox.feedDepth();
    expect(queued).toBeGreaterThan(10);

    const p = await tempPipeline();
    closers.push(() => p.cleanup());
    const port = landing({ failNext: true });
    const reader = new OrderFeedReader({ oms, warehouse: p.warehouse, bronze: p.bronze, landing: port, logger: silentLogger() });
    await expect(reader.readOnce()).rejects.toThrow('went away');
    // Rolled back, not committed: nothing in bronze, and the items still in the feed, hidden for now.
    expect(await p.warehouse.query("SELECT 1 FROM bronze.records WHERE source = 'vtex-orders'")).toEqual([]);
    expect(sandbox.feedDepth()).toBe(queued);

    now += 251_000; // past VTEX's 250 s visibility timeout
    while ((await reader.readOnce()) > 0);
    expect(sandbox.feedDepth()).toBe(0);
    const [n] = await p.warehouse.query<{ n: number }>("SELECT count(*)::INT AS n FROM bronze.records WHERE entity = 'order_notification'");
    expect(n?.n).toBe(queued);
    expect(await fetchQueue(p)).toEqual([...new Set(sandbox.orders().map((o) => o.orderId))].sort());
  }, 60_000);

  it('reads the feed once per landing interval when paced; unread items wait in the feed', async () => {
    const sandbox = createVtexSandbox({ port: 0, seed: 6, history: { orders: 12, days: 1 }, publishIntervalMs: 0 });
    await sandbox.start();
    closers.push(() => sandbox.close());
    const oms = createVtexOmsClient(sandboxAccount(sandbox), silentLogger(), 10_000);
    closers.push(() => oms.close());
    await oms.configureOrderFeed();
    const elsewhere = Fastify();
    elsewhere.post('/hook', async () => ({ ok: true }));
    await oms.configureOrderHook(`${await elsewhere.listen({ host: '127.0.0.1', port: 0 })}/hook`, 'another-systems-token');
    closers.push(() => elsewhere.close());
    await sandbox.whenAllDelivered(30_000);
    const queued = sandbox.feedDepth();
    expect(queued).toBeGreaterThan(FEED_MAX_LOT);

    const p = await tempPipeline();
    closers.push(() => p.cleanup());
    const pace = new LandingPace(30_000);
    const reader = new OrderFeedReader({ oms, warehouse: p.warehouse, bronze: p.bronze, landing: landing(), logger: silentLogger(), pace });
    reader.start();
    await waitFor('the first lot to land', () => sandbox.feedDepth() === queued - FEED_MAX_LOT);
    await new Promise((r) => setTimeout(r, 300));
    // Unpaced, the reader would have drained the feed by now (it reads again at once after a full lot).
    expect(sandbox.feedDepth()).toBe(queued - FEED_MAX_LOT);
    await reader.stop();
    expect(pace.remainingMs()).toBeGreaterThan(0);
  }, 60_000);

  it('quarantines an item whose orderId is not a VTEX order id, never fetches it, and commits it with the rest', async () => {
    const p = await tempPipeline();
    closers.push(() => p.cleanup());
    const item = (orderId: string, handle: string): OrderFeedItem => ({
      eventId: `e-${handle}`, handle, domain: 'Marketplace', state: 'payment-approved', lastState: 'payment-pending', orderId,
      lastChange: '2026-05-01T12:00:00.0000000Z', currentChange: '2026-05-01T12:00:01.0000000Z',
    });
    // The Feed API's side, as it would answer: one good item and one whose id would climb out of the URL path.
    let items: OrderFeedItem[] = [item('1412730598321-01', 'h1'), item('../../admin', 'h2')];
    const committed: string[] = [];
    const feedApi = { readOrderFeed: async () => items.splice(0), commitOrderFeed: async (h: readonly string[]) => void committed.push(...h) };
    const reader = new OrderFeedReader({ oms: feedApi, warehouse: p.warehouse, bronze: p.bronze, landing: landing(), logger: silentLogger() });
    expect(await reader.readOnce()).toBe(2);
    expect(committed).toEqual(['h1', 'h2']);
    expect(await fetchQueue(p)).toEqual(['1412730598321-01']);
    const quarantined = await p.warehouse.query<{ reason: string; payload: string }>("SELECT reason, payload FROM silver.quarantine WHERE source = 'vtex-orders'");
    expect(quarantined).toHaveLength(1);
    expect(quarantined[0]?.reason).toBe('feed item: orderId is not a VTEX order id');
    expect(JSON.parse(quarantined[0]?.payload ?? '{}')).toMatchObject({ orderId: '../../admin' });
    items = [];
    expect(await reader.readOnce()).toBe(0);
  });
});
