import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { BronzeInput, BronzeRecord } from '../ingest/bronze/bronze-store.js';
import { errorText } from '../shared/error-text.js';
import type { SqlExecutor } from '../warehouse/warehouse.js';
import { readCursor, writeCursor } from '../ingest/state/cursor-store.js';
import type { LineageSink } from './lineage/lineage-types.js';
import { lineageOf } from './pipeline-lineage.js';
import { addRunCounts, finishRun, setSourceStatus, startRun } from './run-log.js';
import { NO_PIPELINE_OBSERVER, type PipelineObserver } from './pipeline-observer.js';
import { refreshSource, type RefreshDeps } from './silver-refresh.js';
import type { SourceKind } from '../ingest/sources/source-kind.js';
import type { ExtractPage, RunTrigger, SourceModule } from '../ingest/sources/source-module.js';
import type { SourceLocks } from './source-locks.js';

/** Pages bigger than this land as a compressed segment file instead of rows in the write-ahead table. */
export const SEGMENT_PAGE_THRESHOLD = 5_000;
/** During a long run, silver and gold are refreshed after about this many landed records. */
export const REFRESH_EVERY_RECORDS = 100_000;

export type SourceRegistry = Readonly<Record<SourceKind, SourceModule>>;

export interface RunnerDeps extends RefreshDeps {
  readonly registry: SourceRegistry;
  readonly locks: SourceLocks;
  readonly lineage: LineageSink;
  /** Lineage namespace of the warehouse's datasets, e.g. `duckdb://host/path/farol.duckdb`. */
  readonly warehouseNamespace: string;
  readonly logger: Logger;
}

export interface RunOptions {
  readonly trigger: RunTrigger;
  readonly since?: Date | undefined;
  readonly full?: boolean;
  readonly file?: string | undefined;
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: RunProgress) => void;
}

export interface RunProgress {
  readonly runId: string;
  readonly source: SourceKind;
  readonly phase: 'extract' | 'refresh' | 'done';
  readonly landed: number;
  readonly expectedTotal: number | undefined;
  readonly upserted: number;
  readonly quarantined: number;
}

export interface RunSummary {
  readonly runId: string;
  readonly source: SourceKind;
  readonly landed: number;
  readonly upserted: number;
  readonly quarantined: number;
  readonly cursorBefore: string | undefined;
  readonly cursorAfter: string | undefined;
  readonly dataVersion: number | undefined;
  readonly seconds: number;
}

const CANCELLED_RUN = 'run cancelled before it finished; what landed is kept and the next run resumes from its cursor';

/** A run was asked for a source that already has one in progress. */
export class SourceBusyError extends Error {
  constructor(readonly source: SourceKind) {
    super(`a run of ${source} is already in progress (see \`farol runs --source ${source}\`); try again when it ends`);
    this.name = 'SourceBusyError';
  }
}

/**
 * The one runner every source, command and trigger goes through: a run lands pages in bronze
 * (each page and its cursor in one transaction, so a killed run resumes with no gap and no
 * duplicate), then refreshes silver → gold → data version (see silver-refresh.ts). Runs are
 * recorded in ops.runs and emitted as lineage events. Never two runs of one source at once.
 */
export class PipelineRunner {
  constructor(readonly deps: RunnerDeps) {}

  private get observer(): PipelineObserver {
    return this.deps.observer ?? NO_PIPELINE_OBSERVER;
  }

  module(kind: SourceKind): SourceModule {
    return this.deps.registry[kind];
  }

  /** Pulls a source (its `extract`) and refreshes it. */
  async run(kind: SourceKind, opts: RunOptions): Promise<RunSummary> {
    const module = this.module(kind);
    const extract = module.extract;
    if (!extract) throw new Error(`${kind} is not pulled: it is fed by pushes (${module.title}); use its hook`);
    return this.ingest(kind, (cursor, signal, logger) => extract.call(module, {
      cursor, since: opts.since, full: opts.full ?? false, file: opts.file, signal, logger,
    }), opts);
  }

  /**
   * Lands the pages `pages` yields for `kind` and refreshes: what `run` does with the source's own
   * extract, and what a bulk load (generated sandbox orders, an export) does with its own pages.
   */
  async ingest(
    kind: SourceKind,
    /** `logger` carries the run id and source, so every line the extract logs belongs to its run. */
    pages: (cursor: string | undefined, signal: AbortSignal, logger: Logger) => AsyncIterable<ExtractPage>,
    opts: RunOptions,
  ): Promise<RunSummary> {
    const release = this.deps.locks.tryAcquire(kind);
    if (!release) throw new SourceBusyError(kind);
    const started = performance.now();
    const runId = randomUUID();
    const log = this.deps.logger.child({ runId, source: kind });
    const module = this.module(kind);
    const lineage = lineageOf(module, runId, opts.trigger, this.deps.warehouseNamespace);
    const signal = opts.signal ?? new AbortController().signal;
    let landed = 0;
    let sinceRefresh = 0;
    let upserted = 0;
    let quarantined = 0;
    let dataVersion: number | undefined;
    let cursorAfter: string | undefined;
    let expectedTotal: number | undefined;
    const progress = (phase: RunProgress['phase']) =>
      opts.onProgress?.({ runId, source: kind, phase, landed, expectedTotal, upserted, quarantined });
    try {
      const cursorBefore = await readCursor(this.deps.warehouse, kind, 'extract');
      cursorAfter = cursorBefore;
      await startRun(this.deps.warehouse, { runId, source: kind, entity: module.entity, trigger: opts.trigger, cursorBefore });
      this.deps.lineage.start(lineage);
      const refresh = async () => {
        progress('refresh');
        const r = await refreshSource(module, this.deps, runId);
        upserted += r.upserted;
        quarantined += r.quarantined;
        dataVersion = r.dataVersion ?? dataVersion;
        sinceRefresh = 0;
      };
      log.info({ trigger: opts.trigger }, 'run started');
      for await (const page of pages(opts.full ? undefined : cursorBefore, signal, log)) {
        if (signal.aborted) throw new Error(CANCELLED_RUN);
        expectedTotal = page.expectedTotal ?? expectedTotal;
        await this.landPage(kind, runId, page);
        landed += page.records.length;
        sinceRefresh += page.records.length;
        cursorAfter = page.cursor ?? cursorAfter;
        progress('extract');
        if (sinceRefresh >= REFRESH_EVERY_RECORDS) await refresh();
      }
      await refresh();
      await finishRun(this.deps.warehouse, runId, 'succeeded');
      if (opts.trigger === 'cli' || opts.trigger === 'admin') await setSourceStatus(this.deps.warehouse, kind, 'active', null);
      this.deps.lineage.complete(lineage, { recordsIn: landed, upserted, quarantined });
      progress('done');
      log.info({ landed, upserted, quarantined, dataVersion }, 'run succeeded');
      return {
        runId, source: kind, landed, upserted, quarantined, cursorBefore, cursorAfter, dataVersion,
        seconds: (performance.now() - started) / 1000,
      };
    } catch (err) {
      // A run stopped on purpose (shutdown, a cancelled command) ends wherever it was, often inside
      // a request, whose own "aborted" says nothing about what became of the run. It is recorded
      // as cancelled, not failed: a restart is no pipeline failure to alert anyone about.
      const cancelled = signal.aborted;
      const reason = cancelled ? CANCELLED_RUN : errorText(err);
      if (cancelled) log.warn({ landed }, CANCELLED_RUN);
      else {
        this.observer.runFailed(kind);
        log.error({ reason, landed }, 'run failed');
      }
      try {
        await finishRun(this.deps.warehouse, runId, cancelled ? 'cancelled' : 'failed', reason);
      } catch (logErr) {
        log.error({ err: logErr }, 'could not record the end of the run');
      }
      if (cancelled) this.deps.lineage.abort(lineage);
      else this.deps.lineage.fail(lineage, reason);
      throw err;
    } finally {
      release();
    }
  }

  /** One page in one transaction: bronze rows, the cursor after them, the run's count. */
  private async landPage(kind: SourceKind, runId: string, page: ExtractPage): Promise<void> {
    // Segment files carry text only; a page holding a body's exact bytes goes through the table.
    if (page.records.length >= SEGMENT_PAGE_THRESHOLD && !page.records.some((r) => r.payloadBase64 !== undefined)) {
      const seg = await this.deps.bronze.writeSegment(kind, page.records, runId);
      let committed = false;
      try {
        await this.deps.warehouse.transaction(async (tx) => {
          await this.deps.bronze.register(tx, seg);
          await this.afterLanding(tx, kind, runId, page.records.length, page.cursor);
        });
        committed = true;
      } finally {
        await this.deps.bronze.settle(seg, committed);
      }
      this.observer.recordsLanded(kind, this.module(kind).entity, page.records.length);
      return;
    }
    await this.land(kind, runId, page.records, page.cursor === undefined ? {} : { cursor: page.cursor });
  }

  /**
   * Appends records to bronze's write-ahead table in one transaction, with the extract cursor (if
   * given) and `also` (e.g. clearing the fetch requests the records satisfy), and counts them on
   * the run. Used by pages of a run and by the hook's fetch worker.
   */
  async land(
    kind: SourceKind,
    runId: string,
    records: readonly BronzeInput[],
    opts: { cursor?: string; also?: (tx: SqlExecutor, landed: readonly BronzeRecord[]) => Promise<void> } = {},
  ): Promise<BronzeRecord[]> {
    const landed = await this.deps.warehouse.transaction(async (tx) => {
      const rows = await this.deps.bronze.append(tx, kind, records, runId);
      await opts.also?.(tx, rows);
      await this.afterLanding(tx, kind, runId, records.length, opts.cursor);
      return rows;
    });
    // Counted once committed, so the metric never claims a record a rollback took back.
    this.observer.recordsLanded(kind, this.module(kind).entity, records.length);
    return landed;
  }

  /**
   * A run that only refreshes: bronze records a previous process landed but did not apply (it
   * stopped between landing and refresh) are taken to gold, recorded as a run of their own.
   */
  async refreshRun(kind: SourceKind, trigger: RunTrigger): Promise<RunSummary> {
    return this.ingest(kind, async function* () {}, { trigger });
  }

  /** bronze → silver → gold for whatever landed and is not applied yet, counted on `runId`. */
  refresh(kind: SourceKind, runId: string): ReturnType<typeof refreshSource> {
    return refreshSource(this.module(kind), this.deps, runId);
  }

  private async afterLanding(tx: SqlExecutor, kind: SourceKind, runId: string, n: number, cursor: string | undefined): Promise<void> {
    if (cursor !== undefined) await writeCursor(tx, kind, 'extract', cursor);
    await addRunCounts(tx, runId, { recordsIn: n, cursorAfter: cursor });
  }
}

