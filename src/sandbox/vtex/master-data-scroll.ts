import type { ClDocument, CustomerRecord } from './master-data-cl-document.js';
import type { Rng } from './random.js';
import { MS_PER_MINUTE } from './vtex-time.js';

/**
 * Master Data's scroll cursor. The first call freezes the matching documents (a snapshot: later
 * edits do not move documents between pages) and hands out a token; each later call with the
 * token returns the next `_size` documents and renews it; an empty array ends the scroll and
 * frees its slot. A token unused for 20 minutes expires. One scroll per entity at a time, as
 * VTEX's guide says; a second one is refused with the 400 and message the OpenAPI shows for too
 * many simultaneous scrolls.
 */

export const SCROLL_IDLE_MS = 20 * MS_PER_MINUTE;
export const MAX_SCROLL_SIZE = 1_000;
/** VTEX documents no default `_size`; the sandbox picks this one. */
export const DEFAULT_SCROLL_SIZE = 100;
export const MAX_SIMULTANEOUS_SCROLLS = 1;

export type ScrollAnswer =
  | {
      readonly ok: true;
      readonly records: readonly CustomerRecord[];
      readonly fields: readonly (keyof ClDocument)[];
      readonly total: number;
      /** Absent once the scroll has ended (or never needed opening). */
      readonly token: string | undefined;
    }
  | { readonly ok: false; readonly message: string };

interface OpenScroll {
  readonly token: string;
  readonly records: readonly CustomerRecord[];
  readonly fields: readonly (keyof ClDocument)[];
  readonly size: number;
  position: number;
  lastUsedAt: number;
}

export class ScrollRegistry {
  private current: OpenScroll | undefined;

  constructor(
    private readonly rng: Rng,
    private readonly now: () => number,
  ) {}

  start(records: readonly CustomerRecord[], fields: readonly (keyof ClDocument)[], size: number): ScrollAnswer {
    this.expire();
    if (this.current !== undefined) return { ok: false, message: `Maximum simultaneous scrolls rate exceeded (${MAX_SIMULTANEOUS_SCROLLS})` };
    const total = records.length;
    if (total === 0) return { ok: true, records: [], fields, total, token: undefined };
    const token = this.rng.hex(64);
    this.current = { token, records, fields, size, position: size, lastUsedAt: this.now() };
    return { ok: true, records: records.slice(0, size), fields, total, token };
  }

  next(token: string): ScrollAnswer {
    this.expire();
    const scroll = this.current;
    if (scroll === undefined || scroll.token !== token) return { ok: false, message: 'Scroll token not found or expired; start a new scroll without _token' };
    scroll.lastUsedAt = this.now();
    const page = scroll.records.slice(scroll.position, scroll.position + scroll.size);
    scroll.position += page.length;
    if (page.length === 0) this.current = undefined;
    return { ok: true, records: page, fields: scroll.fields, total: scroll.records.length, token: page.length === 0 ? undefined : token };
  }

  private expire(): void {
    if (this.current !== undefined && this.now() - this.current.lastUsedAt >= SCROLL_IDLE_MS) this.current = undefined;
  }
}
