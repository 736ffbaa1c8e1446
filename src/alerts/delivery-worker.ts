import type { Logger } from 'pino';
import type { Warehouse } from '../warehouse/warehouse.js';
import type { ChannelKind } from './alert-rules.js';
import { dueDeliveries, markAttemptFailed, markDelivered, nextDeliveryDue } from './alert-store.js';
import { DeliveryError, type AlertChannel } from './channels/alert-channel.js';

export interface Backoff {
  /** First retry after this long; doubles per attempt, with ±20% jitter. */
  readonly baseMs: number;
  /** Never waits longer than this between attempts: a delivery is retried until it is sent. */
  readonly maxMs: number;
}

export const DEFAULT_BACKOFF: Backoff = { baseMs: 5_000, maxMs: 15 * 60_000 };
/** How often the worker looks for due deliveries when nothing woke it. */
export const DEFAULT_DELIVERY_POLL_MS = 30_000;
const BATCH = 20;

export function backoffDelay(attempts: number, b: Backoff, random = Math.random): number {
  const raw = Math.min(b.maxMs, b.baseMs * 2 ** Math.min(attempts, 30));
  return Math.round(raw * (0.8 + 0.4 * random()));
}

export interface DeliveryWorkerOptions {
  readonly warehouse: Warehouse;
  readonly channels: readonly AlertChannel[];
  readonly logger: Logger;
  readonly backoff?: Backoff;
  readonly pollMs?: number;
}

/**
 * Sends what ops.alert_deliveries holds as pending, oldest first, one pass at a time. A failed
 * attempt is recorded with its error and the next attempt's time; on start the worker takes up
 * whatever an earlier process left pending. A channel that is no longer configured leaves its
 * deliveries pending until it is.
 */
export class DeliveryWorker {
  readonly #opts: DeliveryWorkerOptions;
  readonly #channels: Map<ChannelKind, AlertChannel>;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #again = false;
  #stopped = true;
  #closing = false;

  constructor(opts: DeliveryWorkerOptions) {
    this.#opts = opts;
    this.#channels = new Map(opts.channels.map((c) => [c.kind, c]));
  }

  start(): void {
    this.#stopped = false;
    this.wake();
  }

  /** Runs a pass now (or right after the one in progress). */
  wake(): void {
    if (this.#stopped) return;
    if (this.#running) {
      this.#again = true;
      return;
    }
    clearTimeout(this.#timer);
    this.#running = this.drain()
      .then(() => undefined)
      .catch((err: unknown) => this.#opts.logger.error({ err }, 'alert delivery pass failed; will try again'))
      .finally(() => {
        this.#running = undefined;
        if (this.#again) {
          this.#again = false;
          this.wake();
        } else void this.schedule();
      });
  }

  /** One pass: every delivery due now. Exposed for commands and tests that drive it by hand. */
  async drain(now: () => Date = () => new Date()): Promise<number> {
    let sent = 0;
    for (;;) {
      const due = (await dueDeliveries(this.#opts.warehouse, now(), BATCH)).filter((d) => this.#channels.has(d.channel));
      if (due.length === 0) return sent;
      for (const d of due) {
        if (this.#closing) return sent;
        const channel = this.#channels.get(d.channel) as AlertChannel;
        try {
          await channel.send(d.payload);
          await markDelivered(this.#opts.warehouse, d.id, now());
          sent++;
        } catch (err) {
          const retryable = !(err instanceof DeliveryError) || err.retryable;
          const message = err instanceof Error ? err.message : String(err);
          const next = retryable ? new Date(now().getTime() + backoffDelay(d.attempts, this.#opts.backoff ?? DEFAULT_BACKOFF)) : 'never';
          await markAttemptFailed(this.#opts.warehouse, d.id, message.slice(0, 500), next);
          this.#opts.logger.warn({ channel: d.channel, alertId: d.alertId, event: d.event, attempts: d.attempts + 1, error: message, retryAt: next }, 'alert delivery failed');
        }
      }
    }
  }

  private async schedule(): Promise<void> {
    if (this.#stopped) return;
    const poll = this.#opts.pollMs ?? DEFAULT_DELIVERY_POLL_MS;
    const due = await nextDeliveryDue(this.#opts.warehouse).catch(() => undefined);
    const wait = due ? Math.max(0, Math.min(poll, due.getTime() - Date.now())) : poll;
    if (this.#stopped) return;
    this.#timer = setTimeout(() => this.wake(), wait);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#closing = true;
    clearTimeout(this.#timer);
    await this.#running;
  }
}
