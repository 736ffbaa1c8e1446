import type pg from 'pg';
import { PgoutputPlugin, type Pgoutput } from 'pg-logical-replication';
import { formatLsn, readLsn, type Lsn } from './lsn.js';

/**
 * One START_REPLICATION of a pgoutput slot over a replication connection, turned into a queue of
 * decoded messages that a reader pulls at its own pace. It never confirms anything by itself:
 * the slot's confirmed position moves only when the owner calls `confirm` (after its bronze
 * write committed), and a keepalive that asks for an answer gets the last confirmed position.
 *
 * pgoutput messages are decoded by pg-logical-replication's parser (relations, tuples, type
 * parsing as `pg` does for queries); its service class is not used, because it confirms received
 * positions on a timer, which would let the server discard WAL Farol has not stored.
 */
export type StreamEvent =
  | { readonly kind: 'message'; readonly message: Pgoutput.Message }
  /** The server's position: everything committed before `walEnd` has been sent. */
  | { readonly kind: 'keepalive'; readonly walEnd: Lsn }
  | { readonly kind: 'idle' }
  | { readonly kind: 'end' };

/** Messages buffered before the socket is paused; reading resumes below a tenth of it. */
const HIGH_WATER = 20_000;
const GRACEFUL_STOP_MS = 5_000;
const XLOG_DATA = 0x77; // 'w'
const KEEPALIVE = 0x6b; // 'k'
/** Microseconds between the Unix epoch and PostgreSQL's (2000-01-01). */
const PG_EPOCH_US = 946_684_800_000_000n;

interface Connection {
  on(event: 'copyData', cb: (msg: { chunk: Buffer }) => void): void;
  sendCopyFromChunk(buf: Buffer): void;
  endCopyFrom(): void;
  stream: { pause(): void; resume(): void };
}

export class ReplicationStream {
  private readonly queue: StreamEvent[] = [];
  private waiter: (() => void) | undefined;
  private failure: Error | undefined;
  private ended = false;
  private paused = false;
  private confirmed: Lsn;
  private readonly done: Promise<unknown>;
  private readonly conn: Connection;

  private constructor(private readonly client: pg.Client, slot: string, publication: string, start: Lsn) {
    this.confirmed = start;
    const plugin = new PgoutputPlugin({ protoVersion: 1, publicationNames: [publication] });
    this.conn = (client as unknown as { connection: Connection }).connection;
    this.conn.on('copyData', ({ chunk }) => {
      if (chunk[0] === XLOG_DATA) {
        // 1 tag + 8 start + 8 end + 8 clock, then the pgoutput message.
        this.push({ kind: 'message', message: plugin.parse(chunk.subarray(25)) });
      } else if (chunk[0] === KEEPALIVE) {
        this.push({ kind: 'keepalive', walEnd: readLsn(chunk, 1) });
        if (chunk[17] === 1) this.sendStatus(this.confirmed, false);
      }
    });
    client.on('error', (err) => this.fail(err));
    const options = `proto_version '1', publication_names '${publication}'`;
    this.done = client.query(`START_REPLICATION SLOT "${slot}" LOGICAL ${formatLsn(start)} (${options})`).then(
      () => {
        this.ended = true;
        this.wake();
      },
      (err: unknown) => this.fail(err instanceof Error ? err : new Error(String(err))),
    );
  }

  /** Starts streaming `slot` after `start` (transactions committed before it are not sent again). */
  static start(client: pg.Client, slot: string, publication: string, start: Lsn): ReplicationStream {
    return new ReplicationStream(client, slot, publication, start);
  }

  /** The next event; `idle` when nothing arrived for `idleMs`; throws what broke the stream. */
  async next(idleMs: number, signal: AbortSignal): Promise<StreamEvent> {
    for (;;) {
      signal.throwIfAborted();
      const ev = this.queue.shift();
      if (ev) {
        if (this.paused && this.queue.length < HIGH_WATER / 10) {
          this.paused = false;
          this.conn.stream.resume();
        }
        return ev;
      }
      if (this.failure) throw this.failure;
      if (this.ended) return { kind: 'end' };
      const woke = await new Promise<boolean>((resolve) => {
        const settle = (value: boolean) => {
          clearTimeout(timer);
          signal.removeEventListener('abort', onAbort);
          resolve(value);
        };
        const timer = setTimeout(() => settle(false), idleMs);
        const onAbort = () => settle(true);
        signal.addEventListener('abort', onAbort, { once: true });
        this.waiter = () => settle(true);
      });
      this.waiter = undefined;
      if (!woke) return { kind: 'idle' };
    }
  }

  /**
   * Tells the server that everything before `lsn` is durably stored: the slot may discard it and
   * will not send it again. Only ever called with positions whose changes have committed in bronze.
   */
  confirm(lsn: Lsn): void {
    if (lsn > this.confirmed) this.confirmed = lsn;
    this.sendStatus(this.confirmed, false);
  }

  /** Asks the server for a keepalive, which carries how far it has sent. */
  ping(): void {
    this.sendStatus(this.confirmed, true);
  }

  /** Ends streaming cleanly (the server has read every status update sent before), then the connection. */
  async stop(): Promise<void> {
    if (!this.ended && !this.failure) {
      try {
        this.conn.endCopyFrom();
        await Promise.race([this.done, new Promise((r) => setTimeout(r, GRACEFUL_STOP_MS))]);
      } catch {
        // The connection is ended below either way.
      }
    }
    await this.client.end().catch(() => undefined);
  }

  private push(ev: StreamEvent): void {
    this.queue.push(ev);
    if (!this.paused && this.queue.length >= HIGH_WATER) {
      this.paused = true;
      this.conn.stream.pause();
    }
    this.wake();
  }

  private fail(err: Error): void {
    this.failure ??= err;
    this.wake();
  }

  private wake(): void {
    this.waiter?.();
  }

  /** Standby status update: written, flushed and applied all at `lsn`. */
  private sendStatus(lsn: Lsn, replyRequested: boolean): void {
    if (this.ended || this.failure) return;
    const buf = Buffer.alloc(34);
    buf[0] = 0x72; // 'r'
    buf.writeBigUInt64BE(lsn, 1);
    buf.writeBigUInt64BE(lsn, 9);
    buf.writeBigUInt64BE(lsn, 17);
    buf.writeBigInt64BE(BigInt(Date.now()) * 1000n - PG_EPOCH_US, 25);
    buf[33] = replyRequested ? 1 : 0;
    this.conn.sendCopyFromChunk(buf);
  }
}
