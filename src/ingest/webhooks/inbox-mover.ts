import type { Logger } from 'pino';
import type { SqlExecutor, Warehouse } from '../../warehouse/warehouse.js';
import type { BronzeRecord, BronzeStore } from '../bronze/bronze-store.js';
import type { LandingPort } from '../landing-port.js';
import { UNPACED, type LandingPace } from '../landing-pace.js';
import type { SourceKind } from '../sources/source-kind.js';
import { isSourceKind } from '../sources/source-kind.js';
import { readCursor, writeCursor } from '../state/cursor-store.js';
import type { HookInbox } from './hook-inbox.js';

export const DEFAULT_MOVE_BATCH = 5_000;
/** Longest a durable notification waits in the inbox when nothing wakes the mover. */
export const DEFAULT_MOVE_POLL_MS = 200;

/** What a landed push implies, per source: e.g. an order notification enqueues the order's fetch. */
export type FollowUp = (tx: SqlExecutor, records: readonly BronzeRecord[]) => Promise<void>;

export interface InboxMoverOptions {
  readonly inbox: HookInbox;
  readonly warehouse: Warehouse;
  readonly bronze: BronzeStore;
  readonly landing: LandingPort;
  readonly followUps: Partial<Record<SourceKind, FollowUp>>;
  readonly logger: Logger;
  readonly batch?: number;
  readonly pollMs?: number;
  /** Called after each move that committed records (the fetch worker wakes on it). */
  readonly onMoved?: () => void;
  /** Minimum spacing between landings (BigQuery's load-job quota); none by default. */
  readonly pace?: LandingPace;
}

/**
 * Moves durable hook notifications from the inbox into bronze, exactly once: one warehouse
 * transaction appends them to bronze, runs their follow-ups (fetch requests) and advances the
 * `inbox` cursor; only after it commits are they dropped from the inbox. A crash in between
 * leaves rows at or below the cursor in the inbox, and `HookInbox.open` drops those.
 */
export class InboxMover {
  private running = false;
  private loop: Promise<void> | undefined;
  private wakeUp: (() => void) | undefined;
  private movedUpTo = 0;

  private readonly pace: LandingPace;

  constructor(private readonly opts: InboxMoverOptions) {
    this.pace = opts.pace ?? UNPACED;
  }

  /** The warehouse's inbox cursor: the inbox must be opened with it. */
  static async movedUpTo(warehouse: Warehouse): Promise<number> {
    return Number((await readCursor(warehouse, '*', 'inbox')) ?? 0);
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.movedUpTo = await InboxMover.movedUpTo(this.opts.warehouse);
    this.running = true;
    this.opts.inbox.onWritten(() => this.wakeUp?.());
    this.loop = this.run();
  }

  /** Moves what was durable when it was called, then stops; later arrivals wait for the next start. */
  async stop(): Promise<void> {
    this.running = false;
    this.wakeUp?.();
    this.pace.release();
    await this.loop;
    try {
      const last = (await this.opts.inbox.waiting(this.movedUpTo, Number.MAX_SAFE_INTEGER)).at(-1)?.seq ?? this.movedUpTo;
      while (this.movedUpTo < last && (await this.moveOnce()) > 0);
    } catch (err) {
      this.opts.logger.error({ err }, 'could not move the last notifications into bronze; they stay in the inbox for the next start');
    }
  }

  async moveOnce(): Promise<number> {
    const { inbox, warehouse, bronze, landing } = this.opts;
    const limit = this.opts.batch ?? DEFAULT_MOVE_BATCH;
    let rows = await inbox.waiting(this.movedUpTo, limit);
    if (rows.length === 0) return 0;
    // What arrives while the pace holds this landing back stays durable in the inbox, and lands
    // with it: read again only after a wait (unpaced, the inbox is read once per move).
    const waits = this.pace.remainingMs() > 0;
    await this.pace.turn();
    if (waits) rows = await inbox.waiting(this.movedUpTo, limit);
    if (rows.length === 0) return 0;
    const bySource = new Map<SourceKind, typeof rows>();
    for (const r of rows) {
      if (!isSourceKind(r.source)) throw new Error(`inbox row ${r.seq} names an unknown source "${r.source}"`);
      const group = bySource.get(r.source);
      if (group) group.push(r);
      else bySource.set(r.source, [r]);
    }
    const last = rows[rows.length - 1]?.seq ?? this.movedUpTo;
    const runs = new Map<SourceKind, string>();
    for (const source of bySource.keys()) runs.set(source, await landing.streamRun(source));
    await warehouse.transaction(async (tx) => {
      for (const [source, group] of bySource) {
        const runId = runs.get(source) as string;
        const landed = await bronze.append(
          tx,
          source,
          group.map((r) => ({
            entity: r.entity, naturalKey: r.natural_key, payload: r.payload, receivedAt: new Date(r.received_at),
            ...(r.payload_base64 === null ? {} : { payloadBase64: r.payload_base64 }),
          })),
          runId,
        );
        await this.opts.followUps[source]?.(tx, landed);
        const entities = new Set(group.map((r) => r.entity));
        await landing.countLanded(tx, runId, landed.length, entities.size === 1 ? group[0]?.entity : undefined);
      }
      await writeCursor(tx, '*', 'inbox', String(last));
    });
    this.movedUpTo = last;
    // Notifications change no silver row themselves, but a refresh moves the watermark past them.
    for (const source of bySource.keys()) landing.requestRefresh(source);
    try {
      await inbox.forget(last);
    } catch (err) {
      // Harmless: the rows are at or below the cursor, skipped now and dropped on the next open.
      this.opts.logger.warn({ err }, 'could not drop moved notifications from the inbox');
    }
    this.opts.onMoved?.();
    return rows.length;
  }

  private async run(): Promise<void> {
    while (this.running) {
      let moved = 0;
      try {
        moved = await this.moveOnce();
      } catch (err) {
        this.opts.logger.error({ err }, 'moving hook notifications into bronze failed; they stay durable in the inbox');
      }
      if (moved < (this.opts.batch ?? DEFAULT_MOVE_BATCH) && this.running) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(done, this.opts.pollMs ?? DEFAULT_MOVE_POLL_MS);
          this.wakeUp = done;
          function done() {
            clearTimeout(timer);
            resolve();
          }
        });
      }
    }
  }
}
