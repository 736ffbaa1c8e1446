import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ClubMemberIndex } from '../../src/customers/index.js';
import { BronzeStore } from '../../src/ingest/bronze/bronze-store.js';
import { queueDepth } from '../../src/ingest/state/fetch-queue.js';
import { InboxMover } from '../../src/ingest/webhooks/inbox-mover.js';
import { silentLogger } from '../../src/observability/logger.js';
import type { LineageRun, LineageSink } from '../../src/pipeline/lineage/lineage-types.js';
import { PipelineRunner } from '../../src/pipeline/pipeline-runner.js';
import { markInterruptedRuns, sourceHealth } from '../../src/pipeline/run-log.js';
import { createSourceRegistry } from '../../src/pipeline/source-registry.js';
import { SourceLocks } from '../../src/pipeline/source-locks.js';
import { StreamRuns } from '../../src/pipeline/stream-runs.js';
import { quarantine } from '../../src/quarantine/quarantine.js';
import { SOURCE_KINDS } from '../../src/ingest/sources/source-kind.js';
import type { BigQueryWarehouse } from '../../src/warehouse/bigquery/bigquery-warehouse.js';
import { DataVersions } from '../../src/warehouse/data-version.js';
import { CONTROL, expectBigQuerySql, expectOneTransaction, goldenText, typesOf } from '../fixtures/bigquery-sql-checks.js';
import { wireRow, type FakeBigQuery, type RecordedJob } from '../fixtures/fake-bigquery.js';
import { fakeBigQueryPerFile } from '../fixtures/fake-bigquery-per-file.js';
import { expectServeGolden, openFakeBigQueryWarehouse, T } from '../fixtures/serve-bigquery.js';

/**
 * What `farol start` and the runner send BigQuery around the refreshes (which others own): the
 * start-up reads (interrupted runs, bronze's next seq, data versions, the inbox cursor, the club
 * index, health), a landing through `PipelineRunner.land`, a stream run's life and a quarantine
 * write, against the fake BigQuery REST server. Every statement BigQuery SQL, values only as typed
 * parameters, writes between BEGIN and COMMIT. `test/golden/serve-bigquery/start-and-landing.sql`
 * holds the sequence (random ids and staging names masked).
 */
const AT = new Date('2026-11-30T12:00:00.000Z');
const CURSOR = '2026-11-30T11:59:00Z|page=2';
/** Values passed in; none may appear in SQL text. */
const VALUES = [CURSOR, 'o-1001', 'o-1002', 'vtex-orders', 'order', 'items.0.quantity: expected number, received string'];

let fake: FakeBigQuery;
fakeBigQueryPerFile((f) => (fake = f));

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(AT);
  fake.answer((sql) => {
    const one = (name: string, type: string, v: unknown) => ({ schema: [{ name, type }], rows: [wireRow([v])] });
    if (sql.startsWith('UPDATE') && sql.includes("status = 'failed'")) return { numDmlAffectedRows: 1 };
    if (sql.startsWith('SELECT max(seq)')) return one('n', 'INT64', 41);
    if (sql.startsWith('SELECT layer, version')) return { schema: [{ name: 'layer', type: 'STRING' }, { name: 'version', type: 'INT64' }, { name: 'changed_at', type: 'TIMESTAMP' }], rows: [wireRow(['gold', 7, String(AT.getTime() * 1000)])] };
    if (sql.startsWith('SELECT value FROM')) return one('value', 'STRING', '1234');
    if (sql.startsWith('SELECT count(*) AS n')) return one('n', 'INT64', 0);
    if (sql.startsWith('SELECT records_in')) {
      return { schema: ['records_in', 'upserted', 'quarantined'].map((name) => ({ name, type: 'INT64' })), rows: [wireRow([2, 1, 1])] };
    }
    if (/^INSERT INTO `[^`]+\.(bronze_records|silver_quarantine)` /.test(sql)) return { numDmlAffectedRows: 2 };
    return undefined;
  });
  const field = (name: string, type: string) => ({ name, type, mode: 'NULLABLE' });
  fake.tables.set('analytics.bronze_records', {
    schema: { fields: [['seq', 'INTEGER'], ['record_id', 'STRING'], ['source', 'STRING'], ['entity', 'STRING'], ['natural_key', 'STRING'], ['payload', 'STRING'],
      ['payload_hash', 'STRING'], ['received_at', 'TIMESTAMP'], ['batch_id', 'STRING'], ['partition_date', 'DATE'], ['payload_base64', 'STRING']].map(([n, t]) => field(n!, t!)) },
    resource: {},
  });
  fake.tables.set('analytics.silver_quarantine', {
    schema: { fields: [['quarantine_id', 'STRING'], ['source', 'STRING'], ['entity', 'STRING'], ['natural_key', 'STRING'], ['reason', 'STRING'], ['payload', 'STRING'],
      ['bronze_record_id', 'STRING'], ['run_id', 'STRING'], ['quarantined_at', 'TIMESTAMP']].map(([n, t]) => field(n!, t!)) },
    resource: {},
  });
});
afterEach(() => {
  vi.useRealTimers();
});

const queries = () => fake.jobs.filter((j) => j.kind === 'query');
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
const masked = (jobs: readonly RecordedJob[]) => goldenText(jobs).replace(UUID, '<uuid>').replace(/(stage|pending)_[0-9a-f]{32}/g, '$1_<id>');

function runnerOn(wh: BigQueryWarehouse, bronze: BronzeStore, dataVersions: DataVersions): PipelineRunner {
  const registry = createSourceRegistry({
    vtexAccount: 'farolsandbox',
    storeTargetsFile: undefined,
    vtexCatalog: { client: () => undefined, known: async () => new Map(), concurrency: 1, scheduled: false },
    vtexCustomers: { client: () => undefined, scheduled: false },
  });
  return new PipelineRunner({
    warehouse: wh, bronze, dataVersions, gold: { timezone: 'America/Sao_Paulo' }, registry, locks: new SourceLocks(),
    lineage: lineage.sink, logger: silentLogger(), warehouseNamespace: 'bigquery',
  });
}

const lineage = {
  completed: [] as { run: LineageRun; counts: unknown }[],
  sink: {
    start: () => undefined,
    complete: (run: LineageRun, counts: unknown) => void lineage.completed.push({ run, counts }),
    fail: () => undefined,
    abort: () => undefined,
    close: async () => undefined,
  } as unknown as LineageSink,
};

describe('farol start and the runner on BigQuery, outside the refreshes', () => {
  it('read at start-up what the service needs, each a BigQuery read job with typed parameters', async () => {
    const wh = openFakeBigQueryWarehouse(fake);
    expect(await markInterruptedRuns(wh)).toBe(1);
    const bronze = await BronzeStore.open(wh, '/nonexistent/farol.bronze');
    const versions = await DataVersions.load(wh);
    expect(versions.current()).toBe(7);
    expect(await InboxMover.movedUpTo(wh)).toBe(1234);
    const index = new ClubMemberIndex(wh, versions);
    await index.whenCurrent();
    index.stop();
    expect(await queueDepth(wh, 'vtex-orders', 'order')).toBe(0);
    await sourceHealth(wh, SOURCE_KINDS);
    await wh.query('SELECT 1 AS ok');
    expect(bronze).toBeDefined();
    const sql = queries().map((j) => j.sql!);
    expect(sql[0]).toBe(`UPDATE ${T('ops_runs')} SET status = 'failed', ended_at = ?, error = ? WHERE status = 'running'`);
    expect(typesOf(queries()[0]!)).toEqual(['TIMESTAMP', 'STRING']);
    expect(sql).toContain(`SELECT count(*) AS n FROM ${T('ops_fetch_queue')} WHERE source = ? AND entity = ?`);
    expect(sql.at(-1)).toBe('SELECT 1 AS ok');
    expectBigQuerySql(queries(), VALUES);
  });

  it('land a page, run a stream run and quarantine in transactions, in the statements of the golden file', async () => {
    const wh = openFakeBigQueryWarehouse(fake);
    await markInterruptedRuns(wh);
    const bronze = await BronzeStore.open(wh, '/nonexistent/farol.bronze');
    const versions = await DataVersions.load(wh);
    const start = queries().length;
    const runner = runnerOn(wh, bronze, versions);
    const streams = new StreamRuns({ warehouse: wh, registry: runner.deps.registry, lineage: lineage.sink, warehouseNamespace: 'bigquery', logger: silentLogger() });
    const runId = await streams.current('vtex-orders');
    const landed = await runner.land('vtex-orders', runId, [
      { entity: 'order', naturalKey: 'o-1001', payload: '{"orderId":"o-1001"}' },
      { entity: 'order', naturalKey: 'o-1002', payload: '{"orderId":"o-1002"}' },
    ], { cursor: CURSOR });
    expect(landed.map((r) => r.seq)).toEqual([42, 43]);
    await wh.transaction(async (tx) => {
      await streams.countLanded(tx, runId, 1);
      await quarantine(tx, [{ source: 'vtex-orders', entity: 'order', naturalKey: 'o-1002', reason: VALUES[5]!, payload: '{"orderId":"o-1002"}', bronzeRecordId: landed[1]!.recordId, runId }]);
    });
    await streams.closeAll();
    expect(lineage.completed.at(-1)?.counts).toEqual({ recordsIn: 2, upserted: 1, quarantined: 1 });

    const jobs = queries().slice(start);
    // Staging tables are dropped once their transaction ended, outside it.
    const isStagingDrop = (j: RecordedJob) => j.sql!.startsWith('DROP TABLE IF EXISTS `farol-test.analytics.ops_stage_');
    expect(jobs.filter(isStagingDrop)).toHaveLength(2);
    const [startRun, ...rest] = jobs.filter((j) => !isStagingDrop(j));
    expect(startRun!.sql).toMatch(/^INSERT INTO `farol-test\.analytics\.ops_runs` /);
    const landing = expectOneTransaction(rest.slice(0, 6));
    expect(landing.map((j) => j.sql!.split(' ').slice(0, 3).join(' '))).toEqual(['INSERT INTO `farol-test.analytics.bronze_records`', `MERGE INTO ${T('ops_cursors')}`, `UPDATE ${T('ops_runs')} SET`]);
    expect(typesOf(landing[1]!)).toEqual(['STRING', 'STRING', 'STRING', 'TIMESTAMP']);
    const [close, finish] = jobs.slice(-2);
    expect(close!.sql).toBe(`SELECT records_in, upserted, quarantined FROM ${T('ops_runs')} WHERE run_id = ?`);
    expect(finish!.sql).toBe(`UPDATE ${T('ops_runs')} SET status = ?, ended_at = ?, error = ? WHERE run_id = ?`);
    // Loads into staging tables, then INSERT … SELECT inside the transaction; quarantine too.
    expect(fake.jobs.filter((j) => j.kind === 'load')).toHaveLength(2);
    expect(jobs.some((j) => /^INSERT INTO `farol-test\.analytics\.silver_quarantine` \(`quarantine_id`/.test(j.sql!))).toBe(true);
    expectBigQuerySql(jobs.filter((j) => !CONTROL.has(j.sql!) && !isStagingDrop(j)), VALUES);
    expectServeGolden('start-and-landing.sql', masked(queries()), 'test/pipeline/runner-sql-bigquery.test.ts');
  });
});
