import type { Warehouse } from '../../src/warehouse/warehouse.js';
import { insertOrders, openGoldFixture, type GoldFixture, type OrderFixture } from './gold-fixtures.js';
import { Rng } from '../../src/sandbox/vtex/random.js';

/**
 * A seeded year and a half of orders (2024-01-01 to 2025-04-30, UTC) on top of the small gold
 * star, for period-over-period and rolling-window tests: 0–4 orders a day at any hour (so many
 * fall on another local day in São Paulo than in Berlin), about one in six not a sale, and some
 * days without orders (rows only one period has). Deterministic: the same rows on every run.
 */
export const TIME_ORDERS: readonly OrderFixture[] = seededOrders(20250314);

export async function openTimeFixture(): Promise<GoldFixture> {
  const fixture = await openGoldFixture();
  await insertOrders(fixture.warehouse, TIME_ORDERS);
  return fixture;
}

function seededOrders(seed: number): OrderFixture[] {
  const rng = new Rng(seed);
  const random = (): number => rng.next();
  const out: OrderFixture[] = [];
  const first = Date.UTC(2024, 0, 1);
  const last = Date.UTC(2025, 3, 30);
  for (let day = first, n = 0; day <= last; day += 86_400_000) {
    const count = Math.floor(random() * 5);
    for (let k = 0; k < count; k++) {
      const at = new Date(day + Math.floor(random() * 86_400) * 1000).toISOString().replace('.000Z', 'Z');
      const sale = random() >= 1 / 6;
      const cents = 1_000 + Math.floor(random() * 99_000);
      const total = (cents / 100).toFixed(2);
      out.push({
        order_id: `t${++n}`,
        created_at: at,
        status: sale ? 'invoiced' : 'canceled',
        is_sale: sale,
        is_canceled: !sale,
        channel_key: random() < 0.6 ? 'sc:1' : 'mkt:ml',
        store_key: 'centro',
        customer_key: 'c1',
        coupon: null,
        utm_campaign: null,
        items_count: 1,
        items_total: total,
        discounts_total: '0.00',
        shipping_total: '0.00',
        total,
      });
    }
  }
  return out;
}

/** Rows of hand-written SQL; write sums as DOUBLE and buckets as text, BIGINT counts become numbers here. */
export async function referenceRows(warehouse: Warehouse, sql: string, params: readonly (string | number)[] = []): Promise<Record<string, unknown>[]> {
  const rows = await warehouse.query(sql, params);
  return rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v])));
}
