import { afterEach, describe, expect, it } from 'vitest';
import { TerminalHttpError } from '../../src/ingest/http/index.js';
import {
  createVtexOmsClient,
  FEED_MAX_LOT,
  HOOK_STATUSES,
  type OmsRetry,
  type OrderFeedItem,
  type VtexOmsClient,
} from '../../src/ingest/sources/vtex-orders/vtex-oms-client.js';
import { silentLogger } from '../../src/observability/logger.js';
import { createVtexSandbox, type VtexSandbox, type VtexSandboxOptions } from '../../src/sandbox/vtex/index.js';
import { sandboxAccount } from '../fixtures/vtex-store.js';
import { describeErrors, loadOrdersFeedValidators } from '../sandbox/openapi-schema.js';
import { omsClient } from '../sandbox/support.js';

/** Patient enough to get through a run of faults, with waits in milliseconds. */
const TEST_RETRY: OmsRetry = { maxAttempts: 10, baseDelayMs: 5, maxDelayMs: 50, maxRetryAfterMs: 5_000 };
const HISTORY = { orders: 40, days: 3, endAt: new Date('2025-06-01T12:00:00.000Z') };

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

async function store(options: VtexSandboxOptions = {}): Promise<{ sandbox: VtexSandbox; client: VtexOmsClient }> {
  const sandbox = createVtexSandbox({ port: 0, history: HISTORY, publishIntervalMs: 0, ...options });
  await sandbox.start();
  closers.push(() => sandbox.close());
  const client = createVtexOmsClient(sandboxAccount(sandbox), silentLogger(), 10_000, TEST_RETRY);
  closers.push(() => client.close());
  return { sandbox, client };
}

describe('the OMS client on Orders Feed v3', () => {
  it('configures every status, reads through 429s and 5xx, and commits until the feed is empty', async () => {
    const { sandbox, client } = await store({ seed: 21, faults: { failureRate: 0.2, throttleRate: 0.2, retryAfterSeconds: 0 } });
    await client.configureOrderFeed();
    await sandbox.whenAllDelivered(20_000);

    // What the client saved, as the Feed API gives it back, is a body the OpenAPI accepts.
    const admin = omsClient(sandbox);
    closers.push(() => admin.close());
    const config = (await admin.get('/api/orders/feed/config')).json as Record<string, unknown>;
    expect(config).toMatchObject({
      filter: { type: 'FromWorkflow', status: [...HOOK_STATUSES] },
      queue: { visibilityTimeoutInSeconds: 250, MessageRetentionPeriodInSeconds: 1_209_600 },
    });
    const saved = { filter: config.filter, queue: config.queue };
    const validators = loadOrdersFeedValidators();
    expect(validators.saveConfigRequest(saved), describeErrors(validators.saveConfigRequest.errors)).toBe(true);

    const queued = sandbox.stats().feedEventsQueued;
    expect(queued).toBeGreaterThan(HISTORY.orders);
    const items: OrderFeedItem[] = [];
    for (;;) {
      const lot = await client.readOrderFeed(FEED_MAX_LOT);
      expect(lot.length).toBeLessThanOrEqual(FEED_MAX_LOT);
      if (lot.length === 0) break;
      items.push(...lot);
      await client.commitOrderFeed(lot.map((i) => i.handle));
    }
    expect(sandbox.stats().faultsInjected).toBeGreaterThan(0);
    expect(items).toHaveLength(queued);
    expect(new Set(items.map((i) => i.eventId)).size).toBe(queued);
    expect(sandbox.feedDepth()).toBe(0);
    expect(sandbox.stats().feedEventsCommitted).toBe(queued);
    // Each order's last change is its final status.
    for (const order of sandbox.orders()) {
      expect(items.some((i) => i.orderId === order.orderId && i.state === order.status), order.orderId).toBe(true);
    }
    for (const item of items.slice(0, 20)) {
      expect(item).toEqual({
        eventId: expect.stringMatching(/^[0-9A-F]{32}$/),
        handle: expect.any(String),
        domain: expect.any(String),
        state: expect.any(String),
        lastState: expect.any(String),
        orderId: expect.stringMatching(/^\d{13}-01$/),
        lastChange: expect.stringMatching(/Z$/),
        currentChange: expect.stringMatching(/Z$/),
      });
    }
  });

  it('rejects a maxLot outside 1..10 before any request, and sends no empty commit', async () => {
    const { sandbox, client } = await store({ seed: 22 });
    await client.configureOrderFeed();
    const before = sandbox.stats().feedRequests;
    for (const maxLot of [0, 11, -1, 2.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      await expect(client.readOrderFeed(maxLot), String(maxLot)).rejects.toThrow(RangeError);
    }
    await client.commitOrderFeed([]);
    expect(sandbox.stats().feedRequests).toBe(before);
    await sandbox.whenAllDelivered(20_000);
    expect(await client.readOrderFeed(1)).toHaveLength(1);
    expect(await client.readOrderFeed(FEED_MAX_LOT)).toHaveLength(FEED_MAX_LOT);
    expect(sandbox.stats().feedRequests).toBe(before + 2);
  });

  it('fails without retrying when the account has no feed (404)', async () => {
    const { sandbox, client } = await store({ seed: 23 });
    const error = await client.readOrderFeed(5).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(TerminalHttpError);
    expect((error as TerminalHttpError).status).toBe(404);
    await expect(client.commitOrderFeed(['a-handle'])).rejects.toThrow(TerminalHttpError);
    expect(sandbox.stats().feedRequests).toBe(2);
  });
});
