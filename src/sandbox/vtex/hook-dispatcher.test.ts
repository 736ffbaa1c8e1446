import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { HookDispatcher, type HookNotification } from './hook-dispatcher.js';
import type { HookTarget } from './hook-transport.js';
import { Rng } from './random.js';

const TARGET: HookTarget = { url: 'http://127.0.0.1:1/hook', headers: {} };

function notification(orderId: string, step: number): HookNotification {
  const at = `2025-03-14T13:00:0${step}.0000000Z`;
  return { Domain: 'Marketplace', OrderId: orderId, State: `s${step}`, LastState: step === 0 ? '' : `s${step - 1}`, LastChange: at, CurrentChange: at, Origin: { Account: 'a', Key: 'k' } };
}

function harness(options: { duplicateRate: number; reorderWindow: number; dropRate?: number; fail?: (body: string, attempt: number) => boolean; target?: () => HookTarget | null }) {
  const received: HookNotification[] = [];
  const attempts = new Map<string, number>();
  const dispatcher = new HookDispatcher({
    rng: new Rng(1),
    jitterRng: new Rng(2),
    duplicateRate: options.duplicateRate,
    dropRate: options.dropRate ?? 0,
    dropRng: new Rng(3),
    reorderWindow: options.reorderWindow,
    concurrency: 4,
    retry: { baseDelayMs: 1, maxDelayMs: 4 },
    target: options.target ?? (() => TARGET),
    post: async (_target, body) => {
      const n = (attempts.get(body) ?? 0) + 1;
      attempts.set(body, n);
      await Promise.resolve();
      if (options.fail?.(body, n)) return 500;
      received.push(JSON.parse(body) as HookNotification);
      return 200;
    },
    logger: pino({ level: 'silent' }),
    onProgress: () => undefined,
  });
  return { dispatcher, received, attempts };
}

async function settle(dispatcher: HookDispatcher): Promise<void> {
  dispatcher.flush();
  for (let i = 0; i < 500 && !dispatcher.isSettled(); i++) await new Promise((resolve) => setTimeout(resolve, 2));
  expect(dispatcher.isSettled()).toBe(true);
}

function planOrders(dispatcher: HookDispatcher, orders: number, steps: number): void {
  for (let step = 0; step < steps; step++) for (let o = 0; o < orders; o++) dispatcher.plan(notification(`o${o}`, step), step);
}

describe('HookDispatcher', () => {
  it('delivers everything once, in order, with no duplicates and a window of 1', async () => {
    const { dispatcher, received } = harness({ duplicateRate: 0, reorderWindow: 1 });
    for (let o = 0; o < 10; o++) for (let step = 0; step < 5; step++) dispatcher.plan(notification(`o${o}`, step), step);
    await settle(dispatcher);
    expect(received).toHaveLength(50);
    expect(dispatcher.stats()).toEqual({ notificationsDropped: 0, notificationsPlanned: 50, notificationsAcknowledged: 50, pendingDeliveries: 0, duplicatesSent: 0, outOfOrderSent: 0 });
  });

  it('duplicates and reorders at the configured rate and still acknowledges every notification', async () => {
    const { dispatcher, received } = harness({ duplicateRate: 0.25, reorderWindow: 6 });
    for (let o = 0; o < 200; o++) for (let step = 0; step < 3; step++) dispatcher.plan(notification(`o${o}`, step), step);
    await settle(dispatcher);
    const stats = dispatcher.stats();
    expect(stats.notificationsAcknowledged).toBe(600);
    expect(stats.duplicatesSent / 600).toBeGreaterThan(0.18);
    expect(stats.duplicatesSent / 600).toBeLessThan(0.32);
    expect(received).toHaveLength(600 + stats.duplicatesSent);
    expect(stats.outOfOrderSent).toBeGreaterThan(20);
  });

  it('drops the configured share on purpose: never sent, named by order, and the rest still settles', async () => {
    const { dispatcher, received } = harness({ duplicateRate: 0, reorderWindow: 1, dropRate: 0.3 });
    planOrders(dispatcher, 200, 3);
    await settle(dispatcher);
    const stats = dispatcher.stats();
    expect(stats.notificationsDropped / 600).toBeGreaterThan(0.22);
    expect(stats.notificationsDropped / 600).toBeLessThan(0.38);
    expect(stats.notificationsPlanned + stats.notificationsDropped).toBe(600);
    expect(received).toHaveLength(stats.notificationsPlanned);
    const sentPerOrder = new Map<string, number>();
    for (const n of received) sentPerOrder.set(n.OrderId, (sentPerOrder.get(n.OrderId) ?? 0) + 1);
    const dropped = new Set(dispatcher.ordersWithDroppedHooks());
    for (let o = 0; o < 200; o++) expect(dropped.has(`o${o}`)).toBe((sentPerOrder.get(`o${o}`) ?? 0) < 3);
  });

  it('retries failures with backoff until they succeed', async () => {
    const { dispatcher, received, attempts } = harness({ duplicateRate: 0, reorderWindow: 1, fail: (body, n) => body.includes('"o3"') && n <= 4 });
    planOrders(dispatcher, 5, 2);
    await settle(dispatcher);
    expect(received).toHaveLength(10);
    expect([...attempts.entries()].filter(([body]) => body.includes('"o3"')).every(([, n]) => n === 5)).toBe(true);
  });

  it('parks deliveries while no hook is configured and sends them after wake()', async () => {
    let target: HookTarget | null = null;
    const { dispatcher, received } = harness({ duplicateRate: 0, reorderWindow: 1, target: () => target });
    planOrders(dispatcher, 3, 1);
    dispatcher.flush();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(received).toHaveLength(0);
    expect(dispatcher.stats().pendingDeliveries).toBe(3);
    target = TARGET;
    dispatcher.wake();
    await settle(dispatcher);
    expect(received).toHaveLength(3);
  });

  it('holds new deliveries while paused', async () => {
    const { dispatcher, received } = harness({ duplicateRate: 0, reorderWindow: 1 });
    dispatcher.pause();
    planOrders(dispatcher, 4, 1);
    dispatcher.flush();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(received).toHaveLength(0);
    dispatcher.resume();
    await settle(dispatcher);
    expect(received).toHaveLength(4);
  });
});
