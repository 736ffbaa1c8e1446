import type { OrderFixture } from '../metrics/gold-fixtures.js';

/**
 * Hourly sales for a store with the shapes real retail has: a daily curve (quiet at night, peaks
 * at lunch and in the evening), a weekend dip, and Black Friday (the day after the fourth
 * Thursday of November) with its weekend and Cyber Monday lifted every year, so history expects
 * it. Two channels: the site (70%) and Mercado Livre (30%). One order per
 * channel per hour carries that hour's revenue, with ±8% deterministic noise. Times are São
 * Paulo local (UTC-3 all year since 2019).
 */
export const CHANNELS = ['sc:1', 'mkt:ml'] as const;

/** Revenue per hour of day (local), before the weekday and event factors. */
const HOUR_CURVE = [120, 80, 50, 40, 40, 60, 120, 250, 400, 550, 650, 700, 750, 700, 650, 620, 600, 620, 700, 800, 850, 700, 450, 250];
const WEEKDAY_FACTOR = [0.65, 1, 1, 1, 1.05, 1.1, 0.7]; // Sunday … Saturday: the weekend dip

/** The day after the fourth Thursday of November (29 Nov 2024, 28 Nov 2025: 52 weeks apart). */
function blackFriday(year: number): string {
  const nov1 = new Date(Date.UTC(year, 10, 1));
  const firstThursday = 1 + ((4 - nov1.getUTCDay() + 7) % 7);
  return `${year}-11-${String(firstThursday + 22).padStart(2, '0')}`;
}

function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

/** Event lift per local day: Black Friday ×4, its weekend ×2, Cyber Monday ×2.5. */
export function eventFactor(day: string): number {
  const bf = blackFriday(Number(day.slice(0, 4)));
  if (day === bf) return 4;
  if (day === addDays(bf, 1) || day === addDays(bf, 2)) return 2;
  if (day === addDays(bf, 3)) return 2.5;
  return 1;
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export interface Drop {
  /** Local hour starts (`2025-12-09T14`) whose revenue is multiplied by `factor`. */
  readonly hours: readonly string[];
  readonly factor: number;
  /** Only this channel drops; absent: both. */
  readonly channel?: (typeof CHANNELS)[number];
}

/** Revenue per local hour (`YYYY-MM-DDTHH`) and channel (in `CHANNELS` order), from `fromDay` to `toDay` (exclusive). */
export function hourlyRevenueByChannel(fromDay: string, toDay: string, drop?: Drop): Map<string, number[]> {
  const rand = mulberry32(20251128);
  const out = new Map<string, number[]>();
  for (let day = fromDay; day < toDay; day = addDays(day, 1)) {
    const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
    for (let h = 0; h < 24; h++) {
      const key = `${day}T${String(h).padStart(2, '0')}`;
      out.set(key, CHANNELS.map((channel, c) => {
        const base = (HOUR_CURVE[h] as number) * (WEEKDAY_FACTOR[weekday] as number) * eventFactor(day) * (c === 0 ? 0.7 : 0.3);
        const noisy = base * (0.92 + 0.16 * rand());
        const dropped = drop?.hours.includes(key) && (drop.channel === undefined || drop.channel === channel) ? drop.factor : 1;
        return Math.round(noisy * dropped * 100) / 100;
      }));
    }
  }
  return out;
}

/** Revenue per local hour, both channels summed. */
export function hourlyRevenue(fromDay: string, toDay: string, drop?: Drop): Map<string, number> {
  return new Map([...hourlyRevenueByChannel(fromDay, toDay, drop)].map(([k, v]) => [k, Math.round(v.reduce((a, b) => a + b, 0) * 100) / 100]));
}

/** The same history as orders for gold.fct_orders: one per channel per hour. */
export function historyOrders(fromDay: string, toDay: string, drop?: Drop): OrderFixture[] {
  const orders: OrderFixture[] = [];
  for (const [key, amounts] of hourlyRevenueByChannel(fromDay, toDay, drop)) {
    const utc = new Date(Date.parse(`${key}:30:00-03:00`)).toISOString();
    amounts.forEach((amount, c) => {
      orders.push({
        order_id: `h-${key}-${c}`, created_at: utc, status: 'invoiced', is_sale: true, is_canceled: false, channel_key: CHANNELS[c] as string,
        store_key: null, customer_key: null, coupon: null, utm_campaign: null, items_count: 1, items_total: amount.toFixed(2), discounts_total: '0.00',
        shipping_total: '0.00', total: amount.toFixed(2),
      });
    });
  }
  return orders;
}
