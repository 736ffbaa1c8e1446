import { afterEach, describe, expect, it } from 'vitest';
import { DOCUMENTED_FEED_STATUSES } from '../../src/sandbox/vtex/feed-config.js';
import { SANDBOX_STATUSES, createVtexSandbox, type HookNotification, type VtexSandbox, type VtexSandboxOptions } from '../../src/sandbox/vtex/index.js';
import type { FeedEvent, FeedItem } from '../../src/sandbox/vtex/order-feed.js';
import { OrderFactory, type GeneratedOrder } from '../../src/sandbox/vtex/order-generator.js';
import { MS_PER_DAY, formatZulu } from '../../src/sandbox/vtex/vtex-time.js';
import { describeErrors, loadOrdersFeedValidators } from './openapi-schema.js';
import { hookConfigBody, liveHandles, omsClient, startReceiver, until, type OmsTestClient, type Receiver } from './support.js';

const END_AT = new Date('2025-06-01T12:00:00.000Z');
const ALL_STATUSES = [...SANDBOX_STATUSES];
const HISTORY = { orders: 60, days: 5, endAt: END_AT };
const FAST: VtexSandboxOptions = { history: HISTORY, publishIntervalMs: 0, retry: { baseDelayMs: 5, maxDelayMs: 40 } };
const FEED = '/api/orders/feed';
const CONFIG = '/api/orders/feed/config';
const T0 = Date.parse('2025-06-02T00:00:00.000Z');

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

async function running(options: VtexSandboxOptions): Promise<{ sandbox: VtexSandbox; oms: OmsTestClient }> {
  const sandbox = createVtexSandbox(options);
  await sandbox.start();
  const oms = omsClient(sandbox);
  cleanups.push(() => sandbox.close(), () => oms.close());
  return { sandbox, oms };
}

async function receiver(): Promise<Receiver> {
  const r = await startReceiver();
  cleanups.push(() => r.close());
  return r;
}

/** The generator's view of the history, for what the sandbox will publish. */
function generated(seed: number, history: { orders: number; days: number; endAt: Date }): GeneratedOrder[] {
  const factory = new OrderFactory({ seed });
  const endAt = history.endAt.getTime();
  return Array.from({ length: history.orders }, (_, index) => factory.historical(index, endAt - history.days * MS_PER_DAY, endAt));
}

/** Every status change of these orders from step `from(order)` on, as the feed must carry it. */
function changes(orders: readonly GeneratedOrder[], from: (g: GeneratedOrder) => number = () => 0): FeedEvent[] {
  const out: FeedEvent[] = [];
  for (const g of orders) {
    const steps = g.timeline.steps;
    for (let k = from(g); k < steps.length; k++) {
      const current = steps[k]!;
      const previous = steps[k - 1];
      out.push({
        domain: g.order.origin,
        state: current.status,
        lastState: previous?.status ?? '',
        orderId: g.order.orderId,
        lastChange: formatZulu((previous ?? current).at),
        currentChange: formatZulu(current.at),
      });
    }
  }
  return out;
}

const key = (e: { orderId: string; state: string; currentChange: string }): string => `${e.orderId}|${e.state}|${e.currentChange}`;
const eventOf = ({ eventId: _e, handle: _h, ...event }: FeedItem): FeedEvent => event;
const fromHook = (n: HookNotification): FeedEvent => ({
  domain: n.Domain,
  state: n.State,
  lastState: n.LastState,
  orderId: n.OrderId,
  lastChange: n.LastChange,
  currentChange: n.CurrentChange,
});

async function read(oms: OmsTestClient, maxlot: number | string = 10): Promise<FeedItem[]> {
  const res = await oms.get(`${FEED}?maxlot=${maxlot}`);
  expect(res.status, JSON.stringify(res.json)).toBe(200);
  return res.json as FeedItem[];
}

async function commit(oms: OmsTestClient, handles: readonly string[]): Promise<void> {
  const res = await oms.send('POST', FEED, { handles });
  expect(res.status, JSON.stringify(res.json)).toBe(200);
}

/** Reads and commits until the feed answers an empty lot; every item read, in reading order. */
async function drain(oms: OmsTestClient): Promise<FeedItem[]> {
  const all: FeedItem[] = [];
  for (;;) {
    const items = await read(oms);
    if (items.length === 0) return all;
    all.push(...items);
    await commit(oms, items.map((i) => i.handle));
  }
}

function sortedKeys(events: ReadonlyArray<{ orderId: string; state: string; currentChange: string }>): string[] {
  return events.map(key).sort();
}

describe('feed configuration', () => {
  it('round-trips, defaults to every status, and answers 404 before it exists and after DELETE', async () => {
    const validators = loadOrdersFeedValidators();
    const { oms } = await running({ ...FAST, feedClock: () => T0 });
    for (const res of [await oms.get(CONFIG), await oms.get(`${FEED}?maxlot=1`), await oms.send('POST', FEED, { handles: ['x'] }), await oms.send('DELETE', CONFIG)]) {
      expect(res.status).toBe(404);
      expect(res.json).toMatchObject({ error: { code: '404', message: expect.stringContaining('No feed') } });
    }

    const saved = await oms.send('POST', CONFIG, {});
    expect(saved).toEqual({ status: 200, json: undefined });
    const defaults = await oms.get(CONFIG);
    expect(defaults.status).toBe(200);
    expect(validators.getConfig(defaults.json), describeErrors(validators.getConfig.errors)).toBe(true);
    expect(defaults.json).toMatchObject({
      filter: { type: 'FromWorkflow', status: [...DOCUMENTED_FEED_STATUSES] },
      queue: { visibilityTimeoutInSeconds: 250, MessageRetentionPeriodInSeconds: 345_600 },
    });
    expect(ALL_STATUSES.every((s) => (DOCUMENTED_FEED_STATUSES as readonly string[]).includes(s))).toBe(true);

    const fromOrders = {
      filter: { type: 'FromOrders', expression: 'status = "invoiced"', disableSingleFire: true },
      queue: { visibilityTimeoutInSeconds: 30, MessageRetentionPeriodInSeconds: 1_209_600 },
    };
    expect(validators.saveConfigRequest(fromOrders), describeErrors(validators.saveConfigRequest.errors)).toBe(true);
    expect((await oms.send('POST', CONFIG, fromOrders)).status).toBe(200);
    const got = await oms.get(CONFIG);
    expect(validators.getConfig(got.json), describeErrors(validators.getConfig.errors)).toBe(true);
    expect(got.json).toEqual({ ...fromOrders, quantity: expect.any(Number), approximateAgeOfOldestMessageInSeconds: expect.any(Number) });

    // The guide's spelling is read too; the answer uses the schema's.
    const guide = { filter: { type: 'FromWorkflow', status: ['invoiced'] }, queue: { visibilityTimeoutInSeconds: 60, messageRetentionPeriodInSeconds: 500_000 } };
    expect((await oms.send('POST', CONFIG, guide)).status).toBe(200);
    expect((await oms.get(CONFIG)).json).toMatchObject({ queue: { visibilityTimeoutInSeconds: 60, MessageRetentionPeriodInSeconds: 500_000 } });

    expect((await oms.send('DELETE', CONFIG)).status).toBe(200);
    expect((await oms.get(CONFIG)).status).toBe(404);
    expect((await oms.get(`${FEED}?maxlot=1`)).status).toBe(404);
  });

  it('refuses mixed filters with 409 and bad filters, queues and bodies with 400, keeping the saved config', async () => {
    const { oms } = await running({ ...FAST });
    const good = { filter: { type: 'FromWorkflow', status: ['invoiced'] }, queue: { visibilityTimeoutInSeconds: 100, MessageRetentionPeriodInSeconds: 400_000 } };
    expect((await oms.send('POST', CONFIG, good)).status).toBe(200);

    const conflicts = [
      { type: 'FromWorkflow', status: ['invoiced'], expression: 'true' },
      { type: 'FromOrders', expression: 'true', status: ['invoiced'] },
      { status: ['invoiced'], expression: 'true' },
      { type: 'FromWorkflow', status: ['invoiced'], disableSingleFire: false },
    ];
    for (const filter of conflicts) {
      const res = await oms.send('POST', CONFIG, { filter });
      expect(res.status, JSON.stringify(filter)).toBe(409);
      expect(res.json).toMatchObject({ error: { code: '409' } });
    }

    const retention = (seconds: unknown) => ({ queue: { visibilityTimeoutInSeconds: 250, MessageRetentionPeriodInSeconds: seconds } });
    const bad: unknown[] = [
      retention(345_599),
      retention(1_209_601),
      retention(400_000.5),
      retention('400000'),
      { queue: { visibilityTimeoutInSeconds: -1 } },
      { queue: { visibilityTimeoutInSeconds: 43_201 } },
      { queue: { MessageRetentionPeriodInSeconds: 400_000, messageRetentionPeriodInSeconds: 400_000 } },
      { queue: 'fast' },
      { filter: null },
      { filter: { type: 'FromWorkflow', status: [] } },
      { filter: { type: 'FromOrders' } },
      { filter: { type: 'Everything' } },
      [good],
    ];
    for (const body of bad) {
      const res = await oms.send('POST', CONFIG, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.json).toMatchObject({ error: { code: '400', message: expect.any(String) } });
    }
    expect((await oms.send('POST', CONFIG, retention(345_600))).status).toBe(200);
    expect((await oms.send('POST', CONFIG, retention(1_209_600))).status).toBe(200);
    expect((await oms.send('POST', CONFIG, good)).status).toBe(200);
    expect((await oms.get(CONFIG)).json).toMatchObject(good);
  });

  it('sits behind the AppKey/AppToken check', async () => {
    const { sandbox } = await running({ ...FAST });
    const anonymous = omsClient(sandbox, 'none');
    cleanups.push(() => anonymous.close());
    expect((await anonymous.send('POST', CONFIG, {})).status).toBe(401);
    expect((await anonymous.get(`${FEED}?maxlot=1`)).status).toBe(401);
    expect((await anonymous.get(CONFIG, { 'X-VTEX-API-AppKey': sandbox.appKey, 'X-VTEX-API-AppToken': 'wrong' })).status).toBe(403);
    expect(sandbox.stats().feedRequests).toBe(0);
  });
});

describe('feed events', () => {
  it('holds the steps published after the feed was configured, and none before', async () => {
    const seed = 11;
    const history = { orders: 80, days: 5, endAt: END_AT };
    const { sandbox, oms } = await running({ ...FAST, seed, history, publishIntervalMs: 1, duplicateRate: 0 });
    const hook = await receiver();
    sandbox.pause();
    expect((await oms.send('POST', '/api/orders/hook/config', hookConfigBody(hook.url, ALL_STATUSES))).status).toBe(200);
    sandbox.resume();
    await until('some orders published', () => sandbox.publishedOrders().length >= 25);
    sandbox.pause();
    const before = new Map(sandbox.publishedOrders().map((o) => [o.orderId, o.status]));
    const plannedBefore = sandbox.stats().notificationsPlanned;
    expect((await oms.send('POST', CONFIG, {})).status).toBe(200);
    expect((await oms.get(CONFIG)).json).toMatchObject({ quantity: 0, approximateAgeOfOldestMessageInSeconds: 0 });
    sandbox.resume();
    await sandbox.whenAllDelivered(20_000);

    const orders = generated(seed, history);
    // Statuses are unique within a timeline, so the published status names the published step.
    const publishedStep = (g: GeneratedOrder): number => {
      const status = before.get(g.order.orderId);
      return status === undefined ? -1 : g.timeline.steps.findIndex((s) => s.status === status);
    };
    const expected = changes(orders, (g) => publishedStep(g) + 1);
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(changes(orders).length);
    const stats = sandbox.stats();
    expect(stats.feedEventsQueued).toBe(expected.length);
    expect(stats.feedEventsQueued).toBe(stats.notificationsPlanned - plannedBefore);
    expect(sandbox.feedDepth()).toBe(expected.length);

    const items = await drain(oms);
    expect(items.map(eventOf).sort((a, b) => key(a).localeCompare(key(b)))).toEqual([...expected].sort((a, b) => key(a).localeCompare(key(b))));
    expect(new Set(items.map((i) => i.eventId)).size).toBe(items.length);
    expect(sandbox.feedDepth()).toBe(0);
    expect(sandbox.stats().feedEventsCommitted).toBe(expected.length);
  });

  it('follows its own filter: FromWorkflow takes the listed statuses only', async () => {
    const seed = 12;
    const { sandbox, oms } = await running({ ...FAST, seed });
    expect((await oms.send('POST', CONFIG, { filter: { type: 'FromWorkflow', status: ['invoiced', 'canceled'] } })).status).toBe(200);
    await sandbox.whenAllDelivered(20_000);
    const expected = changes(generated(seed, HISTORY)).filter((e) => e.state === 'invoiced' || e.state === 'canceled');
    expect(expected.length).toBeGreaterThan(0);
    expect(sortedKeys(await drain(oms))).toEqual(sortedKeys(expected));
  });

  it('keeps every status change the hook would have carried when dropHookRate loses most of them', async () => {
    const validators = loadOrdersFeedValidators();
    const seed = 13;
    const { sandbox, oms } = await running({ ...FAST, seed, dropHookRate: 0.6, duplicateRate: 0 });
    const hook = await receiver();
    sandbox.pause();
    expect((await oms.send('POST', CONFIG, {})).status).toBe(200);
    expect((await oms.send('POST', '/api/orders/hook/config', hookConfigBody(hook.url, ALL_STATUSES))).status).toBe(200);
    sandbox.resume();
    await sandbox.whenAllDelivered(20_000);

    const stats = sandbox.stats();
    const all = changes(generated(seed, HISTORY));
    expect(stats.notificationsDropped).toBeGreaterThan(all.length * 0.4);
    expect(stats.feedEventsQueued).toBe(all.length);
    expect(stats.feedEventsQueued).toBe(stats.notificationsPlanned + stats.notificationsDropped);

    const items = await drain(oms);
    expect(items.length).toBeGreaterThan(0);
    expect(validators.readItems(items), describeErrors(validators.readItems.errors)).toBe(true);
    expect(sortedKeys(items)).toEqual(sortedKeys(all));
    // What the hook did carry is in the feed field for field, and so is every step of the orders it lost.
    const byKey = new Map(items.map((i) => [key(i), eventOf(i)]));
    const delivered = hook.requests.filter((r) => !r.body.includes('hookConfig')).map((r) => fromHook(JSON.parse(r.body) as HookNotification));
    expect(delivered.length).toBe(stats.notificationsPlanned);
    for (const event of delivered) expect(byKey.get(key(event))).toEqual(event);
    const lost = new Set(sandbox.ordersWithDroppedHooks());
    const lostSteps = all.filter((e) => lost.has(e.orderId));
    expect(lostSteps.length).toBeGreaterThan(0);
    for (const event of lostSteps) expect(byKey.get(key(event))).toEqual(event);
  });
});

describe('reading and committing', () => {
  it('serves 1..10 items per read, one without maxlot, and 400 outside', async () => {
    const validators = loadOrdersFeedValidators();
    const { sandbox, oms } = await running({ ...FAST, seed: 14 });
    expect((await oms.send('POST', CONFIG, {})).status).toBe(200);
    await sandbox.whenAllDelivered(20_000);
    for (const maxlot of ['0', '11', '-1', '1.5', 'ten', '100', '1e1']) {
      const res = await oms.get(`${FEED}?maxlot=${maxlot}`);
      expect(res.status, maxlot).toBe(400);
      expect(res.json).toMatchObject({ error: { code: '400', message: expect.stringContaining('maxlot') } });
    }
    const one = await oms.get(FEED);
    expect(one.status).toBe(200);
    expect(one.json as FeedItem[]).toHaveLength(1);
    for (const lot of [1, 3, 10]) {
      const items = await read(oms, lot);
      expect(items).toHaveLength(lot);
      expect(validators.readItems(items), describeErrors(validators.readItems.errors)).toBe(true);
    }
    const seen = [...(one.json as FeedItem[]), ...(await read(oms, 10))];
    expect(new Set(seen.map((i) => i.handle)).size).toBe(seen.length);
    expect((await oms.send('DELETE', FEED)).status).toBe(405);
  });

  it('hides read items for the visibility timeout; uncommitted ones come back first, under new handles', async () => {
    let now = T0;
    const { sandbox, oms } = await running({ ...FAST, seed: 15, feedClock: () => now });
    expect((await oms.send('POST', CONFIG, {})).status).toBe(200);
    await sandbox.whenAllDelivered(20_000);
    const total = sandbox.feedDepth();
    expect(total).toBeGreaterThan(20);

    const a = await read(oms, 3);
    const b = await read(oms, 3);
    expect(new Set([...a, ...b].map((i) => i.eventId)).size).toBe(6);
    now += 249_999;
    const c = await read(oms, 10);
    expect(c.filter((i) => [...a, ...b].some((x) => x.eventId === i.eventId))).toEqual([]);
    expect(sandbox.feedDepth()).toBe(total);

    now += 1; // 250 s after the reads of a and b (VTEX's default); c is still hidden
    const again = await read(oms, 6);
    expect(again.map((i) => i.eventId)).toEqual([...a, ...b].map((i) => i.eventId));
    for (const [i, item] of again.entries()) expect(item.handle).not.toBe([...a, ...b][i]?.handle);
    expect(again.map(eventOf)).toEqual([...a, ...b].map(eventOf));

    // Stale and unknown handles are ignored, with a 200; the latest ones delete.
    await commit(oms, [...a, ...b].map((i) => i.handle).concat('not-a-handle'));
    expect(sandbox.feedDepth()).toBe(total);
    expect(sandbox.stats().feedEventsCommitted).toBe(0);
    await commit(oms, again.map((i) => i.handle));
    await commit(oms, again.map((i) => i.handle));
    expect(sandbox.feedDepth()).toBe(total - 6);
    expect(sandbox.stats().feedEventsCommitted).toBe(6);
    expect((await oms.get(CONFIG)).json).toMatchObject({ quantity: total - 6, approximateAgeOfOldestMessageInSeconds: 250 });

    // A handle stays good until its item is read again, even once the timeout has passed.
    now += 250_000;
    await commit(oms, c.slice(0, 4).map((i) => i.handle));
    expect(sandbox.feedDepth()).toBe(total - 10);
    const rest = await drain(oms);
    expect(rest).toHaveLength(total - 10);
    expect(rest.slice(0, c.length - 4).map((i) => i.eventId)).toEqual(c.slice(4).map((i) => i.eventId));
    expect(rest.some((i) => [...again, ...c.slice(0, 4)].some((x) => x.eventId === i.eventId))).toBe(false);
    expect(sandbox.feedDepth()).toBe(0);
    expect(sandbox.stats().feedEventsCommitted).toBe(total);
  });

  it('forgets items older than the retention period, read or not', async () => {
    let now = T0;
    const { sandbox, oms } = await running({ ...FAST, seed: 16, feedClock: () => now });
    expect((await oms.send('POST', CONFIG, { queue: { visibilityTimeoutInSeconds: 10, MessageRetentionPeriodInSeconds: 345_600 } })).status).toBe(200);
    await sandbox.whenAllDelivered(20_000);
    const total = sandbox.feedDepth();
    const held = await read(oms, 5);
    now += 345_599_000;
    expect(sandbox.feedDepth()).toBe(total);
    expect((await oms.get(CONFIG)).json).toMatchObject({ quantity: total, approximateAgeOfOldestMessageInSeconds: 345_599 });
    now += 1_000;
    expect(sandbox.feedDepth()).toBe(0);
    expect(await read(oms)).toEqual([]);
    await commit(oms, held.map((i) => i.handle));
    expect(sandbox.stats().feedEventsCommitted).toBe(0);
    expect((await oms.get(CONFIG)).json).toMatchObject({ quantity: 0, approximateAgeOfOldestMessageInSeconds: 0 });
  });

  it('answers 400 to a malformed commit and 200 to an empty one', async () => {
    const validators = loadOrdersFeedValidators();
    const { sandbox, oms } = await running({ ...FAST, seed: 17 });
    expect((await oms.send('POST', CONFIG, {})).status).toBe(200);
    await sandbox.whenAllDelivered(20_000);
    const depth = sandbox.feedDepth();
    const items = await read(oms, 2);
    for (const body of [{}, { handles: items[0]?.handle }, { handles: [1] }, [items[0]?.handle], null, 'handles']) {
      const res = await oms.send('POST', FEED, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.json).toMatchObject({ error: { code: '400' } });
    }
    expect((await oms.send('POST', FEED, undefined)).status).toBe(400);
    expect(sandbox.feedDepth()).toBe(depth);
    const empty = { handles: [] };
    expect(validators.commitRequest(empty)).toBe(true);
    expect(await oms.send('POST', FEED, empty)).toEqual({ status: 200, json: undefined });
    const good = { handles: items.map((i) => i.handle) };
    expect(validators.commitRequest(good), describeErrors(validators.commitRequest.errors)).toBe(true);
    await commit(oms, good.handles);
    expect(sandbox.feedDepth()).toBe(depth - 2);
  });
});

describe('feed faults and lifecycle', () => {
  it('throttles and fails reads and commits, never the configuration, and a faulted request changes nothing', async () => {
    const { sandbox, oms } = await running({ ...FAST, seed: 18, faults: { failureRate: 0.25, throttleRate: 0.25, retryAfterSeconds: 3 } });
    for (let i = 0; i < 10; i++) expect((await oms.send('POST', CONFIG, {})).status).toBe(200);
    for (let i = 0; i < 10; i++) expect((await oms.get(CONFIG)).status).toBe(200);
    expect(sandbox.stats().faultsInjected).toBe(0);
    await sandbox.whenAllDelivered(20_000);
    const total = sandbox.feedDepth();

    const statuses = new Map<number, number>();
    const tally = (status: number): number => (statuses.set(status, (statuses.get(status) ?? 0) + 1), status);
    const seen: FeedItem[] = [];
    for (let guard = 0; guard < 10_000; guard++) {
      const res = await oms.get(`${FEED}?maxlot=10`);
      if (tally(res.status) !== 200) {
        expect(res.json).toMatchObject({ error: { code: String(res.status), message: expect.any(String) } });
        if (res.status === 429) expect(res.headers['retry-after']).toBe('3');
        continue;
      }
      const items = res.json as FeedItem[];
      if (items.length === 0) break;
      seen.push(...items);
      // A faulted commit leaves the items in the feed; commit until it takes.
      for (;;) {
        const sent = await oms.send('POST', FEED, { handles: items.map((i) => i.handle) });
        if (tally(sent.status) === 200) break;
        expect([429, 500, 502, 503]).toContain(sent.status);
      }
    }
    // No faulted read hid an item: the feed emptied without waiting for a visibility timeout.
    expect(seen).toHaveLength(total);
    expect(new Set(seen.map((i) => i.eventId)).size).toBe(total);
    expect(sandbox.feedDepth()).toBe(0);
    expect(statuses.get(429) ?? 0).toBeGreaterThan(0);
    expect([500, 502, 503].reduce((n, s) => n + (statuses.get(s) ?? 0), 0)).toBeGreaterThan(0);
    const stats = sandbox.stats();
    expect(stats.faultsInjected).toBe([...statuses].filter(([s]) => s !== 200).reduce((n, [, c]) => n + c, 0));
    expect(stats.feedRequests).toBe(20 + [...statuses.values()].reduce((n, c) => n + c, 0));
  });

  it('draws feed faults from their own stream: feed traffic leaves Get order faults as they were', async () => {
    const options: VtexSandboxOptions = { ...FAST, seed: 19, faults: { failureRate: 0.3, throttleRate: 0.2 } };
    const getOrders = async (sandbox: VtexSandbox, oms: OmsTestClient): Promise<number[]> => {
      const out: number[] = [];
      for (const order of sandbox.publishedOrders().slice(0, 30)) out.push((await oms.get(`/api/oms/pvt/orders/${order.orderId}`)).status);
      return out;
    };
    const quiet = await running(options);
    expect((await quiet.oms.send('POST', CONFIG, {})).status).toBe(200);
    await quiet.sandbox.whenAllDelivered(20_000);
    const busy = await running(options);
    expect((await busy.oms.send('POST', CONFIG, {})).status).toBe(200);
    await busy.sandbox.whenAllDelivered(20_000);
    for (let i = 0; i < 25; i++) await busy.oms.get(`${FEED}?maxlot=2`);
    expect(busy.sandbox.stats().faultsInjected).toBeGreaterThan(0);
    expect(await getOrders(busy.sandbox, busy.oms)).toEqual(await getOrders(quiet.sandbox, quiet.oms));
  });

  it('close() leaves nothing running with items hidden and a read parked in injected latency', async () => {
    await new Promise((resolve) => setTimeout(resolve, 50));
    const baseline = liveHandles();
    const sandbox = createVtexSandbox({ ...FAST, seed: 20, faults: { latencyMs: 5_000 } });
    await sandbox.start();
    const oms = omsClient(sandbox);
    expect((await oms.send('POST', CONFIG, {})).status).toBe(200);
    await sandbox.whenAllDelivered(20_000);
    const slow = oms.get(`${FEED}?maxlot=5`).catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 20));
    await sandbox.close();
    await slow;
    await oms.close();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const after = liveHandles();
    for (const type of ['TCPServerWrap', 'TCPSocketWrap', 'Timeout', 'Immediate']) {
      expect(after[type] ?? 0, `${type}: ${JSON.stringify({ baseline, after })}`).toBeLessThanOrEqual(baseline[type] ?? 0);
    }
  });
});
