/**
 * What the pipeline reports for monitoring, injected through `RunnerDeps.observer` (and
 * `StreamRuns`' options). The composition root passes Prometheus metrics
 * (src/observability/farol-metrics.ts); the pipeline does not know them. Implementations must
 * not throw and must be quick: they are called on the landing and refresh paths.
 */
export interface PipelineObserver {
  /** Records of `source`/`entity` committed to bronze. */
  recordsLanded(source: string, entity: string, count: number): void;
  /** A run of `source` ended failed (including a stream run closed with an error). */
  runFailed(source: string): void;
  /** A bronze → silver → gold refresh of `source` finished (committed or not), after `seconds`. */
  refreshed(source: string, seconds: number): void;
  /** A data test failed on a refresh; `test` is the rule kind (`not_null`, `unique`, ...). */
  dataTestFailed(table: string, test: string, severity: string): void;
}

/** Reports nothing: commands and tests that bring no metrics. */
export const NO_PIPELINE_OBSERVER: PipelineObserver = {
  recordsLanded() {},
  runFailed() {},
  refreshed() {},
  dataTestFailed() {},
};
