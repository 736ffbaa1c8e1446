/**
 * Per-client (= per-source) admission control: a token bucket plus a pause switch.
 *
 * Waiters are served strictly in arrival order by a single drain loop that sleeps until the next
 * token or the end of a pause; nothing polls. The pause exists because a 429 is about the source,
 * not the request: when one request is told to wait, its siblings must wait too.
 */
import { setTimeout as sleepFor } from 'node:timers/promises';

/** Bucket size when the caller sets none: no bursts, requests evenly spaced at the set rate. */
export const DEFAULT_BURST = 1;

export interface RateLimit {
  requestsPerSecond: number;
  /** Requests that may go out back to back after an idle period. */
  burst?: number;
}

export interface Clock {
  /** Monotonic milliseconds. */
  now(): number;
  /** Resolves after `ms`; resolves early (never rejects) when `signal` aborts. */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => performance.now(),
  sleep: (ms, signal) => sleepFor(ms, undefined, { signal }).catch(() => undefined),
};

export class RateLimiterClosedError extends Error {
  constructor(label: string) {
    super(`rate limiter for ${label} is closed`);
    this.name = 'RateLimiterClosedError';
  }
}

interface Waiter {
  resolve: () => void;
  reject: (err: Error) => void;
}

export class RateLimiter {
  private readonly ratePerMs: number;
  private readonly capacity: number;
  private tokens: number;
  private lastRefill: number;
  private pausedUntil = 0;
  private readonly queue: Waiter[] = [];
  private draining = false;
  private closed = false;
  private readonly stop = new AbortController();

  /** `limit` undefined means unlimited: the limiter then only enforces pauses. */
  constructor(
    limit: RateLimit | undefined,
    private readonly clock: Clock = systemClock,
    private readonly label = 'http client',
  ) {
    if (limit) {
      if (!(Number.isFinite(limit.requestsPerSecond) && limit.requestsPerSecond > 0)) {
        throw new RangeError(`rateLimit.requestsPerSecond must be > 0, got ${limit.requestsPerSecond}`);
      }
      const burst = limit.burst ?? DEFAULT_BURST;
      if (!(Number.isFinite(burst) && burst >= 1)) throw new RangeError(`rateLimit.burst must be >= 1, got ${burst}`);
      this.ratePerMs = limit.requestsPerSecond / 1000;
      this.capacity = burst;
    } else {
      this.ratePerMs = Number.POSITIVE_INFINITY;
      this.capacity = Number.POSITIVE_INFINITY;
    }
    this.tokens = this.capacity;
    this.lastRefill = clock.now();
  }

  /** Resolves when the caller may send one request. */
  acquire(): Promise<void> {
    if (this.closed) return Promise.reject(new RateLimiterClosedError(this.label));
    if (this.queue.length === 0 && this.tryTake(this.clock.now())) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ resolve, reject });
      void this.drain();
    });
  }

  /**
   * Holds every request of this client for `ms` from now (extends, never shortens, a running
   * pause). Tokens do not accumulate during a pause, so its end is not followed by a burst.
   */
  pause(ms: number): void {
    if (this.closed || !(ms > 0)) return;
    const now = this.clock.now();
    const until = now + ms;
    if (until <= this.pausedUntil) return;
    this.refill(now);
    this.tokens = Math.min(this.tokens, 1);
    this.pausedUntil = until;
    this.lastRefill = until;
  }

  /** Remaining pause in ms (0 when not paused). */
  pauseRemainingMs(): number {
    return Math.max(0, this.pausedUntil - this.clock.now());
  }

  get pending(): number {
    return this.queue.length;
  }

  /** Rejects every waiter and every later acquire. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.stop.abort();
    const error = new RateLimiterClosedError(this.label);
    for (const waiter of this.queue.splice(0)) waiter.reject(error);
  }

  private refill(now: number): void {
    if (!Number.isFinite(this.capacity)) return;
    const elapsed = now - this.lastRefill;
    if (elapsed <= 0) return;
    this.tokens = Math.min(this.capacity, this.tokens + elapsed * this.ratePerMs);
    this.lastRefill = now;
  }

  private tryTake(now: number): boolean {
    if (now < this.pausedUntil) return false;
    if (!Number.isFinite(this.capacity)) return true;
    this.refill(now);
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Milliseconds until the head of the queue could be admitted. */
  private waitMs(now: number): number {
    if (now < this.pausedUntil) return this.pausedUntil - now;
    return Math.max(1, Math.ceil((1 - this.tokens) / this.ratePerMs));
  }

  private async drain(): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    try {
      while (this.queue.length > 0 && !this.closed) {
        const now = this.clock.now();
        if (this.tryTake(now)) {
          this.queue.shift()?.resolve();
          continue;
        }
        await this.clock.sleep(this.waitMs(now), this.stop.signal);
      }
    } finally {
      this.draining = false;
    }
  }
}
