import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { SourceKind } from '../ingest/sources/source-kind.js';
import type { SqlExecutor, Warehouse } from '../warehouse/warehouse.js';
import type { LineageRun, LineageSink } from './lineage/lineage-types.js';
import { lineageOf } from './pipeline-lineage.js';
import type { SourceRegistry } from './pipeline-runner.js';
import type { PipelineObserver } from './pipeline-observer.js';
import { addRunCounts, finishRun, startRun } from './run-log.js';

/** A push-driven source's records are counted on one run per this period. */
export const DEFAULT_STREAM_RUN_MS = 60 * 60_000;

interface OpenRun {
  readonly runId: string;
  readonly source: SourceKind;
  readonly startedAt: number;
  readonly lineage: LineageRun;
  error: string | undefined;
}

/**
 * Runs for what arrives by push (hook notifications and the orders they fetch). Recording every
 * small batch as a run would bury `farol runs` in thousands of rows an hour, so pushed records are
 * counted on one run per source per period: it starts with the first record, collects the
 * counts of every landing and refresh, and closes (succeeded, or failed with its last error) when
 * the period ends or the service stops.
 */
export class StreamRuns {
  private readonly open = new Map<SourceKind, OpenRun>();
  private opening = new Map<SourceKind, Promise<OpenRun>>();

  constructor(
    private readonly deps: {
      readonly warehouse: Warehouse;
      readonly registry: SourceRegistry;
      readonly lineage: LineageSink;
      readonly warehouseNamespace: string;
      readonly logger: Logger;
      readonly periodMs?: number;
      readonly observer?: PipelineObserver;
    },
  ) {}

  async current(source: SourceKind): Promise<string> {
    const run = this.open.get(source);
    if (run && Date.now() - run.startedAt < (this.deps.periodMs ?? DEFAULT_STREAM_RUN_MS)) return run.runId;
    let pending = this.opening.get(source);
    if (!pending) {
      pending = this.rotate(source, run).finally(() => this.opening.delete(source));
      this.opening.set(source, pending);
    }
    return (await pending).runId;
  }

  /**
   * Counted on the run inside the landing transaction and on the observer at the same moment: a
   * landing that then rolls back (a warehouse error; its records are landed again later) is
   * counted twice by the metric, never missed.
   */
  async countLanded(tx: SqlExecutor, runId: string, records: number, entity?: string): Promise<void> {
    if (records <= 0) return;
    await addRunCounts(tx, runId, { recordsIn: records });
    for (const [source, run] of this.open) {
      if (run.runId === runId) this.deps.observer?.recordsLanded(source, entity ?? this.deps.registry[source].entity, records);
    }
  }

  /** Remembers a failure (a refresh that could not commit); the run closes as failed with it. */
  recordError(source: SourceKind, error: string): void {
    const run = this.open.get(source);
    if (run) run.error = error;
  }

  /** Clears a remembered failure once the source refreshed successfully again. */
  recordSuccess(source: SourceKind): void {
    const run = this.open.get(source);
    if (run) run.error = undefined;
  }

  async closeAll(): Promise<void> {
    for (const [source, run] of [...this.open]) {
      this.open.delete(source);
      await this.close(run);
    }
  }

  private async rotate(source: SourceKind, previous: OpenRun | undefined): Promise<OpenRun> {
    if (previous) {
      this.open.delete(source);
      await this.close(previous);
    }
    const runId = randomUUID();
    await startRun(this.deps.warehouse, { runId, source, entity: this.deps.registry[source].entity, trigger: 'hook', cursorBefore: undefined });
    const run: OpenRun = {
      runId, source, startedAt: Date.now(), error: undefined,
      lineage: lineageOf(this.deps.registry[source], runId, 'hook', this.deps.warehouseNamespace),
    };
    this.deps.lineage.start(run.lineage);
    this.open.set(source, run);
    return run;
  }

  private async close(run: OpenRun): Promise<void> {
    try {
      const [row] = await this.deps.warehouse.query<{ records_in: number; upserted: number; quarantined: number }>(
        'SELECT records_in, upserted, quarantined FROM ops.runs WHERE run_id = ?',
        [run.runId],
      );
      await finishRun(this.deps.warehouse, run.runId, run.error ? 'failed' : 'succeeded', run.error);
      if (run.error) this.deps.observer?.runFailed(run.source);
      if (run.error) this.deps.lineage.fail(run.lineage, run.error);
      else {
        this.deps.lineage.complete(run.lineage, {
          recordsIn: Number(row?.records_in ?? 0), upserted: Number(row?.upserted ?? 0), quarantined: Number(row?.quarantined ?? 0),
        });
      }
    } catch (err) {
      this.deps.logger.error({ err, runId: run.runId }, 'could not close a stream run');
    }
  }
}
