import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { cubeQueryBases } from '../../src/metrics/cube/cube-modules.js';
import { toCubeQueryOptions } from '../../src/metrics/cube/cube-query-adapter.js';
import type { CubeQueryClass } from '../../src/metrics/cube/cube-types.js';
import { defineDuckDbQuery } from '../../src/metrics/cube/duckdb-query.js';
import { compileModel, type CompiledModel } from '../../src/metrics/cube/model-compiler.js';
import { ModelCatalog } from '../../src/metrics/cube/model-catalog.js';
import { resolveQuery } from '../../src/metrics/cube/query-resolution.js';
import { useModelDirs } from '../fixtures/model-dir.js';
import { BUSINESS_TZ, MODEL_DIR, openGoldFixture, type GoldFixture } from './gold-fixtures.js';

/**
 * Farol's DuckDB dialect renders filtered measures with `FILTER (WHERE …)` and root-cube key
 * counts as `count(*)` (src/metrics/cube/filtered-measures.ts). Here every measure of every view
 * is answered both ways on the fixture star and must give the same numbers as Cube's own
 * rendering. Each rendering has its own compiled model: Cube caches built SQL by class name.
 */
let fixture: GoldFixture;
let farol: { model: CompiledModel; cls: CubeQueryClass };
let cube: { model: CompiledModel; cls: CubeQueryClass };
let catalog: ModelCatalog;

beforeAll(async () => {
  fixture = await openGoldFixture();
  farol = { model: await compileModel(MODEL_DIR), cls: defineDuckDbQuery(cubeQueryBases()) };
  cube = { model: await compileModel(MODEL_DIR), cls: defineDuckDbQuery(cubeQueryBases(), { cheapAggregates: false }) };
  catalog = ModelCatalog.fromCompilers(farol.model.compilers);
});

afterAll(async () => {
  await fixture?.cleanup();
});

function build(which: { model: CompiledModel; cls: CubeQueryClass }, input: unknown): { sql: string; params: unknown[] } {
  const { query } = resolveQuery(input, BUSINESS_TZ);
  const [sql, params] = new which.cls(which.model.compilers, { ...toCubeQueryOptions(query), disableExternalPreAggregations: true, useNativeSqlPlanner: false }).buildSqlAndParams();
  return { sql, params };
}

/** Rows as sorted JSON: rows tied on the ORDER BY may come back in either order. */
async function answer(built: { sql: string; params: unknown[] }): Promise<string[]> {
  return (await fixture.warehouse.query(built.sql, built.params as never)).map((r) => JSON.stringify(r)).sort();
}

describe('filtered measures in the DuckDB dialect', () => {
  it('answer every measure of every view as Cube renders it, overall, by a dimension and by day', async () => {
    let compared = 0;
    let rewritten = 0;
    for (const view of catalog.views) {
      const dimension = view.dimensions.find((d) => d.kind === 'dimension');
      const time = view.dimensions.find((d) => d.kind === 'timeDimension');
      for (const measure of view.measures) {
        // A rolling window needs a date range to end in; the others are asked without one too.
        const rolling = catalog.isCumulative(measure.name);
        const range = rolling && time ? { timeDimensions: [{ dimension: time.name, dateRange: ['2025-03-01', '2025-03-31'] }] } : {};
        const shapes = [
          { measures: [measure.name], ...range },
          ...(dimension ? [{ measures: [measure.name], dimensions: [dimension.name], ...range }] : []),
          ...(time ? [{ measures: [measure.name], timeDimensions: [{ dimension: time.name, granularity: 'day', ...(rolling ? { dateRange: ['2025-03-01', '2025-03-31'] } : {}) }] }] : []),
        ];
        for (const input of shapes) {
          const ours = build(farol, input);
          const theirs = build(cube, input);
          if (ours.sql !== theirs.sql) rewritten++;
          expect(theirs.sql, measure.name).not.toContain('FILTER (WHERE');
          expect(await answer(ours), `${JSON.stringify(input)}\n${ours.sql}`).toEqual(await answer(theirs));
          compared++;
        }
      }
    }
    expect(compared).toBeGreaterThan(50);
    expect(rewritten).toBeGreaterThan(20);
  });

  it('renders the sales KPIs the way an analyst writes them', () => {
    const sql = build(farol, { measures: ['sales.revenue', 'sales.orders', 'sales.placed_orders', 'sales.customers'] }).sql;
    expect(sql).toContain('sum("orders".total) FILTER (WHERE ("orders".is_sale)) "sales__revenue"');
    expect(sql).toContain('count(*) FILTER (WHERE ("orders".is_sale)) "sales__orders"');
    expect(sql).toContain('count(*) "sales__placed_orders"');
    expect(sql).toContain('count(distinct "orders".customer_key) FILTER (WHERE ("orders".is_sale)) "sales__customers"');
    expect(sql).not.toContain('CASE WHEN');
  });

  it('leaves BigQuery on CASE WHEN: it has no FILTER clause', async () => {
    const { QueryPlanner } = await import('../../src/metrics/cube/query-planner.js');
    const bigquery = new QueryPlanner(farol.model.compilers, catalog, 'bigquery');
    const { query, key } = resolveQuery({ measures: ['sales.revenue', 'sales.orders'] }, BUSINESS_TZ);
    const sql = bigquery.plan(query, key).sql;
    expect(sql).toContain('sum(CASE WHEN (`orders`.is_sale) THEN `orders`.total END)');
    expect(sql).toContain('count(CASE WHEN (`orders`.is_sale) THEN `orders`.order_key END)');
    expect(sql).not.toContain('FILTER');
  });
});

describe('counting a primary key', () => {
  const modelDir = useModelDirs();

  it('relies on keys the gold tables never leave NULL', async () => {
    const nullable = new Map(
      (await fixture.warehouse.query<{ t: string; c: string; n: string }>(
        "SELECT table_schema || '.' || table_name AS t, column_name AS c, is_nullable AS n FROM information_schema.columns",
      )).map((r) => [`${r.t}.${r.c}`, r.n]),
    );
    const dir = path.join(MODEL_DIR, 'cubes');
    let checked = 0;
    for (const file of fs.readdirSync(dir)) {
      const doc = parseYaml(fs.readFileSync(path.join(dir, file), 'utf8')) as { cubes: { name: string; sql_table?: string; sql?: string; dimensions: { sql: string; primary_key?: boolean }[] }[] };
      for (const c of doc.cubes) {
        for (const key of c.dimensions.filter((d) => d.primary_key)) {
          const column = /^\{CUBE\}\.(\w+)$/.exec(key.sql)?.[1];
          // CONCAT never gives NULL in DuckDB (NULL parts are skipped).
          if (!column) expect(key.sql, `${c.name}'s primary key`).toMatch(/^CONCAT\(/);
          // A cube over its own SELECT must leave its key's NULLs out in that SELECT.
          else if (c.sql_table === undefined) expect(c.sql, `${c.name}'s SQL, for its primary key ${column}`).toMatch(new RegExp(`\\b${column} IS NOT NULL\\b`));
          else expect(nullable.get(`${c.sql_table}.${column}`), `${c.sql_table}.${column}, the primary key of ${c.name}`).toBe('NO');
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThanOrEqual(8);
  });

  /** `items` is joined to `orders` as its many side; `stores` as its one side. */
  const files = {
    'cubes/orders.yml': `cubes:
  - name: orders
    sql_table: gold.fct_orders
    joins:
      - name: stores
        relationship: many_to_one
        sql: "{CUBE}.store_key = {stores}.store_key"
    measures:
      - name: count
        type: count
    dimensions:
      - name: order_key
        sql: "{CUBE}.order_key"
        type: string
        primary_key: true
      - name: channel_key
        sql: "{CUBE}.channel_key"
        type: string
`,
    'cubes/stores.yml': `cubes:
  - name: stores
    sql_table: gold.dim_store
    measures:
      - name: count
        type: count
      - name: open_count
        type: count
        filters:
          - sql: "{CUBE}.store_name IS NOT NULL"
    dimensions:
      - name: store_key
        sql: "{CUBE}.store_key"
        type: string
        primary_key: true
`,
  };

  it('counts rows only in the root cube of the joins, where no LEFT JOIN adds NULL keys', async () => {
    const model = await compileModel(modelDir(files));
    const cls = defineDuckDbQuery(cubeQueryBases());
    const sql = (options: Record<string, unknown>) =>
      new cls(model.compilers, { timezone: 'UTC', rowLimit: 10, limit: 10, useNativeSqlPlanner: false, ...options }).buildSqlAndParams()[0];
    expect(sql({ measures: ['orders.count'] })).toContain('count(*) "orders__count"');
    // Orders without a store are null-extended rows of stores: counting them would be wrong.
    const joined = sql({ measures: ['stores.count', 'stores.open_count'], dimensions: ['orders.channel_key'] });
    expect(joined).not.toContain('count(*)');
    expect(joined).toContain('count(distinct "stores".store_key) "stores__count"');
    expect(joined).toContain('count(distinct "stores".store_key) FILTER (WHERE ("stores".store_name IS NOT NULL))');
  });
});
