/**
 * The port the `sources`, `runs` and `dataTests` fields read through. The schema knows no
 * pipeline: `main.ts` implements this over ops.runs, ops.source_status and ops.data_tests. Plain
 * data in, plain data out; times are ISO-8601 strings.
 */
export interface SourceStatusRecord {
  readonly source: string;
  readonly title: string;
  /** `active`, `stopped` (terminal error until someone acts) or `idle` (nothing runs it in this process). */
  readonly state: string;
  readonly lastSuccessAt: string | null;
  readonly lagSeconds: number | null;
  /** The freshness SLA in seconds; null for a source without one. */
  readonly slaSeconds: number | null;
  /** Lag within the SLA; null without an SLA, false when an SLA exists and nothing ever succeeded. */
  readonly withinSla: boolean | null;
  readonly lastRunStatus: string | null;
  readonly lastError: string | null;
}

export interface RunRecord {
  readonly id: string;
  readonly source: string;
  readonly entity: string;
  readonly trigger: string;
  readonly status: string;
  readonly startedAt: string;
  readonly endedAt: string | null;
  readonly recordsIn: number | null;
  readonly upserted: number | null;
  readonly quarantined: number | null;
  readonly error: string | null;
}

export interface DataTestRecord {
  readonly table: string;
  /** The test id, e.g. `silver.orders.currency.accepted_values`. */
  readonly test: string;
  readonly severity: string;
  readonly status: string;
  readonly failingCount: number;
  readonly sampleKeys: readonly string[];
  readonly message: string | null;
  readonly ranAt: string;
}

export interface OperationsService {
  /** Every source kind this build knows, in a stable order; `runs(source:)` must name one. */
  readonly sourceNames: readonly string[];
  sources(): Promise<readonly SourceStatusRecord[]>;
  /** Newest first. */
  runs(opts: { readonly source?: string | undefined; readonly limit: number }): Promise<readonly RunRecord[]>;
  /** The latest result of each test, failures first. */
  dataTests(opts: { readonly failedOnly: boolean; readonly limit: number }): Promise<readonly DataTestRecord[]>;
}
