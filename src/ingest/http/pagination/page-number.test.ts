import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { pageNumber, VTEX_OMS_MAX_PAGES } from './page-number.js';

const ctx = { baseUrl: 'https://loja.vtexcommercestable.com.br' };
const response = <T>(data: T) => ({ status: 200, headers: {}, data, attempts: 1 });
const ordersPage = (pages: number, total = pages * 100) => ({
  list: [{ orderId: 'o-1' }],
  paging: { total, pages, currentPage: 1, perPage: 100 },
});

describe('pageNumber', () => {
  const strategy = pageNumber({ item: z.object({ orderId: z.string() }) });

  it('starts at page 1 with per_page, keeping the caller query', () => {
    expect(strategy.first({ path: '/api/oms/pvt/orders', query: { f_status: 'invoiced' } })).toEqual({
      path: '/api/oms/pvt/orders',
      query: { f_status: 'invoiced', page: 1, per_page: 100 },
    });
  });

  it('extracts list items', () => {
    expect(strategy.items(response(ordersPage(1)))).toEqual([{ orderId: 'o-1' }]);
  });

  it('advances until paging.pages', () => {
    const first = strategy.first({ path: '/api/oms/pvt/orders' });
    const next = strategy.next(first, response(ordersPage(3)), [{ orderId: 'o-1' }], ctx);
    expect(next).toEqual({ kind: 'next', request: { path: '/api/oms/pvt/orders', query: { page: 2, per_page: 100 } } });
    const last = { path: '/api/oms/pvt/orders', query: { page: 3, per_page: 100 } };
    expect(strategy.next(last, response(ordersPage(3)), [], ctx)).toEqual({ kind: 'done' });
  });

  it('reports the 30-page cap up front, telling the caller to slice the window', () => {
    const first = strategy.first({ path: '/api/oms/pvt/orders' });
    const next = strategy.next(first, response(ordersPage(VTEX_OMS_MAX_PAGES + 1, 3050)), [], ctx);
    expect(next).toMatchObject({ kind: 'limit-exceeded', limit: 30, needed: 31, unit: 'pages' });
    expect(next.kind === 'limit-exceeded' && next.hint).toMatch(/3050 records match; slice the time window .* at most 3000/);
  });

  it('rejects a per_page VTEX would not honour', () => {
    expect(() => pageNumber({ item: z.unknown(), perPage: 101 })).toThrow(RangeError);
  });

  it('validates the envelope', () => {
    expect(strategy.pageSchema.safeParse({ list: [] }).success).toBe(false);
  });
});
