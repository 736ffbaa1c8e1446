import { generateOrders } from '../src/sandbox/vtex/index.js';

/** How fast the sandbox makes realistic orders: it bounds how fast anyone can try Farol at scale. */
export function benchOrderGeneration(orders = 100_000): { orders: number; ordersPerSecond: number } {
  const from = new Date('2025-11-01T00:00:00Z');
  const to = new Date('2026-11-01T00:00:00Z');
  for (const _ of generateOrders({ seed: 3, count: 5_000, from, to })); // JIT warm-up
  const t0 = performance.now();
  let n = 0;
  for (const _ of generateOrders({ seed: 3, count: orders, from, to, startIndex: 5_000 })) n++;
  return { orders: n, ordersPerSecond: n / ((performance.now() - t0) / 1000) };
}
