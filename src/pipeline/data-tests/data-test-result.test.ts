import { describe, expect, it } from 'vitest';
import type { DataTest } from './data-test.js';
import { dataTestMessage, dataTestResult, type DataTestOutcome } from './data-test-result.js';

const ORDERS = { table: 'silver.orders', keyColumns: ['source', 'order_id'], severity: 'error' } as const;
const rows = (failingCount: number, sampleKeys: string[] = []): DataTestOutcome => ({ kind: 'rows', failingCount, sampleKeys });

describe('dataTestMessage', () => {
  const cases: [DataTest, string][] = [
    [{ ...ORDERS, kind: 'not_null', column: 'status' }, 'silver.orders.status: 2 rows null — e.g. a:1, a:2'],
    [{ ...ORDERS, kind: 'unique', columns: ['source', 'order_id'] }, 'silver.orders.source,order_id: 2 rows not unique — e.g. a:1, a:2'],
    [{ ...ORDERS, kind: 'accepted_values', column: 'currency', values: ['BRL', 'USD'] }, 'silver.orders.currency: 2 rows not in (BRL, USD) — e.g. a:1, a:2'],
    [
      { ...ORDERS, kind: 'relationship', columns: ['status'], to: { table: 'gold.dim_order_status', columns: ['status'] } },
      'silver.orders.status: 2 rows without a match in gold.dim_order_status.status — e.g. a:1, a:2',
    ],
    [{ ...ORDERS, kind: 'range', column: 'total', min: 0 }, 'silver.orders.total: 2 rows below 0 — e.g. a:1, a:2'],
    [{ ...ORDERS, kind: 'range', column: 'total', max: 0 }, 'silver.orders.total: 2 rows above 0 — e.g. a:1, a:2'],
    [{ ...ORDERS, kind: 'range', column: 'total', min: 1, max: 24 }, 'silver.orders.total: 2 rows outside [1, 24] — e.g. a:1, a:2'],
    [{ ...ORDERS, kind: 'document', column: 'document' }, 'silver.orders.document: 2 rows not a valid CPF or CNPJ — e.g. a:1, a:2'],
    [{ ...ORDERS, kind: 'email', column: 'customer_email' }, 'silver.orders.customer_email: 2 rows not a valid email address — e.g. a:1, a:2'],
  ];

  it.each(cases)('words a failing %j', (test, message) => {
    expect(dataTestMessage(test, rows(2, ['a:1', 'a:2']))).toBe(message);
  });

  it('says "1 row", quotes at most three keys, and none when there are none', () => {
    const test: DataTest = { ...ORDERS, kind: 'not_null', column: 'status' };
    expect(dataTestMessage(test, rows(1, ['a:1']))).toBe('silver.orders.status: 1 row null — e.g. a:1');
    expect(dataTestMessage(test, rows(12, ['1', '2', '3', '4']))).toBe('silver.orders.status: 12 rows null — e.g. 1, 2, 3');
    expect(dataTestMessage(test, rows(5))).toBe('silver.orders.status: 5 rows null');
  });

  it('names the rule a passing test kept', () => {
    expect(dataTestMessage({ ...ORDERS, kind: 'range', column: 'total', min: 0 }, rows(0))).toBe('silver.orders.total: passed (≥ 0)');
    expect(dataTestMessage({ ...ORDERS, kind: 'unique', columns: ['order_id'] }, rows(0))).toBe('silver.orders.order_id: passed (unique)');
  });
});

describe('dataTestResult', () => {
  const fresh: DataTest = { ...ORDERS, kind: 'freshness', column: 'last_change', maxAgeHours: 48, severity: 'warn' };

  it('fails a row test with failing rows and carries every sample key', () => {
    const keys = Array.from({ length: 10 }, (_, i) => `k${i}`);
    expect(dataTestResult({ ...ORDERS, kind: 'not_null', column: 'status' }, rows(40, keys))).toMatchObject({
      testId: 'silver.orders.status.not_null', column: 'status', kind: 'not_null', severity: 'error', status: 'failed',
      failingCount: 40, sampleKeys: keys,
    });
  });

  it('counts a stale table as one failure', () => {
    const latest = '2025-03-14T13:30:00.000Z';
    expect(dataTestResult(fresh, { kind: 'freshness', latest, stale: true })).toMatchObject({
      status: 'failed', failingCount: 1, sampleKeys: [],
      message: `silver.orders.last_change: newest value ${latest} is older than 48 h`,
    });
    expect(dataTestResult(fresh, { kind: 'freshness', latest, stale: false }).status).toBe('passed');
  });

  it('passes an empty table by default, fails it when told', () => {
    const empty = { kind: 'freshness', latest: null, stale: false } as const;
    expect(dataTestResult(fresh, empty)).toMatchObject({ status: 'passed', message: 'silver.orders.last_change: no rows yet; freshness not checked' });
    expect(dataTestResult({ ...fresh, whenEmpty: 'fail' }, empty)).toMatchObject({
      status: 'failed', failingCount: 1, message: 'silver.orders.last_change: no rows, so nothing newer than 48 h',
    });
  });

  it('refuses a freshness outcome for another kind', () => {
    expect(() => dataTestResult({ ...ORDERS, kind: 'not_null', column: 'status' }, { kind: 'freshness', latest: null, stale: false })).toThrow();
  });
});
