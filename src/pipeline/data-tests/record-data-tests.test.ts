import { describe, expect, it } from 'vitest';
import type { DataTestResult } from './data-test.js';
import { DataTestFailure, assertNoBlockingFailures, blockingFailures } from './record-data-tests.js';

function result(testId: string, over: Partial<DataTestResult> = {}): DataTestResult {
  return {
    testId, table: 'silver.orders', column: 'currency', kind: 'accepted_values', severity: 'error', status: 'failed',
    failingCount: 1, sampleKeys: ['vtex-orders:1234-01'], message: `${testId} failed`, ...over,
  };
}

describe('DataTestFailure', () => {
  it('names the failed test, its count and a sample key in one line', () => {
    const err = new DataTestFailure([result('silver.orders.currency.accepted_values')]);
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe('DataTestFailure');
    expect(err.message).toBe(
      'data test failed: silver.orders.currency.accepted_values (1 row, e.g. vtex-orders:1234-01); gold keeps its last good state',
    );
  });

  it('says why a stale table failed instead of counting rows', () => {
    const stale = result('gold.fct_orders.last_change.freshness', {
      table: 'gold.fct_orders', column: 'last_change', kind: 'freshness', sampleKeys: [],
      message: 'gold.fct_orders.last_change: newest value 2025-03-14T13:30:00.000Z is older than 48 h',
    });
    expect(new DataTestFailure([stale]).message).toBe(
      'data test failed: gold.fct_orders.last_change.freshness (newest value 2025-03-14T13:30:00.000Z is older than 48 h); ' +
        'gold keeps its last good state',
    );
  });

  it('names at most three tests and counts the rest', () => {
    const failures = ['a', 'b', 'c', 'd', 'e'].map((id) => result(id, { failingCount: 2, sampleKeys: [] }));
    expect(new DataTestFailure(failures).message).toBe(
      '5 data tests failed: a (2 rows); b (2 rows); c (2 rows); and 2 more; gold keeps its last good state',
    );
  });
});

describe('blocking failures', () => {
  const results = [
    result('error-failed'),
    result('warn-failed', { severity: 'warn' }),
    result('error-passed', { status: 'passed', failingCount: 0 }),
  ];

  it('are the failed error-level results only', () => {
    expect(blockingFailures(results).map((r) => r.testId)).toEqual(['error-failed']);
  });

  it('throw a DataTestFailure carrying them; warnings alone do not throw', () => {
    expect(() => assertNoBlockingFailures(results)).toThrow(DataTestFailure);
    try {
      assertNoBlockingFailures(results);
    } catch (err) {
      expect((err as DataTestFailure).failures.map((f) => f.testId)).toEqual(['error-failed']);
    }
    expect(() => assertNoBlockingFailures(results.slice(1))).not.toThrow();
  });
});
