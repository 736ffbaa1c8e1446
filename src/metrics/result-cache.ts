import { LRUCache } from 'lru-cache';

export interface ResultCacheOptions {
  /** Entries kept; 0 turns result caching off (identical concurrent queries still share one run). */
  readonly maxEntries: number;
  /** Time to live per entry; 0 means entries only leave by LRU eviction or a data version change. */
  readonly ttlMs: number;
}

export interface CacheOutcome<V> {
  readonly value: V;
  /** True only when served from a stored entry, without running a query for this call. */
  readonly cached: boolean;
}

/**
 * The key of a result: which data (gold version), seen by whom (`securityKey`: role, PII
 * visibility, member lists and resolved row-filter values), for which query (canonical JSON of
 * the resolved query). A refresh of gold bumps the version, so every older entry becomes
 * unreachable without a scan.
 */
export function resultCacheKey(queryKey: string, security: string, dataVersion: number): string {
  return `${dataVersion}\u0001${security}\u0001${queryKey}`;
}

/**
 * LRU + TTL result cache with single-flight loading: concurrent misses on one key share one
 * warehouse query. Errors are never cached. Values must be immutable: they are shared.
 */
export class ResultCache<V extends object> {
  private readonly entries: LRUCache<string, V> | undefined;
  private readonly inflight = new Map<string, Promise<V>>();

  constructor(options: ResultCacheOptions) {
    this.entries = options.maxEntries > 0 ? new LRUCache<string, V>({ max: options.maxEntries, ttl: options.ttlMs }) : undefined;
  }

  /**
   * A stored value, or `load()`'s. `renew` skips the stored value and any run already in flight
   * (it may have started before the data the caller wants to see), then stores the fresh value;
   * misses arriving meanwhile join the renewing run.
   */
  async getOrLoad(key: string, renew: boolean, load: () => Promise<V>): Promise<CacheOutcome<V>> {
    if (!renew) {
      const hit = this.entries?.get(key);
      if (hit !== undefined) return { value: hit, cached: true };
      const running = this.inflight.get(key);
      if (running) return { value: await running, cached: false };
    }
    const run = load();
    this.inflight.set(key, run);
    try {
      const value = await run;
      // A run superseded by a later renew must not overwrite the fresher value.
      if (this.inflight.get(key) === run) this.entries?.set(key, value);
      return { value, cached: false };
    } finally {
      if (this.inflight.get(key) === run) this.inflight.delete(key);
    }
  }

  clear(): void {
    this.entries?.clear();
  }

  get size(): number {
    return this.entries?.size ?? 0;
  }
}
