import type { SqlExecutor } from '../warehouse/warehouse.js';
import type { SourceKind } from './sources/source-kind.js';

/**
 * What ingestion needs from the pipeline that runs it, without depending on it: pushed and
 * fetched records are counted on a run, and landing asks for a refresh. The pipeline implements
 * it (stream-runs.ts, refresh-loop.ts); tests may pass a recording one.
 */
export interface LandingPort {
  /** The run that push-driven records of `source` are counted on (one per source per hour). */
  streamRun(source: SourceKind): Promise<string>;
  /**
   * Counts landed records on `runId` inside the landing transaction. `entity` (the bronze entity
   * they landed as) labels them for monitoring; the source's main entity when absent.
   */
  countLanded(tx: SqlExecutor, runId: string, records: number, entity?: string): Promise<void>;
  /** Asks for a bronze → silver → gold refresh of `source` soon; concurrent asks coalesce. */
  requestRefresh(source: SourceKind): void;
}
