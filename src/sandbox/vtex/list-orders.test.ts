import { describe, expect, it } from 'vitest';
import { listOrders, type ListOrdersBody } from './list-orders.js';
import { OrderFactory } from './order-generator.js';
import { OrderStore } from './order-store.js';
import { MS_PER_DAY } from './vtex-time.js';

const TO = Date.parse('2025-06-01T00:00:00Z');
const store = new OrderStore();
const factory = new OrderFactory({ seed: 31 });
for (let i = 0; i < 400; i++) {
  const entry = store.add(factory.historical(i, TO - 30 * MS_PER_DAY, TO));
  // Half fully published, a quarter part-way, a quarter not yet visible.
  const last = entry.generated.timeline.steps.length - 1;
  entry.published = i % 4 === 3 ? -1 : i % 4 === 2 ? Math.min(1, last) : last;
}

function ok(query: string): ListOrdersBody {
  const result = listOrders(store.all(), new URLSearchParams(query));
  if (!result.ok) throw new Error(result.message);
  return result.body;
}

describe('listOrders', () => {
  it('lists only published orders, 15 per page by default, newest first', () => {
    const body = ok('');
    expect(body.paging).toEqual({ total: 300, pages: 20, currentPage: 1, perPage: 15 });
    expect(body.list).toHaveLength(15);
    const dates = body.list.map((r) => r.creationDate);
    expect(dates).toEqual([...dates].sort().reverse());
    expect(body.facets).toEqual([]);
  });

  it('reports the current status of part-published orders', () => {
    const partial = store.all().filter((e, i) => i % 4 === 2 && e.generated.timeline.steps.length > 2);
    const row = ok(`q=${partial[0]?.generated.order.orderId}`).list[0];
    expect(row?.status).toBe('payment-pending');
    expect(row?.authorizedDate).toBeNull();
  });

  it('enforces the 30-page and 100-per-page ceilings', () => {
    expect(listOrders(store.all(), new URLSearchParams('page=31')).ok).toBe(false);
    expect(listOrders(store.all(), new URLSearchParams('per_page=101')).ok).toBe(false);
    expect(listOrders(store.all(), new URLSearchParams('per_page=0')).ok).toBe(false);
    expect(listOrders(store.all(), new URLSearchParams('orderBy=price,asc')).ok).toBe(false);
    expect(listOrders(store.all(), new URLSearchParams('f_creationDate=authorizedDate:[* TO *]')).ok).toBe(false);
    expect(ok('per_page=100&page=3').list).toHaveLength(100);
    expect(ok('per_page=100&page=4').list).toHaveLength(0);
  });

  it('filters by creation date range (inclusive), status and affiliate', () => {
    const from = '2025-05-10T00:00:00.000Z';
    const to = '2025-05-20T23:59:59.999Z';
    const body = ok(`per_page=100&f_creationDate=creationDate:[${from} TO ${to}]&f_status=invoiced,canceled`);
    expect(body.paging.total).toBeGreaterThan(0);
    for (const row of body.list) {
      expect(Date.parse(row.creationDate)).toBeGreaterThanOrEqual(Date.parse(from));
      expect(Date.parse(row.creationDate)).toBeLessThanOrEqual(Date.parse(to));
      expect(['invoiced', 'canceled']).toContain(row.status);
    }
    for (const row of ok('per_page=100&f_affiliateId=MLB').list) expect(row.affiliateId).toBe('MLB');
  });

  it('sorts by totalValue and computes stats with origin facets', () => {
    const body = ok('per_page=100&orderBy=totalValue,desc');
    const values = body.list.map((r) => r.totalValue);
    expect(values).toEqual([...values].sort((a, b) => b - a));
    const { totalValue, totalItems } = body.stats.stats;
    expect(totalValue.Count).toBe(300);
    expect(totalValue.Facets.origin.Fulfillment.Count + totalValue.Facets.origin.Marketplace.Count).toBe(300);
    expect(totalValue.Facets.currencyCode.BRL.Sum).toBe(totalValue.Sum);
    expect(totalValue.Max).toBe(values[0]);
    expect(totalItems.Sum).toBeGreaterThanOrEqual(300);
    expect(Number.isInteger(totalValue.Sum)).toBe(true);
  });
});
