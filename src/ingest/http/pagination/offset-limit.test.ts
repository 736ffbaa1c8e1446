import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { offsetLimit } from './offset-limit.js';

const ctx = { baseUrl: 'https://api.sienge.com.br/acme/public/api/v1' };
const path = '/sales-contracts';
const response = <T>(count: number, results: T[]) => ({
  status: 200,
  headers: {},
  data: { resultSetMetadata: { count }, results },
  attempts: 1,
});

describe('offsetLimit', () => {
  const strategy = offsetLimit({ item: z.object({ id: z.number() }), limit: 2 });

  it('starts at offset 0 with the limit', () => {
    expect(strategy.first({ path, query: { initialIssueDate: '2025-03-01' } })).toEqual({
      path,
      query: { initialIssueDate: '2025-03-01', limit: 2, offset: 0 },
    });
    expect(offsetLimit({ item: z.unknown() }).first({ path }).query).toEqual({ limit: 200, offset: 0 });
  });

  it('advances by the items received until resultSetMetadata.count', () => {
    const page = response(5, [{ id: 1 }, { id: 2 }]);
    expect(strategy.items(page)).toEqual([{ id: 1 }, { id: 2 }]);
    expect(strategy.next({ path, query: { limit: 2, offset: 0 } }, page, [{ id: 1 }, { id: 2 }], ctx)).toEqual({
      kind: 'next',
      request: { path, query: { limit: 2, offset: 2 } },
    });
    expect(strategy.next({ path, query: { limit: 2, offset: 4 } }, response(5, [{ id: 5 }]), [{ id: 5 }], ctx)).toEqual({
      kind: 'done',
    });
  });

  it('rejects limits above 200', () => {
    expect(() => offsetLimit({ item: z.unknown(), limit: 201 })).toThrow(RangeError);
  });
});
