import { describe, expect, it, vi } from 'vitest';
import { LandingPace } from './landing-pace.js';

describe('landing pace: turns', () => {
  it('gives one turn per interval to the loops that wait, in turn; an unused turn can be given back', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    try {
      const pace = new LandingPace(10_000, () => Date.now());
      await pace.turn();
      const done: string[] = [];
      const mover = pace.turn().then(() => done.push('mover'));
      const worker = pace.turn().then(() => done.push('worker'));
      await vi.advanceTimersByTimeAsync(9_999);
      expect(done).toEqual([]);
      await vi.advanceTimersByTimeAsync(1);
      expect(done).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(9_999);
      expect(done).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(1);
      await Promise.all([mover, worker]);
      expect(done.sort()).toEqual(['mover', 'worker']);

      // A turn taken and given back (the feed read nothing) leaves the interval of the landing before it.
      await vi.advanceTimersByTimeAsync(14_000);
      const unused = await pace.turn();
      expect(pace.remainingMs()).toBe(10_000);
      unused.cancel();
      expect(pace.remainingMs()).toBe(0);

      // A stop releases a waiting turn at once, and paces nothing after it.
      await pace.turn();
      const waiting = pace.turn();
      pace.release();
      await waiting;
      await pace.turn();
    } finally {
      vi.useRealTimers();
    }
  });
});
