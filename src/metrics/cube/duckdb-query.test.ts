import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { cubeQueryBases } from './cube-modules.js';
import { toCubeQueryOptions } from './cube-query-adapter.js';
import type { CubeQueryClass } from './cube-types.js';
import { defineDuckDbQuery } from './duckdb-query.js';
import { compileModel, type CompiledModel } from './model-compiler.js';
import { resolveQuery } from './query-resolution.js';

const MODEL_DIR = fileURLToPath(new URL('../../../cube/model', import.meta.url));
const TZ = 'America/Sao_Paulo';
const MARCH = ['2025-03-01', '2025-03-31'];

/** Queries that reach each part of the dialect: every granularity, filter operator and cast. */
const QUERIES: readonly unknown[] = [
  ...['second', 'minute', 'hour', 'day', 'week', 'month', 'quarter', 'year'].map((granularity) => ({
    measures: ['sales.revenue', 'sales.customers'],
    timeDimensions: [{ dimension: 'sales.order_date', granularity, dateRange: MARCH }],
  })),
  { measures: ['sales.orders'], dimensions: ['sales.order_date.week', 'sales.channel'], timezone: 'Europe/Berlin' },
  { measures: ['sales.cancellation_rate', 'sales.average_ticket'], dimensions: ['sales.store'], timeDimensions: [{ dimension: 'sales.order_date', dateRange: '2025-03-14' }], timezone: 'UTC' },
  {
    measures: ['sales.revenue'],
    dimensions: ['sales.channel', 'sales.coupon'],
    filters: [
      { member: 'sales.channel', operator: 'equals', values: ['Loja', 'App'] },
      { member: 'sales.channel', operator: 'notEquals', values: ['Marketplace'] },
      { member: 'sales.coupon', operator: 'contains', values: ['PROMO', '50%'] },
      { member: 'sales.coupon', operator: 'notContains', values: ['TEST'] },
      { member: 'sales.store', operator: 'startsWith', values: ['Loja'] },
      { member: 'sales.store', operator: 'notStartsWith', values: ['X'] },
      { member: 'sales.store', operator: 'endsWith', values: ['Centro'] },
      { member: 'sales.store', operator: 'notEndsWith', values: ['Y'] },
      { member: 'sales.utm_campaign', operator: 'set' },
      { member: 'sales.utm_source', operator: 'notSet' },
    ],
  },
  {
    measures: ['sales.revenue', 'sales.orders'],
    dimensions: ['sales.channel'],
    filters: [
      { member: 'sales.revenue', operator: 'gt', values: ['100.5'] },
      { member: 'sales.orders', operator: 'gte', values: ['2'] },
      { member: 'sales.units_sold', operator: 'lt', values: ['1000'] },
      { member: 'sales.average_ticket', operator: 'lte', values: ['900'] },
    ],
    order: [['sales.revenue', 'desc']],
    limit: 5,
    offset: 10,
  },
  {
    measures: ['sales.revenue'],
    segments: ['sales.sales_only'],
    filters: [
      {
        or: [
          { member: 'sales.order_date', operator: 'inDateRange', values: ['2025-03-01', '2025-03-10T12:00'] },
          { member: 'sales.order_date', operator: 'notInDateRange', values: ['2025-03-14'] },
          { and: [{ member: 'sales.order_date', operator: 'beforeDate', values: ['2025-03-20'] }, { member: 'sales.order_date', operator: 'afterDate', values: ['2025-03-02T08:00'] }] },
        ],
      },
      { member: 'sales.order_date', operator: 'beforeOrOnDate', values: ['2025-03-30'] },
      { member: 'sales.order_date', operator: 'afterOrOnDate', values: ['2025-02-01'] },
    ],
  },
  {
    measures: ['product_sales.units', 'product_sales.item_revenue', 'product_sales.average_unit_price'],
    dimensions: ['product_sales.product', 'product_sales.brand'],
    timeDimensions: [{ dimension: 'product_sales.order_date', granularity: 'month', dateRange: MARCH }],
    filters: [{ member: 'product_sales.unit_price', operator: 'gt', values: ['10'] }],
  },
];

let cubeModel: CompiledModel;
let farolModel: CompiledModel;
let cubeClass: CubeQueryClass;
let farolClass: CubeQueryClass;

beforeAll(async () => {
  // One compiled model per class: Cube caches built queries per compiler, keyed by class name.
  [cubeModel, farolModel] = await Promise.all([compileModel(MODEL_DIR), compileModel(MODEL_DIR)]);
  const driver = createRequire(import.meta.url)('@cubejs-backend/duckdb-driver') as { DuckDBDriver: { dialectClass(): CubeQueryClass } };
  cubeClass = driver.DuckDBDriver.dialectClass();
  farolClass = defineDuckDbQuery(cubeQueryBases());
});

function build(cls: CubeQueryClass, model: CompiledModel, input: unknown) {
  const built = new cls(model.compilers, { ...toCubeQueryOptions(resolveQuery(input, TZ).query), useNativeSqlPlanner: false });
  const [sql, params] = built.buildSqlAndParams();
  return { sql, params, aliases: built.aliasNameToMember };
}

describe("Farol's copy of Cube's DuckDB dialect", () => {
  it('builds byte-identical SQL, parameters and aliases', () => {
    for (const input of QUERIES) {
      expect(build(farolClass, farolModel, input), JSON.stringify(input)).toEqual(build(cubeClass, cubeModel, input));
    }
  });

  it('has the same templates and helpers', () => {
    const options = { measures: ['sales.revenue'], timezone: 'UTC', rowLimit: 1 };
    type Dialect = {
      sqlTemplates(): unknown;
      dateBin(interval: string, source: string, origin: string): string;
      countDistinctApprox(sql: string): string;
      convertTz(field: string): string;
    };
    const cube = new cubeClass(cubeModel.compilers, options) as unknown as Dialect;
    const farol = new farolClass(farolModel.compilers, options) as unknown as Dialect;
    expect(farol.sqlTemplates()).toEqual(cube.sqlTemplates());
    expect(farol.dateBin('2 weeks', 'created_at', '2024-01-01T00:00:00.000')).toBe(cube.dateBin('2 weeks', 'created_at', '2024-01-01T00:00:00.000'));
    expect(farol.countDistinctApprox('customer_key')).toBe(cube.countDistinctApprox('customer_key'));
    expect(farol.convertTz('created_at')).toBe(cube.convertTz('created_at'));
  });
});
