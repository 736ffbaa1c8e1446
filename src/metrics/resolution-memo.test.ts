import { describe, expect, it } from 'vitest';
import { MetricsQueryError } from './metrics-errors.js';
import { ResolutionMemo } from './resolution-memo.js';

describe('ResolutionMemo', () => {
  const memo = new ResolutionMemo('America/Sao_Paulo');
  const absolute = { measures: ['sales.revenue'], timeDimensions: [{ dimension: 'sales.order_date', dateRange: ['2025-03-01', '2025-03-02'] }] };

  it('resolves a repeated absolute query once', () => {
    const first = memo.resolve(absolute);
    expect(memo.resolve(JSON.parse(JSON.stringify(absolute)))).toBe(first);
    expect(first.relative).toBe(false);
  });

  it('keeps renewQuery apart and resolves relative dates at every call', () => {
    expect(memo.resolve({ ...absolute, renewQuery: true }).renew).toBe(true);
    expect(memo.resolve(absolute).renew).toBe(false);
    const today = { measures: ['sales.revenue'], timeDimensions: [{ dimension: 'sales.order_date', dateRange: 'today' }] };
    const a = memo.resolve(today);
    expect(a.relative).toBe(true);
    expect(memo.resolve(today)).not.toBe(a);
    const inFilter = { measures: ['sales.revenue'], filters: [{ member: 'sales.order_date', operator: 'inDateRange', values: ['last 7 days'] }] };
    expect(memo.resolve(inFilter).relative).toBe(true);
  });

  it('still refuses bad input, every time', () => {
    for (let i = 0; i < 2; i++) expect(() => memo.resolve({ measures: 'sales.revenue' })).toThrow(MetricsQueryError);
    const cyclic: Record<string, unknown> = { measures: ['sales.revenue'] };
    cyclic.self = cyclic;
    // Not JSON: resolved without the memo (zod drops the unknown field).
    expect(memo.resolve(cyclic).query.measures).toEqual(['sales.revenue']);
  });
});
