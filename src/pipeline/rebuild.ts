import { randomUUID } from 'node:crypto';
import type { SqlExecutor, WarehouseDialect } from '../warehouse/warehouse.js';
import { SOURCE_KINDS } from '../ingest/sources/source-kind.js';
import { GOLD_DDL, GOLD_DERIVED_TABLES } from '../transform/gold/gold-ddl.js';
import { SILVER_DDL, SILVER_TABLES } from '../transform/silver/silver-ddl.js';
import { blockingFailures, DataTestFailure, recordDataTestResults } from './data-tests/record-data-tests.js';
import type { DataTestResult } from './data-tests/data-test.js';
import type { PipelineRunner, RunProgress } from './pipeline-runner.js';
import { errorText } from '../shared/error-text.js';
import { addRunCounts, finishRun, startRun } from './run-log.js';
import { publishInTransaction, publishOrClear, stageInSession, type StagedRange } from './silver-refresh.js';

/** How long a rebuild waits for runs in progress to end before giving up. */
export const DEFAULT_REBUILD_WAIT_MS = 120_000;

export interface RebuildOptions {
  readonly waitMs?: number;
  /** Rebuild even though retention has dropped bronze partitions (their rows leave silver and gold). */
  readonly force?: boolean;
  readonly onProgress?: (p: Pick<RunProgress, 'phase' | 'upserted' | 'quarantined'> & { readonly source: string }) => void;
}

export interface RebuildSummary {
  readonly runId: string;
  readonly read: number;
  readonly upserted: number;
  readonly quarantined: number;
  readonly dataVersion: number;
  readonly seconds: number;
}

export class RebuildRefusedError extends Error {}

/**
 * Silver and derived gold emptied for a rebuild, in its transaction. On DuckDB they are dropped
 * and created again rather than emptied: deleting every row of an indexed table costs far more
 * than the rebuild itself, and DuckDB's DDL is transactional. BigQuery runs no DDL inside a
 * transaction; TRUNCATE TABLE is DML there, keeps a table's partitioning and clustering and reads
 * nothing (a DELETE of every row would be billed for a scan of it).
 */
export async function emptyDerivedTables(tx: SqlExecutor, dialect: WarehouseDialect): Promise<void> {
  if (dialect === 'bigquery') {
    for (const t of SILVER_TABLES) await tx.execute(`TRUNCATE TABLE silver.${t}`);
    for (const t of GOLD_DERIVED_TABLES) await tx.execute(`TRUNCATE TABLE gold.${t}`);
    return;
  }
  for (const t of SILVER_TABLES) await tx.execute(`DROP TABLE silver.${t}`);
  for (const t of GOLD_DERIVED_TABLES) await tx.execute(`DROP TABLE gold.${t}`);
  await tx.execute(SILVER_DDL);
  await tx.execute(GOLD_DDL);
}

/**
 * `farol rebuild`: silver and gold from scratch, replaying all of bronze, in one transaction, so
 * readers see the old gold until the new one is complete and checked (every data test runs over
 * whole tables; an error-level failure rolls everything back). Because silver merges by latest
 * change and gold dimensions take the latest attributes over all orders, the result equals what
 * the incremental refreshes built. Holds every source's lock meanwhile.
 */
export async function rebuild(runner: PipelineRunner, opts: RebuildOptions = {}): Promise<RebuildSummary> {
  const { deps } = runner;
  const release = await deps.locks.acquireAll(SOURCE_KINDS, opts.waitMs ?? DEFAULT_REBUILD_WAIT_MS);
  if (!release) throw new RebuildRefusedError('a run is still in progress after waiting for it; try again when it ends (see `farol runs`)');
  const started = performance.now();
  const runId = randomUUID();
  let results: DataTestResult[] = [];
  try {
    const dropped = await deps.warehouse.query<{ source: string; days: number; records: number }>(
      'SELECT source, count(*) AS days, sum(records) AS records FROM bronze.dropped_partitions GROUP BY source',
    );
    if (dropped.length > 0 && !opts.force) {
      const what = dropped.map((d) => `${d.source}: ${d.records} records in ${d.days} day(s)`).join('; ');
      throw new RebuildRefusedError(
        `bronze retention has removed partitions (${what}); a rebuild would drop their rows from silver and gold. Pass --force to rebuild anyway`,
      );
    }
    await startRun(deps.warehouse, { runId, source: '*', entity: 'all', trigger: 'rebuild', cursorBefore: undefined });
    try {
      const modules = SOURCE_KINDS.map((kind) => runner.module(kind));
      const totals = await deps.warehouse.writerSession(async (session) => {
        // Every source's bronze staged first, in transactions that write only temporary
        // tables, so the merges below read committed rows on every core (see stageInSession).
        const ranges: StagedRange[] = [];
        for (const module of modules) {
          opts.onProgress?.({ source: module.kind, phase: 'refresh', upserted: 0, quarantined: 0 });
          ranges.push(await stageInSession(session, module, deps, { runId, fromSeq: 0 }));
        }
        return publishOrClear(session, modules, async (tx) => {
          await emptyDerivedTables(tx, deps.warehouse.dialect);
          // Quarantine rows derived from bronze are derived again; hook bodies that never reached bronze stay.
          await tx.execute('DELETE FROM silver.quarantine WHERE bronze_record_id IS NOT NULL');
          let read = 0;
          let upserted = 0;
          let quarantined = 0;
          results = [];
          for (const [i, module] of modules.entries()) {
            opts.onProgress?.({ source: module.kind, phase: 'refresh', upserted, quarantined });
            const r = await publishInTransaction(tx, module, deps, ranges[i] as StagedRange, { scope: 'all' });
            read += r.read;
            upserted += r.upserted;
            quarantined += r.quarantined;
            results.push(...r.dataTests);
          }
          const failed = blockingFailures(results);
          if (failed.length > 0) throw new DataTestFailure(failed);
          await recordDataTestResults(tx, { runId, source: '*' }, results);
          const version = await deps.dataVersions.bumpInTransaction(tx);
          await addRunCounts(tx, runId, { recordsIn: read, upserted, quarantined, dataVersion: version });
          return { read, upserted, quarantined, version };
        });
      });
      deps.dataVersions.publish(totals.version);
      await finishRun(deps.warehouse, runId, 'succeeded');
      opts.onProgress?.({ source: '*', phase: 'done', upserted: totals.upserted, quarantined: totals.quarantined });
      return {
        runId, read: totals.read, upserted: totals.upserted, quarantined: totals.quarantined, dataVersion: totals.version,
        seconds: (performance.now() - started) / 1000,
      };
    } catch (err) {
      if (err instanceof DataTestFailure && results.length > 0) {
        await deps.warehouse.transaction((tx) => recordDataTestResults(tx, { runId, source: '*' }, results));
      }
      await finishRun(deps.warehouse, runId, 'failed', errorText(err));
      throw err;
    }
  } finally {
    release();
  }
}
