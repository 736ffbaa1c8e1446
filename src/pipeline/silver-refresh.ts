import { randomUUID } from 'node:crypto';
import { errorText } from '../shared/error-text.js';
import { QUARANTINE_COLUMNS } from '../quarantine/quarantine-ddl.js';
import type { BronzeStore } from '../ingest/bronze/bronze-store.js';
import type { GoldRefreshOptions } from '../transform/gold/refresh-order-gold.js';
import { SILVER_ENTITIES } from '../transform/silver-entity.js';
import { ensureSilverStaging, STAGE } from '../transform/silver/silver-ddl.js';
import type { DataVersions } from '../warehouse/data-version.js';
import type { SqlExecutor, Warehouse, WriterSession } from '../warehouse/warehouse.js';
import { readCursor, writeCursor } from '../ingest/state/cursor-store.js';
import { dataTestsFor } from './data-tests/data-test-catalog.js';
import type { DataTestResult, DataTestScope } from './data-tests/data-test.js';
import { blockingFailures, DataTestFailure, recordDataTestResults } from './data-tests/record-data-tests.js';
import { runDataTests } from './data-tests/run-data-tests.js';
import { addRunCounts } from './run-log.js';
import type { PipelineObserver } from './pipeline-observer.js';
import type { SourceModule, StageResult } from '../ingest/sources/source-module.js';

export interface RefreshDeps {
  readonly warehouse: Warehouse;
  readonly bronze: BronzeStore;
  readonly dataVersions: DataVersions;
  readonly gold: GoldRefreshOptions;
  /** Freshness limits and other knobs of the data tests; see data-test-catalog.ts. */
  readonly dataTestOptions?: Parameters<typeof dataTestsFor>[1];
  /** Refresh durations and data-test failures are reported here; nothing when absent. */
  readonly observer?: PipelineObserver;
}

export interface RefreshOutcome {
  /** Bronze records read. */
  readonly read: number;
  readonly quarantined: number;
  /** Silver keys inserted or changed. */
  readonly upserted: number;
  readonly fromSeq: number;
  readonly toSeq: number;
  readonly dataTests: readonly DataTestResult[];
}

const NOTHING = (seq: number): RefreshOutcome => ({ read: 0, quarantined: 0, upserted: 0, fromSeq: seq, toSeq: seq, dataTests: [] });

/** What a source's staging transaction left in the writer's temporary tables. */
export interface StagedRange {
  readonly fromSeq: number;
  readonly toSeq: number;
  /** Undefined when there was nothing past the watermark. */
  readonly staged: StageResult | undefined;
}

/**
 * A refresh's first step, in transactions of its own (in the same writer session as the second)
 * that write only the writer's temporary staging tables: the bronze rows past the source's silver
 * watermark (or from `fromSeq`) staged by the source, invalid ones to the staged quarantine.
 * Committing them is what lets the merge read them on every core; nothing durable changes.
 */
export async function stageInSession(
  session: WriterSession,
  module: SourceModule,
  deps: RefreshDeps,
  run: { readonly runId: string; readonly fromSeq?: number; readonly upToSeq?: number },
): Promise<StagedRange> {
  const prepared = await session.transaction(async (tx) => {
    const watermark = run.fromSeq ?? (await silverWatermark(tx, module));
    const upTo = Math.min(run.upToSeq ?? Number.MAX_SAFE_INTEGER, deps.bronze.readableUpTo(module.kind));
    if (upTo <= watermark) return { watermark, upTo, relation: undefined };
    await ensureSilverStaging(tx);
    await clearStaging(tx, module);
    // The segments it names stay put: compaction and retention are writers, and this session holds the writer.
    const relation = await deps.bronze.relation(tx, module.kind, module.silverEntities, watermark, upTo);
    return { watermark, upTo, relation };
  });
  const { watermark, upTo, relation } = prepared;
  if (!relation) return { fromSeq: watermark, toSeq: watermark, staged: undefined };
  const staged = await module.stage(session, relation, { source: module.kind, runId: run.runId, now: new Date().toISOString(), dialect: deps.warehouse.dialect });
  return { fromSeq: watermark, toSeq: upTo, staged };
}

/**
 * The second step, inside the caller's transaction: the staged quarantine lands, the silver entity
 * merges the staged rows (latest change wins), gold is rebuilt for the keys that changed, and the
 * data tests of the touched tables run over those keys. The watermark moves in the same
 * transaction. The caller decides what a failing test means (see `refreshSource`); a rebuild
 * stages with `fromSeq: 0` and publishes with `scope: all`.
 */
export async function publishInTransaction(
  tx: SqlExecutor,
  module: SourceModule,
  deps: RefreshDeps,
  range: StagedRange,
  run: { readonly scope?: 'changed' | 'all' } = {},
): Promise<RefreshOutcome> {
  const { staged } = range;
  if (!staged) return NOTHING(range.fromSeq);
  const entity = SILVER_ENTITIES[module.entity];
  await tx.execute(`INSERT INTO silver.quarantine (${QUARANTINE_COLUMNS}) SELECT ${QUARANTINE_COLUMNS} FROM ${STAGE.quarantine}`);
  const upserted = await entity.merge(tx, deps.warehouse.dialect);
  let dataTests: DataTestResult[] = [];
  if (upserted > 0) {
    await entity.refreshGold(tx, deps.gold, deps.warehouse.dialect);
    const tables = [...entity.silverTables, ...entity.goldTables];
    const scope: DataTestScope = run.scope === 'all' ? { kind: 'all' } : { kind: 'changed', keys: entity.changedKeys };
    dataTests = await runDataTests(tx, dataTestsFor(tables, deps.dataTestOptions), scope, new Date(), deps.warehouse.dialect);
  }
  await clearStaging(tx, module);
  await writeCursor(tx, module.kind, 'silver_seq', String(range.toSeq));
  return {
    read: staged.staged + staged.quarantined, quarantined: staged.quarantined, upserted,
    fromSeq: range.fromSeq, toSeq: range.toSeq, dataTests,
  };
}

/** Empties what staging left for this source; after a failed publish, so a batch's copy does not linger in memory. */
export async function clearStaging(tx: SqlExecutor, module: SourceModule): Promise<void> {
  await SILVER_ENTITIES[module.entity].clearStaging(tx);
  await tx.execute(`DELETE FROM ${STAGE.quarantine} WHERE true`);
}

/** Runs `publish` in the session; when it fails, the staged rows are emptied before the error goes on. */
export async function publishOrClear<T>(session: WriterSession, modules: readonly SourceModule[], publish: (tx: SqlExecutor) => Promise<T>): Promise<T> {
  try {
    return await session.transaction(publish);
  } catch (err) {
    await session.transaction(async (tx) => {
      for (const m of modules) await clearStaging(tx, m);
    }).catch(() => undefined);
    throw err;
  }
}

async function silverWatermark(ex: SqlExecutor, module: SourceModule): Promise<number> {
  return Number((await readCursor(ex, module.kind, 'silver_seq')) ?? 0);
}

/**
 * One refresh transaction for a source. When an error-level data test fails, the transaction is
 * rolled back, so silver, gold and the watermark keep their last good state (the bronze records
 * stay and are tried again by the next refresh); the results are recorded on their own and the
 * failure is thrown as `DataTestFailure`, whose message says which test, how many rows and which keys.
 */
export async function refreshSource(module: SourceModule, deps: RefreshDeps, runId: string): Promise<RefreshedRange> {
  const started = performance.now();
  try {
    return await refreshRange(module, deps, runId, undefined);
  } catch (err) {
    if (!isRecordFault(err)) throw err;
    const from = await silverWatermark(deps.warehouse, module);
    return await isolate(module, deps, runId, from, deps.bronze.readableUpTo(module.kind), err);
  } finally {
    deps.observer?.refreshed(module.kind, (performance.now() - started) / 1000);
  }
}

type RefreshedRange = RefreshOutcome & { readonly dataVersion: number | undefined };

/**
 * Errors a record's content can cause (a value the warehouse cannot convert, a constraint it
 * breaks), as opposed to the warehouse being unavailable: only these make the refresh look for
 * the culprit. DuckDB names the error class first; BigQuery answers a job whose cast failed with
 * `invalidQuery` and a message naming the bad value, e.g. `Bad int64 value: x`,
 * `Invalid NUMERIC value: x`, `Invalid timestamp: 'x'`.
 */
export function isRecordFault(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  return DUCKDB_RECORD_FAULT.test(err.message) || BIGQUERY_RECORD_FAULT.test(err.message);
}
const DUCKDB_RECORD_FAULT = /^(Conversion|Invalid Input|Out of Range|Constraint|Mismatch Type) Error/;
/** Anywhere in the message: inside a transaction BigQuery prefixes `Query error: ` and appends the position. */
const BIGQUERY_RECORD_FAULT = /\b(Bad int64 value|Invalid NUMERIC value|Invalid timestamp): /;

/**
 * One record that the warehouse refuses must not hold its source hostage: the failing range is
 * split in halves and refreshed piece by piece until the refused record stands alone; it goes to
 * quarantine with the warehouse's reason (it stays in bronze) and the watermark moves past it.
 */
async function isolate(module: SourceModule, deps: RefreshDeps, runId: string, from: number, to: number, cause: unknown): Promise<RefreshedRange> {
  const seqs = (
    await deps.warehouse.transaction(async (tx) => {
      const rel = await deps.bronze.relation(tx, module.kind, module.silverEntities, from, to);
      return tx.query<{ seq: number }>(`SELECT seq FROM (${rel.sql}) b ORDER BY seq`, rel.params);
    })
  ).map((r) => Number(r.seq));
  if (seqs.length <= 1) {
    await deps.warehouse.transaction(async (tx) => {
      const rel = await deps.bronze.relation(tx, module.kind, module.silverEntities, from, to);
      // At most one row: its id and time are parameters, so the statement runs on either warehouse.
      await tx.execute(
        `INSERT INTO silver.quarantine (${QUARANTINE_COLUMNS})
         SELECT CAST(? AS STRING), ?, entity, natural_key, ?, payload, record_id, ?, ? FROM (${rel.sql}) b`,
        [randomUUID(), module.kind, `the warehouse refused it: ${errorText(cause)}`.slice(0, 2_000), new Date(), runId, ...rel.params],
      );
      await writeCursor(tx, module.kind, 'silver_seq', String(to));
      await addRunCounts(tx, runId, { quarantined: seqs.length });
    });
    return { read: seqs.length, quarantined: seqs.length, upserted: 0, fromSeq: from, toSeq: to, dataTests: [], dataVersion: undefined };
  }
  const mid = seqs[Math.floor(seqs.length / 2) - 1] as number;
  const halves: RefreshedRange[] = [];
  for (const [a, b] of [[from, mid], [mid, to]] as const) {
    try {
      halves.push(await refreshRange(module, deps, runId, { fromSeq: a, upToSeq: b }));
    } catch (err) {
      if (!isRecordFault(err)) throw err;
      halves.push(await isolate(module, deps, runId, a, b, err));
    }
  }
  const [x, y] = halves as [RefreshedRange, RefreshedRange];
  return {
    read: x.read + y.read, quarantined: x.quarantined + y.quarantined, upserted: x.upserted + y.upserted, fromSeq: from, toSeq: to,
    dataTests: [...x.dataTests, ...y.dataTests], dataVersion: y.dataVersion ?? x.dataVersion,
  };
}

async function refreshRange(
  module: SourceModule,
  deps: RefreshDeps,
  runId: string,
  range: { readonly fromSeq: number; readonly upToSeq: number } | undefined,
): Promise<RefreshedRange> {
  let failed: DataTestResult[] = [];
  let results: readonly DataTestResult[] = [];
  try {
    const { outcome, version } = await deps.warehouse.writerSession(async (session) => {
      const staged = await stageInSession(session, module, deps, { runId, ...range });
      return publishOrClear(session, [module], async (tx) => {
        const outcome = await publishInTransaction(tx, module, deps, staged);
        results = outcome.dataTests;
        failed = blockingFailures(outcome.dataTests);
        if (failed.length > 0) throw new DataTestFailure(failed);
        const version = outcome.upserted > 0 ? await deps.dataVersions.bumpInTransaction(tx) : undefined;
        if (outcome.dataTests.length > 0) await recordDataTestResults(tx, { runId, source: module.kind }, outcome.dataTests);
        if (outcome.read > 0) {
          await addRunCounts(tx, runId, { upserted: outcome.upserted, quarantined: outcome.quarantined, dataVersion: version });
        }
        return { outcome, version };
      });
    });
    if (version !== undefined) deps.dataVersions.publish(version);
    reportFailedTests(deps.observer, results);
    return { ...outcome, dataVersion: version };
  } catch (err) {
    if (err instanceof DataTestFailure && results.length > 0) {
      await deps.warehouse.transaction((tx) => recordDataTestResults(tx, { runId, source: module.kind }, results));
      reportFailedTests(deps.observer, results);
    }
    throw err;
  }
}

/** Counted once their results are recorded, like `ops.data_tests`, whether or not they held the refresh back. */
function reportFailedTests(observer: PipelineObserver | undefined, results: readonly DataTestResult[]): void {
  for (const r of results) if (r.status === 'failed') observer?.dataTestFailed(r.table, r.kind, r.severity);
}
