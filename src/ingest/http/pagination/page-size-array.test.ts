import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { pageSizeArray } from './page-size-array.js';

const ctx = { baseUrl: 'https://loja.vtexcommercestable.com.br' };
const response = (data: number[]) => ({ status: 200, headers: {}, data, attempts: 1 });
const path = '/api/catalog_system/pvt/sku/stockkeepingunitids';

describe('pageSizeArray', () => {
  const strategy = pageSizeArray({ item: z.number().int(), pageSize: 3 });

  it('starts at page 1 with pagesize', () => {
    expect(strategy.first({ path })).toEqual({ path, query: { page: 1, pagesize: 3 } });
    expect(pageSizeArray({ item: z.number() }).first({ path }).query).toEqual({ page: 1, pagesize: 1000 });
  });

  it('reads the bare array and stops on a short page', () => {
    const page = response([1, 2, 3]);
    expect(strategy.items(page)).toEqual([1, 2, 3]);
    expect(strategy.next({ path, query: { page: 1, pagesize: 3 } }, page, [1, 2, 3], ctx)).toEqual({
      kind: 'next',
      request: { path, query: { page: 2, pagesize: 3 } },
    });
    expect(strategy.next({ path, query: { page: 2, pagesize: 3 } }, response([4]), [4], ctx)).toEqual({ kind: 'done' });
  });

  it('takes other parameter names (stockkeepingunitidsbysaleschannel)', () => {
    const bySalesChannel = pageSizeArray({ item: z.number(), pageSize: 2, sizeParam: 'pageSize' });
    expect(bySalesChannel.first({ path, query: { sc: 1 } }).query).toEqual({ sc: 1, page: 1, pageSize: 2 });
  });

  it('rejects pagesize above 1000', () => {
    expect(() => pageSizeArray({ item: z.number(), pageSize: 1001 })).toThrow(RangeError);
  });
});
