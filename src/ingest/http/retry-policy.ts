/**
 * When to retry a request and how long to wait: the only place that decides it.
 *
 * Backoff is "full jitter" exponential: a uniform draw in [0, min(maxDelayMs, baseDelayMs·2^(n-1)))
 * after the n-th failed attempt, so concurrent clients spread out instead of retrying in lockstep.
 * A server's Retry-After wins when it is longer; a wait beyond `maxRetryAfterMs` is not slept
 * through but reported, so a scheduler can come back later instead of pinning a worker.
 */
import { isConnectionRefused, isTransientNetworkCode } from './network-errors.js';
import type { HttpMethod } from './http-errors.js';

/** Attempts per request, the first one included. */
export const DEFAULT_MAX_ATTEMPTS = 5;
/** Backoff cap for the first retry; doubles with every further attempt. */
export const DEFAULT_BASE_DELAY_MS = 500;
/** Ceiling of the computed backoff. */
export const DEFAULT_MAX_DELAY_MS = 60_000;
/** Longest wait the client sleeps through in-process; longer waits surface as a transient error. */
export const DEFAULT_MAX_RETRY_AFTER_MS = 120_000;

/** Statuses that mean "try again": timeout, throttling, and server-side failures. */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([408, 429, 500, 502, 503, 504]);

/**
 * Statuses with which a server refuses a request before acting on it (RFC 9110 §15.5.21, §15.6.4).
 * Only these are safe to repeat for non-idempotent requests, and they pause the whole client.
 */
export const THROTTLE_STATUSES: ReadonlySet<number> = new Set([429, 503]);

/** Methods RFC 9110 defines as idempotent, among those the client sends. */
export const IDEMPOTENT_METHODS: ReadonlySet<HttpMethod> = new Set<HttpMethod>(['GET', 'PUT', 'DELETE']);

export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /**
   * Floor for the wait after a 429, whether or not the server sent Retry-After. VTEX OMS asks for
   * about a minute after throttling but does not document a Retry-After header.
   */
  minRetryAfterMs?: number;
  maxRetryAfterMs: number;
  /** Injected in tests; defaults to a real timer. */
  sleep: (ms: number) => Promise<void>;
  /** Uniform in [0, 1); injected in tests. */
  random: () => number;
  /** Wall clock in epoch ms, to turn an HTTP-date Retry-After into a delay; injected in tests. */
  now: () => number;
}

export function resolveRetryPolicy(overrides: Partial<RetryPolicy> = {}): Readonly<RetryPolicy> {
  const policy: RetryPolicy = {
    maxAttempts: overrides.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    baseDelayMs: overrides.baseDelayMs ?? DEFAULT_BASE_DELAY_MS,
    maxDelayMs: overrides.maxDelayMs ?? DEFAULT_MAX_DELAY_MS,
    maxRetryAfterMs: overrides.maxRetryAfterMs ?? DEFAULT_MAX_RETRY_AFTER_MS,
    sleep: overrides.sleep ?? defaultSleep,
    random: overrides.random ?? Math.random,
    now: overrides.now ?? Date.now,
  };
  if (overrides.minRetryAfterMs !== undefined) policy.minRetryAfterMs = overrides.minRetryAfterMs;

  if (!Number.isInteger(policy.maxAttempts) || policy.maxAttempts < 1) {
    throw new RangeError(`retry.maxAttempts must be an integer >= 1, got ${policy.maxAttempts}`);
  }
  for (const key of ['baseDelayMs', 'maxDelayMs', 'maxRetryAfterMs', 'minRetryAfterMs'] as const) {
    const value = policy[key];
    if (value !== undefined && !(Number.isFinite(value) && value >= 0)) {
      throw new RangeError(`retry.${key} must be a finite number >= 0, got ${value}`);
    }
  }
  return Object.freeze(policy);
}

function defaultSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Full-jitter backoff after the `attempt`-th failure (1-based). */
export function backoffDelayMs(policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs' | 'random'>, attempt: number): number {
  const exponent = Math.max(0, attempt - 1);
  const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** exponent);
  return Math.floor(policy.random() * cap);
}

/**
 * Retry-After as a delay in ms, from either form RFC 9110 allows: delta-seconds or an HTTP-date.
 * Returns undefined when absent or unparseable; a date in the past means "now" (0).
 */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  const trimmed = value?.trim();
  if (!trimmed) return undefined;
  // Fractional seconds are outside the RFC but some gateways send them; honour rather than ignore.
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.ceil(Number(trimmed) * 1000);
  // An HTTP-date always names a weekday and month; without letters Date.parse accepts junk like "-5".
  if (!/[a-z]/i.test(trimmed)) return undefined;
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}

/** What one attempt produced, as far as retrying is concerned. */
export type AttemptOutcome =
  | { kind: 'status'; status: number; retryAfterMs?: number }
  | { kind: 'timeout' }
  | { kind: 'network'; code: string };

export type GiveUpReason = 'not-retryable' | 'non-idempotent' | 'attempts-exhausted' | 'wait-too-long';

export type RetryDecision =
  | {
      kind: 'retry';
      delayMs: number;
      /** The wait the server itself imposed (Retry-After or the 429 floor), if any. */
      serverWaitMs?: number;
    }
  | { kind: 'give-up'; reason: GiveUpReason; waitMs?: number };

export interface RetryInput {
  outcome: AttemptOutcome;
  /** 1-based number of the attempt that just failed. */
  attempt: number;
  idempotent: boolean;
}

export function decideRetry(policy: Readonly<RetryPolicy>, input: RetryInput): RetryDecision {
  const { outcome, attempt, idempotent } = input;
  if (!isRetryableOutcome(outcome)) return { kind: 'give-up', reason: 'not-retryable' };
  if (!idempotent && !nothingWasProcessed(outcome)) return { kind: 'give-up', reason: 'non-idempotent' };

  const serverWaitMs = serverImposedWaitMs(policy, outcome);
  if (attempt >= policy.maxAttempts) {
    return serverWaitMs === undefined
      ? { kind: 'give-up', reason: 'attempts-exhausted' }
      : { kind: 'give-up', reason: 'attempts-exhausted', waitMs: serverWaitMs };
  }

  const delayMs = Math.max(serverWaitMs ?? 0, backoffDelayMs(policy, attempt));
  if (delayMs > policy.maxRetryAfterMs) return { kind: 'give-up', reason: 'wait-too-long', waitMs: delayMs };
  return serverWaitMs === undefined ? { kind: 'retry', delayMs } : { kind: 'retry', delayMs, serverWaitMs };
}

export function isIdempotent(method: HttpMethod, override?: boolean): boolean {
  return override ?? IDEMPOTENT_METHODS.has(method);
}

function isRetryableOutcome(outcome: AttemptOutcome): boolean {
  switch (outcome.kind) {
    case 'status':
      return RETRYABLE_STATUSES.has(outcome.status);
    case 'timeout':
      return true;
    case 'network':
      return isTransientNetworkCode(outcome.code);
    default: {
      const unhandled: never = outcome;
      return unhandled;
    }
  }
}

function nothingWasProcessed(outcome: AttemptOutcome): boolean {
  switch (outcome.kind) {
    case 'status':
      return THROTTLE_STATUSES.has(outcome.status);
    case 'network':
      return isConnectionRefused(outcome.code);
    case 'timeout':
      return false;
    default: {
      const unhandled: never = outcome;
      return unhandled;
    }
  }
}

function serverImposedWaitMs(policy: Readonly<RetryPolicy>, outcome: AttemptOutcome): number | undefined {
  if (outcome.kind !== 'status') return undefined;
  const floor = outcome.status === 429 ? policy.minRetryAfterMs : undefined;
  if (outcome.retryAfterMs === undefined && floor === undefined) return undefined;
  return Math.max(outcome.retryAfterMs ?? 0, floor ?? 0);
}
