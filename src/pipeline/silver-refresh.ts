import type { BronzeStore } from '../ingest/bronze/bronze-store.js';
import type { GoldRefreshOptions } from '../transform/gold/refresh-order-gold.js';
import { SILVER_ENTITIES } from '../transform/silver-entity.js';
import type { DataVersions } from '../warehouse/data-version.js';
import type { SqlExecutor, Warehouse } from '../warehouse/warehouse.js';
import { readCursor, writeCursor } from '../ingest/state/cursor-store.js';
import { dataTestsFor } from './data-tests/data-test-catalog.js';
import type { DataTestResult, DataTestScope } from './data-tests/data-test.js';
import { DataTestFailure, recordDataTestResults } from './data-tests/record-data-tests.js';
import { runDataTests } from './data-tests/run-data-tests.js';
import { addRunCounts } from './run-log.js';
import type { SourceModule } from '../ingest/sources/source-module.js';

export interface RefreshDeps {
  readonly warehouse: Warehouse;
  readonly bronze: BronzeStore;
  readonly dataVersions: DataVersions;
  readonly gold: GoldRefreshOptions;
  /** Freshness limits and other knobs of the data tests; see data-test-catalog.ts. */
  readonly dataTestOptions?: Parameters<typeof dataTestsFor>[1];
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

/**
 * bronze → silver → gold for one source, inside the caller's transaction: the bronze rows past
 * the source's silver watermark are staged by the source (invalid ones quarantined with their
 * reason), merged into silver by the silver entity (latest change wins), gold is rebuilt for the
 * keys that changed, and the data tests of the touched tables run over those keys. The watermark
 * moves in the same transaction. The caller decides what a failing test means (see
 * `refreshSource`); a rebuild passes `fromSeq: 0` and `scope: all`.
 */
export async function refreshInTransaction(
  tx: SqlExecutor,
  module: SourceModule,
  deps: RefreshDeps,
  run: { readonly runId: string; readonly fromSeq?: number; readonly scope?: 'changed' | 'all' },
): Promise<RefreshOutcome> {
  const watermark = run.fromSeq ?? Number((await readCursor(tx, module.kind, 'silver_seq')) ?? 0);
  const upTo = deps.bronze.readableUpTo(module.kind);
  if (upTo <= watermark) return NOTHING(watermark);
  const entity = SILVER_ENTITIES[module.entity];
  const relation = await deps.bronze.relation(tx, module.kind, module.silverEntities, watermark, upTo);
  const staged = await module.stage(tx, relation, { source: module.kind, runId: run.runId, now: new Date().toISOString() });
  const upserted = await entity.merge(tx);
  let dataTests: DataTestResult[] = [];
  if (upserted > 0) {
    await entity.refreshGold(tx, deps.gold);
    const tables = [...entity.silverTables, ...entity.goldTables];
    const scope: DataTestScope = run.scope === 'all' ? { kind: 'all' } : { kind: 'changed', keys: entity.changedKeys };
    dataTests = await runDataTests(tx, dataTestsFor(tables, deps.dataTestOptions), scope);
  }
  await entity.clearStaging(tx);
  await writeCursor(tx, module.kind, 'silver_seq', String(upTo));
  return { read: staged.staged + staged.quarantined, quarantined: staged.quarantined, upserted, fromSeq: watermark, toSeq: upTo, dataTests };
}

export function failedErrorTests(results: readonly DataTestResult[]): DataTestResult[] {
  return results.filter((r) => r.status === 'failed' && r.severity === 'error');
}

/**
 * One refresh transaction for a source. When an error-level data test fails, the transaction is
 * rolled back, so silver, gold and the watermark keep their last good state (the bronze records
 * stay and are tried again by the next refresh); the results are recorded on their own and the
 * failure is thrown as `DataTestFailure`, whose message says which test, how many rows and which keys.
 */
export async function refreshSource(module: SourceModule, deps: RefreshDeps, runId: string): Promise<RefreshOutcome & { readonly dataVersion: number | undefined }> {
  let failed: DataTestResult[] = [];
  let results: readonly DataTestResult[] = [];
  try {
    const { outcome, version } = await deps.warehouse.transaction(async (tx) => {
      const outcome = await refreshInTransaction(tx, module, deps, { runId });
      results = outcome.dataTests;
      failed = failedErrorTests(outcome.dataTests);
      if (failed.length > 0) throw new DataTestFailure(failed);
      const version = outcome.upserted > 0 ? await deps.dataVersions.bumpInTransaction(tx) : undefined;
      if (outcome.dataTests.length > 0) await recordDataTestResults(tx, { runId, source: module.kind }, outcome.dataTests);
      if (outcome.read > 0) {
        await addRunCounts(tx, runId, { upserted: outcome.upserted, quarantined: outcome.quarantined, dataVersion: version });
      }
      return { outcome, version };
    });
    if (version !== undefined) deps.dataVersions.publish(version);
    return { ...outcome, dataVersion: version };
  } catch (err) {
    if (err instanceof DataTestFailure && results.length > 0) {
      await deps.warehouse.transaction((tx) => recordDataTestResults(tx, { runId, source: module.kind }, results));
    }
    throw err;
  }
}
