import type { Logger } from 'pino';
import type { Warehouse } from '../../../warehouse/warehouse.js';
import type { BronzeStore } from '../../bronze/bronze-store.js';
import { isTransient, TerminalHttpError } from '../../http/index.js';
import { quarantine } from '../../../quarantine/quarantine.js';
import { InvalidOrderIdError } from './vtex-order-id.js';
import type { LandingPort } from '../../landing-port.js';
import { mapConcurrent } from '../../map-concurrent.js';
import { UNPACED, type LandingPace } from '../../landing-pace.js';
import { completeFetches, dueFetches, failFetches, type DueFetch, type FetchBackoff } from '../../state/fetch-queue.js';
import { VTEX_ORDER_ENTITY, VTEX_ORDERS } from './vtex-orders-names.js';
import type { VtexOmsClient } from './vtex-oms-client.js';

export const DEFAULT_FETCH_BATCH = 200;
/** How often an idle worker looks for due retries when nothing wakes it. */
export const DEFAULT_IDLE_POLL_MS = 500;
/** Pause after a short batch, trading that much freshness for fewer, larger landing transactions. */
export const DEFAULT_GATHER_MS = 100;
/**
 * Get order answering 404 this many times in a row (about 4 minutes with the default back-off)
 * means the order is not there to fetch: the request leaves the queue for quarantine. A few tries
 * first, because an order can be named by its hook a moment before OMS serves it.
 */
export const DEFAULT_MAX_NOT_FOUND_ATTEMPTS = 8;

export interface OrderFetchWorkerOptions {
  readonly warehouse: Warehouse;
  readonly bronze: BronzeStore;
  readonly landing: LandingPort;
  readonly oms: Pick<VtexOmsClient, 'getOrder'>;
  readonly logger: Logger;
  readonly concurrency: number;
  readonly batchSize?: number;
  readonly idlePollMs?: number;
  readonly gatherMs?: number;
  /** Back-off of a failed fetch before the queue offers it again; defaults in fetch-queue.ts. */
  readonly backoff?: FetchBackoff;
  readonly maxNotFoundAttempts?: number;
  /** Minimum spacing between landings (BigQuery's load-job quota), shared with the inbox mover; none by default. */
  readonly pace?: LandingPace;
}

export interface FetchBatchResult {
  readonly claimed: number;
  readonly fetched: number;
  /** Failed this time and queued again with back-off. */
  readonly failed: number;
  /** Taken off the queue into quarantine: not an order id, or not found too many times. */
  readonly givenUp: number;
}

type Outcome = { ok: true; due: DueFetch; data: unknown } | { ok: false; due: DueFetch; error: unknown };

/**
 * Drains the VTEX order fetch queue: Get order for each requested id, then one landing
 * transaction puts the raw orders in bronze and clears the requests they satisfy (a failed fetch
 * stays queued with back-off; nothing is dropped), and a refresh is requested. Typing, validation
 * and gold are the pipeline's refresh, shared with every other way orders arrive.
 */
export class OrderFetchWorker {
  private running = false;
  private loop: Promise<void> | undefined;
  private wakeUp: (() => void) | undefined;
  /** Set by `stop`: a batch still waiting for its landing turn is left in the queue. */
  private stopping = false;

  constructor(private readonly opts: OrderFetchWorkerOptions) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.stopping = false;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.stopping = true;
    this.wake();
    this.opts.pace?.release();
    await this.loop;
  }

  /** Look at the queue now (called when new fetch requests were committed). */
  wake(): void {
    this.wakeUp?.();
  }

  async runOnce(): Promise<FetchBatchResult> {
    const { warehouse, oms, logger, landing, bronze } = this.opts;
    const none = { claimed: 0, fetched: 0, failed: 0, givenUp: 0 };
    const limit = this.opts.batchSize ?? DEFAULT_FETCH_BATCH;
    let due = await dueFetches(warehouse, VTEX_ORDERS, VTEX_ORDER_ENTITY, limit);
    if (due.length === 0) return none;
    // Requests that come in while the pace holds this landing back wait in the queue, and are
    // fetched with it: the queue is read again only after a wait.
    const pace = this.opts.pace ?? UNPACED;
    const waits = pace.remainingMs() > 0;
    const turn = await pace.turn();
    if (this.stopping) {
      turn.cancel();
      return none;
    }
    if (waits) due = await dueFetches(warehouse, VTEX_ORDERS, VTEX_ORDER_ENTITY, limit);
    if (due.length === 0) return none;
    const outcomes = await mapConcurrent(due, this.opts.concurrency, async (d): Promise<Outcome> => {
      try {
        return { ok: true, due: d, data: await oms.getOrder(d.naturalKey) };
      } catch (error) {
        return { ok: false, due: d, error };
      }
    });
    const fetched = outcomes.filter((o): o is Extract<Outcome, { ok: true }> => o.ok);
    const failures = outcomes.filter((o): o is Extract<Outcome, { ok: false }> => !o.ok);
    const maxNotFound = this.opts.maxNotFoundAttempts ?? DEFAULT_MAX_NOT_FOUND_ATTEMPTS;
    const givenUp = failures.flatMap((f) => {
      const reason = giveUpReason(f.error, f.due.attempts + 1, maxNotFound);
      return reason ? [{ due: f.due, reason }] : [];
    });
    const leaving = new Set(givenUp.map((g) => g.due));
    const failed = failures.filter((f) => !leaving.has(f.due));
    const runId = await landing.streamRun(VTEX_ORDERS);
    await warehouse.transaction(async (tx) => {
      await bronze.append(
        tx,
        VTEX_ORDERS,
        fetched.map((f) => ({ entity: VTEX_ORDER_ENTITY, naturalKey: f.due.naturalKey, payload: JSON.stringify(f.data) })),
        runId,
      );
      await completeFetches(tx, [...fetched.map((f) => f.due), ...givenUp.map((g) => g.due)]);
      await quarantine(
        tx,
        givenUp.map((g) => ({
          source: VTEX_ORDERS, entity: VTEX_ORDER_ENTITY, naturalKey: g.due.naturalKey, reason: g.reason, payload: null, bronzeRecordId: null, runId,
        })),
      );
      await failFetches(
        tx,
        failed.map((f) => ({ fetch: f.due, error: describe(f.error), retryAfterMs: retryAfterOf(f.error) })),
        this.opts.backoff,
      );
      await landing.countLanded(tx, runId, fetched.length, VTEX_ORDER_ENTITY);
    });

    if (fetched.length > 0) landing.requestRefresh(VTEX_ORDERS);
    for (const o of failed) {
      logger.warn(
        { orderId: o.due.naturalKey, attempts: o.due.attempts + 1, transient: isTransient(o.error), err: describe(o.error) },
        'order fetch failed; will retry',
      );
    }
    for (const g of givenUp) logger.warn({ orderId: g.due.naturalKey, reason: g.reason }, 'order fetch given up; quarantined');
    return { claimed: due.length, fetched: fetched.length, failed: failed.length, givenUp: givenUp.length };
  }

  private async run(): Promise<void> {
    while (this.running) {
      let claimed = 0;
      try {
        claimed = (await this.runOnce()).claimed;
      } catch (err) {
        // A failed landing rolled back: its queue rows are untouched and will be claimed again.
        this.opts.logger.error({ err }, 'order fetch batch failed');
      }
      if (claimed === 0 && this.running) await this.idle(this.opts.idlePollMs ?? DEFAULT_IDLE_POLL_MS);
      else if (claimed < (this.opts.batchSize ?? DEFAULT_FETCH_BATCH) && this.running) {
        // A short batch means the queue is keeping up: let requests gather for a moment, so the
        // single writer is not taken by many tiny landing transactions.
        await this.idle(this.opts.gatherMs ?? DEFAULT_GATHER_MS, false);
      }
    }
  }

  private idle(ms: number, wakeable = true): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      if (wakeable) this.wakeUp = done;
      function done() {
        clearTimeout(timer);
        resolve();
      }
    });
  }
}

/** Why a failed fetch should leave the queue now, or undefined to try again later. */
function giveUpReason(err: unknown, attempts: number, maxNotFound: number): string | undefined {
  if (err instanceof InvalidOrderIdError) return `Get order: ${err.message}`;
  if (err instanceof TerminalHttpError && err.status === 404 && attempts >= maxNotFound) {
    return `Get order answered 404 (not found) on ${attempts} tries; given up: the account has no such order`;
  }
  return undefined;
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function retryAfterOf(err: unknown): number | undefined {
  const v = (err as { retryAfterMs?: unknown } | null)?.retryAfterMs;
  return typeof v === 'number' ? v : undefined;
}
