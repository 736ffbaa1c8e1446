import type { FeedConfig } from './feed-config.js';
import { hookFilterMatches } from './hook-config.js';
import type { Rng } from './random.js';

/**
 * The account's Orders Feed v3: its configuration and the queue behind it, which behaves like the
 * SQS queue VTEX runs. A read hides the items it returns for the visibility timeout, each under a
 * new handle; an item not committed by then is visible again and the next read hands it out under
 * another handle. Items leave when committed or when older than the retention period.
 *
 * Committing a handle that is not the item's latest (the item was read again since) is ignored, as
 * SQS may ignore a stale receipt handle: the later reader still holds the item, and removing it
 * under the earlier reader's handle would let the two race. Unknown handles are ignored too, so a
 * retried commit is harmless. Either way the commit answers 200, as VTEX's does.
 *
 * Visibility and retention are computed from `now` when the queue is touched; nothing runs in the
 * background. Items keep their arrival position when they reappear, so reads are roughly FIFO,
 * although, as on VTEX, no order is promised.
 */

/** One status change as the feed carries it: lower camelCase, unlike the hook's PascalCase. */
export interface FeedEvent {
  readonly domain: string;
  readonly state: string;
  readonly lastState: string;
  readonly orderId: string;
  readonly lastChange: string;
  readonly currentChange: string;
}

export interface FeedItem extends FeedEvent {
  readonly eventId: string;
  readonly handle: string;
}

/** What `GET /api/orders/feed/config` answers. */
export interface FeedStatus extends FeedConfig {
  /** Items not committed yet, hidden ones included. */
  readonly quantity: number;
  readonly approximateAgeOfOldestMessageInSeconds: number;
}

export interface OrderFeedStats {
  readonly feedEventsQueued: number;
  readonly feedEventsCommitted: number;
}

export interface OrderFeedOptions {
  /** Event ids, drawn as events arrive (publication order), so they are deterministic by seed. */
  readonly ids: Rng;
  /** Handles, drawn as items are read: kept apart so read timing cannot shift event ids. */
  readonly handles: Rng;
  /** The feed's clock, in epoch ms: visibility timeouts and retention. */
  readonly now: () => number;
}

interface Queued {
  readonly eventId: string;
  readonly event: FeedEvent;
  readonly enqueuedAt: number;
  visibleAt: number;
  handle: string | null;
}

export class OrderFeed {
  private settings: FeedConfig | null = null;
  /** By event id, in arrival order (a Map iterates in insertion order). */
  private readonly items = new Map<string, Queued>();
  private readonly byHandle = new Map<string, Queued>();
  private queued = 0;
  private committed = 0;

  constructor(private readonly options: OrderFeedOptions) {}

  /** Creates or updates the configuration; an existing queue keeps its items. */
  configure(config: FeedConfig): void {
    this.settings = config;
  }

  config(): FeedConfig | null {
    return this.settings;
  }

  /** Deletes the configuration and the queue with it; false when there was none. */
  remove(): boolean {
    const existed = this.settings !== null;
    this.settings = null;
    this.items.clear();
    this.byHandle.clear();
    return existed;
  }

  /** Queues the change when a feed is configured and its filter takes the status. */
  offer(event: FeedEvent): boolean {
    const settings = this.settings;
    if (settings === null || !hookFilterMatches(settings.filter, event.state)) return false;
    const eventId = this.options.ids.hex(32).toUpperCase();
    const now = this.options.now();
    this.items.set(eventId, { eventId, event, enqueuedAt: now, visibleAt: now, handle: null });
    this.queued++;
    return true;
  }

  /** Up to `maxLot` visible items, hidden from now on for the visibility timeout; null without a feed. */
  receive(maxLot: number): FeedItem[] | null {
    const settings = this.settings;
    if (settings === null) return null;
    const now = this.options.now();
    this.expire(now);
    const out: FeedItem[] = [];
    for (const item of this.items.values()) {
      if (out.length >= maxLot) break;
      if (item.visibleAt > now) continue;
      if (item.handle !== null) this.byHandle.delete(item.handle);
      item.handle = this.newHandle();
      item.visibleAt = now + settings.queue.visibilityTimeoutInSeconds * 1_000;
      this.byHandle.set(item.handle, item);
      out.push({ eventId: item.eventId, handle: item.handle, ...item.event });
    }
    return out;
  }

  /** Deletes the items these handles name; returns how many went, or null without a feed. */
  commit(handles: readonly string[]): number | null {
    if (this.settings === null) return null;
    this.expire(this.options.now());
    let deleted = 0;
    for (const handle of handles) {
      const item = this.byHandle.get(handle);
      if (item === undefined) continue;
      this.byHandle.delete(handle);
      this.items.delete(item.eventId);
      deleted++;
    }
    this.committed += deleted;
    return deleted;
  }

  status(): FeedStatus | null {
    const settings = this.settings;
    if (settings === null) return null;
    const now = this.options.now();
    this.expire(now);
    const oldest = this.items.values().next();
    return {
      ...settings,
      quantity: this.items.size,
      approximateAgeOfOldestMessageInSeconds: oldest.done === true ? 0 : Math.max(0, now - oldest.value.enqueuedAt) / 1_000,
    };
  }

  /** Items not committed yet (hidden ones included, expired ones not). */
  depth(): number {
    if (this.settings !== null) this.expire(this.options.now());
    return this.items.size;
  }

  stats(): OrderFeedStats {
    return { feedEventsQueued: this.queued, feedEventsCommitted: this.committed };
  }

  /** Drops items older than the retention period; they sit at the front, in arrival order. */
  private expire(now: number): void {
    const settings = this.settings;
    if (settings === null) return;
    const cutoff = now - settings.queue.MessageRetentionPeriodInSeconds * 1_000;
    for (const item of this.items.values()) {
      if (item.enqueuedAt > cutoff) break;
      this.items.delete(item.eventId);
      if (item.handle !== null) this.byHandle.delete(item.handle);
    }
  }

  /** Opaque, like VTEX's (an SQS receipt handle behind a signed token); unique per read. */
  private newHandle(): string {
    return `AQEB${Buffer.from(this.options.handles.hex(96), 'hex').toString('base64')}`;
  }
}
