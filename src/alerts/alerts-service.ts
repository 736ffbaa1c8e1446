import type { Logger } from 'pino';
import { BUILT_IN_ROLES, createSecurityContext, type SecurityContext } from '../auth/index.js';
import type { MetricsService } from '../metrics/metrics-service.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { applyObservations, type ApplyResult } from './alert-engine.js';
import type { AlertRecord, AlertState, SilenceRecord } from './alert-record.js';
import { channelsFor, type AlertRule, type AlertRules } from './alert-rules.js';
import { acknowledgeAlert, activeSilences, insertSilence, listAlerts } from './alert-store.js';
import type { AlertChannel } from './channels/alert-channel.js';
import { DeliveryWorker, type Backoff } from './delivery-worker.js';
import type { EvaluationContext } from './evaluation-context.js';
import { lastCompletePeriod } from './periods.js';
import { evaluateRule } from './rule-evaluator.js';

/** Freshness, pipeline and data-quality rules are checked this often. */
export const DEFAULT_OPS_EVALUATION_MS = 60_000;
/**
 * After a gold publish, a KPI rule whose period was already judged is judged again (late orders
 * can change it) at most this often: live stores publish every few seconds, and each judgement
 * reads weeks of the KPI.
 */
export const KPI_REJUDGE_MS = 5 * 60_000;
/** Longest a silence may last, in minutes (30 days). */
export const MAX_SILENCE_MINUTES = 30 * 24 * 60;
/** Most alerts one list returns. */
export const MAX_ALERT_LIST = 500;

export interface AlertsServiceOptions {
  readonly warehouse: Warehouse;
  readonly metrics: MetricsService;
  /** Gold publishes (src/warehouse's `DataVersions`): rules are evaluated after each refresh. */
  readonly dataVersions?: { onChange(listener: () => void): () => void } | undefined;
  readonly rules: AlertRules;
  readonly channels: readonly AlertChannel[];
  readonly timezone: string;
  readonly linkBase?: string | undefined;
  readonly logger: Logger;
  readonly now?: () => Date;
  readonly backoff?: Backoff;
  readonly deliveryPollMs?: number;
  readonly opsEveryMs?: number;
}

const KPI_KINDS = new Set(['anomaly', 'threshold']);

/**
 * Alerts as a part of the service: evaluates rules after each gold refresh and on a schedule
 * (every minute for freshness, pipeline and data quality; KPI rules once per new complete
 * period), stores what fired, and has the delivery worker notify. One evaluation at a time.
 * Also what the API reads and acts on: alerts, silences, acknowledgement.
 */
export class AlertsService {
  readonly #o: AlertsServiceOptions;
  readonly #security: SecurityContext = createSecurityContext(BUILT_IN_ROLES.admin as NonNullable<(typeof BUILT_IN_ROLES)['admin']>, { credential: 'api-key', subject: 'farol-alerts' });
  readonly worker: DeliveryWorker;
  #chain: Promise<unknown> = Promise.resolve();
  #timer: NodeJS.Timeout | undefined;
  #unsubscribe: (() => void) | undefined;
  /** The last period each KPI rule was judged for, and when, so the schedule judges each period once. */
  readonly #judged = new Map<string, { period: string; at: number }>();
  /** A publish-triggered evaluation is queued and not started: later publishes join it. */
  #publishQueued = false;

  constructor(opts: AlertsServiceOptions) {
    this.#o = opts;
    this.worker = new DeliveryWorker({
      warehouse: opts.warehouse, channels: opts.channels, logger: opts.logger,
      ...(opts.backoff ? { backoff: opts.backoff } : {}), ...(opts.deliveryPollMs ? { pollMs: opts.deliveryPollMs } : {}),
    });
  }

  get rules(): readonly AlertRule[] {
    return this.#o.rules.rules;
  }

  private now(): Date {
    return this.#o.now?.() ?? new Date();
  }

  start(): void {
    this.worker.start();
    this.#unsubscribe = this.#o.dataVersions?.onChange(() => {
      if (this.#publishQueued) return;
      this.#publishQueued = true;
      void this.evaluate(
        (r) => r.kind !== 'freshness' && (!KPI_KINDS.has(r.kind) || this.newPeriodFor(r) || this.judgedLongAgo(r)),
        () => (this.#publishQueued = false),
      );
    });
    const tick = () => void this.evaluate((r) => !KPI_KINDS.has(r.kind) || this.newPeriodFor(r));
    this.#timer = setInterval(tick, this.#o.opsEveryMs ?? DEFAULT_OPS_EVALUATION_MS);
    this.#timer.unref();
    tick();
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#unsubscribe?.();
    await this.#chain;
    await this.worker.stop();
  }

  private newPeriodFor(rule: AlertRule): boolean {
    if (rule.kind !== 'anomaly' && rule.kind !== 'threshold') return true;
    return this.#judged.get(rule.name)?.period !== lastCompletePeriod(this.now(), rule.grain, this.#o.timezone, rule.settleMinutes).format();
  }

  private judgedLongAgo(rule: AlertRule): boolean {
    const at = this.#judged.get(rule.name)?.at;
    return at === undefined || this.now().getTime() - at >= KPI_REJUDGE_MS;
  }

  /**
   * Evaluates the rules `which` selects (all by default), queued behind any evaluation in
   * progress. A rule that fails to evaluate is logged and the others go on.
   */
  evaluate(which: (rule: AlertRule) => boolean = () => true, onStart?: () => void): Promise<ApplyResult[]> {
    const run = this.#chain.then(async () => {
      onStart?.();
      const results: ApplyResult[] = [];
      const now = this.now();
      const ctx: EvaluationContext = {
        warehouse: this.#o.warehouse, metrics: this.#o.metrics, security: this.#security, timezone: this.#o.timezone, now, linkBase: this.#o.linkBase,
      };
      const configured = this.#o.channels.map((c) => c.kind);
      for (const rule of this.#o.rules.rules.filter(which)) {
        try {
          const observations = await evaluateRule(ctx, rule);
          const kinds = channelsFor(rule, this.#o.rules, configured);
          const result = await applyObservations(this.#o.warehouse, rule, observations, this.#o.channels.filter((c) => kinds.includes(c.kind)), now);
          if (rule.kind === 'anomaly' || rule.kind === 'threshold') {
            this.#judged.set(rule.name, { period: lastCompletePeriod(now, rule.grain, this.#o.timezone, rule.settleMinutes).format(), at: now.getTime() });
          }
          for (const a of result.fired) this.#o.logger.warn({ rule: rule.name, series: a.series, alertId: a.id, notified: a.notified }, `alert firing: ${a.title}`);
          for (const a of result.resolved) this.#o.logger.info({ rule: rule.name, series: a.series, alertId: a.id }, `alert resolved: ${a.title}`);
          results.push(result);
        } catch (err) {
          this.#o.logger.error({ err, rule: rule.name }, 'alert rule evaluation failed');
        }
      }
      if (results.some((r) => r.fired.length > 0 || r.resolved.length > 0)) this.worker.wake();
      return results;
    });
    this.#chain = run.catch(() => undefined);
    return run;
  }

  list(opts: { state?: AlertState | undefined; limit: number }): Promise<AlertRecord[]> {
    return listAlerts(this.#o.warehouse, { state: opts.state, limit: Math.min(Math.max(1, opts.limit), MAX_ALERT_LIST) });
  }

  silences(): Promise<SilenceRecord[]> {
    return activeSilences(this.#o.warehouse, this.now());
  }

  /** undefined: no alert has this id. */
  acknowledge(id: string, by: string): Promise<AlertRecord | undefined> {
    return this.#o.warehouse.transaction((tx) => acknowledgeAlert(tx, id, by, this.now()));
  }

  ruleNames(): string[] {
    return this.#o.rules.rules.map((r) => r.name);
  }

  /** The caller checked the rule exists and the minutes are within 1…MAX_SILENCE_MINUTES. */
  silence(input: { rule: string; series: string | null; minutes: number; reason: string | null }, by: string): Promise<SilenceRecord> {
    const now = this.now();
    return this.#o.warehouse.transaction((tx) =>
      insertSilence(tx, { rule: input.rule, series: input.series, reason: input.reason, createdBy: by }, new Date(now.getTime() + input.minutes * 60_000), now));
  }
}
