import { describe, expect, it } from 'vitest';
import { FaultInjector } from './fault-injector.js';
import { Rng } from './random.js';

describe('FaultInjector', () => {
  it('injects nothing by default', () => {
    const faults = new FaultInjector(new Rng(1));
    for (let i = 0; i < 100; i++) expect(faults.decide()).toEqual({ kind: 'none' });
    expect(faults.faultsInjected).toBe(0);
  });

  it('throttles and fails at the configured rates, reproducibly', () => {
    const run = (): string[] => {
      const faults = new FaultInjector(new Rng(9), { failureRate: 0.1, throttleRate: 0.3, retryAfterSeconds: 12 });
      return Array.from({ length: 5_000 }, () => {
        const d = faults.decide();
        if (d.kind === 'throttle') expect(d.retryAfterSeconds).toBe(12);
        if (d.kind === 'fail') expect([500, 502, 503]).toContain(d.status);
        return d.kind;
      });
    };
    const kinds = run();
    expect(run()).toEqual(kinds);
    const share = (k: string): number => kinds.filter((x) => x === k).length / kinds.length;
    expect(share('throttle')).toBeGreaterThan(0.27);
    expect(share('throttle')).toBeLessThan(0.33);
    expect(share('fail')).toBeGreaterThan(0.08);
    expect(share('fail')).toBeLessThan(0.12);
  });

  it('rejects impossible rates', () => {
    expect(() => new FaultInjector(new Rng(1), { failureRate: 1.5 })).toThrow(RangeError);
    expect(() => new FaultInjector(new Rng(1), { failureRate: 0.6, throttleRate: 0.6 })).toThrow(RangeError);
  });
});
