import { describe, expect, it, vi } from 'vitest';
import { ResultCache, resultCacheKey } from './result-cache.js';

const value = (n: number) => ({ n });

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('ResultCache', () => {
  it('stores a loaded value and serves it as cached', async () => {
    const cache = new ResultCache<{ n: number }>({ maxEntries: 10, ttlMs: 60_000 });
    const load = vi.fn(async () => value(1));
    expect(await cache.getOrLoad('k', false, load)).toEqual({ value: { n: 1 }, cached: false });
    expect(await cache.getOrLoad('k', false, load)).toEqual({ value: { n: 1 }, cached: true });
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('renew skips the stored value and replaces it', async () => {
    const cache = new ResultCache<{ n: number }>({ maxEntries: 10, ttlMs: 60_000 });
    await cache.getOrLoad('k', false, async () => value(1));
    expect(await cache.getOrLoad('k', true, async () => value(2))).toEqual({ value: { n: 2 }, cached: false });
    expect(await cache.getOrLoad('k', false, async () => value(3))).toEqual({ value: { n: 2 }, cached: true });
  });

  it('expires entries after the TTL', async () => {
    const cache = new ResultCache<{ n: number }>({ maxEntries: 10, ttlMs: 20 });
    await cache.getOrLoad('k', false, async () => value(1));
    await new Promise((r) => setTimeout(r, 40));
    expect((await cache.getOrLoad('k', false, async () => value(2))).cached).toBe(false);
  });

  it('shares one load between concurrent misses and does not cache errors', async () => {
    const cache = new ResultCache<{ n: number }>({ maxEntries: 10, ttlMs: 60_000 });
    const d = deferred<{ n: number }>();
    const load = vi.fn(() => d.promise);
    const all = Promise.all([cache.getOrLoad('k', false, load), cache.getOrLoad('k', false, load), cache.getOrLoad('k', false, load)]);
    d.reject(new Error('warehouse down'));
    await expect(all).rejects.toThrow('warehouse down');
    expect(load).toHaveBeenCalledTimes(1);
    expect(await cache.getOrLoad('k', false, async () => value(7))).toEqual({ value: { n: 7 }, cached: false });
  });

  it('does not let a run superseded by a renew overwrite the fresher value', async () => {
    const cache = new ResultCache<{ n: number }>({ maxEntries: 10, ttlMs: 60_000 });
    const slow = deferred<{ n: number }>();
    const first = cache.getOrLoad('k', false, () => slow.promise);
    await cache.getOrLoad('k', true, async () => value(2));
    slow.resolve(value(1));
    await first;
    expect(await cache.getOrLoad('k', false, async () => value(3))).toEqual({ value: { n: 2 }, cached: true });
  });

  it('with maxEntries 0 stores nothing but still shares concurrent loads', async () => {
    const cache = new ResultCache<{ n: number }>({ maxEntries: 0, ttlMs: 60_000 });
    const load = vi.fn(async () => value(1));
    await Promise.all([cache.getOrLoad('k', false, load), cache.getOrLoad('k', false, load)]);
    expect(load).toHaveBeenCalledTimes(1);
    expect((await cache.getOrLoad('k', false, load)).cached).toBe(false);
    expect(cache.size).toBe(0);
  });

  it('keys separate versions and roles', () => {
    expect(resultCacheKey('{}', 'analyst', 1)).not.toBe(resultCacheKey('{}', 'analyst', 2));
    expect(resultCacheKey('{}', 'analyst', 1)).not.toBe(resultCacheKey('{}', 'app', 1));
  });
});
