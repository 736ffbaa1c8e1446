import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BigQueryWarehouse } from '../../src/warehouse/bigquery/bigquery-warehouse.js';
import { WarehouseQueryTimeoutError } from '../../src/warehouse/warehouse.js';
import { FAKE_TOKEN, startFakeBigQuery, wireRow, type FakeBigQuery, type RecordedJob } from '../fixtures/fake-bigquery.js';

/** What google-auth-library asks of an auth client; a fixed token keeps every call on 127.0.0.1. */
const authClient = { getRequestHeaders: async () => new Headers({ authorization: `Bearer ${FAKE_TOKEN}` }) };

let fake: FakeBigQuery;
let logLines: string[];

beforeAll(async () => {
  fake = await startFakeBigQuery({ requireToken: FAKE_TOKEN });
});
afterAll(async () => fake.close());
beforeEach(() => {
  fake.requests.length = 0;
  fake.jobs.length = 0;
  fake.answer(() => undefined);
  logLines = [];
});

function open(extra: Partial<ConstructorParameters<typeof BigQueryWarehouse>[0]> = {}): BigQueryWarehouse {
  const logger = pino({ level: 'trace' }, new Writable({ write: (chunk: Buffer, _e, cb) => (logLines.push(chunk.toString()), cb()) }));
  return new BigQueryWarehouse({
    projectId: 'farol-test', dataset: 'analytics', location: 'southamerica-east1', maximumBytesBilled: 5_000_000_000,
    apiEndpoint: fake.url, authClient, pollMs: 1, logger, ...extra,
  });
}

const queryConfig = (job: RecordedJob) => (job.resource.configuration as { query: Record<string, unknown> }).query;
const labels = (job: RecordedJob) => (job.resource.configuration as { labels?: Record<string, string> }).labels;

describe('BigQueryWarehouse reads', () => {
  it('sends one parameterised query job with location, bytes cap and labels, and converts every type', async () => {
    fake.answer(() => ({
      incompletePolls: 2,
      schema: [
        { name: 'channel', type: 'STRING' },
        { name: 'revenue', type: 'NUMERIC' },
        { name: 'orders', type: 'INTEGER' },
        { name: 'huge', type: 'INTEGER' },
        { name: 'ratio', type: 'FLOAT' },
        { name: 'created_at', type: 'TIMESTAMP' },
        { name: 'order_date', type: 'DATE' },
        { name: 'local_day', type: 'DATETIME' },
        { name: 'is_sale', type: 'BOOLEAN' },
        { name: 'coupon', type: 'STRING' },
        { name: 'tags', type: 'STRING', mode: 'REPEATED' },
        { name: 'store', type: 'RECORD', fields: [{ name: 'key', type: 'STRING' }, { name: 'rank', type: 'INT64' }] },
      ],
      rows: [
        wireRow(['Site', '345.00', '3', '9007199254740993', '0.5', '1741957200000000', '2025-03-14', '2025-03-14T00:00:00', 'true', null,
          [{ v: 'a' }, { v: 'b' }], { f: [{ v: 'centro' }, { v: '1' }] }]),
      ],
    }));
    const wh = open();
    const rows = await wh.query('SELECT channel FROM gold.fct_orders WHERE status = ? AND total > ? AND created_at >= ? AND is_sale = ?', [
      'invoiced', 10.5, new Date('2025-03-14T03:00:00Z'), true,
    ]);
    expect(rows).toEqual([{
      channel: 'Site', revenue: 345, orders: 3, huge: '9007199254740993', ratio: 0.5, created_at: '2025-03-14T13:00:00.000Z',
      order_date: '2025-03-14', local_day: '2025-03-14T00:00:00.000', is_sale: true, coupon: null, tags: ['a', 'b'], store: { key: 'centro', rank: 1 },
    }]);
    expect(fake.jobs).toHaveLength(1);
    const job = fake.jobs[0]!;
    expect(job.sql).toBe('SELECT channel FROM `farol-test.analytics.gold_fct_orders` WHERE status = ? AND total > ? AND created_at >= ? AND is_sale = ?');
    expect(queryConfig(job)).toMatchObject({
      useLegacySql: false,
      maximumBytesBilled: '5000000000',
      parameterMode: 'positional',
      queryParameters: [
        { parameterType: { type: 'STRING' }, parameterValue: { value: 'invoiced' } },
        { parameterType: { type: 'FLOAT64' }, parameterValue: { value: 10.5 } },
        { parameterType: { type: 'TIMESTAMP' }, parameterValue: { value: '2025-03-14T03:00:00.000Z' } },
        { parameterType: { type: 'BOOL' }, parameterValue: { value: true } },
      ],
    });
    expect(labels(job)).toEqual({ app: 'farol', kind: 'metrics' });
    expect((job.resource.jobReference as { location: string }).location).toBe('southamerica-east1');
    const polls = fake.requests.filter((r) => r.path.includes('/queries/'));
    expect(polls).toHaveLength(3); // jobComplete false twice, then the rows
    expect(polls[0]!.query.get('location')).toBe('southamerica-east1');
    expect(polls[0]!.query.get('formatOptions.useInt64Timestamp')).toBe('true');
    expect(fake.requests.every((r) => r.headers.authorization === `Bearer ${FAKE_TOKEN}`)).toBe(true);
  });

  it('reads every page by pageToken', async () => {
    const rows = Array.from({ length: 5 }, (_, i) => wireRow([String(i)]));
    fake.answer(() => ({ schema: [{ name: 'n', type: 'INT64' }], rows }));
    const wh = open({ pageRows: 2 });
    expect((await wh.query('SELECT n FROM gold.dim_date')).map((r) => r.n)).toEqual([0, 1, 2, 3, 4]);
    const pages = fake.requests.filter((r) => r.path.includes('/queries/'));
    expect(pages.map((r) => [r.query.get('maxResults'), r.query.get('pageToken')])).toEqual([['2', null], ['2', '2'], ['2', '4']]);
  });

  it('sends NULL and integers with explicit types, and refuses values BigQuery cannot take before any job', async () => {
    const wh = open();
    await wh.query('SELECT ?, ?, ?', [null, 42, 12345678901234567890n]);
    expect(queryConfig(fake.jobs[0]!).queryParameters).toEqual([
      { parameterType: { type: 'STRING' }, parameterValue: { value: null } },
      { parameterType: { type: 'INT64' }, parameterValue: { value: 42 } },
      { parameterType: { type: 'INT64' }, parameterValue: { value: '12345678901234567890' } },
    ]);
    await expect(wh.query('SELECT ?', [Number.NaN])).rejects.toThrow('parameter 1: NaN is not a finite number');
    await expect(wh.query('SELECT ?', [new Date('nope')])).rejects.toThrow('parameter 1: invalid Date');
    expect(fake.jobs).toHaveLength(1);
  });

  it('keeps hostile text in parameters and never rewrites table names inside literals or quoted names', async () => {
    const wh = open();
    const hostile = "x'; DROP TABLE gold.fct_orders; --";
    await wh.query("SELECT 'gold.fct_orders' AS s, `gold.fct_orders`.x, \"ops.runs\" FROM gold.fct_orders -- gold.fct_sales\nWHERE a = ?", [hostile]);
    const job = fake.jobs[0]!;
    expect(job.sql).toBe("SELECT 'gold.fct_orders' AS s, `gold.fct_orders`.x, \"ops.runs\" FROM `farol-test.analytics.gold_fct_orders` -- gold.fct_sales\nWHERE a = ?");
    expect(queryConfig(job).queryParameters).toEqual([{ parameterType: { type: 'STRING' }, parameterValue: { value: hostile } }]);
  });

  it('retries 429 and 5xx answers through the client, then succeeds', async () => {
    fake.answer(() => ({ schema: [{ name: 'one', type: 'INT64' }], rows: [wireRow(['1'])] }));
    fake.failNext(/\/projects\/farol-test\/jobs$/, 503);
    fake.failNext(/\/queries\//, 429);
    const wh = open();
    expect(await wh.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
    const inserts = fake.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/jobs'));
    expect(inserts).toHaveLength(2);
    // The retried insert carries the same job id, so BigQuery runs the job once.
    expect(new Set(inserts.map((r) => (r.json as { jobReference: { jobId: string } }).jobReference.jobId)).size).toBe(1);
    expect(fake.requests.filter((r) => r.path.includes('/queries/'))).toHaveLength(2);
  });

  it('cancels a job that outlives its time limit and rejects with WarehouseQueryTimeoutError', async () => {
    fake.answer(() => ({ hang: true }));
    const wh = open({ pollMs: 20 });
    const err = await wh.query('SELECT slow FROM gold.fct_sales', [], { timeoutMs: 300 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WarehouseQueryTimeoutError);
    expect(queryConfig(fake.jobs[0]!)).not.toHaveProperty('jobTimeoutMs');
    expect((fake.jobs[0]!.resource.configuration as { jobTimeoutMs?: string }).jobTimeoutMs).toBe('300');
    await expect.poll(() => fake.jobs[0]!.cancelled).toBe(true);
  });

  it('rejects with BigQuery\'s own message when a job fails, and logs no credential', async () => {
    fake.answer(() => ({ error: { reason: 'bytesBilledLimitExceeded', message: 'Query exceeded limit for bytes billed: 5000000000.' } }));
    const wh = open();
    await expect(wh.query('SELECT * FROM gold.fct_sales')).rejects.toThrow(/bytes billed/);
    expect(logLines.join('')).not.toContain(FAKE_TOKEN);
  });
});

describe('BigQueryWarehouse writes', () => {
  it('appends a batch as one NDJSON load job with labels, never streaming inserts', async () => {
    const wh = open();
    const n = await wh.append({ schema: 'bronze', table: 'records' }, ['record_id', 'payload', 'received_at', 'seq', 'amount'], [
      ['r1', '{"a":1}', new Date('2025-03-14T13:00:00Z'), 1n, '10.50'],
      ['r2', 'línea "dois"\n', '2025-03-14T10:00:00-03:00', 2, null],
    ]);
    expect(n).toBe(2);
    expect(fake.requests.some((r) => r.path.includes('insertAll'))).toBe(false);
    const uploads = fake.requests.filter((r) => r.path === '/upload/bigquery/v2/projects/farol-test/jobs');
    expect(uploads).toHaveLength(1);
    expect(uploads[0]!.query.get('uploadType')).toBe('multipart');
    const job = fake.jobs.find((j) => j.kind === 'load')!;
    expect(job.resource.configuration).toEqual({
      labels: { app: 'farol', kind: 'load' },
      load: {
        destinationTable: { projectId: 'farol-test', datasetId: 'analytics', tableId: 'bronze_records' },
        sourceFormat: 'NEWLINE_DELIMITED_JSON', writeDisposition: 'WRITE_APPEND', createDisposition: 'CREATE_NEVER', ignoreUnknownValues: false,
      },
    });
    expect(job.data!.trim().split('\n').map((l) => JSON.parse(l) as unknown)).toEqual([
      { record_id: 'r1', payload: '{"a":1}', received_at: '2025-03-14T13:00:00.000Z', seq: '1', amount: '10.50' },
      { record_id: 'r2', payload: 'línea "dois"\n', received_at: '2025-03-14T10:00:00-03:00', seq: 2, amount: null },
    ]);
    await expect(wh.append({ schema: 'bronze', table: 'records' }, ['a', 'b'], [['only one']])).rejects.toThrow('append: row 1 has 1 values for 2 columns');
    await expect(wh.append({ schema: 'bronze', table: 'x; DROP' }, ['a'], [['v']])).rejects.toThrow('invalid table name');
  });

  it('runs a transaction as BEGIN … COMMIT in one BigQuery session, staging appends through a load job', async () => {
    fake.tables.set('analytics.silver_orders', {
      schema: { fields: [{ name: 'order_id', type: 'STRING', mode: 'REQUIRED' }, { name: 'total', type: 'NUMERIC' }, { name: 'note', type: 'STRING' }] },
      resource: {},
    });
    fake.answer((sql) => (sql.startsWith('UPDATE') ? { numDmlAffectedRows: 3 } : sql.startsWith('INSERT') ? { numDmlAffectedRows: 2 } : undefined));
    const wh = open();
    const result = await wh.transaction(async (tx) => {
      const updated = await tx.execute('UPDATE silver.orders SET note = ? WHERE total > ?', ['big', 100]);
      const appended = await tx.append({ schema: 'silver', table: 'orders' }, ['order_id', 'total'], [['o1', '10.00'], ['o2', '20.00']]);
      return { updated, appended };
    });
    expect(result).toEqual({ updated: 3, appended: 2 });
    const queries = fake.jobs.filter((j) => j.kind === 'query');
    const session = 'session-' + queries[0]!.jobId;
    expect(queries.map((j) => j.sql?.replace(/stage_[0-9a-f]+/g, 'stage_*'))).toEqual([
      'BEGIN TRANSACTION',
      'UPDATE `farol-test.analytics.silver_orders` SET note = ? WHERE total > ?',
      'INSERT INTO `farol-test.analytics.silver_orders` (`order_id`, `total`) SELECT `order_id`, `total` FROM `farol-test.analytics.ops_stage_*`',
      'COMMIT TRANSACTION',
      'DROP TABLE IF EXISTS `farol-test.analytics.ops_stage_*`',
      'CALL BQ.ABORT_SESSION()',
    ]);
    expect(queryConfig(queries[0]!).createSession).toBe(true);
    for (const j of queries.slice(1, 4)) expect(queryConfig(j).connectionProperties).toEqual([{ key: 'session_id', value: session }]);
    expect(queryConfig(queries[5]!).connectionProperties).toEqual([{ key: 'session_id', value: session }]);
    expect(queries.every((j) => labels(j)?.kind === 'transaction')).toBe(true);
    // The staging table copies the target's column types, nullable, and expires on its own.
    const staging = fake.requests.find((r) => r.method === 'POST' && r.path.endsWith('/datasets/analytics/tables'))!.json as Record<string, unknown>;
    expect(staging.schema).toEqual({ fields: [{ name: 'order_id', type: 'STRING', mode: 'NULLABLE' }, { name: 'total', type: 'NUMERIC', mode: 'NULLABLE' }] });
    expect(Number(staging.expirationTime)).toBeGreaterThan(Date.now());
    const load = fake.jobs.find((j) => j.kind === 'load')!;
    expect((load.resource.configuration as { load: { destinationTable: { tableId: string } } }).load.destinationTable.tableId).toMatch(/^ops_stage_[0-9a-f]{32}$/);
  });

  it('rolls back and rethrows when the body fails, and still ends the session', async () => {
    const wh = open();
    await expect(wh.transaction(async (tx) => {
      await tx.execute('DELETE FROM gold.fct_orders WHERE order_key = ?', ['vtex-orders:1']);
      throw new Error('refresh failed half-way');
    })).rejects.toThrow('refresh failed half-way');
    expect(fake.jobs.map((j) => j.sql)).toEqual([
      'BEGIN TRANSACTION', 'DELETE FROM `farol-test.analytics.gold_fct_orders` WHERE order_key = ?', 'ROLLBACK TRANSACTION', 'CALL BQ.ABORT_SESSION()',
    ]);
  });

  it('keeps one session across the transactions of a writer session, so TEMP tables carry over', async () => {
    const wh = open();
    await wh.writerSession(async (s) => {
      await s.transaction((tx) => tx.execute('CREATE TEMP TABLE staged AS SELECT 1 AS x'));
      await s.transaction((tx) => tx.execute('INSERT INTO gold.dim_store SELECT * FROM staged'));
    });
    const begins = fake.jobs.filter((j) => j.sql === 'BEGIN TRANSACTION');
    expect(begins).toHaveLength(2);
    expect(queryConfig(begins[0]!).createSession).toBe(true);
    expect(queryConfig(begins[1]!).connectionProperties).toEqual([{ key: 'session_id', value: `session-${begins[0]!.jobId}` }]);
    expect(fake.jobs.filter((j) => j.sql === 'CALL BQ.ABORT_SESSION()')).toHaveLength(1);
  });

  it('migrates once per version, recording each in the ledger, with the DDL partitioned and clustered', async () => {
    fake.answer((sql) => (sql.startsWith('SELECT version') ? { schema: [{ name: 'version', type: 'STRING' }], rows: [wireRow(['0001-a'])] } : undefined));
    const wh = open();
    const result = await wh.migrate([
      { version: '0001-a', sql: 'CREATE TABLE IF NOT EXISTS gold.a (x INT64)' },
      { version: '0002-b', sql: 'CREATE TABLE IF NOT EXISTS gold.fct_orders (created_at TIMESTAMP, channel_key STRING, store_key STRING)\nPARTITION BY DATE(created_at)\nCLUSTER BY channel_key, store_key' },
    ]);
    expect(result).toEqual({ applied: ['0002-b'], current: '0002-b' });
    const sqls = fake.jobs.map((j) => j.sql);
    expect(sqls[0]).toContain('CREATE TABLE IF NOT EXISTS `farol-test.analytics.ops_schema_migrations`');
    expect(sqls[1]).toBe('SELECT version FROM `farol-test.analytics.ops_schema_migrations`');
    expect(sqls[2]).toBe('CREATE TABLE IF NOT EXISTS `farol-test.analytics.gold_fct_orders` (created_at TIMESTAMP, channel_key STRING, store_key STRING)\nPARTITION BY DATE(created_at)\nCLUSTER BY channel_key, store_key');
    expect(sqls[3]).toBe('INSERT INTO `farol-test.analytics.ops_schema_migrations` (version, applied_at) VALUES (?, CURRENT_TIMESTAMP())');
    expect(queryConfig(fake.jobs[3]!).queryParameters).toEqual([{ parameterType: { type: 'STRING' }, parameterValue: { value: '0002-b' } }]);
    expect(fake.jobs.every((j) => labels(j)?.kind === 'migrate')).toBe(true);
  });
});
