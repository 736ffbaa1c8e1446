import type { Logger } from 'pino';
import type { HookTarget } from './hook-transport.js';
import type { Rng } from './random.js';

/**
 * Delivers hook notifications the way VTEX does: at least once, in no guaranteed order. Planned
 * notifications are shuffled within windows of `reorderWindow`, a share is sent a second time a
 * window later, and anything that does not get a 200 is retried with geometric backoff until it
 * does: nothing is dropped while the sandbox runs.
 */

/** PascalCase, exactly as VTEX posts it. */
export interface HookNotification {
  readonly Domain: string;
  readonly OrderId: string;
  readonly State: string;
  readonly LastState: string;
  readonly LastChange: string;
  readonly CurrentChange: string;
  readonly Origin: { readonly Account: string; readonly Key: string };
}

export interface HookDispatcherOptions {
  /** Drives duplicates and shuffles; only used synchronously while planning. */
  readonly rng: Rng;
  /** Retry jitter, kept apart so network timing cannot shift the duplicate/shuffle stream. */
  readonly jitterRng: Rng;
  readonly duplicateRate: number;
  /** Share of notifications never sent at all, as when VTEX gives up on a hook: what reconciliation heals. */
  readonly dropRate?: number;
  /** Drops draw from their own stream, so turning them on leaves duplicates and shuffles as they were. */
  readonly dropRng?: Rng;
  readonly reorderWindow: number;
  readonly concurrency: number;
  readonly retry: { readonly baseDelayMs: number; readonly maxDelayMs: number };
  /** The hook at send time; null parks deliveries until one is configured again. */
  readonly target: () => HookTarget | null;
  readonly post: (target: HookTarget, body: string) => Promise<number>;
  readonly logger: Logger;
  /** Called after every acknowledgement, so waiters can re-check. */
  readonly onProgress: () => void;
}

export interface DispatcherStats {
  /** Notifications dropped on purpose (never planned, never sent). */
  readonly notificationsDropped: number;
  readonly notificationsPlanned: number;
  readonly notificationsAcknowledged: number;
  readonly pendingDeliveries: number;
  readonly duplicatesSent: number;
  readonly outOfOrderSent: number;
}

interface Planned {
  readonly body: string;
  readonly orderId: string;
  readonly step: number;
  acked: boolean;
}

interface Delivery {
  readonly planned: Planned;
  readonly duplicate: boolean;
  attempts: number;
}

export class HookDispatcher {
  private window: Delivery[] = [];
  /** Duplicates planned in the current window; they go out after the next one. */
  private carryNext: Delivery[] = [];
  private carryPrev: Delivery[] = [];
  private readonly queue: Delivery[] = [];
  private head = 0;
  private readonly retryReady: Delivery[] = [];
  private parked: Delivery[] = [];
  private readonly retryTimers = new Set<NodeJS.Timeout>();
  private readonly highestStepSent = new Map<string, number>();
  private inFlight = 0;
  private paused = false;
  private closed = false;
  private planned = 0;
  private dropped = 0;
  private readonly droppedOrderIds = new Set<string>();
  private acknowledged = 0;
  private pending = 0;
  private duplicatesSent = 0;
  private outOfOrderSent = 0;

  constructor(private readonly options: HookDispatcherOptions) {}

  plan(notification: HookNotification, step: number): void {
    if (this.closed) return;
    const dropRate = this.options.dropRate ?? 0;
    if (dropRate > 0 && (this.options.dropRng ?? this.options.rng).chance(dropRate)) {
      this.dropped++;
      this.droppedOrderIds.add(notification.OrderId);
      return;
    }
    const planned: Planned = { body: JSON.stringify(notification), orderId: notification.OrderId, step, acked: false };
    this.planned++;
    this.pending++;
    this.window.push({ planned, duplicate: false, attempts: 0 });
    if (this.options.duplicateRate > 0 && this.options.rng.chance(this.options.duplicateRate)) {
      this.pending++;
      this.carryNext.push({ planned, duplicate: true, attempts: 0 });
    }
    if (this.window.length >= Math.max(1, this.options.reorderWindow)) this.flushWindow(false);
  }

  /** Publishing went quiet: send whatever is held back instead of waiting for a full window. */
  flush(): void {
    if (this.window.length > 0 || this.carryPrev.length > 0 || this.carryNext.length > 0) this.flushWindow(true);
  }

  /** A hook is (again) configured: parked deliveries go out. */
  wake(): void {
    if (this.parked.length > 0) {
      this.retryReady.push(...this.parked);
      this.parked = [];
    }
    this.pump();
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    this.pump();
  }

  close(): void {
    this.closed = true;
    for (const timer of this.retryTimers) clearTimeout(timer);
    this.retryTimers.clear();
  }

  /** Orders at least one of whose notifications was dropped on purpose. */
  ordersWithDroppedHooks(): string[] {
    return [...this.droppedOrderIds];
  }

  /** Every planned notification acknowledged and no delivery (duplicates included) outstanding. */
  isSettled(): boolean {
    return this.pending === 0 && this.acknowledged === this.planned;
  }

  stats(): DispatcherStats {
    return {
      notificationsDropped: this.dropped,
      notificationsPlanned: this.planned,
      notificationsAcknowledged: this.acknowledged,
      pendingDeliveries: this.pending,
      duplicatesSent: this.duplicatesSent,
      outOfOrderSent: this.outOfOrderSent,
    };
  }

  private flushWindow(everything: boolean): void {
    const batch = this.window;
    this.window = [];
    if (this.options.reorderWindow > 1) this.options.rng.shuffle(batch);
    this.queue.push(...batch, ...this.carryPrev);
    if (everything) {
      this.queue.push(...this.carryNext);
      this.carryPrev = [];
    } else {
      this.carryPrev = this.carryNext;
    }
    this.carryNext = [];
    this.pump();
  }

  private next(): Delivery | undefined {
    const retry = this.retryReady.shift();
    if (retry !== undefined) return retry;
    if (this.head >= this.queue.length) return undefined;
    const delivery = this.queue[this.head++];
    // Drop the consumed prefix now and then so a long run does not keep every delivery alive.
    if (this.head > 4_096 && this.head * 2 > this.queue.length) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
    return delivery;
  }

  private pump(): void {
    while (!this.paused && !this.closed && this.inFlight < this.options.concurrency) {
      const delivery = this.next();
      if (delivery === undefined) return;
      const target = this.options.target();
      if (target === null) {
        this.parked.push(delivery);
        continue;
      }
      this.inFlight++;
      void this.deliver(delivery, target);
    }
  }

  private async deliver(delivery: Delivery, target: HookTarget): Promise<void> {
    if (delivery.attempts === 0) this.countFirstSend(delivery);
    delivery.attempts++;
    let ok = false;
    let reason = '';
    try {
      const status = await this.options.post(target, delivery.planned.body);
      ok = status === 200;
      if (!ok) reason = `HTTP ${status}`;
    } catch (err) {
      reason = err instanceof Error ? err.message : String(err);
    }
    this.inFlight--;
    if (this.closed) return;
    if (ok) {
      this.pending--;
      if (!delivery.duplicate && !delivery.planned.acked) {
        delivery.planned.acked = true;
        this.acknowledged++;
      }
      this.options.onProgress();
    } else {
      this.options.logger.debug({ orderId: delivery.planned.orderId, attempts: delivery.attempts, reason }, 'hook delivery failed; will retry');
      this.scheduleRetry(delivery);
    }
    this.pump();
  }

  private countFirstSend(delivery: Delivery): void {
    if (delivery.duplicate) {
      this.duplicatesSent++;
      return;
    }
    const { orderId, step } = delivery.planned;
    const highest = this.highestStepSent.get(orderId);
    if (highest !== undefined && highest > step) this.outOfOrderSent++;
    else this.highestStepSent.set(orderId, step);
  }

  private scheduleRetry(delivery: Delivery): void {
    const { baseDelayMs, maxDelayMs } = this.options.retry;
    const geometric = Math.min(maxDelayMs, baseDelayMs * 2 ** Math.min(30, delivery.attempts - 1));
    const delay = Math.min(maxDelayMs, Math.round(geometric * (0.75 + 0.5 * this.options.jitterRng.next())));
    const timer = setTimeout(() => {
      this.retryTimers.delete(timer);
      this.retryReady.push(delivery);
      this.pump();
    }, delay);
    this.retryTimers.add(timer);
  }
}
