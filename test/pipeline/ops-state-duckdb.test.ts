import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readCursor, writeCursor } from '../../src/ingest/state/cursor-store.js';
import { latestDataTestResults, recordDataTestResults, RESULTS_PER_INSERT } from '../../src/pipeline/data-tests/record-data-tests.js';
import type { DataTestResult } from '../../src/pipeline/data-tests/data-test.js';
import {
  addRunCounts, finishRun, INTERRUPTED_RUN_ERROR, listRuns, markInterruptedRuns, setSourceStatus, sourceHealth, startRun,
} from '../../src/pipeline/run-log.js';
import { WAREHOUSE_MIGRATIONS } from '../../src/pipeline/warehouse-migrations.js';
import { DataVersions } from '../../src/warehouse/data-version.js';
import { DuckDbWarehouse } from '../../src/warehouse/duckdb/duckdb-warehouse.js';

/**
 * The bookkeeping's one-SQL-for-both statements (MERGE upserts, times as parameters, window
 * functions and joins instead of arg_max and correlated counts) keep their meaning on DuckDB, the
 * embedded default. ops-state-bigquery.test.ts checks what the same calls send BigQuery.
 */
const T0 = new Date('2025-03-14T13:00:00.000Z');
const at = (s: number) => new Date(T0.getTime() + s * 1000);

let wh: DuckDbWarehouse;

beforeEach(async () => {
  wh = await DuckDbWarehouse.open({ path: ':memory:', threads: 1, idleCheckpointMs: 0 });
  await wh.migrate(WAREHOUSE_MIGRATIONS);
});
afterEach(async () => wh.close());

function result(testId: string, over: Partial<DataTestResult> = {}): DataTestResult {
  return {
    testId, table: 'silver.orders', column: 'currency', kind: 'accepted_values', severity: 'error', status: 'passed',
    failingCount: 0, sampleKeys: [], message: `${testId}: ok`, ...over,
  };
}

describe('ops bookkeeping on DuckDB', () => {
  it('a cursor written twice keeps one row with the last value and time', async () => {
    await wh.transaction((tx) => writeCursor(tx, 'vtex-orders', 'extract', 'a', at(0)));
    await wh.transaction((tx) => writeCursor(tx, 'vtex-orders', 'extract', 'b', at(5)));
    expect(await readCursor(wh, 'vtex-orders', 'extract')).toBe('b');
    expect(await wh.query('SELECT value, updated_at FROM ops.cursors')).toEqual([{ value: 'b', updated_at: at(5).toISOString() }]);
  });

  it('a data version bump counts up from the seeded row and reads its own write in the transaction', async () => {
    const dv = await DataVersions.load(wh);
    expect(await wh.transaction((tx) => dv.bumpInTransaction(tx, 'gold', at(0)))).toBe(1);
    expect(await wh.transaction((tx) => dv.bumpInTransaction(tx, 'gold', at(1)))).toBe(2);
    expect(await wh.query('SELECT version, changed_at FROM ops.data_versions')).toEqual([{ version: 2, changed_at: at(1).toISOString() }]);
  });

  it('a run starts with zero counts, counts up, and finishes; interrupted runs are marked failed', async () => {
    await startRun(wh, { runId: 'r1', source: 'vtex-orders', entity: 'order', trigger: 'cli', cursorBefore: 'c0', at: at(0) });
    await wh.transaction((tx) => addRunCounts(tx, 'r1', { recordsIn: 3, cursorAfter: 'c1' }));
    await wh.transaction((tx) => addRunCounts(tx, 'r1', { upserted: 2, dataVersion: 4 }));
    await wh.transaction((tx) => addRunCounts(tx, 'r1', { quarantined: 1 }));
    await finishRun(wh, 'r1', 'cancelled', 'stopped on purpose', at(10));
    await startRun(wh, { runId: 'r2', source: 'vtex-orders', entity: 'order', trigger: 'cli', cursorBefore: undefined, at: at(20) });
    expect(await markInterruptedRuns(wh, at(30))).toBe(1);
    expect(await listRuns(wh, { source: 'vtex-orders' })).toEqual([
      expect.objectContaining({ run_id: 'r2', status: 'failed', ended_at: at(30).toISOString(), error: INTERRUPTED_RUN_ERROR, records_in: 0 }),
      expect.objectContaining({
        run_id: 'r1', status: 'cancelled', started_at: at(0).toISOString(), ended_at: at(10).toISOString(), records_in: 3, upserted: 2, quarantined: 1,
        cursor_before: 'c0', cursor_after: 'c1', data_version: 4, error: 'stopped on purpose',
      }),
    ]);
  });

  it('source health: last status, latest error any run recorded, lag, status and unapplied records past the watermark', async () => {
    await startRun(wh, { runId: 'r1', source: 'vtex-orders', entity: 'order', trigger: 'schedule', cursorBefore: undefined, at: at(0) });
    await finishRun(wh, 'r1', 'failed', 'VTEX answered 503', at(1));
    await startRun(wh, { runId: 'r2', source: 'vtex-orders', entity: 'order', trigger: 'schedule', cursorBefore: undefined, at: at(2) });
    await finishRun(wh, 'r2', 'succeeded', undefined, at(3));
    await setSourceStatus(wh, 'vtex-catalog', 'stopped', 'token refused', at(0));
    await setSourceStatus(wh, 'vtex-catalog', 'stopped', 'token refused again', at(1));
    // Seq 1..4 in bronze.records, 5..14 in one segment; silver has applied up to seq 2.
    await wh.append({ schema: 'bronze', table: 'records' }, ['seq', 'record_id', 'source', 'entity', 'natural_key', 'payload', 'payload_hash', 'received_at', 'batch_id', 'partition_date'],
      [1, 2, 3, 4].map((seq) => [seq, `rec-${seq}`, 'vtex-orders', 'order', `o${seq}`, '{}', 'h', T0, 'b', '2025-03-14']));
    await wh.append({ schema: 'bronze', table: 'segments' }, ['segment_id', 'source', 'partition_date', 'path', 'min_seq', 'max_seq', 'records', 'entities', 'bytes', 'created_at'], [
      ['s1', 'vtex-orders', '2025-03-14', 'p', 5, 14, 10, 'order', 100, T0],
      ['s0', 'vtex-orders', '2025-03-13', 'p', 0, 0, 1, 'order', 100, T0],
    ]);
    await wh.transaction((tx) => writeCursor(tx, 'vtex-orders', 'silver_seq', '2', at(3)));
    const health = await sourceHealth(wh, ['vtex-orders', 'vtex-catalog'], { now: at(63.4), running: new Set(['vtex-orders']) });
    expect(health).toEqual([
      { source: 'vtex-catalog', state: 'stopped', message: 'token refused again', lastSuccessAt: null, lagSeconds: null, lastRunStatus: null, lastError: null, unappliedRecords: 0 },
      { source: 'vtex-orders', state: 'active', message: null, lastSuccessAt: at(3).toISOString(), lagSeconds: 60, lastRunStatus: 'succeeded', lastError: 'VTEX answered 503', unappliedRecords: 12 },
    ]);
    expect(await wh.query('SELECT count(*) AS n FROM ops.source_status')).toEqual([{ n: 1 }]);
  });

  it('data-test results: recorded in chunks, read back latest per test', async () => {
    const many = Array.from({ length: RESULTS_PER_INSERT + 3 }, (_, i) => result(`t${String(i).padStart(3, '0')}`));
    expect(await wh.transaction((tx) => recordDataTestResults(tx, { runId: 'r1', source: 'vtex-orders', checkedAt: at(0) }, many))).toBe(many.length);
    await wh.transaction((tx) => recordDataTestResults(tx, { runId: 'r2', source: 'vtex-orders', checkedAt: at(1) }, [
      result('t001', { status: 'failed', failingCount: 2, sampleKeys: ['vtex-orders:1', 'vtex-orders:2'] }),
    ]));
    const latest = await latestDataTestResults(wh, { limit: 500 });
    expect(latest).toHaveLength(many.length);
    expect(latest[0]).toEqual({
      runId: 'r2', source: 'vtex-orders', testId: 't001', table: 'silver.orders', column: 'currency', kind: 'accepted_values', severity: 'error',
      status: 'failed', failingCount: 2, sampleKeys: ['vtex-orders:1', 'vtex-orders:2'], message: 't001: ok', checkedAt: at(1).toISOString(),
    });
  });
});
