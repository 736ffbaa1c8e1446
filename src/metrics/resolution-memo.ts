import { LRUCache } from 'lru-cache';
import { resolveQuery, type QueryResolution } from './cube/query-resolution.js';

/** Resolutions kept; an entry is a parsed query and its key, a few KB. */
export const DEFAULT_RESOLUTION_MEMO_ENTRIES = 1_000;
/** Longer queries are resolved every time: a memo key must stay cheap to build and hold. */
const MAX_MEMO_INPUT_CHARS = 4_096;

/**
 * `resolveQuery` (zod parse, timezone, canonical key) remembered by the query's JSON text, so a
 * repeated question, the common case of a cache hit, skips the parse and the canonical JSON.
 * Only resolutions that used no relative date are kept: `today` must be resolved at each call.
 * `renewQuery` is part of the text, so it is part of the memo key too.
 */
export class ResolutionMemo {
  private readonly entries: LRUCache<string, QueryResolution>;

  constructor(
    private readonly defaultTimezone: string,
    maxEntries = DEFAULT_RESOLUTION_MEMO_ENTRIES,
  ) {
    this.entries = new LRUCache({ max: Math.max(1, maxEntries) });
  }

  resolve(query: unknown): QueryResolution {
    let text: string | undefined;
    try {
      text = JSON.stringify(query);
    } catch {
      // Not JSON (a cycle, a BigInt): let the parser name what is wrong.
    }
    if (text === undefined || text.length > MAX_MEMO_INPUT_CHARS) return resolveQuery(query, this.defaultTimezone);
    const known = this.entries.get(text);
    if (known) return known;
    const resolution = resolveQuery(query, this.defaultTimezone);
    if (!resolution.relative) this.entries.set(text, resolution);
    return resolution;
  }
}
