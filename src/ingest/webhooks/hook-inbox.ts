import type { Logger } from 'pino';
import { DuckDbWarehouse } from '../../warehouse/duckdb/duckdb-warehouse.js';
import type { Migration } from '../../warehouse/migrations.js';
import type { Row } from '../../warehouse/warehouse.js';
import { GroupCommitter } from './group-commit.js';

/**
 * The hook's durable queue: a small DuckDB file of its own (`<warehouse>.inbox.duckdb`) where a
 * notification is committed, grouped with concurrent ones, before its 200 goes out. It is not the
 * warehouse on purpose: the warehouse has one writer, and its transactions (a refresh of a big
 * batch, a rebuild, a checkpoint) take up to seconds, which hook acknowledgements must never wait
 * behind. The inbox only ever holds the few seconds of notifications not yet moved into bronze.
 */
export const INBOX_MIGRATIONS: readonly Migration[] = [
  {
    version: '0001-inbox',
    sql: `
      CREATE SCHEMA IF NOT EXISTS inbox;
      CREATE TABLE IF NOT EXISTS inbox.notifications (
        seq          BIGINT      NOT NULL,   -- the order notifications were made durable in
        source       VARCHAR     NOT NULL,   -- a SourceKind
        entity       VARCHAR     NOT NULL,
        natural_key  VARCHAR     NOT NULL,
        payload      VARCHAR     NOT NULL,   -- the body as received
        received_at  TIMESTAMPTZ NOT NULL
      );`,
  },
  {
    version: '0002-exact-bytes',
    sql: `ALTER TABLE inbox.notifications ADD COLUMN IF NOT EXISTS payload_base64 VARCHAR; -- see BronzeInput.payloadBase64`,
  },
];

export interface InboxItem {
  readonly source: string;
  readonly entity: string;
  readonly naturalKey: string;
  readonly payload: string;
  /** The exact body, when it is not valid UTF-8 (see BronzeInput.payloadBase64). */
  readonly payloadBase64?: string | undefined;
  readonly receivedAt: Date;
}

export interface InboxRow extends Row {
  readonly seq: number;
  readonly source: string;
  readonly entity: string;
  readonly natural_key: string;
  readonly payload: string;
  readonly payload_base64: string | null;
  readonly received_at: string;
}

/** Keeps the inbox's own DuckDB small: it needs neither many threads nor much memory. */
const INBOX_DUCKDB = { threads: 1, readConnections: 1 };

export class HookInbox {
  private readonly committer: GroupCommitter<InboxItem>;
  private nextSeq: number;
  private readonly listeners = new Set<() => void>();

  private constructor(
    private readonly db: DuckDbWarehouse,
    nextSeq: number,
    private readonly logger: Logger,
  ) {
    this.nextSeq = nextSeq;
    this.committer = new GroupCommitter((batch) => this.write(batch));
  }

  /**
   * Opens (or creates) the inbox file. `movedUpTo` is the last seq the warehouse has taken in
   * (its cursor): rows up to it are already in bronze and are dropped here, and new seqs continue
   * above both it and whatever is still waiting.
   */
  static async open(file: string, movedUpTo: number, logger: Logger): Promise<HookInbox> {
    const db = await DuckDbWarehouse.open({ path: file, ...INBOX_DUCKDB, logger });
    try {
      await db.migrate(INBOX_MIGRATIONS);
      await db.execute('DELETE FROM inbox.notifications WHERE seq <= ?', [movedUpTo]);
      const [row] = await db.query<{ n: number | null }>('SELECT max(seq) AS n FROM inbox.notifications');
      return new HookInbox(db, Math.max(movedUpTo, Number(row?.n ?? 0)) + 1, logger);
    } catch (err) {
      await db.close();
      throw err;
    }
  }

  /** Resolves once the item is durable; rejects if the write failed (answer 5xx so the sender retries). */
  accept(item: InboxItem): Promise<void> {
    return this.committer.submit(item);
  }

  /** Called after each durable write; the mover uses it to wake up. */
  onWritten(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The oldest rows still waiting, after `afterSeq`. */
  async waiting(afterSeq: number, limit: number): Promise<InboxRow[]> {
    const rows = await this.db.query<InboxRow>(
      `SELECT seq, source, entity, natural_key, payload, payload_base64, received_at FROM inbox.notifications WHERE seq > ? ORDER BY seq LIMIT ?`,
      [afterSeq, limit],
    );
    return rows.map((r) => ({ ...r, seq: Number(r.seq) }));
  }

  /** Drops rows the warehouse has committed. */
  async forget(upToSeq: number): Promise<void> {
    await this.db.execute('DELETE FROM inbox.notifications WHERE seq <= ?', [upToSeq]);
  }

  async depth(): Promise<number> {
    const [row] = await this.db.query<{ n: number }>('SELECT count(*) AS n FROM inbox.notifications');
    return Number(row?.n ?? 0);
  }

  get pending(): number {
    return this.committer.pending;
  }

  close(): Promise<void> {
    return this.db.close();
  }

  private async write(batch: InboxItem[]): Promise<void> {
    const first = this.nextSeq;
    this.nextSeq += batch.length;
    await this.db.append(
      { schema: 'inbox', table: 'notifications' },
      ['seq', 'source', 'entity', 'natural_key', 'payload', 'payload_base64', 'received_at'],
      batch.map((b, i) => [first + i, b.source, b.entity, b.naturalKey, b.payload, b.payloadBase64 ?? null, b.receivedAt.toISOString()]),
    );
    this.logger.debug({ notifications: batch.length }, 'hook notifications durable in the inbox');
    for (const l of this.listeners) l();
  }
}
