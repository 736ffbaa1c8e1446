import { describe, expect, it } from 'vitest';
import { CubeApiRequestError } from './cube-api-errors.js';
import { parseCubeLoadRequest } from './cube-query.js';

describe('parseCubeLoadRequest', () => {
  it("translates Cube's spellings to the engine's: dimension filters, typed values, order objects, view.member.granularity", () => {
    const request = parseCubeLoadRequest(JSON.stringify({
      measures: ['sales.revenue'],
      dimensions: ['sales.channel', 'sales.order_date.month'],
      filters: [{ dimension: 'sales.is_sale', operator: 'equals', values: [true] }, { or: [{ member: 'sales.orders', operator: 'gt', values: [2] }] }],
      order: { 'sales.revenue': 'desc' },
      cache: 'no-cache',
    }));
    expect(request).toEqual({
      queryType: 'regularQuery',
      responseFormat: 'default',
      queries: [{
        total: false,
        input: {
          measures: ['sales.revenue'],
          dimensions: ['sales.channel'],
          timeDimensions: [{ dimension: 'sales.order_date', granularity: 'month' }],
          filters: [{ member: 'sales.is_sale', operator: 'equals', values: ['true'] }, { or: [{ member: 'sales.orders', operator: 'gt', values: ['2'] }] }],
          segments: [],
          order: [['sales.revenue', 'desc']],
          renewQuery: true,
        },
      }],
    });
  });

  it('splits compareDateRange into one query per range, keeping the rest', () => {
    const request = parseCubeLoadRequest({
      measures: ['sales.revenue'],
      timeDimensions: [{ dimension: 'sales.order_date', granularity: 'day', compareDateRange: ['last week', ['2025-03-01'], ['2025-02-01', '2025-02-28']] }],
    });
    expect(request.queryType).toBe('compareDateRangeQuery');
    expect(request.queries.map((q) => q.input['timeDimensions'])).toEqual([
      [{ dimension: 'sales.order_date', granularity: 'day', dateRange: 'last week' }],
      [{ dimension: 'sales.order_date', granularity: 'day', dateRange: ['2025-03-01', '2025-03-01'] }],
      [{ dimension: 'sales.order_date', granularity: 'day', dateRange: ['2025-02-01', '2025-02-28'] }],
    ]);
  });

  it('refuses what Cube refuses, and what Farol does not serve, naming it', () => {
    const refused = (raw: unknown) => {
      try {
        parseCubeLoadRequest(raw);
      } catch (err) {
        expect(err).toBeInstanceOf(CubeApiRequestError);
        return (err as Error).message;
      }
      throw new Error(`accepted ${JSON.stringify(raw)}`);
    };
    expect(refused(undefined)).toBe('Query param is required');
    expect(refused({ measures: ['a.b'], timeDimensions: [{ dimension: 'a.t', compareDateRange: ['today'] }, { dimension: 'a.u', compareDateRange: ['today'] }] }))
      .toBe('query.timeDimensions: compareDateRange can only exist for one timeDimension');
    expect(refused({ measures: ['a.b'], filters: [{ member: 'a.c', dimension: 'a.c', operator: 'set' }] })).toMatch(/exactly one of "member" or "dimension"/);
    expect(refused([{ measures: ['a.b'], timeDimensions: [{ dimension: 'a.t', granularity: 'day' }] }, { measures: ['a.c'], timeDimensions: [{ dimension: 'a.t', granularity: 'month' }] }]))
      .toBe('Data blending query granularities must match');
    expect(refused({ measures: ['a.b'], subqueryJoins: [] })).toMatch(/^query\.subqueryJoins: not supported/);
    expect(refused({ measures: [1] })).toMatch(/^Invalid query format: query\.measures\[0\]/);
  });
});
