import { describe, expect, it } from 'vitest';
import {
  backoffDelayMs,
  decideRetry,
  DEFAULT_BASE_DELAY_MS,
  DEFAULT_MAX_ATTEMPTS,
  DEFAULT_MAX_DELAY_MS,
  DEFAULT_MAX_RETRY_AFTER_MS,
  isIdempotent,
  parseRetryAfter,
  resolveRetryPolicy,
  type AttemptOutcome,
} from './retry-policy.js';

const fixed = (value: number) => () => value;

describe('resolveRetryPolicy', () => {
  it('fills the documented defaults', () => {
    const policy = resolveRetryPolicy();
    expect(policy).toMatchObject({
      maxAttempts: DEFAULT_MAX_ATTEMPTS,
      baseDelayMs: DEFAULT_BASE_DELAY_MS,
      maxDelayMs: DEFAULT_MAX_DELAY_MS,
      maxRetryAfterMs: DEFAULT_MAX_RETRY_AFTER_MS,
    });
    expect([DEFAULT_MAX_ATTEMPTS, DEFAULT_BASE_DELAY_MS, DEFAULT_MAX_DELAY_MS, DEFAULT_MAX_RETRY_AFTER_MS]).toEqual([
      5, 500, 60_000, 120_000,
    ]);
    expect(policy.minRetryAfterMs).toBeUndefined();
    expect(Object.isFrozen(policy)).toBe(true);
  });

  it('rejects nonsense', () => {
    expect(() => resolveRetryPolicy({ maxAttempts: 0 })).toThrow(RangeError);
    expect(() => resolveRetryPolicy({ maxAttempts: 1.5 })).toThrow(RangeError);
    expect(() => resolveRetryPolicy({ baseDelayMs: -1 })).toThrow(RangeError);
    expect(() => resolveRetryPolicy({ minRetryAfterMs: Number.NaN })).toThrow(RangeError);
  });
});

describe('backoffDelayMs (full jitter)', () => {
  const policy = { baseDelayMs: 500, maxDelayMs: 60_000 };

  it('draws uniformly below base * 2^(attempt-1)', () => {
    const half = { ...policy, random: fixed(0.5) };
    expect([1, 2, 3, 4].map((attempt) => backoffDelayMs(half, attempt))).toEqual([250, 500, 1000, 2000]);
  });

  it('is capped by maxDelayMs', () => {
    expect(backoffDelayMs({ ...policy, random: fixed(0.999) }, 20)).toBe(59_940);
    expect(backoffDelayMs({ ...policy, random: fixed(0.999) }, 1000)).toBe(59_940);
  });

  it('can be zero, which is what spreads clients out', () => {
    expect(backoffDelayMs({ ...policy, random: fixed(0) }, 3)).toBe(0);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2025-03-14T13:00:00Z');

  it('reads delta-seconds', () => {
    expect(parseRetryAfter('1', now)).toBe(1000);
    expect(parseRetryAfter(' 120 ', now)).toBe(120_000);
    expect(parseRetryAfter('0', now)).toBe(0);
    expect(parseRetryAfter('1.5', now)).toBe(1500);
  });

  it('reads an HTTP-date relative to now', () => {
    expect(parseRetryAfter('Fri, 14 Mar 2025 13:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter(new Date(now + 90_000).toUTCString(), now)).toBe(90_000);
  });

  it('treats a past date as "now"', () => {
    expect(parseRetryAfter('Fri, 14 Mar 2025 12:59:00 GMT', now)).toBe(0);
  });

  it('ignores absent and malformed values', () => {
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('', now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-5', now)).toBeUndefined();
  });
});

describe('decideRetry', () => {
  const policy = resolveRetryPolicy({ random: fixed(0.5) });
  const status = (code: number, retryAfterMs?: number): AttemptOutcome =>
    retryAfterMs === undefined ? { kind: 'status', status: code } : { kind: 'status', status: code, retryAfterMs };
  const get = (outcome: AttemptOutcome, attempt = 1) => decideRetry(policy, { outcome, attempt, idempotent: true });
  const post = (outcome: AttemptOutcome, attempt = 1) => decideRetry(policy, { outcome, attempt, idempotent: false });

  it.each([408, 429, 500, 502, 503, 504])('retries %i with backoff', (code) => {
    expect(get(status(code), 2)).toEqual({ kind: 'retry', delayMs: 500 });
  });

  it.each([400, 401, 403, 404, 409, 422, 301])('never retries %i', (code) => {
    expect(get(status(code))).toEqual({ kind: 'give-up', reason: 'not-retryable' });
  });

  it('retries timeouts and transient network errors, not programming errors', () => {
    expect(get({ kind: 'timeout' })).toMatchObject({ kind: 'retry' });
    for (const code of ['ECONNRESET', 'ECONNREFUSED', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT', 'EAI_AGAIN']) {
      expect(get({ kind: 'network', code })).toMatchObject({ kind: 'retry' });
    }
    for (const code of ['UND_ERR_INVALID_ARG', 'ENOTFOUND', 'UNKNOWN']) {
      expect(get({ kind: 'network', code })).toEqual({ kind: 'give-up', reason: 'not-retryable' });
    }
  });

  it('takes the larger of Retry-After and backoff', () => {
    expect(get(status(429, 1000))).toEqual({ kind: 'retry', delayMs: 1000, serverWaitMs: 1000 });
    expect(get(status(503, 100), 4)).toEqual({ kind: 'retry', delayMs: 2000, serverWaitMs: 100 });
  });

  it('applies minRetryAfterMs to 429 only, with or without Retry-After', () => {
    const floored = resolveRetryPolicy({ random: fixed(0.5), minRetryAfterMs: 60_000 });
    const decide = (outcome: AttemptOutcome) => decideRetry(floored, { outcome, attempt: 1, idempotent: true });
    expect(decide(status(429))).toEqual({ kind: 'retry', delayMs: 60_000, serverWaitMs: 60_000 });
    expect(decide(status(429, 90_000))).toEqual({ kind: 'retry', delayMs: 90_000, serverWaitMs: 90_000 });
    expect(decide(status(503))).toEqual({ kind: 'retry', delayMs: 250 });
  });

  it('gives up with the wait when the server asks for more than maxRetryAfterMs', () => {
    expect(get(status(429, 300_000))).toEqual({ kind: 'give-up', reason: 'wait-too-long', waitMs: 300_000 });
  });

  it('gives up after maxAttempts, keeping the server wait for the scheduler', () => {
    expect(get(status(503), 5)).toEqual({ kind: 'give-up', reason: 'attempts-exhausted' });
    expect(get(status(429, 2000), 5)).toEqual({ kind: 'give-up', reason: 'attempts-exhausted', waitMs: 2000 });
  });

  it('retries non-idempotent requests only when nothing was processed', () => {
    expect(post(status(429))).toMatchObject({ kind: 'retry' });
    expect(post(status(503))).toMatchObject({ kind: 'retry' });
    expect(post({ kind: 'network', code: 'ECONNREFUSED' })).toMatchObject({ kind: 'retry' });
    for (const outcome of [status(500), status(502), status(504), status(408), { kind: 'timeout' } as const]) {
      expect(post(outcome)).toEqual({ kind: 'give-up', reason: 'non-idempotent' });
    }
    expect(post({ kind: 'network', code: 'ECONNRESET' })).toEqual({ kind: 'give-up', reason: 'non-idempotent' });
    expect(post(status(404))).toEqual({ kind: 'give-up', reason: 'not-retryable' });
  });
});

describe('isIdempotent', () => {
  it('follows RFC 9110 unless the request says otherwise', () => {
    expect(['GET', 'PUT', 'DELETE'].map((m) => isIdempotent(m as 'GET'))).toEqual([true, true, true]);
    expect(isIdempotent('POST')).toBe(false);
    expect(isIdempotent('PATCH')).toBe(false);
    expect(isIdempotent('POST', true)).toBe(true);
    expect(isIdempotent('GET', false)).toBe(false);
  });
});
