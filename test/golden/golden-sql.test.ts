import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileModel } from '../../src/metrics/cube/model-compiler.js';
import { ModelCatalog } from '../../src/metrics/cube/model-catalog.js';
import { QueryPlanner } from '../../src/metrics/cube/query-planner.js';
import { resolveQuery } from '../../src/metrics/cube/query-resolution.js';
import { BigQueryTableNames } from '../../src/warehouse/bigquery/bigquery-table-names.js';
import type { WarehouseDialect } from '../../src/warehouse/warehouse.js';
import { goldenQueries, type GoldenQuery } from './golden-queries.js';

/**
 * The SQL each warehouse receives for every view and KPI, kept as readable files under
 * test/golden/<dialect>/. A change to the model, Cube or the planner shows up as a diff a
 * reviewer reads. Rewrite them with `UPDATE_GOLDEN=1 npx vitest run test/golden`.
 * BigQuery files hold the job's SQL exactly: table names qualified into a sample dataset
 * (`farol-golden.analytics`), as the adapter sends them.
 */
const MODEL_DIR = fileURLToPath(new URL('../../cube/model', import.meta.url));
const GOLDEN_DIR = fileURLToPath(new URL('.', import.meta.url));
const TZ = 'America/Sao_Paulo';
const UPDATE = process.env.UPDATE_GOLDEN === '1';
const BIGQUERY_SAMPLE = new BigQueryTableNames('farol-golden', 'analytics');

const DIALECTS: Record<WarehouseDialect, (sql: string) => string> = {
  bigquery: (sql) => BIGQUERY_SAMPLE.qualifyTables(sql),
  duckdb: (sql) => sql,
};

let cases: GoldenQuery[];
const planners = new Map<WarehouseDialect, QueryPlanner>();

beforeAll(async () => {
  const model = await compileModel(MODEL_DIR);
  const catalog = ModelCatalog.fromCompilers(model.compilers);
  cases = goldenQueries(catalog);
  for (const d of Object.keys(DIALECTS) as WarehouseDialect[]) planners.set(d, new QueryPlanner(model.compilers, catalog, d, { maxEntries: 0 }));
});

function render(dialect: WarehouseDialect, c: GoldenQuery): string {
  const { query, key } = resolveQuery(c.query, TZ);
  const plan = planners.get(dialect)!.plan(query, key);
  return [
    `-- ${c.view}: ${c.name} (${dialect}, timezone ${TZ})`,
    `-- query:  ${JSON.stringify(c.query)}`,
    `-- params: ${JSON.stringify(plan.params)}`,
    DIALECTS[dialect](plan.sql).trim(),
    '',
  ].join('\n');
}

function listSql(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.sql')).map((f) => f.split(path.sep).join('/')).sort();
}

describe.each(Object.keys(DIALECTS) as WarehouseDialect[])('golden %s SQL', (dialect) => {
  const dir = path.join(GOLDEN_DIR, dialect);

  it('has a golden file for every public measure, time grain, segment and breakdown of every view, and no stale one', () => {
    expect(cases.length).toBeGreaterThan(0);
    const expected = cases.map((c) => `${c.view}/${c.name}.sql`).sort();
    if (UPDATE) {
      for (const stale of listSql(dir).filter((f) => !expected.includes(f))) fs.rmSync(path.join(dir, stale));
      for (const c of cases) {
        const file = path.join(dir, c.view, `${c.name}.sql`);
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, render(dialect, c));
      }
    }
    const missing = expected.filter((f) => !listSql(dir).includes(f));
    expect(missing, `no golden file for these queries; run UPDATE_GOLDEN=1 npx vitest run test/golden`).toEqual([]);
    expect(listSql(dir).filter((f) => !expected.includes(f)), 'golden files no query produces any more').toEqual([]);
  });

  it('generates exactly the SQL in each golden file', () => {
    const diffs = cases.filter((c) => {
      const file = path.join(dir, c.view, `${c.name}.sql`);
      return !fs.existsSync(file) || fs.readFileSync(file, 'utf8') !== render(dialect, c);
    });
    expect(diffs.map((c) => `${c.view}/${c.name}.sql`), 'SQL differs from its golden file; review, then UPDATE_GOLDEN=1 npx vitest run test/golden').toEqual([]);
  });

  if (dialect === 'bigquery') {
    it('sends BigQuery only qualified tables, parameters for every value, and pruning filters on the partition column', () => {
      for (const c of cases) {
        const sql = fs.readFileSync(path.join(dir, c.view, `${c.name}.sql`), 'utf8').split('\n').filter((l) => !l.startsWith('--')).join('\n');
        expect(sql, c.name).not.toMatch(/(?<![.`\w])(bronze|silver|gold|ops)\.\w/);
        expect(sql, c.name).not.toContain("O'Brien");
        // Views over the order facts (partitioned by created_at) prune by it; store targets are by month.
        if (c.name.startsWith('time.') && ['sales', 'product_sales'].includes(c.view)) expect(sql, c.name).toMatch(/`\w+`\.created_at >= TIMESTAMP\(\?\)/);
      }
    });
  }
});
