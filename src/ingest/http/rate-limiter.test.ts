import { describe, expect, it } from 'vitest';
import { RateLimiter, RateLimiterClosedError, type Clock } from './rate-limiter.js';

/** Time moves only when the test says so; counts sleeps to prove the limiter never polls. */
class FakeClock implements Clock {
  private t = 0;
  private timers: { at: number; resolve: () => void }[] = [];
  sleeps = 0;

  now(): number {
    return this.t;
  }

  sleep(ms: number, signal: AbortSignal): Promise<void> {
    this.sleeps += 1;
    return new Promise((resolve) => {
      this.timers.push({ at: this.t + ms, resolve });
      signal.addEventListener('abort', () => resolve(), { once: true });
    });
  }

  async advance(ms: number): Promise<void> {
    const target = this.t + ms;
    for (;;) {
      await settle();
      this.timers.sort((a, b) => a.at - b.at);
      const due = this.timers[0];
      if (!due || due.at > target) break;
      this.timers.shift();
      this.t = due.at;
      due.resolve();
    }
    this.t = target;
    await settle();
  }
}

const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

function track(limiter: RateLimiter, clock: FakeClock, count: number, label = ''): { at: number[]; order: string[] } {
  const at: number[] = [];
  const order: string[] = [];
  for (let i = 0; i < count; i++) {
    void limiter.acquire().then(() => {
      at.push(clock.now());
      order.push(`${label}${i}`);
    });
  }
  return { at, order };
}

describe('RateLimiter', () => {
  it('spaces requests at the configured rate when burst is 1', async () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter({ requestsPerSecond: 10 }, clock);
    const { at } = track(limiter, clock, 5);
    await clock.advance(1000);
    expect(at).toEqual([0, 100, 200, 300, 400]);
  });

  it('lets a burst through, then refills at the rate', async () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter({ requestsPerSecond: 4, burst: 3 }, clock);
    const { at } = track(limiter, clock, 5);
    await clock.advance(1000);
    expect(at).toEqual([0, 0, 0, 250, 500]);
  });

  it('never stores more than the burst while idle', async () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter({ requestsPerSecond: 10, burst: 2 }, clock);
    await clock.advance(60_000);
    const { at } = track(limiter, clock, 3);
    await clock.advance(200);
    expect(at).toEqual([60_000, 60_000, 60_100]);
  });

  it('serves waiters in arrival order', async () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter({ requestsPerSecond: 100 }, clock);
    const first = track(limiter, clock, 3, 'a');
    const second = track(limiter, clock, 3, 'b');
    await clock.advance(100);
    expect([...first.order, ...second.order]).toEqual(['a0', 'a1', 'a2', 'b0', 'b1', 'b2']);
    expect(first.at.concat(second.at)).toEqual([0, 10, 20, 30, 40, 50]);
  });

  it('sleeps once per wait instead of polling', async () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter({ requestsPerSecond: 1 }, clock);
    limiter.pause(10_000);
    const { at } = track(limiter, clock, 1);
    await clock.advance(10_000);
    expect(at).toEqual([10_000]);
    expect(clock.sleeps).toBe(1);
  });

  it('holds every request during a pause and does not burst after it', async () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter({ requestsPerSecond: 10, burst: 5 }, clock);
    limiter.pause(500);
    expect(limiter.pauseRemainingMs()).toBe(500);
    const { at } = track(limiter, clock, 3);
    await clock.advance(499);
    expect(at).toEqual([]);
    await clock.advance(501);
    expect(at).toEqual([500, 600, 700]);
  });

  it('extends a pause but never shortens it', async () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter(undefined, clock);
    limiter.pause(1000);
    limiter.pause(200);
    const { at } = track(limiter, clock, 1);
    await clock.advance(300);
    limiter.pause(1500);
    await clock.advance(2000);
    expect(at).toEqual([1800]);
  });

  it('without a rate only enforces pauses', async () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter(undefined, clock);
    const { at } = track(limiter, clock, 50);
    await clock.advance(0);
    expect(at).toHaveLength(50);
    expect(new Set(at)).toEqual(new Set([0]));
  });

  it('rejects waiters and later calls once closed', async () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter({ requestsPerSecond: 1 }, clock, 'vtex');
    await limiter.acquire();
    const pending = limiter.acquire();
    limiter.close();
    await expect(pending).rejects.toBeInstanceOf(RateLimiterClosedError);
    await expect(limiter.acquire()).rejects.toThrow('rate limiter for vtex is closed');
  });

  it('validates its configuration', () => {
    expect(() => new RateLimiter({ requestsPerSecond: 0 })).toThrow(RangeError);
    expect(() => new RateLimiter({ requestsPerSecond: 5, burst: 0 })).toThrow(RangeError);
  });
});
