import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { MetricsQueryError } from '../metrics-errors.js';
import { compileModel, type CompiledModel } from './model-compiler.js';
import { ModelCatalog } from './model-catalog.js';
import { QueryPlanner } from './query-planner.js';
import { resolveQuery } from './query-resolution.js';

const MODEL_DIR = fileURLToPath(new URL('../../../cube/model', import.meta.url));
const TZ = 'America/Sao_Paulo';

let model: CompiledModel;
let catalog: ModelCatalog;
let duckdb: QueryPlanner;

beforeAll(async () => {
  model = await compileModel(MODEL_DIR);
  catalog = ModelCatalog.fromCompilers(model.compilers);
  duckdb = new QueryPlanner(model.compilers, catalog, 'duckdb');
  duckdb.warmUp();
});

function plan(planner: QueryPlanner, input: unknown) {
  const { query, key } = resolveQuery(input, TZ);
  return planner.plan(query, key);
}

function planError(input: unknown): MetricsQueryError {
  try {
    plan(duckdb, input);
  } catch (e) {
    expect(e).toBeInstanceOf(MetricsQueryError);
    return e as MetricsQueryError;
  }
  throw new Error('expected a MetricsQueryError');
}

describe('QueryPlanner', () => {
  it('builds once per query shape', () => {
    const input = { measures: ['sales.revenue'], dimensions: ['sales.store'] };
    const before = duckdb.shapeStats().templates;
    expect(plan(duckdb, input)).toEqual(plan(duckdb, { dimensions: ['sales.store'], measures: ['sales.revenue'], limit: 10000 }));
    expect(duckdb.shapeStats().templates).toBe(before + 1);
  });

  it('keeps Cube default row limit unless the query sets one, as a parameter', () => {
    const unlimited = plan(duckdb, { measures: ['sales.revenue'], dimensions: ['sales.coupon'] });
    expect(unlimited.sql).toMatch(/LIMIT \?$/);
    expect(unlimited.params).toEqual([10000]);
    const window = plan(duckdb, { measures: ['sales.revenue'], dimensions: ['sales.coupon'], limit: 5, offset: 10 });
    expect(window.sql).toMatch(/LIMIT \? OFFSET \?$/);
    expect(window.params).toEqual([5, 10]);
    // BigQuery keeps the numbers in the text: the row window is part of its shapes.
    const bigquery = new QueryPlanner(model.compilers, catalog, 'bigquery');
    expect(plan(bigquery, { measures: ['sales.revenue'], dimensions: ['sales.coupon'], limit: 5, offset: 10 }).sql).toMatch(/LIMIT 5 OFFSET 10$/);
  });

  it('accepts a granularity suffix in dimensions', () => {
    const p = plan(duckdb, { measures: ['sales.revenue'], dimensions: ['sales.order_date.month'] });
    expect(p.columns.find((c) => c.kind === 'timeDimension')?.names).toEqual(['sales.order_date.month', 'sales.order_date']);
  });

  it('reports each misuse with its code, member and field', () => {
    const cases: [unknown, MetricsQueryError['code'], string | undefined, string][] = [
      [{ measures: ['sales.foo'] }, 'UNKNOWN_MEMBER', 'sales.foo', 'Unknown member "sales.foo" in measures'],
      [{ measures: ['sales.revenue'], filters: [{ member: 'sales.zzz', operator: 'equals', values: ['a'] }] }, 'UNKNOWN_MEMBER', 'sales.zzz', 'in filters'],
      [{ measures: ['orders.count'] }, 'UNKNOWN_MEMBER', 'orders.count', 'is not a public view member'],
      [{ measures: ['sales.channel'] }, 'INVALID_QUERY', 'sales.channel', 'is a dimension; expected measure'],
      [{ measures: ['sales.revenue'], segments: ['sales.revenue'] }, 'INVALID_QUERY', 'sales.revenue', 'expected segment'],
      [{ measures: ['sales.revenue'], dimensions: ['sales.order_date.fortnight'] }, 'INVALID_QUERY', 'sales.order_date', 'Invalid granularity'],
      [{ measures: ['sales.revenue'], filters: [{ member: 'sales.channel', operator: 'equals' }] }, 'INVALID_QUERY', 'sales.channel', 'filters[0].values'],
      [{ measures: ['sales.revenue'], filters: [{ member: 'sales.channel', operator: 'inDateRange', values: ['2025-01-01'] }] }, 'INVALID_QUERY', 'sales.channel', 'time dimension'],
      [{ measures: ['sales.revenue'], filters: [{ member: 'sales.order_date', operator: 'afterDate', values: ['2025-02-30'] }] }, 'INVALID_DATE_RANGE', 'sales.order_date', 'filters[0].values'],
      [{ measures: ['sales.revenue'], timeDimensions: [{ dimension: 'sales.order_date', dateRange: ['2025-03-01T00:00:00Z', '2025-03-02'] }] }, 'INVALID_DATE_RANGE', 'sales.order_date', 'local to the query timezone'],
      [{ segments: ['sales.sales_only'] }, 'INVALID_QUERY', undefined, 'at least one measure'],
    ];
    for (const [input, code, member, text] of cases) {
      const err = planError(input);
      expect([err.code, err.member], JSON.stringify(input)).toEqual([code, member]);
      expect(err.message).toContain(text);
    }
  });

  it('annotates result members with titles, formats and granularity', () => {
    const p = plan(duckdb, { measures: ['sales.average_ticket'], dimensions: ['sales.channel'], timeDimensions: [{ dimension: 'sales.order_date', granularity: 'week' }] });
    expect(p.annotation.measures[0]).toMatchObject({ name: 'sales.average_ticket', shortTitle: 'Average ticket', format: 'currency', currency: 'BRL' });
    expect(p.annotation.dimensions.map((d) => d.name)).toEqual(['sales.channel']);
    expect(p.annotation.timeDimensions[0]).toMatchObject({ name: 'sales.order_date.week', granularity: 'week', type: 'time' });
  });

  it('generates BigQuery SQL from the same model', () => {
    const bigquery = new QueryPlanner(model.compilers, catalog, 'bigquery');
    const p = plan(bigquery, { measures: ['sales.revenue', 'sales.cancellation_rate'], timeDimensions: [{ dimension: 'sales.order_date', granularity: 'day', dateRange: ['2025-03-01', '2025-03-31'] }] });
    const sql = p.sql.replace(/\s+/g, ' ');
    expect(sql).toContain("DATETIME(`orders`.created_at, 'America/Sao_Paulo')");
    expect(sql).toContain('FROM gold.fct_orders AS `orders`');
    expect(sql).not.toContain('DOUBLE');
    expect(p.params).toEqual(['2025-03-01T03:00:00.000000Z', '2025-04-01T02:59:59.999999Z']);
  });
});
