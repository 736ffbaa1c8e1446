import { afterEach, describe, expect, it } from 'vitest';
import {
  SANDBOX_STATUSES,
  createVtexSandbox,
  isValidCnpj,
  isValidCpf,
  type HookNotification,
  type SandboxOrder,
  type VtexSandbox,
  type VtexSandboxOptions,
} from '../../src/sandbox/vtex/index.js';
import { describeErrors, loadOrdersApiValidators } from './openapi-schema.js';
import { hookConfigBody, liveHandles, omsClient, startReceiver, until, type OmsTestClient, type Receiver } from './support.js';

const END_AT = new Date('2025-06-01T12:00:00.000Z');
const ALL_STATUSES = [...SANDBOX_STATUSES];
const FAST: VtexSandboxOptions = {
  history: { orders: 150, days: 10, endAt: END_AT },
  publishIntervalMs: 0,
  retry: { baseDelayMs: 5, maxDelayMs: 40 },
};

/** Everything a test opens, closed after it whatever happens. */
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

async function receiver(respond?: (body: string, n: number) => number): Promise<Receiver> {
  const r = await startReceiver(respond);
  cleanups.push(() => r.close());
  return r;
}

function notifications(r: Receiver, okOnly = false): HookNotification[] {
  return r.requests
    .filter((req) => (!okOnly || req.status === 200) && !req.body.includes('hookConfig'))
    .map((req) => JSON.parse(req.body) as HookNotification);
}


describe('Get order against the official OpenAPI', () => {
  it('validates ~50 orders in varied statuses, fetched over HTTP, plus List orders and hook bodies', async () => {
    const validators = loadOrdersApiValidators();
    const { sandbox, oms } = await running({ ...FAST, seed: 7, history: { orders: 300, days: 20, endAt: END_AT }, duplicateRate: 0 });
    const hook = await receiver();
    // Stop part-way so some orders are caught in intermediate states (order-created, request-cancel, ...).
    expect((await oms.send('POST', '/api/orders/hook/config', hookConfigBody(hook.url, ALL_STATUSES))).status).toBe(200);
    await until('some orders published', () => sandbox.publishedOrders().length >= 100);
    sandbox.pause();
    const finalStatus = new Map(sandbox.orders().map((o) => [o.orderId, o.status]));
    const midway = sandbox.publishedOrders().filter((o) => o.status !== finalStatus.get(o.orderId));
    expect(new Set(midway.map((o) => o.status)).size).toBeGreaterThanOrEqual(2);
    for (const order of midway.slice(0, 20)) {
      const res = await oms.get(`/api/oms/pvt/orders/${order.orderId}`);
      expect(validators.getOrder(res.json), `${order.orderId} (${order.status}):\n${describeErrors(validators.getOrder.errors)}`).toBe(true);
      expect(res.json).toEqual(order);
    }
    sandbox.resume();
    await sandbox.whenAllDelivered(10_000);

    const byStatus = new Map<string, SandboxOrder[]>();
    for (const order of sandbox.orders()) byStatus.set(order.status, [...(byStatus.get(order.status) ?? []), order]);
    const sample = [...byStatus.values()].flatMap((orders) => orders.slice(0, 8));
    const pickup = sandbox.orders().find((o) => o.shippingData.address.addressType === 'pickup');
    const corporate = sandbox.orders().find((o) => o.clientProfileData.isCorporate);
    const marketplace = sandbox.orders().find((o) => o.affiliateId !== '');
    for (const extra of [pickup, corporate, marketplace]) if (extra) sample.push(extra);
    expect(sample.length).toBeGreaterThanOrEqual(30);
    expect(byStatus.size).toBeGreaterThanOrEqual(4);

    for (const order of sample) {
      const res = await oms.get(`/api/oms/pvt/orders/${order.orderId}`);
      expect(res.status).toBe(200);
      const valid = validators.getOrder(res.json);
      expect(valid, `${order.orderId}:\n${describeErrors(validators.getOrder.errors)}`).toBe(true);
      expect(res.json).toEqual(order);
    }
    const bySequence = await oms.get(`/api/oms/pvt/orders/seq${sample[0]?.sequence}`);
    expect((bySequence.json as SandboxOrder).orderId).toBe(sample[0]?.orderId);

    const list = await oms.get('/api/oms/pvt/orders?per_page=100&page=2');
    expect(validators.listOrders(list.json), describeErrors(validators.listOrders.errors)).toBe(true);

    const bodies = notifications(hook);
    expect(bodies.length).toBeGreaterThan(0);
    for (const body of bodies.slice(0, 200)) expect(validators.hookNotification(body), describeErrors(validators.hookNotification.errors)).toBe(true);
  });

  it('fails when a field is missing or mistyped', () => {
    const validators = loadOrdersApiValidators();
    const sandbox = createVtexSandbox({ seed: 3, history: { orders: 1, days: 1, endAt: END_AT } });
    const [order] = sandbox.orders();
    if (order === undefined) throw new Error('no order generated');
    expect(validators.getOrder(order), describeErrors(validators.getOrder.errors)).toBe(true);
    const mutations: Array<(o: Record<string, unknown>) => void> = [
      (o) => delete o.value,
      (o) => (o.value = '35980'),
      (o) => delete o.clientProfileData,
      (o) => ((o.items as Array<Record<string, unknown>>)[0]!.quantity = '1'),
      (o) => delete (o.items as Array<Record<string, unknown>>)[0]!.sellingPrice,
      (o) => ((o.totals as Array<Record<string, unknown>>)[0]!.id = 'Subtotal'),
      (o) => delete (o.shippingData as Record<string, unknown>).address,
    ];
    for (const mutate of mutations) {
      const copy = structuredClone(order) as unknown as Record<string, unknown>;
      mutate(copy);
      expect(validators.getOrder(copy), mutate.toString()).toBe(false);
    }
  });
});

describe('hook configuration', () => {
  it('pings the url with the configured headers and stores the config only after a 200', async () => {
    const { oms } = await running(FAST);
    const ok = await receiver();
    const saved = await oms.send('POST', '/api/orders/hook/config', hookConfigBody(ok.url, ['payment-approved']));
    expect(saved.status).toBe(200);
    expect(ok.requests[0]?.body).toBe('{"hookConfig":"ping"}');
    expect(ok.requests[0]?.headers['x-test-token']).toBe('segredo-123');
    expect((await oms.get('/api/orders/hook/config')).json).toMatchObject({ hook: { url: ok.url }, filter: { type: 'FromWorkflow' } });

    const failing = await receiver(() => 500);
    const refused = await oms.send('POST', '/api/orders/hook/config', hookConfigBody(failing.url, ['invoiced']));
    expect(refused.status).toBe(400);
    expect(refused.json).toMatchObject({ error: { message: expect.stringContaining('200') } });
    expect(failing.requests).toHaveLength(1);
    expect((await oms.get('/api/orders/hook/config')).json).toMatchObject({ hook: { url: ok.url } });

    expect((await oms.send('DELETE', '/api/orders/hook/config')).status).toBe(200);
    expect((await oms.get('/api/orders/hook/config')).status).toBe(404);
  });

  it('answers 400 for missing parts and 409 for mixed filter types', async () => {
    const { oms } = await running(FAST);
    const hook = { url: 'http://127.0.0.1:9/hook', headers: { a: 'b' } };
    const post = async (body: unknown): Promise<number> => (await oms.send('POST', '/api/orders/hook/config', body)).status;
    expect(await post({ hook })).toBe(400);
    expect(await post({ filter: { type: 'FromWorkflow', status: ['invoiced'] } })).toBe(400);
    expect(await post({ filter: { type: 'FromWorkflow', status: ['invoiced'] }, hook: { headers: {} } })).toBe(400);
    expect(await post({ filter: { type: 'FromWorkflow', status: ['invoiced'] }, hook: { url: hook.url } })).toBe(400);
    expect(await post({ filter: { type: 'FromWorkflow', status: [] }, hook })).toBe(400);
    expect(await post({ filter: { type: 'FromWorkflow', status: ['invoiced'], expression: 'status = "x"' }, hook })).toBe(409);
    expect(await post({ filter: { type: 'FromOrders', expression: 'value > 1', disableSingleFire: false, status: ['x'] }, hook })).toBe(409);
  });
});

describe('hook delivery', () => {
  it('delivers every planned notification despite 500s, with duplicates and out-of-order sends', async () => {
    const { sandbox } = await running({ ...FAST, seed: 11, duplicateRate: 0.2, reorderWindow: 5 });
    // Every fourth request fails; the ping (request 0) succeeds.
    const hook = await receiver((_body, n) => (n > 0 && n % 4 === 0 ? 500 : 200));
    const oms = omsClient(sandbox);
    cleanups.push(() => oms.close());
    expect((await oms.send('POST', '/api/orders/hook/config', hookConfigBody(hook.url, ALL_STATUSES))).status).toBe(200);
    await sandbox.whenAllDelivered(10_000);

    const delivered = notifications(hook, true);
    const deliveredKeys = new Set(delivered.map((n) => `${n.OrderId}|${n.State}`));
    // Every step of every order arrived: per order, the acknowledged notifications sorted by time
    // form an unbroken LastState → State chain from order-created to the final status.
    const byOrder = new Map<string, HookNotification[]>();
    for (const n of delivered) byOrder.set(n.OrderId, [...(byOrder.get(n.OrderId) ?? []), n]);
    for (const order of sandbox.orders()) {
      const chain = [...new Map((byOrder.get(order.orderId) ?? []).map((n) => [n.State, n])).values()].sort((x, y) => (x.CurrentChange < y.CurrentChange ? -1 : 1));
      expect(chain[0]?.State, order.orderId).toBe('order-created');
      expect(chain[0]?.LastState).toBe('');
      for (let i = 1; i < chain.length; i++) expect(chain[i]?.LastState, order.orderId).toBe(chain[i - 1]?.State);
      expect(chain.at(-1)?.State, order.orderId).toBe(order.status);
      expect(chain.at(-1)?.CurrentChange.replace('Z', '+00:00')).toBe(order.lastChange);
    }

    const stats = sandbox.stats();
    expect(stats.notificationsAcknowledged).toBe(stats.notificationsPlanned);
    expect(stats.pendingDeliveries).toBe(0);
    expect(deliveredKeys.size).toBe(stats.notificationsPlanned);
    expect(hook.requests.some((r) => r.status === 500)).toBe(true);
    expect(stats.duplicatesSent / stats.notificationsPlanned).toBeGreaterThan(0.12);
    expect(stats.duplicatesSent / stats.notificationsPlanned).toBeLessThan(0.28);
    expect(stats.outOfOrderSent).toBeGreaterThan(0);

    // The receiver itself saw a later state of an order before an earlier one.
    const rank = new Map<string, number>();
    let inversions = 0;
    for (const n of notifications(hook)) {
      const order = Date.parse(n.CurrentChange);
      const seen = rank.get(n.OrderId);
      if (seen !== undefined && seen > order) inversions++;
      rank.set(n.OrderId, Math.max(seen ?? order, order));
    }
    expect(inversions).toBeGreaterThan(0);

    const sample = delivered[0];
    expect(Object.keys(sample ?? {})).toEqual(['Domain', 'OrderId', 'State', 'LastState', 'LastChange', 'CurrentChange', 'Origin']);
    expect(sample?.Origin).toEqual({ Account: sandbox.account, Key: sandbox.appKey });
    expect(hook.requests.every((r) => r.headers['x-test-token'] === 'segredo-123')).toBe(true);
  });

  it('notifies only the filtered statuses, in order, once, when shuffling and duplicates are off', async () => {
    const { sandbox, oms } = await running({ ...FAST, seed: 5, duplicateRate: 0, reorderWindow: 1, deliveryConcurrency: 1 });
    const hook = await receiver();
    const wanted = ['payment-approved', 'invoiced', 'canceled'];
    await oms.send('POST', '/api/orders/hook/config', hookConfigBody(hook.url, wanted));
    await sandbox.whenAllDelivered(10_000);
    const got = notifications(hook);
    expect(new Set(got.map((n) => n.State))).toEqual(new Set(wanted));
    expect(new Set(got.map((n) => `${n.OrderId}|${n.State}`)).size).toBe(got.length);
    const last = new Map<string, string>();
    for (const n of got) {
      const prev = last.get(n.OrderId);
      if (prev !== undefined) expect(n.CurrentChange > prev, n.OrderId).toBe(true);
      last.set(n.OrderId, n.CurrentChange);
    }
    expect(sandbox.stats()).toMatchObject({ duplicatesSent: 0, outOfOrderSent: 0 });
  });

  it('keeps retrying while the receiver is down and delivers after it comes back elsewhere', async () => {
    const { sandbox, oms } = await running({ ...FAST, seed: 21, history: { orders: 60, days: 3, endAt: END_AT } });
    const first = await startReceiver();
    await oms.send('POST', '/api/orders/hook/config', hookConfigBody(first.url, ALL_STATUSES));
    sandbox.pause();
    const before = first.requests.length;
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(first.requests.length).toBeLessThanOrEqual(before + 8); // only what was already in flight
    await first.close();
    sandbox.resume();
    await until('deliveries failing against the closed receiver', () => sandbox.stats().pendingDeliveries > 0, 2_000);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(sandbox.stats().notificationsAcknowledged).toBeLessThan(sandbox.stats().notificationsPlanned);

    const second = await receiver();
    expect((await oms.send('POST', '/api/orders/hook/config', hookConfigBody(second.url, ALL_STATUSES))).status).toBe(200);
    await sandbox.whenAllDelivered(10_000);
    const stats = sandbox.stats();
    expect(stats.notificationsAcknowledged).toBe(stats.notificationsPlanned);
    const delivered = new Set([...notifications(first, true), ...notifications(second, true)].map((n) => `${n.OrderId}|${n.State}`));
    for (const order of sandbox.orders()) expect(delivered.has(`${order.orderId}|${order.status}`), order.orderId).toBe(true);
    expect(notifications(second, true).length).toBeGreaterThan(0);
  });

  it('close() leaves no sockets or timers behind, even mid-retry', async () => {
    await new Promise((resolve) => setTimeout(resolve, 50));
    const baseline = liveHandles();
    const sandbox = createVtexSandbox({ ...FAST, retry: { baseDelayMs: 1_000, maxDelayMs: 10_000 }, faults: { latencyMs: 5_000 } });
    await sandbox.start();
    const hook = await startReceiver((_b, n) => (n === 0 ? 200 : 500));
    const oms = omsClient(sandbox);
    await oms.send('POST', '/api/orders/hook/config', hookConfigBody(hook.url, ALL_STATUSES));
    await until('a failed delivery waiting to be retried', () => hook.requests.length > 5);
    const slow = oms.get(`/api/oms/pvt/orders/${sandbox.orders()[0]?.orderId}`).catch(() => undefined); // parked in injected latency
    await new Promise((resolve) => setTimeout(resolve, 20));
    await sandbox.close();
    await slow;
    await oms.close();
    await hook.close();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const after = liveHandles();
    for (const type of ['TCPServerWrap', 'TCPSocketWrap', 'Timeout', 'Immediate']) {
      expect(after[type] ?? 0, `${type}: ${JSON.stringify({ baseline, after })}`).toBeLessThanOrEqual(baseline[type] ?? 0);
    }
    await expect(sandbox.whenAllDelivered(10)).rejects.toThrow(/closed/);
  });
});

describe('Get order faults and auth', () => {
  it('throttles with Retry-After and fails with 5xx at the configured rates', async () => {
    const { sandbox, oms } = await running({ ...FAST, faults: { failureRate: 0.2, throttleRate: 0.15, retryAfterSeconds: 7 } });
    const hook = await receiver();
    await oms.send('POST', '/api/orders/hook/config', hookConfigBody(hook.url, ALL_STATUSES));
    await sandbox.whenAllDelivered(10_000);
    const ids = sandbox.orders().map((o) => o.orderId);
    const statuses: number[] = [];
    for (let i = 0; i < 400; i++) {
      const res = await oms.get(`/api/oms/pvt/orders/${ids[i % ids.length]}`);
      statuses.push(res.status);
      if (res.status === 429) expect(res.headers['retry-after']).toBe('7');
      if (res.status >= 500) expect(res.json).toMatchObject({ error: { code: String(res.status) } });
    }
    const throttled = statuses.filter((s) => s === 429).length;
    const failed = statuses.filter((s) => s >= 500).length;
    expect(throttled / 400).toBeGreaterThan(0.09);
    expect(throttled / 400).toBeLessThan(0.21);
    expect(failed / 400).toBeGreaterThan(0.13);
    expect(failed / 400).toBeLessThan(0.27);
    expect(statuses.filter((s) => s === 200).length + throttled + failed).toBe(400);
    expect(sandbox.stats()).toMatchObject({ faultsInjected: throttled + failed, getOrderRequests: 400 });
  });

  it('adds the configured latency', async () => {
    const { sandbox, oms } = await running({ ...FAST, faults: { latencyMs: 120 } });
    const started = performance.now();
    const res = await oms.get(`/api/oms/pvt/orders/${sandbox.orders()[0]?.orderId}`);
    expect(performance.now() - started).toBeGreaterThanOrEqual(110);
    expect(res.status).toBe(404); // nothing published before a hook exists
  });

  it('requires the AppKey/AppToken pair on every endpoint', async () => {
    const { sandbox } = await running(FAST);
    const anonymous = omsClient(sandbox, 'none');
    cleanups.push(() => anonymous.close());
    for (const path of ['/api/oms/pvt/orders', `/api/oms/pvt/orders/${sandbox.orders()[0]?.orderId}`, '/api/orders/hook/config']) {
      const res = await anonymous.get(path);
      expect(res.status, path).toBe(401);
      expect(res.json).toMatchObject({ error: { code: '1', message: expect.any(String) } });
      const wrong = await anonymous.get(path, { 'X-VTEX-API-AppKey': sandbox.appKey, 'X-VTEX-API-AppToken': 'wrong' });
      expect(wrong.status, path).toBe(403);
    }
  });
});

describe('List orders over HTTP', () => {
  it('pages, filters and enforces the documented limits', async () => {
    const { sandbox, oms } = await running({ ...FAST, seed: 9 });
    expect((await oms.get('/api/oms/pvt/orders')).json).toMatchObject({ paging: { total: 0 } });
    const hook = await receiver();
    await oms.send('POST', '/api/orders/hook/config', hookConfigBody(hook.url, ['invoiced']));
    await sandbox.whenAllDelivered(10_000);

    const first = (await oms.get('/api/oms/pvt/orders')).json as { list: Array<{ orderId: string; totalValue: number; items: null }>; paging: Record<string, number> };
    expect(first.list).toHaveLength(15);
    expect(first.paging).toEqual({ total: 150, pages: 10, currentPage: 1, perPage: 15 });
    expect(first.list[0]?.items).toBeNull();
    expect((await oms.get('/api/oms/pvt/orders?per_page=101')).status).toBe(400);
    expect((await oms.get('/api/oms/pvt/orders?page=31')).status).toBe(400);

    const from = '2025-05-28T00:00:00.000Z';
    const to = '2025-05-30T23:59:59.999Z';
    const ranged = (await oms.get(`/api/oms/pvt/orders?per_page=100&f_creationDate=creationDate:[${from} TO ${to}]&f_status=invoiced&orderBy=totalValue,asc`)).json as {
      list: Array<{ creationDate: string; status: string; totalValue: number }>;
      paging: { total: number };
    };
    const expected = sandbox.orders().filter((o) => o.status === 'invoiced' && o.creationDate >= from.slice(0, 19) && Date.parse(o.creationDate) <= Date.parse(to));
    expect(ranged.paging.total).toBe(expected.length);
    expect(ranged.list.every((row) => row.status === 'invoiced')).toBe(true);
    const values = ranged.list.map((row) => row.totalValue);
    expect(values).toEqual([...values].sort((a, b) => a - b));
  });
});

describe('orders', () => {
  it('are deterministic by seed, add up, and carry valid documents and masked emails', () => {
    const a = createVtexSandbox({ seed: 1234, history: { orders: 400, days: 30, endAt: END_AT } }).orders();
    const b = createVtexSandbox({ seed: 1234, history: { orders: 400, days: 30, endAt: END_AT } }).orders();
    const c = createVtexSandbox({ seed: 4321, history: { orders: 400, days: 30, endAt: END_AT } }).orders();
    expect(a).toEqual(b);
    expect(c.map((o) => o.orderId)).not.toEqual(a.map((o) => o.orderId));

    const customers = new Map<string, number>();
    for (const o of a) {
      const totals = Object.fromEntries(o.totals.map((t) => [t.id, t.value]));
      expect(o.value).toBe((totals.Items ?? 0) + (totals.Discounts ?? 0) + (totals.Shipping ?? 0) + (totals.Tax ?? 0));
      expect(totals.Discounts).toBeLessThanOrEqual(0);
      expect(o.items.reduce((s, i) => s + i.sellingPrice * i.quantity, 0)).toBe((totals.Items ?? 0) + (totals.Discounts ?? 0));
      expect(isValidCpf(o.clientProfileData.document)).toBe(true);
      if (o.clientProfileData.isCorporate) expect(isValidCnpj(o.clientProfileData.corporateDocument ?? '')).toBe(true);
      expect(o.clientProfileData.email).toMatch(/^[0-9a-f]{32}@ct\.vtex\.com\.br$/);
      expect(o.followUpEmail).toMatch(/^[0-9a-f]{32}@ct\.vtex\.com\.br$/);
      expect(o.items.every((i) => i.seller === o.sellers[0]?.id)).toBe(true);
      customers.set(o.clientProfileData.userProfileId, (customers.get(o.clientProfileData.userProfileId) ?? 0) + 1);
    }
    expect([...customers.values()].some((n) => n > 1)).toBe(true);
  });

  it('keeps creating live orders while running', async () => {
    const { sandbox, oms } = await running({ ...FAST, history: { orders: 5, days: 1, endAt: END_AT }, live: { ordersPerMinute: 1_200 } });
    const hook = await receiver();
    await oms.send('POST', '/api/orders/hook/config', hookConfigBody(hook.url, ALL_STATUSES));
    const started = Date.now();
    await until('live orders published', () => sandbox.publishedOrders().length >= 8, 3_000);
    const live = sandbox.orders().slice(5);
    expect(live.length).toBeGreaterThan(0);
    expect(Date.parse(live[0]?.creationDate ?? '')).toBeGreaterThanOrEqual(started - 1_000);
  });
});
