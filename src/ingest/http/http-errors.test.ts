import { describe, expect, it } from 'vitest';
import {
  isHttpError,
  isTransient,
  PaginationLimitError,
  ResponseValidationError,
  stripQuery,
  TerminalHttpError,
  TimeoutError,
  TransientHttpError,
} from './http-errors.js';

const ctx = { source: 'vtex', method: 'GET' as const, path: '/api/oms/pvt/orders/123-01?_token=abc' };

describe('http errors', () => {
  it('say what failed and where, without the query string', () => {
    const transient = new TransientHttpError(ctx, { status: 503, attempts: 5 });
    expect(transient.message).toBe('vtex GET /api/oms/pvt/orders/123-01 failed with 503 after 5 attempts');
    expect(transient.path).toBe('/api/oms/pvt/orders/123-01');
    expect(new TransientHttpError(ctx, { code: 'ECONNREFUSED', attempts: 1 }).message).toBe(
      'vtex GET /api/oms/pvt/orders/123-01 failed with ECONNREFUSED after 1 attempt',
    );
    expect(new TerminalHttpError(ctx, { status: 404, bodyExcerpt: 'Order not found' }).message).toBe(
      'vtex GET /api/oms/pvt/orders/123-01 failed with 404: Order not found',
    );
    expect(new TimeoutError(ctx, { timeoutMs: 10_000, attempts: 5 }).message).toBe(
      'vtex GET /api/oms/pvt/orders/123-01 timed out after 10000 ms on each of 5 attempts',
    );
  });

  it('name every zod issue path, up to a limit', () => {
    const issues = ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((p) => ({ path: `list.0.${p}`, message: 'Required' }));
    const err = new ResponseValidationError(ctx, { status: 200, issues });
    expect(err.message).toContain('list.0.a (Required)');
    expect(err.message).toContain('list.0.e (Required)');
    expect(err.message).not.toContain('list.0.f');
    expect(err.message).toContain('and 2 more');
    expect(err.issues).toHaveLength(7);
  });

  it('carry a kind discriminant and the standard name', () => {
    const err = new PaginationLimitError(ctx, { strategy: 'pageNumber', limit: 30, needed: 31, unit: 'pages', hint: 'slice it' });
    expect(err.kind).toBe('pagination-limit');
    expect(err.name).toBe('PaginationLimitError');
    expect(err.message).toBe('vtex GET /api/oms/pvt/orders/123-01 needs 31 pages but pageNumber pagination reaches at most 30: slice it');
    expect(err).toBeInstanceOf(Error);
  });

  it('isTransient follows the kind, and unknown errors are not transient', () => {
    expect(isTransient(new TransientHttpError(ctx, { status: 500, attempts: 1 }))).toBe(true);
    expect(isTransient(new TimeoutError(ctx, { timeoutMs: 1, attempts: 1 }))).toBe(true);
    expect(isTransient(new TerminalHttpError(ctx, { status: 400 }))).toBe(false);
    expect(isTransient(new ResponseValidationError(ctx, { status: 200, issues: [] }))).toBe(false);
    expect(isTransient(new PaginationLimitError(ctx, { strategy: 's', limit: 1, needed: 2, unit: 'pages', hint: 'h' }))).toBe(false);
    expect(isTransient(new Error('ECONNRESET'))).toBe(false);
    expect(isHttpError({ kind: 'transient' })).toBe(false);
  });

  it('stripQuery keeps only the path', () => {
    expect(stripQuery('/a/b?c=d#e')).toBe('/a/b');
    expect(stripQuery('/a/b#e')).toBe('/a/b');
    expect(stripQuery('/a/b')).toBe('/a/b');
  });
});
