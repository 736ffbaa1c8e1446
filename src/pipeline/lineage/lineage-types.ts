/**
 * Farol's own account of what a run read and wrote. The runner speaks only this; how it becomes
 * OpenLineage (or anything else) is a sink's business, so the runner never imports a lineage format.
 */

export interface LineageDataset {
  /** Where the dataset lives, e.g. `duckdb://farol` for the warehouse or a source's base URL. */
  readonly namespace: string;
  /** Unique within the namespace, e.g. `silver.orders`. */
  readonly name: string;
  readonly fields?: readonly { name: string; type: string }[];
  /**
   * Which of the run's counts is the number of rows this run wrote to this dataset (an output's
   * `upserted` for silver, `quarantined` for the quarantine table, `recordsIn` for bronze).
   * Outputs without it carry no row count: a run's totals are not every table's.
   */
  readonly rowCountFrom?: keyof LineageRunStats;
}

export interface LineageRun {
  /** A UUID: Farol run ids are UUIDs, and OpenLineage requires one. */
  readonly runId: string;
  /** e.g. 'vtex-orders' or 'rebuild'. */
  readonly job: string;
  /** schedule | cli | hook | startup | rebuild | admin, as in `ops.runs.trigger`. */
  readonly trigger: string;
  readonly inputs: readonly LineageDataset[];
  readonly outputs: readonly LineageDataset[];
}

/** The counts `ops.runs` keeps for a finished run. */
export interface LineageRunStats {
  readonly recordsIn: number;
  readonly upserted: number;
  readonly quarantined: number;
}

/**
 * Where lineage goes. Contract: `start`, `complete`, `fail` and `abort` return at once and never throw,
 * whatever the backend does, because lineage must never slow down or fail a run. `flush` waits
 * until everything reported so far has been delivered or given up on, or until `timeoutMs`
 * passes, and never rejects. After `close` the sink drops further events.
 */
export interface LineageSink {
  start(run: LineageRun): void;
  complete(run: LineageRun, stats: LineageRunStats): void;
  fail(run: LineageRun, error: string): void;
  /** The run was stopped on purpose (shutdown, a cancelled command) before it finished. */
  abort(run: LineageRun): void;
  flush(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** The sink when no lineage backend is configured (OPENLINEAGE_URL unset). */
export const noopLineageSink: LineageSink = Object.freeze({
  start() {},
  complete() {},
  fail() {},
  abort() {},
  flush: async () => {},
  close: async () => {},
});
