import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { AlertDeliveryObserver } from './alert-delivery-observer.js';
import { boundedLabel } from './bounded-label.js';
import type { SqlStatementKind, SqlStatementObserver } from './sql-statement-observer.js';

/** Seconds since a source's last successful run; null before its first one. */
export interface FreshnessReading {
  readonly source: string;
  readonly secondsSinceSuccess: number | null;
}

export interface FarolMetricsOptions {
  /**
   * Read at every scrape, so freshness is exact at the moment Prometheus asks instead of as old
   * as the last run. The composition root passes a reader over `sourceHealth`.
   */
  readonly freshness?: () => Promise<readonly FreshnessReading[]>;
  /** Process metrics (CPU, memory, event loop lag, GC); on by default. */
  readonly processMetrics?: boolean;
}

/** Every metric name Farol exports; the Grafana dashboard and alert rules may only use these. */
export const METRIC = {
  recordsIngested: 'farol_records_ingested_total',
  runFailures: 'farol_run_failures_total',
  httpRetries: 'farol_http_retries_total',
  hookAckSeconds: 'farol_hook_ack_seconds',
  freshnessSeconds: 'farol_source_freshness_seconds',
  refreshSeconds: 'farol_refresh_duration_seconds',
  dataTestFailures: 'farol_data_test_failures_total',
  graphqlSeconds: 'farol_graphql_request_duration_seconds',
  sqlSeconds: 'farol_sql_statement_duration_seconds',
  cacheHits: 'farol_result_cache_hits_total',
  cacheMisses: 'farol_result_cache_misses_total',
  alertsSent: 'farol_alerts_sent_total',
  alertsFailed: 'farol_alerts_failed_total',
} as const;

/** Fast answers: a webhook acknowledgement, a cached GraphQL or SQL answer is a few milliseconds. */
const REQUEST_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
/** A refresh is a transaction over silver and gold: tens of milliseconds to minutes on a backfill. */
const REFRESH_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 900];

/**
 * Farol's Prometheus metrics, in a registry of their own (never prom-client's global one, so two
 * services in one process, as in tests, do not share counters). Inner layers never import this:
 * each declares the small observer it needs (`PipelineObserver`, the hook route's
 * `onAcknowledged`, the semantic engine's `onCacheLookup`, ...) and the composition root passes
 * this object, whose methods match them, in. Label values that come from outside (a GraphQL
 * operation name) are bounded, so a client cannot grow the series without limit.
 */
export class FarolMetrics implements SqlStatementObserver, AlertDeliveryObserver {
  readonly registry = new Registry();
  readonly #records: Counter<'source' | 'entity'>;
  readonly #runFailures: Counter<'source'>;
  readonly #retries: Counter<'source'>;
  readonly #hookAck: Histogram;
  readonly #refresh: Histogram<'source'>;
  readonly #dataTests: Counter<'table' | 'test' | 'severity'>;
  readonly #graphql: Histogram<'operation'>;
  readonly #sql: Histogram<'kind'>;
  readonly #cacheHits: Counter;
  readonly #cacheMisses: Counter;
  readonly #alertsSent: Counter<'channel'>;
  readonly #alertsFailed: Counter<'channel'>;
  readonly #operationNames = boundedLabel({ maxDistinct: 200, overflow: 'other', empty: 'anonymous' });

  constructor(options: FarolMetricsOptions = {}) {
    const registers = [this.registry];
    if (options.processMetrics !== false) collectDefaultMetrics({ register: this.registry, prefix: 'farol_' });
    this.#records = new Counter({ name: METRIC.recordsIngested, help: 'Records landed in bronze, per source and entity.', labelNames: ['source', 'entity'], registers });
    this.#runFailures = new Counter({ name: METRIC.runFailures, help: 'Pipeline runs that ended failed, per source.', labelNames: ['source'], registers });
    this.#retries = new Counter({ name: METRIC.httpRetries, help: 'HTTP requests to a source retried after a failed attempt (429, 5xx, network).', labelNames: ['source'], registers });
    this.#hookAck = new Histogram({ name: METRIC.hookAckSeconds, help: 'Time from a VTEX order hook request to its acknowledgement (bronze row durable).', buckets: REQUEST_BUCKETS, registers });
    const freshness = options.freshness;
    new Gauge({
      name: METRIC.freshnessSeconds,
      help: 'Seconds since the last successful run of each source, read at scrape time; absent before a first success.',
      labelNames: ['source'],
      registers,
      async collect() {
        this.reset();
        if (!freshness) return;
        // A warehouse that cannot answer leaves the gauge empty rather than failing the whole scrape:
        // process metrics and counters still arrive, and an absent series is itself alertable.
        const readings = await freshness().catch(() => []);
        for (const r of readings) if (r.secondsSinceSuccess !== null) this.set({ source: r.source }, r.secondsSinceSuccess);
      },
    });
    this.#refresh = new Histogram({ name: METRIC.refreshSeconds, help: 'Duration of a bronze → silver → gold refresh, per source.', labelNames: ['source'], buckets: REFRESH_BUCKETS, registers });
    this.#dataTests = new Counter({ name: METRIC.dataTestFailures, help: 'Data tests that failed, per table, test and severity.', labelNames: ['table', 'test', 'severity'], registers });
    this.#graphql = new Histogram({ name: METRIC.graphqlSeconds, help: 'GraphQL request duration by operation name.', labelNames: ['operation'], buckets: REQUEST_BUCKETS, registers });
    this.#sql = new Histogram({ name: METRIC.sqlSeconds, help: 'SQL API statement duration by statement kind.', labelNames: ['kind'], buckets: REQUEST_BUCKETS, registers });
    this.#cacheHits = new Counter({ name: METRIC.cacheHits, help: "Semantic engine result cache lookups answered from a stored entry.", registers });
    this.#cacheMisses = new Counter({ name: METRIC.cacheMisses, help: 'Semantic engine result cache lookups that went to the warehouse.', registers });
    this.#alertsSent = new Counter({ name: METRIC.alertsSent, help: 'Alert messages delivered, per channel.', labelNames: ['channel'], registers });
    this.#alertsFailed = new Counter({ name: METRIC.alertsFailed, help: 'Alert deliveries that failed, per channel.', labelNames: ['channel'], registers });
  }

  // Pipeline (src/pipeline's PipelineObserver)
  recordsLanded(source: string, entity: string, count: number): void {
    if (count > 0) this.#records.inc({ source, entity }, count);
  }

  runFailed(source: string): void {
    this.#runFailures.inc({ source });
  }

  refreshed(source: string, seconds: number): void {
    this.#refresh.observe({ source }, seconds);
  }

  dataTestFailed(table: string, test: string, severity: string): void {
    this.#dataTests.inc({ table, test, severity });
  }

  /** Fits the HTTP client's `onAttempt`: every attempt after the first is a retry. */
  httpAttempt(event: { readonly source: string; readonly attempt: number }): void {
    if (event.attempt > 1) this.#retries.inc({ source: event.source });
  }

  hookAcknowledged(seconds: number): void {
    this.#hookAck.observe(seconds);
  }

  graphqlOperation(operationName: string | null | undefined, seconds: number): void {
    this.#graphql.observe({ operation: this.#operationNames(operationName) }, seconds);
  }

  sqlStatement(kind: SqlStatementKind, seconds: number): void {
    this.#sql.observe({ kind }, seconds);
  }

  cacheLookup(hit: boolean): void {
    (hit ? this.#cacheHits : this.#cacheMisses).inc();
  }

  alertSent(channel: string): void {
    this.#alertsSent.inc({ channel });
  }

  alertFailed(channel: string): void {
    this.#alertsFailed.inc({ channel });
  }

  /** The text exposition Prometheus scrapes. */
  async scrape(): Promise<{ readonly contentType: string; readonly body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
