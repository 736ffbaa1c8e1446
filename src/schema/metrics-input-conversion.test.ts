import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import type { FilterInput, MetricsQueryInput } from './metrics-input.js';
import { MAX_FILTER_DEPTH, toMetricsQuery } from './metrics-input-conversion.js';

function rejection(input: MetricsQueryInput): GraphQLError {
  try {
    toMetricsQuery(input);
  } catch (error) {
    if (error instanceof GraphQLError) return error;
    throw error;
  }
  throw new Error('expected the input to be rejected');
}

describe('toMetricsQuery', () => {
  it('treats GraphQL nulls as omitted, so Cube defaults apply', () => {
    expect(toMetricsQuery({ measures: ['sales.revenue'], dimensions: null, limit: null, renewQuery: null })).toEqual({
      measures: ['sales.revenue'], dimensions: [], timeDimensions: [], filters: [], segments: [], order: [],
    });
  });

  it('turns a one-element date range into Cube\'s relative string and keeps two as a tuple', () => {
    const query = toMetricsQuery({
      timeDimensions: [
        { dimension: 'sales.orderedAt', dateRange: ['this month'], granularity: null },
        { dimension: 'sales.orderedAt', dateRange: ['2025-01-01', '2025-01-31'] },
        { dimension: 'sales.orderedAt', granularity: 'week' },
      ],
    });
    expect(query.timeDimensions).toEqual([
      { dimension: 'sales.orderedAt', dateRange: 'this month' },
      { dimension: 'sales.orderedAt', dateRange: ['2025-01-01', '2025-01-31'] },
      { dimension: 'sales.orderedAt', granularity: 'week' },
    ]);
  });

  it('rejects an empty date range', () => {
    expect(rejection({ timeDimensions: [{ dimension: 'sales.orderedAt', dateRange: [] }] }).extensions).toMatchObject({
      code: 'BAD_USER_INPUT', reason: 'INVALID_QUERY', field: 'query.timeDimensions[0].dateRange',
    });
  });

  it('rejects a filter with neither a member nor a group, and one with both and and or', () => {
    expect(rejection({ filters: [{}] }).extensions).toMatchObject({ field: 'query.filters[0]' });
    const both: FilterInput = { and: [{ member: 'a.b', operator: 'set' }], or: [{ member: 'a.c', operator: 'set' }] };
    expect(rejection({ filters: [both] }).extensions).toMatchObject({ field: 'query.filters[0]' });
  });

  it('names the missing operator of a member filter rather than the group branches', () => {
    const error = rejection({ filters: [{ and: [{ member: 'sales.state', values: ['SP'] }] }] });
    expect(error.extensions).toMatchObject({ field: 'query.filters[0].and[0].operator' });
  });

  it(`accepts ${MAX_FILTER_DEPTH} levels of nested groups and rejects one more`, () => {
    const nest = (levels: number): FilterInput =>
      levels === 1 ? { member: 'sales.state', operator: 'set' } : { and: [nest(levels - 1)] };
    expect(() => toMetricsQuery({ filters: [nest(MAX_FILTER_DEPTH)] })).not.toThrow();
    expect(rejection({ filters: [nest(MAX_FILTER_DEPTH + 1)] }).message).toContain(`at most ${MAX_FILTER_DEPTH} levels`);
  });

  it('names scalar fields the engine rejects', () => {
    expect(rejection({ limit: 0 }).extensions).toMatchObject({ field: 'query.limit' });
    expect(rejection({ measures: [''] }).extensions).toMatchObject({ field: 'query.measures[0]' });
  });
});
