import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseRestContentRange, parseRestRange, restRange } from './rest-range.js';

const ctx = { baseUrl: 'https://loja.vtexcommercestable.com.br' };
const path = '/api/dataentities/CL/search';
const docs = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `d${i}` }));
const response = <T>(data: T[], contentRange?: string) => ({
  status: 200,
  headers: (contentRange ? { 'rest-content-range': contentRange } : {}) as Record<string, string>,
  data,
  attempts: 1,
});

describe('REST-Range headers', () => {
  it('parse both forms', () => {
    expect(parseRestRange('resources=0-100')).toEqual({ from: 0, to: 100 });
    expect(parseRestContentRange('resources=0-100/5321')).toEqual({ from: 0, to: 100, total: 5321 });
    expect(parseRestContentRange('items 0-100/5321')).toBeUndefined();
    expect(parseRestRange(undefined)).toBeUndefined();
  });
});

describe('restRange', () => {
  const strategy = restRange({ item: z.object({ id: z.string() }), pageSize: 3 });

  it('puts the range in a request header, replacing any caller variant', () => {
    expect(strategy.first({ path, query: { _sort: 'updatedIn ASC' }, headers: { 'REST-Range': 'resources=5-6' } })).toEqual({
      path,
      query: { _sort: 'updatedIn ASC' },
      headers: { 'rest-range': 'resources=0-3' },
    });
  });

  it('advances by what arrived until the total in REST-Content-Range', () => {
    const first = strategy.first({ path });
    expect(strategy.next(first, response(docs(3), 'resources=0-3/7'), docs(3), ctx)).toEqual({
      kind: 'next',
      request: { path, headers: { 'rest-range': 'resources=3-6' } },
    });
    const last = { path, headers: { 'rest-range': 'resources=6-9' } };
    expect(strategy.next(last, response(docs(1), 'resources=6-7/7'), docs(1), ctx)).toEqual({ kind: 'done' });
  });

  it('falls back to a short page when the total header is missing', () => {
    const first = strategy.first({ path });
    expect(strategy.next(first, response(docs(3)), docs(3), ctx).kind).toBe('next');
    expect(strategy.next(first, response(docs(2)), docs(2), ctx)).toEqual({ kind: 'done' });
  });

  it('refuses listings beyond what search can page through', () => {
    const next = strategy.next(strategy.first({ path }), response(docs(3), 'resources=0-3/12000'), docs(3), ctx);
    expect(next).toMatchObject({ kind: 'limit-exceeded', limit: 10_000, needed: 12_000, unit: 'records' });
  });

  it('caps a range at 100 documents', () => {
    expect(() => restRange({ item: z.unknown(), pageSize: 101 })).toThrow(RangeError);
  });
});
