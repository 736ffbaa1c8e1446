import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MetricsQueryError, MetricsTimeoutError } from '../../src/metrics/metrics-errors.js';
import { MAX_FILTER_VALUES, MAX_ROW_LIMIT, metricsQuerySchema, type MetricsQuery } from '../../src/metrics/metrics-query.js';
import { createSemanticEngine, type SemanticEngine } from '../../src/metrics/semantic-engine.js';
import type { QueryOptions, SqlValue, Warehouse } from '../../src/warehouse/warehouse.js';
import { roleContext } from '../fixtures/security-contexts.js';
import { BUSINESS_TZ, MODEL_DIR, openGoldFixture, type GoldFixture } from './gold-fixtures.js';

const analyst = roleContext('analyst');
const q = (input: Partial<MetricsQuery>): MetricsQuery => metricsQuerySchema.parse(input);

let fixture: GoldFixture;
let engine: SemanticEngine;

beforeAll(async () => {
  fixture = await openGoldFixture();
  engine = await createSemanticEngine({
    warehouse: fixture.warehouse, modelDir: MODEL_DIR, dataVersions: fixture.dataVersions, timezone: BUSINESS_TZ,
    cache: { maxEntries: 0, ttlMs: 0 },
  });
});
afterAll(async () => {
  await engine?.close();
  await fixture?.cleanup();
});

async function refusal(query: Partial<MetricsQuery>): Promise<MetricsQueryError> {
  const err = await engine.load(q(query), analyst).then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(MetricsQueryError);
  return err as MetricsQueryError;
}

describe('filter values of the wrong type are the caller\'s mistake, named, never a warehouse error', () => {
  it.each([
    ['gt "abc" on a number measure', { member: 'sales.revenue', operator: 'gt', values: ['abc'] }, 'sales.revenue', /"abc".*not a number/],
    ['equals "1e" on a number', { member: 'sales.revenue', operator: 'equals', values: ['10', '1e'] }, 'sales.revenue', /values\[1\]/],
    ['equals "Infinity" on a number', { member: 'sales.orders', operator: 'lt', values: ['Infinity'] }, 'sales.orders', /not a number/],
    ['a bad date on a time dimension', { member: 'sales.order_date', operator: 'equals', values: ['2025-02-30'] }, 'sales.order_date', /Invalid date/],
    ['a bad afterDate', { member: 'sales.order_date', operator: 'afterDate', values: ['2025-13-45'] }, 'sales.order_date', /Invalid date/],
    ['"maybe" on a boolean', { member: 'sales.is_sale', operator: 'equals', values: ['maybe'] }, 'sales.is_sale', /true or false/],
    ['contains on a number', { member: 'sales.revenue', operator: 'contains', values: ['1'] }, 'sales.revenue', /text members/],
  ] as const)('%s', async (_name, filter, member, message) => {
    const err = await refusal({ measures: ['sales.revenue'], filters: [filter as never] });
    expect(['INVALID_QUERY', 'INVALID_DATE_RANGE']).toContain(err.code);
    expect(err.member).toBe(member);
    expect(err.message).toMatch(message);
  });

  it('still accepts well-typed values: decimals, signs, exponents, local dates, booleans', async () => {
    const res = await engine.load(
      q({
        measures: ['sales.orders'],
        filters: [
          { member: 'sales.revenue', operator: 'gte', values: ['-1.5e1'] },
          { member: 'sales.order_date', operator: 'gt', values: ['2025-03-01T00:00'] },
          { member: 'sales.is_sale', operator: 'equals', values: ['true'] },
        ],
      }),
      analyst,
    );
    expect(res.rows).toHaveLength(1);
  });
});

describe('SQL and path characters in member names and values', () => {
  it.each([
    'sales.revenue"; DROP TABLE gold.fct_orders; --',
    "sales.revenue') OR 1=1 --",
    '../../../etc/passwd',
    'sales/../orders.count',
    'sales.revenue\u0000',
  ])('refuses %j as an unknown member', async (name) => {
    const err = await refusal({ measures: [name] });
    expect(err.code).toBe('UNKNOWN_MEMBER');
  });

  it('binds a value with quotes and semicolons as a parameter: it matches nothing and breaks nothing', async () => {
    const res = await engine.load(
      q({ measures: ['sales.orders'], filters: [{ member: 'sales.channel', operator: 'equals', values: ["Site'; DROP TABLE gold.fct_orders; --"] }] }),
      analyst,
    );
    expect(res.rows).toEqual([{ 'sales.orders': 0 }]);
    expect(await fixture.warehouse.query('SELECT count(*) > 0 AS ok FROM gold.fct_orders')).toEqual([{ ok: true }]);
  });
});

describe('input bounds', () => {
  it('caps rows per answer and filter values per filter in the query schema', () => {
    expect(metricsQuerySchema.safeParse({ measures: ['sales.revenue'], limit: MAX_ROW_LIMIT + 1 }).success).toBe(false);
    const values = Array.from({ length: MAX_FILTER_VALUES + 1 }, (_, i) => String(i));
    expect(metricsQuerySchema.safeParse({ filters: [{ member: 'sales.channel', operator: 'equals', values }] }).success).toBe(false);
    expect(metricsQuerySchema.safeParse({ filters: [{ member: 'sales.channel', operator: 'equals', values: values.slice(1) }] }).success).toBe(true);
  });
});

describe('warehouse query timeout', () => {
  it('stops a query past queryTimeoutMs and rejects with MetricsTimeoutError', async () => {
    // Every planned query becomes one that never ends, so only the timeout can finish it.
    const endless: Warehouse = new Proxy(fixture.warehouse, {
      get(target, prop, receiver) {
        if (prop === 'query') {
          return (_sql: string, _params?: readonly SqlValue[], options?: QueryOptions) =>
            target.query('SELECT sum(x * x) AS s FROM range(50000000000) t(x)', [], options);
        }
        const v = Reflect.get(target, prop, receiver) as unknown;
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      },
    });
    const slow = await createSemanticEngine({
      warehouse: endless, modelDir: MODEL_DIR, dataVersions: fixture.dataVersions, timezone: BUSINESS_TZ,
      cache: { maxEntries: 0, ttlMs: 0 }, queryTimeoutMs: 150,
    });
    try {
      const err = await slow.load(q({ measures: ['sales.revenue'] }), analyst).then(() => undefined, (e: unknown) => e);
      expect(err).toBeInstanceOf(MetricsTimeoutError);
      expect((err as MetricsTimeoutError).timeoutMs).toBe(150);
    } finally {
      await slow.close();
    }
  });
});
