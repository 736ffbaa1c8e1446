import { describe, expect, it } from 'vitest';
import { fromTo } from './from-to.js';

const ctx = { baseUrl: 'https://loja.vtexcommercestable.com.br' };
const response = (data: Record<string, number[]>, total: number) => ({
  status: 200,
  headers: {},
  data: { data, range: { total } },
  attempts: 1,
});

describe('fromTo', () => {
  const path = '/api/catalog_system/pvt/products/GetProductAndSkuIds';

  it('asks for an inclusive 1-based window of 250 by default', () => {
    expect(fromTo().first({ path, query: { categoryId: 7 } })).toEqual({ path, query: { categoryId: 7, _from: 1, _to: 250 } });
  });

  it('turns the data map into product/SKU pairs, empty SKU lists included', () => {
    expect(fromTo().items(response({ '3': [5], '6': [] }, 2))).toEqual([
      { productId: 3, skuIds: [5] },
      { productId: 6, skuIds: [] },
    ]);
  });

  it('moves the window until range.total', () => {
    const strategy = fromTo({ pageSize: 2 });
    const first = strategy.first({ path });
    const page = response({ '1': [1], '2': [2] }, 5);
    const second = strategy.next(first, page, [], ctx);
    expect(second).toEqual({ kind: 'next', request: { path, query: { _from: 3, _to: 4 } } });
    const third = second.kind === 'next' ? strategy.next(second.request, page, [], ctx) : undefined;
    expect(third).toEqual({ kind: 'next', request: { path, query: { _from: 5, _to: 6 } } });
    expect(strategy.next({ path, query: { _from: 5, _to: 6 } }, page, [], ctx)).toEqual({ kind: 'done' });
    expect(strategy.next({ path, query: { _from: 3, _to: 4 } }, response({}, 4), [], ctx)).toEqual({ kind: 'done' });
  });

  it('supports 0-based accounts', () => {
    const strategy = fromTo({ pageSize: 2, start: 0 });
    expect(strategy.first({ path }).query).toEqual({ _from: 0, _to: 1 });
    expect(strategy.next({ path, query: { _from: 2, _to: 3 } }, response({}, 4), [], ctx)).toEqual({ kind: 'done' });
  });

  it('caps the window at 250', () => {
    expect(() => fromTo({ pageSize: 251 })).toThrow(RangeError);
  });
});
