import type { LandingPace } from '../../landing-pace.js';
import type { Logger } from 'pino';
import { quarantine } from '../../../quarantine/quarantine.js';
import type { Warehouse } from '../../../warehouse/warehouse.js';
import type { BronzeStore } from '../../bronze/bronze-store.js';
import type { LandingPort } from '../../landing-port.js';
import { enqueueOrderFetches } from './enqueue-order-fetches.js';
import { isVtexOrderId } from './vtex-order-id.js';
import { FEED_MAX_LOT, type VtexOmsClient } from './vtex-oms-client.js';
import { VTEX_NOTIFICATION_ENTITY, VTEX_ORDERS } from './vtex-orders-names.js';

/** Pause after an empty read: the feed is the safety net, the hook carries the news within seconds. */
export const DEFAULT_FEED_IDLE_MS = 5_000;
/** Longest pause after failed reads (VTEX asks for a minute after a 429). */
const MAX_FEED_BACKOFF_MS = 60_000;

export interface OrderFeedReaderOptions {
  readonly oms: Pick<VtexOmsClient, 'readOrderFeed' | 'commitOrderFeed'>;
  readonly warehouse: Warehouse;
  readonly bronze: BronzeStore;
  readonly landing: LandingPort;
  readonly logger: Logger;
  readonly idleMs?: number;
  /** Called after items landed (the fetch worker wakes on it). */
  readonly onLanded?: () => void;
  /** Minimum spacing between landings, shared with the hook's loops (BigQuery's load-job quota); none by default. */
  readonly pace?: LandingPace;
}

/**
 * VTEX Orders Feed v3 (`VTEX_FEED=on`), the second safety net beside the hook and the hourly
 * reconciliation: the account's feed queues every status change, whether or not the hook got
 * through. Each read lands its items in bronze as order notifications, with the fetch of each
 * order enqueued, in one transaction, and commits their handles only after it: a crash in between
 * leaves the items in the feed, where they reappear after the visibility timeout and land again
 * (harmless: the fetch queue and silver's merge absorb duplicates). An item whose `orderId` is not
 * a VTEX order id is quarantined, never fetched, and committed like the others.
 */
export class OrderFeedReader {
  private running = false;
  private loop: Promise<void> | undefined;
  private wakeUp: (() => void) | undefined;

  constructor(private readonly opts: OrderFeedReaderOptions) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wakeUp?.();
    this.opts.pace?.release();
    await this.loop;
  }

  /** One read: lands and commits what the feed had; returns how many items it read. */
  async readOnce(): Promise<number> {
    const { oms, warehouse, bronze, landing } = this.opts;
    // Read only in a landing turn: items read and left waiting would come back after the feed's visibility timeout.
    const turn = await this.opts.pace?.turn();
    if (!this.running && turn) {
      turn.cancel();
      return 0;
    }
    const items = await oms.readOrderFeed(FEED_MAX_LOT);
    if (items.length === 0) {
      turn?.cancel();
      return 0;
    }
    const good = items.filter((i) => isVtexOrderId(i.orderId));
    const bad = items.filter((i) => !isVtexOrderId(i.orderId));
    const runId = await landing.streamRun(VTEX_ORDERS);
    await warehouse.transaction(async (tx) => {
      const landed = await bronze.append(
        tx, VTEX_ORDERS, good.map((i) => ({ entity: VTEX_NOTIFICATION_ENTITY, naturalKey: i.orderId, payload: JSON.stringify(i) })), runId,
      );
      await enqueueOrderFetches(tx, landed);
      await quarantine(tx, bad.map((i) => ({
        source: VTEX_ORDERS, entity: VTEX_NOTIFICATION_ENTITY, naturalKey: null, runId,
        reason: 'feed item: orderId is not a VTEX order id', payload: JSON.stringify(i), bronzeRecordId: null,
      })));
      await landing.countLanded(tx, runId, landed.length, VTEX_NOTIFICATION_ENTITY);
    });
    await oms.commitOrderFeed(items.map((i) => i.handle));
    if (good.length > 0) this.opts.onLanded?.();
    return items.length;
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (this.running) {
      let pause = 0;
      try {
        const n = await this.readOnce();
        failures = 0;
        if (n === 0) pause = this.opts.idleMs ?? DEFAULT_FEED_IDLE_MS;
      } catch (err) {
        failures++;
        pause = Math.min(MAX_FEED_BACKOFF_MS, 1_000 * 2 ** Math.min(failures, 6));
        this.opts.logger.warn({ err, failures, retryInMs: pause }, 'order feed read failed; its items stay in the feed');
      }
      if (pause > 0 && this.running) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, pause);
          this.wakeUp = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        this.wakeUp = undefined;
      }
    }
  }
}
