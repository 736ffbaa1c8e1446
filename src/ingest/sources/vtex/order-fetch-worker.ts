import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { applyVtexOrders, type OrderVersion } from '../../../transform/apply-vtex-orders.js';
import { quarantine } from '../../../quarantine/quarantine.js';
import type { GoldRefreshOptions } from '../../../transform/gold/refresh-order-facts.js';
import type { DataVersions } from '../../../warehouse/data-version.js';
import type { Warehouse } from '../../../warehouse/warehouse.js';
import { appendBronze } from '../../bronze/bronze-writer.js';
import { isTransient } from '../../http/index.js';
import { mapConcurrent } from '../../map-concurrent.js';
import { completeFetches, dueFetches, failFetches, type DueFetch, type FetchBackoff } from '../../state/fetch-queue.js';
import type { VtexOmsClient } from './vtex-oms-client.js';

export const DEFAULT_FETCH_BATCH = 200;
/** How often an idle worker looks for due retries when nothing wakes it. */
export const DEFAULT_IDLE_POLL_MS = 500;
/** Pause after a short batch, trading that much freshness for far fewer writer transactions. */
export const DEFAULT_GATHER_MS = 250;

export interface OrderFetchWorkerOptions {
  readonly warehouse: Warehouse;
  readonly oms: Pick<VtexOmsClient, 'getOrder'>;
  readonly dataVersions: DataVersions;
  readonly gold: GoldRefreshOptions;
  readonly logger: Logger;
  readonly concurrency: number;
  readonly batchSize?: number;
  readonly idlePollMs?: number;
  readonly gatherMs?: number;
  /** Back-off of a failed fetch before the queue offers it again; defaults in fetch-queue.ts. */
  readonly backoff?: FetchBackoff;
}

export interface FetchBatchResult {
  readonly claimed: number;
  readonly fetched: number;
  readonly failed: number;
  readonly changed: number;
  readonly quarantined: number;
}

type Outcome = { ok: true; due: DueFetch; data: unknown } | { ok: false; due: DueFetch; error: unknown };

/**
 * Drains the VTEX order fetch queue: Get order for each requested id, then in one transaction
 * the raw order into bronze, silver/gold merge, the queue rows cleared and the data version
 * bumped. A failed fetch stays queued with back-off; nothing is dropped.
 */
export class OrderFetchWorker {
  private running = false;
  private loop: Promise<void> | undefined;
  private wakeUp: (() => void) | undefined;

  constructor(private readonly opts: OrderFetchWorkerOptions) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    await this.loop;
  }

  /** Look at the queue now (called when the hook receiver commits). */
  wake(): void {
    this.wakeUp?.();
  }

  async runOnce(): Promise<FetchBatchResult> {
    const { warehouse, oms, logger } = this.opts;
    const due = await dueFetches(warehouse, 'vtex', 'order', this.opts.batchSize ?? DEFAULT_FETCH_BATCH);
    if (due.length === 0) return { claimed: 0, fetched: 0, failed: 0, changed: 0, quarantined: 0 };
    const outcomes = await mapConcurrent(due, this.opts.concurrency, async (d): Promise<Outcome> => {
      try {
        return { ok: true, due: d, data: await oms.getOrder(d.naturalKey) };
      } catch (error) {
        return { ok: false, due: d, error };
      }
    });
    let result: FetchBatchResult;
    try {
      result = await this.commit(outcomes);
    } catch (err) {
      // One poisoned order must not hold the queue hostage: commit one by one. An order the
      // warehouse refuses is kept in bronze and quarantined with the database's reason; only if
      // even that cannot be written does it stay queued with back-off.
      logger.warn({ err: describe(err), orders: outcomes.length }, 'order batch failed to commit; retrying one by one');
      result = { claimed: 0, fetched: 0, failed: 0, changed: 0, quarantined: 0 };
      for (const o of outcomes) {
        let r: FetchBatchResult;
        try {
          r = await this.commit([o]);
        } catch (single) {
          r = o.ok ? await this.quarantineRefused(o, single) : await this.backOff(o, single);
        }
        result = sumResults(result, r);
      }
    }
    for (const o of outcomes) {
      if (!o.ok) {
        logger.warn(
          { orderId: o.due.naturalKey, attempts: o.due.attempts + 1, transient: isTransient(o.error), err: describe(o.error) },
          'order fetch failed; will retry',
        );
      }
    }
    return { ...result, claimed: due.length };
  }

  private async quarantineRefused(o: Extract<Outcome, { ok: true }>, error: unknown): Promise<FetchBatchResult> {
    const { warehouse, logger } = this.opts;
    logger.error({ orderId: o.due.naturalKey, err: describe(error) }, 'warehouse refused an order; quarantining it');
    try {
      await warehouse.transaction(async (tx) => {
        const raw = JSON.stringify(o.data);
        const [record] = await appendBronze(
          tx,
          [{ source: 'vtex', entity: 'order', naturalKey: o.due.naturalKey, payload: raw }],
          `fetch-${randomUUID()}`,
        );
        await quarantine(tx, [
          {
            source: 'vtex',
            entity: 'order',
            naturalKey: o.due.naturalKey,
            reason: `warehouse refused the order: ${describe(error)}`,
            payload: raw,
            bronzeRecordId: record?.recordId ?? null,
          },
        ]);
        await completeFetches(tx, [o.due]);
      });
      return { claimed: 1, fetched: 1, failed: 0, changed: 0, quarantined: 1 };
    } catch (again) {
      return this.backOff(o, again);
    }
  }

  /** Leaves the request queued with back-off and the error, for when nothing could be written. */
  private async backOff(o: Outcome, error: unknown): Promise<FetchBatchResult> {
    await this.opts.warehouse.transaction((tx) =>
      failFetches(tx, [{ fetch: o.due, error: `commit failed: ${describe(error)}` }], this.opts.backoff),
    );
    return { claimed: 1, fetched: 0, failed: 1, changed: 0, quarantined: 0 };
  }

  /** One transaction: raw orders to bronze, silver/gold merge, queue rows cleared or backed off, version bumped. */
  private async commit(outcomes: readonly Outcome[]): Promise<FetchBatchResult> {
    const { warehouse } = this.opts;
    const fetched = outcomes.filter((o): o is Extract<Outcome, { ok: true }> => o.ok);
    const failed = outcomes.filter((o): o is Extract<Outcome, { ok: false }> => !o.ok);
    const runId = `fetch-${randomUUID()}`;
    const { result, version } = await warehouse.transaction(async (tx) => {
      const records = await appendBronze(
        tx,
        fetched.map((f) => ({ source: 'vtex', entity: 'order', naturalKey: f.due.naturalKey, payload: JSON.stringify(f.data) })),
        runId,
      );
      const versions: OrderVersion[] = records.map((r, i) => ({
        bronzeRecordId: r.recordId, orderId: r.naturalKey, payload: fetched[i]?.data, rawPayload: r.payload,
      }));
      const applied = await applyVtexOrders(tx, versions, this.opts.gold);
      const v = applied.changed > 0 ? await this.opts.dataVersions.bumpInTransaction(tx) : undefined;
      await completeFetches(tx, fetched.map((f) => f.due));
      await failFetches(
        tx,
        failed.map((f) => ({ fetch: f.due, error: describe(f.error), retryAfterMs: retryAfterOf(f.error) })),
        this.opts.backoff,
      );
      return { result: applied, version: v };
    });
    if (version !== undefined) this.opts.dataVersions.publish(version);
    return { claimed: outcomes.length, fetched: fetched.length, failed: failed.length, changed: result.changed, quarantined: result.quarantined };
  }

  private async run(): Promise<void> {
    while (this.running) {
      let claimed = 0;
      try {
        const r = await this.runOnce();
        claimed = r.claimed;
        if (r.claimed > 0) this.opts.logger.debug(r, 'order fetch batch');
      } catch (err) {
        // A failed batch rolled back: its queue rows are untouched and will be claimed again.
        this.opts.logger.error({ err }, 'order fetch batch failed');
      }
      if (claimed === 0 && this.running) await this.idle();
      else if (claimed < (this.opts.batchSize ?? DEFAULT_FETCH_BATCH) && this.running) {
        // A short batch means the queue is keeping up: let requests gather for a moment, so the
        // single writer is not taken by many tiny silver/gold transactions that hook acks wait behind.
        await new Promise((r) => setTimeout(r, this.opts.gatherMs ?? DEFAULT_GATHER_MS));
      }
    }
  }

  private idle(): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, this.opts.idlePollMs ?? DEFAULT_IDLE_POLL_MS);
      this.wakeUp = done;
      function done() {
        clearTimeout(timer);
        resolve();
      }
    });
  }
}

function sumResults(a: FetchBatchResult, b: FetchBatchResult): FetchBatchResult {
  return {
    claimed: a.claimed + b.claimed, fetched: a.fetched + b.fetched, failed: a.failed + b.failed,
    changed: a.changed + b.changed, quarantined: a.quarantined + b.quarantined,
  };
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function retryAfterOf(err: unknown): number | undefined {
  const v = (err as { retryAfterMs?: unknown } | null)?.retryAfterMs;
  return typeof v === 'number' ? v : undefined;
}
