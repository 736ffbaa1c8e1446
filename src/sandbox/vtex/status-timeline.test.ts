import { describe, expect, it } from 'vitest';
import { OrderFactory } from './order-generator.js';
import { Rng } from './random.js';
import { SANDBOX_STATUSES, orderAtStep, planTimeline, type PaymentKind, type SandboxStatus } from './status-timeline.js';
import { MS_PER_DAY } from './vtex-time.js';

/** Transitions the sandbox's workflow may take. */
const NEXT: Readonly<Record<SandboxStatus, readonly SandboxStatus[]>> = {
  'order-created': ['payment-pending'],
  'payment-pending': ['payment-approved', 'canceled'],
  'payment-approved': ['ready-for-handling', 'request-cancel'],
  'ready-for-handling': ['handling', 'request-cancel'],
  handling: ['invoiced', 'request-cancel'],
  invoiced: [],
  'request-cancel': ['canceled'],
  canceled: [],
};
const T0 = Date.parse('2025-05-01T12:00:00Z');

describe('planTimeline', () => {
  it('walks only documented transitions with strictly increasing timestamps', () => {
    const kinds: PaymentKind[] = ['creditCard', 'pix', 'boleto', 'promissory'];
    const finals = new Set<string>();
    for (let i = 0; i < 4_000; i++) {
      const rng = Rng.derive(1, i);
      const { steps, cancellation } = planTimeline(rng, { createdAt: T0, payment: kinds[i % 4]!, endAt: T0 + 30 * MS_PER_DAY, live: false });
      expect(steps[0]?.status).toBe('order-created');
      for (let k = 1; k < steps.length; k++) {
        expect(NEXT[steps[k - 1]!.status]).toContain(steps[k]!.status);
        const prev = steps[k - 1]!.at;
        const cur = steps[k]!.at;
        expect(cur.ms > prev.ms || (cur.ms === prev.ms && cur.sub > prev.sub)).toBe(true);
      }
      const last = steps.at(-1)!.status;
      finals.add(last);
      expect(cancellation !== null).toBe(last === 'canceled');
    }
    for (const status of ['invoiced', 'handling', 'canceled', 'payment-pending']) expect(finals).toContain(status);
  });

  it('takes some approved orders to request-cancel then canceled, and some pending orders straight to canceled', () => {
    let late = 0;
    let early = 0;
    for (let i = 0; i < 3_000; i++) {
      const { steps } = planTimeline(Rng.derive(2, i), { createdAt: T0, payment: 'boleto', endAt: T0 + 30 * MS_PER_DAY, live: false });
      const statuses = steps.map((s) => s.status);
      if (statuses.includes('request-cancel')) late++;
      if (statuses.at(-1) === 'canceled' && statuses.at(-2) === 'payment-pending') early++;
    }
    expect(late).toBeGreaterThan(10);
    expect(early).toBeGreaterThan(300);
  });

  it('leaves out steps after endAt but always keeps the creation', () => {
    const { steps } = planTimeline(new Rng(3), { createdAt: T0, payment: 'boleto', endAt: T0, live: false });
    expect(steps.map((s) => s.status)).toEqual(['order-created']);
  });

  it('moves live orders in seconds', () => {
    const { steps } = planTimeline(new Rng(4), { createdAt: T0, payment: 'boleto', endAt: Number.POSITIVE_INFINITY, live: true });
    expect(steps.at(-1)!.at.ms - T0).toBeLessThan(20_000);
  });
});

describe('orderAtStep', () => {
  it('derives each intermediate state from the final order', () => {
    const factory = new OrderFactory({ seed: 8 });
    let checked = 0;
    for (let i = 0; i < 300; i++) {
      const { order, timeline } = factory.historical(i, T0 - 20 * MS_PER_DAY, T0);
      const statuses = timeline.steps.map((s) => s.status);
      expect(orderAtStep(order, timeline, statuses.length - 1)).toBe(order);
      statuses.forEach((status, k) => {
        const state = orderAtStep(order, timeline, k);
        expect(state.status).toBe(status);
        expect(state.orderId).toBe(order.orderId);
        expect(state.value).toBe(order.value);
        expect(state.creationDate).toBe(order.creationDate);
        expect(state.lastChange <= order.lastChange).toBe(true);
        const approved = statuses.indexOf('payment-approved');
        expect(state.authorizedDate !== null).toBe(approved !== -1 && approved <= k);
        expect(state.invoicedDate !== null).toBe(status === 'invoiced');
        expect(state.packageAttachment.packages.length > 0).toBe(status === 'invoiced');
        expect(state.cancellationData !== null).toBe(status === 'canceled');
        expect(state.allowCancellation).toBe(status !== 'invoiced' && status !== 'canceled');
        checked++;
      });
    }
    expect(checked).toBeGreaterThan(1_000);
    expect(SANDBOX_STATUSES).toContain('request-cancel');
  });
});
