import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { deleteCursor, readCursor, writeCursor } from '../../src/ingest/state/cursor-store.js';
import type { DataTestResult } from '../../src/pipeline/data-tests/data-test.js';
import { latestDataTestResults, recordDataTestResults } from '../../src/pipeline/data-tests/record-data-tests.js';
import {
  addRunCounts, finishRun, INTERRUPTED_RUN_ERROR, listRuns, markInterruptedRuns, setSourceStatus, sourceHealth, startRun,
} from '../../src/pipeline/run-log.js';
import { BIGQUERY_WAREHOUSE_MIGRATIONS } from '../../src/pipeline/warehouse-migrations.js';
import { BigQueryWarehouse } from '../../src/warehouse/bigquery/bigquery-warehouse.js';
import { DataVersions } from '../../src/warehouse/data-version.js';
import {
  CONTROL, expectBigQuerySql as expectBigQuerySqlOf, expectOneTransaction, goldenText, kindOf, paramsOf, typesOf,
} from '../fixtures/bigquery-sql-checks.js';
import { FAKE_TOKEN, wireRow, type FakeBigQuery, type QueryAnswer, type RecordedJob } from '../fixtures/fake-bigquery.js';
import { fakeBigQueryPerFile } from '../fixtures/fake-bigquery-per-file.js';

/**
 * The runner's bookkeeping (runs, cursors, source status, data versions, data-test results) on
 * the BigQuery adapter, against the fake BigQuery REST server: what each call sends, that every
 * statement is BigQuery SQL (no DuckDB-only syntax), that values travel only as typed parameters,
 * and that writes the port puts in a transaction arrive between BEGIN and COMMIT in one session.
 * `test/golden/ops-state/bigquery.sql` holds the whole sequence as BigQuery receives it
 * (rewrite with `UPDATE_GOLDEN=1 npx vitest run test/pipeline/ops-state-bigquery.test.ts`).
 */
const authClient = { getRequestHeaders: async () => new Headers({ authorization: `Bearer ${FAKE_TOKEN}` }) };
const AT = new Date('2025-03-14T13:00:00.000Z');
const AT_MICROS = String(AT.getTime() * 1000);
const RUN_ID = 'run-4c1d9e2a';
const CURSOR = '2025-03-14T00:00:00Z|page=3';
const ERROR = 'VTEX answered 503 three times';
/** Values a test passes; none may ever appear in SQL text. */
const VALUES = [RUN_ID, CURSOR, ERROR, INTERRUPTED_RUN_ERROR, 'vtex-orders', 'vtex-catalog', 'silver.orders.currency.accepted_values', 'vtex-orders:1234-01'];
const GOLDEN = fileURLToPath(new URL('../golden/ops-state/bigquery.sql', import.meta.url));

let fake: FakeBigQuery;

fakeBigQueryPerFile((f) => (fake = f));

function open(): BigQueryWarehouse {
  return new BigQueryWarehouse({ projectId: 'farol-test', dataset: 'analytics', location: 'southamerica-east1', apiEndpoint: fake.url, authClient, pollMs: 1 });
}

const queries = () => fake.jobs.filter((j) => j.kind === 'query');
const sqls = () => queries().map((j) => j.sql!);
const expectBigQuerySql = (jobs: readonly RecordedJob[]) => expectBigQuerySqlOf(jobs, VALUES);

function result(testId: string, over: Partial<DataTestResult> = {}): DataTestResult {
  return {
    testId, table: 'silver.orders', column: 'currency', kind: 'accepted_values', severity: 'error', status: 'failed',
    failingCount: 1, sampleKeys: ['vtex-orders:1234-01'], message: `${testId}: 1 row not in (BRL)`, ...over,
  };
}

describe('ops tables on BigQuery', () => {
  it('are created by migration 0003-ops in BigQuery DDL, once, after the serving and bronze tables', async () => {
    fake.answer((sql) => (sql.startsWith('SELECT version FROM') ? { schema: [{ name: 'version', type: 'STRING' }], rows: [wireRow(['0001-serving']), wireRow(['0002-bronze'])] } : undefined));
    const result = await open().migrate(BIGQUERY_WAREHOUSE_MIGRATIONS);
    expect(result).toEqual({ applied: ['0003-ops', '0004-silver', '0005-alerts-ops', '0006-gold-seed'], current: '0006-gold-seed' });
    const ddl = sqls()[2]!;
    for (const table of ['ops_cursors', 'ops_runs', 'ops_source_status', 'ops_data_tests']) {
      expect(ddl).toContain(`CREATE TABLE IF NOT EXISTS \`farol-test.analytics.${table}\` (`);
    }
    expect(ddl).toContain('PRIMARY KEY (source, name) NOT ENFORCED');
    expect(ddl).toContain('run_id          STRING PRIMARY KEY NOT ENFORCED');
    expect(ddl).toContain('records_in      INT64 DEFAULT 0 NOT NULL');
    expect(ddl).toContain('started_at      TIMESTAMP NOT NULL');
    expect(ddl).not.toMatch(/CREATE SCHEMA|BIGINT|VARCHAR|TIMESTAMPTZ/);
    expectBigQuerySql([fake.jobs[2]!]);
    expect(sqls()[3]).toBe('INSERT INTO `farol-test.analytics.ops_schema_migrations` (version, applied_at) VALUES (?, CURRENT_TIMESTAMP())');
    expect(paramsOf(fake.jobs[3]!)).toEqual([{ parameterType: { type: 'STRING' }, parameterValue: { value: '0003-ops' } }]);
  });
});

describe('cursors on BigQuery', () => {
  it('move with a MERGE inside the caller\'s transaction, the time a TIMESTAMP parameter', async () => {
    const wh = open();
    await wh.transaction((tx) => writeCursor(tx, 'vtex-orders', 'extract', CURSOR, AT));
    const [merge] = expectOneTransaction(queries());
    expect(merge!.sql).toBe(`MERGE INTO \`farol-test.analytics.ops_cursors\` AS t
     USING (SELECT ? AS source, ? AS name, ? AS value, ? AS updated_at) AS s
     ON t.source = s.source AND t.name = s.name
     WHEN MATCHED THEN UPDATE SET value = s.value, updated_at = s.updated_at
     WHEN NOT MATCHED THEN INSERT (source, name, value, updated_at) VALUES (s.source, s.name, s.value, s.updated_at)`);
    expect(paramsOf(merge!)).toEqual([
      { parameterType: { type: 'STRING' }, parameterValue: { value: 'vtex-orders' } },
      { parameterType: { type: 'STRING' }, parameterValue: { value: 'extract' } },
      { parameterType: { type: 'STRING' }, parameterValue: { value: CURSOR } },
      { parameterType: { type: 'TIMESTAMP' }, parameterValue: { value: AT.toISOString() } },
    ]);
    expectBigQuerySql(queries());
  });

  it('are read and deleted by source and name', async () => {
    fake.answer((sql) => (sql.startsWith('SELECT value') ? { schema: [{ name: 'value', type: 'STRING' }], rows: [wireRow([CURSOR])] } : undefined));
    const wh = open();
    expect(await readCursor(wh, 'vtex-orders', 'extract')).toBe(CURSOR);
    await wh.transaction((tx) => deleteCursor(tx, 'vtex-orders', 'silver_seq'));
    expect(sqls()).toEqual([
      'SELECT value FROM `farol-test.analytics.ops_cursors` WHERE source = ? AND name = ?',
      'BEGIN TRANSACTION',
      'DELETE FROM `farol-test.analytics.ops_cursors` WHERE source = ? AND name = ?',
      'COMMIT TRANSACTION',
      'CALL BQ.ABORT_SESSION()',
    ]);
    expect(typesOf(queries()[2]!)).toEqual(['STRING', 'STRING']);
    expectBigQuerySql(queries());
  });
});

describe('runs and source status on BigQuery', () => {
  it('start, count up in a transaction, and finish (cancelled too) with typed parameters', async () => {
    const wh = open();
    await startRun(wh, { runId: RUN_ID, source: 'vtex-orders', entity: 'order', trigger: 'schedule', cursorBefore: undefined, at: AT });
    await wh.transaction((tx) => addRunCounts(tx, RUN_ID, { recordsIn: 100, cursorAfter: CURSOR }));
    await finishRun(wh, RUN_ID, 'cancelled', 'stopped: the service is shutting down', AT);
    const [start, ...rest] = queries();
    expect(kindOf(start!)).toBe('execute');
    expect(start!.sql).toContain("VALUES (?, ?, ?, ?, 'running', ?, 0, 0, 0, ?)");
    expect(paramsOf(start!).map((p) => [p.parameterType.type, p.parameterValue.value])).toEqual([
      ['STRING', RUN_ID], ['STRING', 'vtex-orders'], ['STRING', 'order'], ['STRING', 'schedule'], ['TIMESTAMP', AT.toISOString()], ['STRING', null],
    ]);
    const [counts] = expectOneTransaction(rest.slice(0, 4));
    expect(counts!.sql).toContain('data_version = coalesce(CAST(? AS BIGINT), data_version)');
    expect(paramsOf(counts!).map((p) => [p.parameterType.type, p.parameterValue.value])).toEqual([
      ['INT64', 100], ['INT64', 0], ['INT64', 0], ['STRING', CURSOR], ['STRING', null], ['STRING', RUN_ID],
    ]);
    const finish = rest[4]!;
    expect(finish.sql).toBe('UPDATE `farol-test.analytics.ops_runs` SET status = ?, ended_at = ?, error = ? WHERE run_id = ?');
    expect(typesOf(finish)).toEqual(['STRING', 'TIMESTAMP', 'STRING', 'STRING']);
    expect(paramsOf(finish)[0]!.parameterValue.value).toBe('cancelled');
    expectBigQuerySql(queries());
  });

  it('records runs a dead process left running as interrupted, and reports how many', async () => {
    fake.answer((sql) => (sql.startsWith('UPDATE') ? { numDmlAffectedRows: 2 } : undefined));
    expect(await markInterruptedRuns(open(), AT)).toBe(2);
    expect(sqls()).toEqual(["UPDATE `farol-test.analytics.ops_runs` SET status = 'failed', ended_at = ?, error = ? WHERE status = 'running'"]);
    expect(typesOf(queries()[0]!)).toEqual(['TIMESTAMP', 'STRING']);
    expectBigQuerySql(queries());
  });

  it('lists runs, newest first, in DuckDB\'s row shapes', async () => {
    fake.answer(() => ({
      schema: ['run_id', 'source', 'entity', 'trigger', 'status', 'started_at', 'ended_at', 'records_in', 'upserted', 'quarantined', 'error',
        'cursor_before', 'cursor_after', 'data_version'].map((name) => ({
        name, type: /_at$/.test(name) ? 'TIMESTAMP' : /records_in|upserted|quarantined|data_version/.test(name) ? 'INT64' : 'STRING',
      })),
      rows: [wireRow([RUN_ID, 'vtex-orders', 'order', 'schedule', 'failed', AT_MICROS, AT_MICROS, '100', '98', '2', ERROR, null, CURSOR, '7'])],
    }));
    const runs = await listRuns(open(), { source: 'vtex-orders', limit: 5 });
    expect(runs).toEqual([{
      run_id: RUN_ID, source: 'vtex-orders', entity: 'order', trigger: 'schedule', status: 'failed', started_at: AT.toISOString(), ended_at: AT.toISOString(),
      records_in: 100, upserted: 98, quarantined: 2, error: ERROR, cursor_before: null, cursor_after: CURSOR, data_version: 7,
    }]);
    expect(typesOf(queries()[0]!)).toEqual(['STRING', 'STRING', 'INT64']);
    expectBigQuerySql(queries());
  });

  it('sets a source\'s status with a MERGE and reads each source\'s health without DuckDB-only functions', async () => {
    fake.answer((sql) => (sql.startsWith('WITH') ? {
      schema: [
        { name: 'source', type: 'STRING' }, { name: 'last_success', type: 'TIMESTAMP' }, { name: 'last_status', type: 'STRING' },
        { name: 'last_error', type: 'STRING' }, { name: 'state', type: 'STRING' }, { name: 'message', type: 'STRING' }, { name: 'unapplied', type: 'INT64' },
      ],
      rows: [
        wireRow(['vtex-catalog', null, null, null, null, null, '0']),
        wireRow(['vtex-orders', AT_MICROS, 'failed', ERROR, 'stopped', 'credentials refused', '42']),
      ],
    } : undefined));
    const wh = open();
    await setSourceStatus(wh, 'vtex-orders', 'stopped', 'credentials refused', AT);
    const health = await sourceHealth(wh, ['vtex-catalog', 'vtex-orders'], { now: new Date(AT.getTime() + 90_500) });
    expect(health).toEqual([
      { source: 'vtex-catalog', state: 'active', message: null, lastSuccessAt: null, lagSeconds: null, lastRunStatus: null, lastError: null, unappliedRecords: 0 },
      { source: 'vtex-orders', state: 'stopped', message: 'credentials refused', lastSuccessAt: AT.toISOString(), lagSeconds: 91, lastRunStatus: 'failed', lastError: ERROR, unappliedRecords: 42 },
    ]);
    const [status, read] = queries();
    expect(status!.sql).toMatch(/^MERGE INTO `farol-test\.analytics\.ops_source_status` AS t/);
    expect(typesOf(status!)).toEqual(['STRING', 'STRING', 'STRING', 'TIMESTAMP']);
    expect(read!.sql).toMatch(/^WITH s AS \(SELECT \? AS source UNION ALL SELECT \? AS source\)/);
    expect(read!.sql).toContain('`farol-test.analytics.bronze_records`');
    expect(typesOf(read!)).toEqual(['STRING', 'STRING']);
    expectBigQuerySql(queries());
  });
});

describe('data versions on BigQuery', () => {
  it('load what is recorded, and bump in the transaction by a MERGE and a read of the new version', async () => {
    fake.answer((sql) => {
      if (sql.startsWith('SELECT layer')) {
        return { schema: [{ name: 'layer', type: 'STRING' }, { name: 'version', type: 'INT64' }, { name: 'changed_at', type: 'TIMESTAMP' }], rows: [wireRow(['gold', '6', AT_MICROS])] };
      }
      return sql.startsWith('SELECT version') ? { schema: [{ name: 'version', type: 'INT64' }], rows: [wireRow(['7'])] } : undefined;
    });
    const wh = open();
    const versions = await DataVersions.load(wh);
    expect([versions.current(), versions.refreshedAt()]).toEqual([6, AT.toISOString()]);
    fake.jobs.length = 0;
    expect(await wh.transaction((tx) => versions.bumpInTransaction(tx, 'gold', AT))).toBe(7);
    const [merge, read] = expectOneTransaction(queries());
    expect(merge!.sql).toContain('WHEN MATCHED THEN UPDATE SET version = t.version + 1, changed_at = s.changed_at');
    expect(typesOf(merge!)).toEqual(['STRING', 'TIMESTAMP']);
    expect(read!.sql).toBe('SELECT version FROM `farol-test.analytics.ops_data_versions` WHERE layer = ?');
    expectBigQuerySql(queries());
  });
});

describe('data-test results on BigQuery', () => {
  it('are recorded by one parameterised INSERT in the transaction, with no staging table or load job', async () => {
    const wh = open();
    const results = [result('silver.orders.currency.accepted_values'), result('silver.orders.order_id.unique', { kind: 'unique', severity: 'warn', status: 'passed', failingCount: 0, sampleKeys: [] })];
    expect(await wh.transaction((tx) => recordDataTestResults(tx, { runId: RUN_ID, source: 'vtex-orders', checkedAt: AT }, results))).toBe(2);
    expect(fake.jobs.every((j) => j.kind === 'query')).toBe(true);
    const [insert] = expectOneTransaction(queries());
    expect(insert!.sql).toMatch(/^INSERT INTO `farol-test\.analytics\.ops_data_tests` \(run_id, source, test_id, table_name, column_name, kind, severity, status, failing_count, sample_keys, message, checked_at\) VALUES \((\?, ){11}\?\), \((\?, ){11}\?\)$/);
    expect(typesOf(insert!)).toEqual([...Array(2)].flatMap(() => ['STRING', 'STRING', 'STRING', 'STRING', 'STRING', 'STRING', 'STRING', 'STRING', 'INT64', 'STRING', 'STRING', 'TIMESTAMP']));
    expect(paramsOf(insert!)[9]!.parameterValue.value).toBe('["vtex-orders:1234-01"]');
    expectBigQuerySql(queries());
  });

  it('are read back latest per test, without QUALIFY, with or without a source', async () => {
    fake.answer(() => ({
      schema: [
        ...['run_id', 'source', 'test_id', 'table_name', 'column_name', 'kind', 'severity', 'status'].map((name) => ({ name, type: 'STRING' })),
        { name: 'failing_count', type: 'INT64' }, { name: 'sample_keys', type: 'STRING' }, { name: 'message', type: 'STRING' }, { name: 'checked_at', type: 'TIMESTAMP' },
      ],
      rows: [wireRow([RUN_ID, 'vtex-orders', 'silver.orders.currency.accepted_values', 'silver.orders', 'currency', 'accepted_values', 'error', 'failed', '1',
        '["vtex-orders:1234-01"]', 'silver.orders.currency: 1 row not in (BRL)', AT_MICROS])],
    }));
    const wh = open();
    const [latest] = await latestDataTestResults(wh, { source: 'vtex-orders', limit: 10 });
    expect(latest).toMatchObject({ runId: RUN_ID, failingCount: 1, sampleKeys: ['vtex-orders:1234-01'], checkedAt: AT.toISOString() });
    await latestDataTestResults(wh);
    expect(typesOf(queries()[0]!)).toEqual(['STRING', 'INT64']);
    expect(typesOf(queries()[1]!)).toEqual(['INT64']);
    expect(queries()[1]!.sql).toContain('WHERE n = 1');
    expectBigQuerySql(queries());
  });
});

describe('a refresh\'s bookkeeping on BigQuery', () => {
  it('sends exactly the statements in its golden file', async () => {
    fake.answer((sql: string): QueryAnswer | undefined => (sql.startsWith('SELECT version') ? { schema: [{ name: 'version', type: 'INT64' }], rows: [wireRow(['1'])] } : undefined));
    const wh = open();
    const versions = new DataVersions();
    await startRun(wh, { runId: RUN_ID, source: 'vtex-orders', entity: 'order', trigger: 'schedule', cursorBefore: CURSOR, at: AT });
    await wh.transaction(async (tx) => {
      await writeCursor(tx, 'vtex-orders', 'extract', CURSOR, AT);
      await addRunCounts(tx, RUN_ID, { recordsIn: 2 });
    });
    await wh.transaction(async (tx) => {
      const version = await versions.bumpInTransaction(tx, 'gold', AT);
      await recordDataTestResults(tx, { runId: RUN_ID, source: 'vtex-orders', checkedAt: AT }, [result('silver.orders.currency.accepted_values', { status: 'passed', failingCount: 0, sampleKeys: [] })]);
      await writeCursor(tx, 'vtex-orders', 'silver_seq', '2', AT);
      await addRunCounts(tx, RUN_ID, { upserted: 2, dataVersion: version });
    });
    await finishRun(wh, RUN_ID, 'succeeded', undefined, AT);
    expectBigQuerySql(queries().filter((j) => !CONTROL.has(j.sql!)));
    const text = goldenText(queries());
    if (process.env.UPDATE_GOLDEN === '1') {
      fs.mkdirSync(new URL('../golden/ops-state/', import.meta.url), { recursive: true });
      fs.writeFileSync(GOLDEN, text);
    }
    expect(text, 'review, then UPDATE_GOLDEN=1 npx vitest run test/pipeline/ops-state-bigquery.test.ts').toBe(fs.readFileSync(GOLDEN, 'utf8'));
  });
});
