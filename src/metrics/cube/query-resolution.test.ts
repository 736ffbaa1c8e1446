import { describe, expect, it } from 'vitest';
import { MetricsQueryError } from '../metrics-errors.js';
import { resolveQuery } from './query-resolution.js';

const TZ = 'America/Sao_Paulo';

function errorOf(fn: () => unknown): MetricsQueryError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(MetricsQueryError);
    return e as MetricsQueryError;
  }
  throw new Error('expected a MetricsQueryError');
}

describe('resolveQuery', () => {
  it('defaults the timezone to the business one and keeps an explicit one, spelled canonically', () => {
    expect(resolveQuery({ measures: ['sales.revenue'] }, TZ).query.timezone).toBe(TZ);
    expect(resolveQuery({ measures: ['sales.revenue'], timezone: 'UTC' }, TZ).query.timezone).toBe('UTC');
    const lower = resolveQuery({ measures: ['sales.revenue'], timezone: 'europe/berlin' }, TZ);
    expect(lower.query.timezone).toBe('Europe/Berlin');
    expect(lower.key).toBe(resolveQuery({ measures: ['sales.revenue'], timezone: 'Europe/Berlin' }, TZ).key);
  });

  it('keys equal queries equally, whatever the field order, and apart from renewQuery', () => {
    const a = resolveQuery({ measures: ['sales.revenue'], dimensions: ['sales.channel'] }, TZ);
    const b = resolveQuery({ dimensions: ['sales.channel'], measures: ['sales.revenue'], renewQuery: true }, TZ);
    expect(b.key).toBe(a.key);
    expect([a.renew, b.renew]).toEqual([false, true]);
    expect(resolveQuery({ measures: ['sales.revenue'], dimensions: ['sales.channel'], timezone: 'UTC' }, TZ).key).not.toBe(a.key);
  });

  it('resolves relative date ranges to absolute local bounds', () => {
    const { query } = resolveQuery({ measures: ['sales.revenue'], timeDimensions: [{ dimension: 'sales.order_date', dateRange: 'last 7 days' }] }, TZ);
    const range = query.timeDimensions[0]?.dateRange as [string, string];
    expect(range[0]).toMatch(/^\d{4}-\d{2}-\d{2}T00:00:00\.000$/);
    expect(range[1]).toMatch(/^\d{4}-\d{2}-\d{2}T23:59:59\.999$/);
    // 01:30 UTC on 15 March is still the 14th in São Paulo: the last 7 days end on the 13th.
    const at = resolveQuery({ measures: ['sales.revenue'], timeDimensions: [{ dimension: 'sales.order_date', dateRange: 'last 7 days' }] }, TZ, new Date('2025-03-15T01:30:00Z'));
    expect(at.query.timeDimensions[0]?.dateRange).toEqual(['2025-03-07T00:00:00.000', '2025-03-13T23:59:59.999']);
    const absolute = resolveQuery({ measures: ['sales.revenue'], timeDimensions: [{ dimension: 'sales.order_date', dateRange: '2025-03-14' }] }, TZ);
    expect(absolute.query.timeDimensions[0]?.dateRange).toBe('2025-03-14');
  });

  it('resolves the phrases analysts use in the query timezone, the business one by default', () => {
    // 01:30 UTC on 1 April 2025: still 31 March in São Paulo, already 1 April in Tokyo.
    const at = new Date('2025-04-01T01:30:00Z');
    const range = (dateRange: string, timezone?: string) =>
      resolveQuery({ measures: ['sales.revenue'], timeDimensions: [{ dimension: 'sales.order_date', dateRange }], ...(timezone ? { timezone } : {}) }, TZ, at).query.timeDimensions[0]?.dateRange;
    const day = (d: string): [string, string] => [`${d}T00:00:00.000`, `${d}T23:59:59.999`];
    const span = (a: string, b: string): [string, string] => [`${a}T00:00:00.000`, `${b}T23:59:59.999`];
    expect(range('today')).toEqual(day('2025-03-31'));
    expect(range('today', 'Asia/Tokyo')).toEqual(day('2025-04-01'));
    expect(range('yesterday')).toEqual(day('2025-03-30'));
    expect(range('yesterday', 'Asia/Tokyo')).toEqual(day('2025-03-31'));
    expect(range('last 7 days')).toEqual(span('2025-03-24', '2025-03-30'));
    expect(range('last 7 days', 'Asia/Tokyo')).toEqual(span('2025-03-25', '2025-03-31'));
    expect(range('this month')).toEqual(span('2025-03-01', '2025-03-31'));
    expect(range('this month', 'Asia/Tokyo')).toEqual(span('2025-04-01', '2025-04-30'));
    expect(range('last month')).toEqual(span('2025-02-01', '2025-02-28'));
    expect(range('last month', 'Asia/Tokyo')).toEqual(span('2025-03-01', '2025-03-31'));
    expect(range('this year')).toEqual(span('2025-01-01', '2025-12-31'));
    // New Year's Eve 23:30 in São Paulo is already next year in UTC.
    const eve = resolveQuery({ measures: ['sales.revenue'], timeDimensions: [{ dimension: 'sales.order_date', dateRange: 'this year' }] }, TZ, new Date('2025-01-01T02:30:00Z'));
    expect(eve.query.timeDimensions[0]?.dateRange).toEqual(span('2024-01-01', '2024-12-31'));
  });

  it('resolves relative dates in date filters by operator', () => {
    const { query } = resolveQuery(
      {
        measures: ['sales.revenue'],
        filters: [{ or: [{ member: 'sales.order_date', operator: 'inDateRange', values: ['yesterday'] }, { member: 'sales.order_date', operator: 'beforeDate', values: ['today'] }] }],
      },
      TZ,
    );
    const [inRange, before] = (query.filters[0] as { or: { values: string[] }[] }).or;
    expect(inRange?.values).toHaveLength(2);
    expect(before?.values).toEqual([expect.stringMatching(/T00:00:00\.000$/)]);
  });

  it('rejects malformed input, unknown timezones and unparseable ranges with the field named', () => {
    expect(errorOf(() => resolveQuery({ measures: 'sales.revenue' }, TZ)).message).toContain('measures');
    const limit = errorOf(() => resolveQuery({ measures: ['sales.revenue'], limit: 0 }, TZ));
    expect([limit.code, limit.message]).toEqual(['INVALID_QUERY', expect.stringContaining('limit')]);
    expect(errorOf(() => resolveQuery({ measures: ['sales.revenue'], timezone: 'Mars/Base' }, TZ)).message).toContain('timezone');
    const range = errorOf(() => resolveQuery({ measures: ['sales.revenue'], timeDimensions: [{ dimension: 'sales.order_date', dateRange: 'someday' }] }, TZ));
    expect([range.code, range.member]).toEqual(['INVALID_DATE_RANGE', 'sales.order_date']);
    expect(range.message).toContain('timeDimensions[0].dateRange');
  });
});
