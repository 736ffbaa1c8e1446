import type { Rng } from './random.js';

/**
 * Failures for Get order, so clients prove their retry logic: 429 with `Retry-After` (which
 * VTEX does not document for OMS but clients must honour when present), 5xx, and slow answers.
 * Decisions come from a seeded stream in request-arrival order.
 */

export interface FaultOptions {
  /** Share of Get order requests answered 500/502/503. */
  readonly failureRate?: number;
  /** Share of Get order requests answered 429. */
  readonly throttleRate?: number;
  readonly retryAfterSeconds?: number;
  /** Added before every Get order answer. */
  readonly latencyMs?: number;
}

export const DEFAULT_RETRY_AFTER_SECONDS = 1;

export type FaultDecision =
  | { readonly kind: 'none' }
  | { readonly kind: 'throttle'; readonly retryAfterSeconds: number }
  | { readonly kind: 'fail'; readonly status: 500 | 502 | 503 };

const SERVER_ERRORS = [500, 502, 503] as const;

export class FaultInjector {
  private readonly failureRate: number;
  private readonly throttleRate: number;
  private readonly retryAfterSeconds: number;
  readonly latencyMs: number;
  private injected = 0;

  constructor(private readonly rng: Rng, options: FaultOptions = {}) {
    this.failureRate = clampRate(options.failureRate ?? 0, 'failureRate');
    this.throttleRate = clampRate(options.throttleRate ?? 0, 'throttleRate');
    if (this.failureRate + this.throttleRate > 1) throw new RangeError('failureRate + throttleRate must not exceed 1');
    this.retryAfterSeconds = Math.max(0, Math.round(options.retryAfterSeconds ?? DEFAULT_RETRY_AFTER_SECONDS));
    this.latencyMs = Math.max(0, options.latencyMs ?? 0);
  }

  get faultsInjected(): number {
    return this.injected;
  }

  decide(): FaultDecision {
    if (this.failureRate === 0 && this.throttleRate === 0) return { kind: 'none' };
    const u = this.rng.next();
    if (u < this.throttleRate) {
      this.injected++;
      return { kind: 'throttle', retryAfterSeconds: this.retryAfterSeconds };
    }
    if (u < this.throttleRate + this.failureRate) {
      this.injected++;
      return { kind: 'fail', status: this.rng.pick(SERVER_ERRORS) };
    }
    return { kind: 'none' };
  }
}

function clampRate(rate: number, name: string): number {
  if (!(rate >= 0 && rate <= 1)) throw new RangeError(`${name} must be within [0, 1], got ${rate}`);
  return rate;
}
