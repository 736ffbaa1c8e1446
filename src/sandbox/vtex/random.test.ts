import { describe, expect, it } from 'vitest';
import { Rng, WeightedTable, mixSeed } from './random.js';

describe('Rng', () => {
  it('replays the same stream for the same seed and diverges for another', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const c = new Rng(43);
    const seqA = Array.from({ length: 20 }, () => a.uint32());
    expect(Array.from({ length: 20 }, () => b.uint32())).toEqual(seqA);
    expect(Array.from({ length: 20 }, () => c.uint32())).not.toEqual(seqA);
  });

  it('derives independent streams per key, including indexes beyond 2^32', () => {
    expect(Rng.derive(1, 0).uint32()).not.toBe(Rng.derive(1, 1).uint32());
    expect(mixSeed(7, 2 ** 32 + 5)).not.toBe(mixSeed(7, 5));
  });

  it('keeps int() within inclusive bounds and reaches both ends', () => {
    const rng = new Rng(1);
    const seen = new Set<number>();
    for (let i = 0; i < 2_000; i++) {
      const n = rng.int(3, 7);
      expect(n).toBeGreaterThanOrEqual(3);
      expect(n).toBeLessThanOrEqual(7);
      seen.add(n);
    }
    expect([...seen].sort()).toEqual([3, 4, 5, 6, 7]);
  });

  it('formats hex, digits and v4 uuids', () => {
    const rng = new Rng(9);
    expect(rng.hex(32)).toMatch(/^[0-9a-f]{32}$/);
    expect(rng.hex(13)).toMatch(/^[0-9a-f]{13}$/);
    expect(rng.digits(11)).toMatch(/^\d{11}$/);
    expect(rng.uuid()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('shuffles in place as a permutation', () => {
    const items = Array.from({ length: 50 }, (_, i) => i);
    const shuffled = new Rng(5).shuffle([...items]);
    expect(shuffled).not.toEqual(items);
    expect([...shuffled].sort((x, y) => x - y)).toEqual(items);
  });
});

describe('WeightedTable', () => {
  it('picks roughly in proportion to the weights', () => {
    const table = new WeightedTable<string>([['a', 1], ['b', 3], ['c', 0]]);
    const rng = new Rng(3);
    const counts: Record<string, number> = { a: 0, b: 0, c: 0 };
    for (let i = 0; i < 8_000; i++) counts[table.pick(rng)]! += 1;
    expect(counts.c).toBe(0);
    expect(counts.b! / counts.a!).toBeGreaterThan(2.6);
    expect(counts.b! / counts.a!).toBeLessThan(3.4);
  });

  it('rejects empty tables and non-positive totals', () => {
    expect(() => new WeightedTable([])).toThrow();
    expect(() => new WeightedTable([['x', 0]])).toThrow();
  });
});
