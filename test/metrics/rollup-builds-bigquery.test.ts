import { afterEach, describe, expect, it } from 'vitest';
import { compileModel } from '../../src/metrics/cube/model-compiler.js';
import { queryClassFor } from '../../src/metrics/cube/dialect-queries.js';
import { rollupDefinitions, type RollupDefinition } from '../../src/metrics/cube/rollup-definitions.js';
import { metricsQuerySchema, type MetricsQuery } from '../../src/metrics/metrics-query.js';
import { versionedTable } from '../../src/metrics/pre-aggregations/rollup-table-name.js';
import { createSemanticEngine, type SemanticEngine } from '../../src/metrics/semantic-engine.js';
import { BigQueryTableNames } from '../../src/warehouse/bigquery/bigquery-table-names.js';
import { DataVersions } from '../../src/warehouse/data-version.js';
import { expectBigQuerySql, goldenText, kindOf, sessionOf, typesOf } from '../fixtures/bigquery-sql-checks.js';
import { wireRow, type FakeBigQuery } from '../fixtures/fake-bigquery.js';
import { fakeBigQueryPerFile } from '../fixtures/fake-bigquery-per-file.js';
import { roleContext } from '../fixtures/security-contexts.js';
import { expectServeGolden, openFakeBigQueryWarehouse, T } from '../fixtures/serve-bigquery.js';
import { BUSINESS_TZ, MODEL_DIR } from './gold-fixtures.js';

/**
 * The model's rollups built and read on BigQuery, against the fake BigQuery REST server. BigQuery
 * runs no CREATE TABLE or DROP TABLE inside a transaction, so a build is the data version read,
 * the dataset's catalog listed, one CREATE TABLE … AS (Cube's BigQuery SQL) per missing rollup and
 * the version read again, each its own job; stale builds are dropped only when the version held.
 * `test/golden/serve-bigquery/rollup-builds.sql` holds a build as BigQuery receives it.
 */
let fake: FakeBigQuery;
fakeBigQueryPerFile((f) => (fake = f));

let engine: SemanticEngine | undefined;
afterEach(async () => {
  await engine?.close();
  engine = undefined;
});

const queries = () => fake.jobs.filter((j) => j.kind === 'query');
const sqls = () => queries().map((j) => j.sql!);

let rollup: RollupDefinition | undefined;
/** The model's one rollup as the BigQuery dialect builds it. */
async function salesDaily(): Promise<RollupDefinition> {
  rollup ??= rollupDefinitions((await compileModel(MODEL_DIR)).compilers, queryClassFor('bigquery'), BUSINESS_TZ)[0]!;
  return rollup;
}

/** Answers the version reads with `versions` in turn (the last one repeats) and the catalog with `tables`. */
function answer(versions: number[], tables: readonly string[]): void {
  let reads = 0;
  fake.answer((sql) => {
    if (sql.startsWith('SELECT version FROM')) {
      const v = versions[Math.min(reads++, versions.length - 1)]!;
      return { schema: [{ name: 'version', type: 'INT64' }], rows: [wireRow([v])] };
    }
    if (sql.includes('INFORMATION_SCHEMA.TABLES')) return { schema: [{ name: 'table_name', type: 'STRING' }], rows: tables.map((t) => wireRow([t])) };
    return undefined;
  });
}

async function startEngine(version: number): Promise<SemanticEngine> {
  const dataVersions = new DataVersions();
  dataVersions.publish(version);
  engine = await createSemanticEngine({
    warehouse: openFakeBigQueryWarehouse(fake), modelDir: MODEL_DIR, dataVersions, timezone: BUSINESS_TZ, cache: { maxEntries: 10, ttlMs: 0 }, preAggregations: true,
  });
  await engine.preAggregations?.settled();
  return engine;
}

describe('rollup builds on BigQuery', () => {
  it('build the missing rollup outside any transaction, keep the previous build and drop the others, in the statements of the golden file', async () => {
    const r = await salesDaily();
    const name = (v: number) => versionedTable(r, v).name;
    // v5 is older than the previous build, an old model's build is stale, a table that is no build stays.
    answer([7], [name(5), name(6), 'orders_sales_daily_0123456789_v6', 'orders_sales_daily']);
    const e = await startEngine(7);
    expect(sqls()).toEqual([
      `SELECT version FROM ${T('ops_data_versions')} WHERE layer = ?`,
      `SELECT SUBSTR(table_name, LENGTH(?) + 1) AS table_name FROM \`farol-test.analytics.INFORMATION_SCHEMA.TABLES\` WHERE STARTS_WITH(table_name, ?)`,
      `CREATE TABLE ${T(`preagg_${name(7)}`)} AS ${new BigQueryTableNames('farol-test', 'analytics').qualifyTables(r.sql)}`,
      `SELECT version FROM ${T('ops_data_versions')} WHERE layer = ?`,
      `DROP TABLE IF EXISTS ${T(`preagg_${name(5)}`)}`,
      `DROP TABLE IF EXISTS ${T('preagg_orders_sales_daily_0123456789_v6')}`,
    ]);
    expect(queries().every((j) => sessionOf(j) === undefined)).toBe(true);
    expect(queries().map(kindOf)).toEqual(['metrics', 'metrics', 'execute', 'metrics', 'execute', 'execute']);
    expect(typesOf(queries()[1]!)).toEqual(['STRING', 'STRING']);
    expect(queries()[1]!.resource.configuration).toMatchObject({ query: { queryParameters: [{ parameterValue: { value: 'preagg_' } }, { parameterValue: { value: 'preagg_' } }] } });
    expectBigQuerySql(queries(), []);
    expect(e.preAggregations!.built().map((b) => [b.dataVersion, b.table])).toEqual([[7, `preagg.${name(7)}`], [6, `preagg.${name(6)}`]]);
    expectServeGolden('rollup-builds.sql', goldenText(queries()), 'test/metrics/rollup-builds-bigquery.test.ts');
  });

  it('are read by a matching query as the build of the answer\'s data version, qualified into the dataset', async () => {
    const r = await salesDaily();
    answer([7], [versionedTable(r, 7).name]);
    const e = await startEngine(7);
    // Built already: nothing created, nothing dropped.
    expect(sqls()).toHaveLength(2);
    fake.jobs.length = 0;
    const q: MetricsQuery = metricsQuerySchema.parse({ measures: ['sales.revenue', 'sales.orders'], dimensions: ['sales.channel'], timeDimensions: [{ dimension: 'sales.order_date', granularity: 'month' }] });
    const result = await e.load(q, roleContext('analyst'));
    expect(result.servedFrom).toBe('pre-aggregation');
    const [read] = queries();
    expect(read!.sql).toContain(`FROM ${T(`preagg_${versionedTable(r, 7).name}`)}`);
    expect(read!.sql).not.toContain('gold_');
    expectBigQuerySql(queries(), []);
  });

  it('drop what they built when gold moved during the build, and build again for the newer version', async () => {
    const r = await salesDaily();
    const name = (v: number) => versionedTable(r, v).name;
    answer([7, 8, 8, 8], [name(6)]);
    const e = await startEngine(7);
    expect(sqls().filter((s) => !s.startsWith('SELECT'))).toEqual([
      `CREATE TABLE ${T(`preagg_${name(7)}`)} AS ${new BigQueryTableNames('farol-test', 'analytics').qualifyTables(r.sql)}`,
      `DROP TABLE IF EXISTS ${T(`preagg_${name(7)}`)}`,
      `CREATE TABLE ${T(`preagg_${name(8)}`)} AS ${new BigQueryTableNames('farol-test', 'analytics').qualifyTables(r.sql)}`,
    ]);
    // The catalog the fake answers still lists v6 only: v6 is the previous build kept beside v8.
    expect(e.preAggregations!.built().map((b) => b.dataVersion)).toEqual([8, 6]);
    expectBigQuerySql(queries(), []);
  });
});

describe('a rollup build that fails on BigQuery', () => {
  it('drops the table it was creating and leaves answers to gold', async () => {
    const r = await salesDaily();
    const name = versionedTable(r, 7).name;
    fake.answer((sql) => {
      if (sql.startsWith('SELECT version FROM')) return { schema: [{ name: 'version', type: 'INT64' }], rows: [wireRow([7])] };
      if (sql.startsWith('CREATE TABLE')) return { error: { reason: 'quotaExceeded', message: 'Quota exceeded: too many table update operations' } };
      return undefined;
    });
    const e = await startEngine(7);
    expect(sqls().slice(2)).toEqual([
      `CREATE TABLE ${T(`preagg_${name}`)} AS ${new BigQueryTableNames('farol-test', 'analytics').qualifyTables(r.sql)}`,
      `DROP TABLE IF EXISTS ${T(`preagg_${name}`)}`,
    ]);
    expect(e.preAggregations!.built()).toEqual([]);
  });
});

describe('BigQuery names of the rollup layer and the catalog', () => {
  const names = new BigQueryTableNames('acme-data', 'farol');
  it('qualify preagg tables like the layers, and information_schema views into the dataset', () => {
    expect(names.qualifyTables('SELECT * FROM preagg.orders_sales_daily_0123456789_v3 p')).toBe('SELECT * FROM `acme-data.farol.preagg_orders_sales_daily_0123456789_v3` p');
    expect(names.qualifyTables('SELECT table_name FROM information_schema.tables WHERE true')).toBe('SELECT table_name FROM `acme-data.farol.INFORMATION_SCHEMA.TABLES` WHERE true');
    expect(names.qualifyTables('SELECT table_name FROM INFORMATION_SCHEMA.COLUMNS')).toBe('SELECT table_name FROM `acme-data.farol.INFORMATION_SCHEMA.COLUMNS`');
    for (const sql of ["SELECT 'information_schema.tables'", 'SELECT x.information_schema.tables', 'SELECT my_information_schema.tables', '-- information_schema.tables']) {
      expect(names.qualifyTables(sql), sql).toBe(sql);
    }
  });
});
