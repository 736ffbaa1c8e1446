import { describe, expect, it } from 'vitest';
import { toCubeQueryOptions } from './cube-query-adapter.js';
import { resolveQuery } from './query-resolution.js';

const TZ = 'America/Sao_Paulo';

/**
 * Queries and the options Cube 1.7.43's `normalizeQuery` + `remapToQueryAdapterFormat` made of
 * them (without `cacheMode`, which no query class reads), recorded while Cube's API gateway was
 * still installed. All dates are absolute, so none of this depends on the clock.
 */
const CASES: readonly { readonly name: string; readonly input: unknown; readonly cube: Record<string, unknown> }[] = [
  {
    name: 'a lone measure gets the default row limit and the business timezone',
    input: { measures: ['sales.revenue'] },
    cube: { measures: ['sales.revenue'], dimensions: [], timeDimensions: [], filters: [], segments: [], limit: 10000, rowLimit: 10000, timezone: TZ },
  },
  {
    name: 'a date range pair becomes local bounds to the millisecond',
    input: {
      measures: ['sales.revenue', 'sales.orders', 'sales.average_ticket'],
      dimensions: ['sales.channel'],
      timeDimensions: [{ dimension: 'sales.order_date', granularity: 'day', dateRange: ['2025-03-01', '2025-03-31'] }],
    },
    cube: {
      measures: ['sales.revenue', 'sales.orders', 'sales.average_ticket'],
      dimensions: ['sales.channel'],
      timeDimensions: [{ dimension: 'sales.order_date', granularity: 'day', dateRange: ['2025-03-01T00:00:00.000', '2025-03-31T23:59:59.999'] }],
      filters: [],
      segments: [],
      limit: 10000,
      rowLimit: 10000,
      timezone: TZ,
    },
  },
  {
    name: 'a single date is its whole day; a granularity suffix moves to timeDimensions; the zone name is canonical',
    input: {
      measures: ['sales.orders'],
      dimensions: ['sales.channel', 'sales.order_date.month'],
      timeDimensions: [{ dimension: 'sales.order_date', dateRange: '2025-03-14' }],
      timezone: 'europe/berlin',
    },
    cube: {
      measures: ['sales.orders'],
      dimensions: ['sales.channel'],
      timeDimensions: [
        { dimension: 'sales.order_date', dateRange: ['2025-03-14T00:00:00.000', '2025-03-14T23:59:59.999'] },
        { dimension: 'sales.order_date', granularity: 'month' },
      ],
      filters: [],
      segments: [],
      limit: 10000,
      rowLimit: 10000,
      timezone: 'Europe/Berlin',
    },
  },
  {
    name: 'date-time bounds keep their time',
    input: {
      measures: ['sales.orders'],
      timeDimensions: [{ dimension: 'sales.order_date', granularity: 'hour', dateRange: ['2025-03-01T08:00', '2025-03-01 18:30:15.5'] }],
    },
    cube: {
      measures: ['sales.orders'],
      dimensions: [],
      timeDimensions: [{ dimension: 'sales.order_date', granularity: 'hour', dateRange: ['2025-03-01T08:00:00.000', '2025-03-01T18:30:15.500'] }],
      filters: [],
      segments: [],
      limit: 10000,
      rowLimit: 10000,
      timezone: TZ,
    },
  },
  {
    name: 'a single inDateRange value becomes its day; other date values pass through, nested or not',
    input: {
      measures: ['sales.revenue'],
      filters: [
        { member: 'sales.channel', operator: 'equals', values: ['Loja', 'App'] },
        { member: 'sales.coupon', operator: 'set' },
        { member: 'sales.order_date', operator: 'inDateRange', values: ['2025-03-14'] },
        {
          or: [
            { member: 'sales.order_date', operator: 'notInDateRange', values: ['2025-03-01', '2025-03-10T12:00'] },
            {
              and: [
                { member: 'sales.order_date', operator: 'beforeDate', values: ['2025-03-14'] },
                { member: 'sales.order_date', operator: 'afterDate', values: ['2025-03-01T10:00'] },
                { member: 'sales.revenue', operator: 'gt', values: ['100.5'] },
              ],
            },
          ],
        },
      ],
    },
    cube: {
      measures: ['sales.revenue'],
      dimensions: [],
      timeDimensions: [],
      filters: [
        { member: 'sales.channel', operator: 'equals', values: ['Loja', 'App'] },
        { member: 'sales.coupon', operator: 'set' },
        { member: 'sales.order_date', operator: 'inDateRange', values: ['2025-03-14T00:00:00.000', '2025-03-14T23:59:59.999'] },
        {
          or: [
            { member: 'sales.order_date', operator: 'notInDateRange', values: ['2025-03-01', '2025-03-10T12:00'] },
            {
              and: [
                { member: 'sales.order_date', operator: 'beforeDate', values: ['2025-03-14'] },
                { member: 'sales.order_date', operator: 'afterDate', values: ['2025-03-01T10:00'] },
                { member: 'sales.revenue', operator: 'gt', values: ['100.5'] },
              ],
            },
          ],
        },
      ],
      segments: [],
      limit: 10000,
      rowLimit: 10000,
      timezone: TZ,
    },
  },
  {
    name: 'order becomes { id, desc }; limit, offset and segments are kept',
    input: {
      measures: ['sales.revenue'],
      dimensions: ['sales.channel'],
      segments: ['sales.sales_only'],
      order: [['sales.revenue', 'desc'], ['sales.channel', 'asc']],
      limit: 5,
      offset: 10,
      timezone: 'UTC',
    },
    cube: {
      measures: ['sales.revenue'],
      dimensions: ['sales.channel'],
      timeDimensions: [],
      filters: [],
      segments: ['sales.sales_only'],
      order: [{ id: 'sales.revenue', desc: true }, { id: 'sales.channel', desc: false }],
      limit: 5,
      rowLimit: 5,
      offset: 10,
      timezone: 'UTC',
    },
  },
];

describe('toCubeQueryOptions', () => {
  for (const { name, input, cube } of CASES) {
    it(name, () => {
      expect(toCubeQueryOptions(resolveQuery(input, TZ).query)).toEqual(cube);
    });
  }
});
