import fs from 'node:fs';
import path from 'node:path';
import { DuckDBInstance, type DuckDBAppender, type DuckDBConnection } from '@duckdb/node-api';
import type { Logger } from 'pino';
import { ConnectionPool } from '../connection-pool.js';
import { SerialLock } from '../serial-lock.js';
import {
  qualified, WarehouseQueryTimeoutError, type MigrationResult, type QueryOptions, type Row, type SqlExecutor, type SqlValue, type TableRef,
  type Warehouse, type WriterSession,
} from '../warehouse.js';
import { readRows, readRowsInChunks } from './duckdb-values.js';
import { toDuckDbParams } from './duckdb-params.js';
import { runMigrations, type Migration } from '../migrations.js';

/** Read connections; DuckDB parallelises each query itself, so a few suffice for concurrency. */
export const DEFAULT_READ_CONNECTIONS = 4;

/**
 * WAL size at which a commit folds the WAL into the file itself. DuckDB's default (16 MB) is
 * smaller than one 1% refresh of a million orders (~19 MB), whose commit then paid a checkpoint
 * of seconds; the idle checkpoint below does that work when no writer waits, and this stays
 * the backstop for a writer that never pauses.
 */
export const DEFAULT_CHECKPOINT_THRESHOLD = '256MB';
/** Quiet time after the last write before the idle checkpoint runs … */
export const IDLE_CHECKPOINT_MS = 1_000;
/** … unless writes never pause: then it runs at most this long after the first unfolded one. */
export const MAX_CHECKPOINT_DELAY_MS = 30_000;

export interface DuckDbWarehouseOptions {
  /** File path, or `:memory:`. Parent folders are created. */
  readonly path: string;
  readonly readConnections?: number;
  /** DuckDB `threads` setting; defaults to the number of cores. */
  readonly threads?: number;
  /** DuckDB `checkpoint_threshold`; see DEFAULT_CHECKPOINT_THRESHOLD. */
  readonly checkpointThreshold?: string;
  /** Quiet time before the idle checkpoint, in ms; 0 turns it off (commits still checkpoint past the threshold). */
  readonly idleCheckpointMs?: number;
  readonly logger?: Logger;
}

/**
 * The embedded default warehouse: one DuckDB file, one writer connection behind a FIFO lock,
 * a small round-robin pool of read connections.
 */
export class DuckDbWarehouse implements Warehouse {
  readonly dialect = 'duckdb' as const;
  private readonly writeLock = new SerialLock();
  private readonly readPool: ConnectionPool<DuckDBConnection>;
  private closed = false;
  private checkpointTimer: NodeJS.Timeout | undefined;
  /** When the oldest write not yet folded into the file by a checkpoint returned; 0 when none. */
  private unfoldedSince = 0;
  private checkpointing: Promise<void> | undefined;

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly writer: DuckDBConnection,
    private readonly readers: readonly DuckDBConnection[],
    private readonly options: DuckDbWarehouseOptions,
  ) {
    this.readPool = new ConnectionPool(readers);
  }

  static async open(options: DuckDbWarehouseOptions): Promise<DuckDbWarehouse> {
    if (options.path !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(options.path)), { recursive: true });
    const config: Record<string, string> = { checkpoint_threshold: options.checkpointThreshold ?? DEFAULT_CHECKPOINT_THRESHOLD };
    if (options.threads) config.threads = String(options.threads);
    const instance = await DuckDBInstance.create(options.path, config);
    const writer = await instance.connect();
    const readers: DuckDBConnection[] = [];
    for (let i = 0; i < (options.readConnections ?? DEFAULT_READ_CONNECTIONS); i++) readers.push(await instance.connect());
    return new DuckDbWarehouse(instance, writer, readers, Object.freeze({ ...options }));
  }

  /**
   * Each read holds a pool connection alone, so a timeout can `interrupt()` that connection
   * without touching another caller's query. Rows are converted a chunk at a time with the event
   * loop free in between (`readRowsInChunks`), so a large answer never stalls other requests.
   */
  async query<T extends Row = Row>(sql: string, params?: readonly SqlValue[], options: QueryOptions = {}): Promise<T[]> {
    this.assertOpen();
    const { timeoutMs } = options;
    if (timeoutMs === undefined) return this.readPool.use(async (conn) => readRowsInChunks<T>(await conn.run(sql, toDuckDbParams(params))));
    const deadline = new AbortController();
    let running: DuckDBConnection | undefined;
    const timer = setTimeout(() => {
      deadline.abort(new WarehouseQueryTimeoutError(timeoutMs));
      running?.interrupt();
    }, timeoutMs);
    try {
      return await this.readPool.use(async (conn) => {
        running = conn;
        try {
          const result = await conn.run(sql, toDuckDbParams(params));
          return await readRowsInChunks<T>(result, deadline.signal);
        } catch (err) {
          // DuckDB reports an interrupted statement as its own error; the caller learns why.
          if (deadline.signal.aborted) throw deadline.signal.reason;
          throw err;
        } finally {
          running = undefined;
        }
      }, deadline.signal);
    } finally {
      clearTimeout(timer);
    }
  }

  execute(sql: string, params?: readonly SqlValue[]): Promise<number> {
    this.assertOpen();
    return this.write(() => executeOn(this.writer, sql, params));
  }

  append(table: TableRef, columns: readonly string[], rows: readonly (readonly SqlValue[])[]): Promise<number> {
    this.assertOpen();
    return this.write(() => appendOn(this.writer, table, columns, rows));
  }

  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    this.assertOpen();
    return this.write(() => this.transactionOnWriter(fn));
  }

  writerSession<T>(fn: (session: WriterSession) => Promise<T>): Promise<T> {
    this.assertOpen();
    return this.write(() => fn({ transaction: (f) => this.transactionOnWriter(f) }));
  }

  /** Runs `fn` under the write lock, then arms the idle checkpoint. */
  private async write<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await this.writeLock.run(fn);
    } finally {
      this.armCheckpoint();
    }
  }

  /**
   * A committed write is durable in the WAL; folding the WAL into the file (a checkpoint) can
   * wait. It runs once writes have paused for `idleCheckpointMs` (or `MAX_CHECKPOINT_DELAY_MS`
   * after the first unfolded write, if they never pause), queued on the write lock like any
   * writer, so a refresh's commit no longer pays for it. A failed attempt is logged and retried
   * after the next write; DuckDB still checkpoints on its own past `checkpoint_threshold`.
   */
  private armCheckpoint(): void {
    const idleMs = this.options.idleCheckpointMs ?? IDLE_CHECKPOINT_MS;
    if (idleMs <= 0 || this.closed || this.options.path === ':memory:') return;
    const now = Date.now();
    if (this.unfoldedSince === 0) this.unfoldedSince = now;
    const delay = Math.max(0, Math.min(idleMs, this.unfoldedSince + MAX_CHECKPOINT_DELAY_MS - now));
    clearTimeout(this.checkpointTimer);
    this.checkpointTimer = setTimeout(() => void this.idleCheckpoint(), delay);
    this.checkpointTimer.unref();
  }

  private idleCheckpoint(): Promise<void> {
    this.checkpointTimer = undefined;
    if (this.closed || this.checkpointing) return this.checkpointing ?? Promise.resolve();
    // A writer holds the lock or waits for it: not idle. Its end arms the timer again.
    if (this.writeLock.busy) return Promise.resolve();
    this.checkpointing = this.writeLock
      .run(async () => {
        if (this.closed) return;
        this.unfoldedSince = 0;
        await this.writer.run('CHECKPOINT');
      })
      .catch((err: unknown) => this.options.logger?.warn({ err }, 'idle checkpoint failed; the next write retries it'))
      .finally(() => {
        this.checkpointing = undefined;
      });
    return this.checkpointing;
  }

  /** One transaction on the writer connection; the caller holds the write lock. */
  private async transactionOnWriter<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    this.assertOpen();
    const conn = this.writer;
    await conn.run('BEGIN TRANSACTION');
    const tx: SqlExecutor = {
      query: async <R extends Row = Row>(sql: string, params?: readonly SqlValue[]) =>
        readRows<R>(await conn.runAndReadAll(sql, toDuckDbParams(params))),
      execute: (sql, params) => executeOn(conn, sql, params),
      append: (t, cols, rows) => appendOn(conn, t, cols, rows),
    };
    try {
      const result = await fn(tx);
      await conn.run('COMMIT');
      return result;
    } catch (err) {
      try {
        await conn.run('ROLLBACK');
      } catch (rollbackErr) {
        this.options.logger?.error({ err: rollbackErr }, 'rollback failed');
      }
      throw err;
    }
  }

  migrate(migrations: readonly Migration[]): Promise<MigrationResult> {
    return this.transaction((tx) => runMigrations(tx, migrations));
  }

  /**
   * A plain DuckDB connection to this database, outside Farol's code path (no lock, no parameter
   * or row conversion): what a benchmark compares Farol against. The caller closes it.
   */
  async bareConnection(): Promise<DuckDBConnection> {
    this.assertOpen();
    return this.instance.connect();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.checkpointTimer);
    await this.writeLock.run(async () => {
      // A checkpoint folds the WAL into the file so the next start does not replay it.
      try {
        await this.writer.run('CHECKPOINT');
      } catch (err) {
        this.options.logger?.warn({ err }, 'checkpoint on close failed');
      }
      for (const r of this.readers) r.closeSync();
      this.writer.closeSync();
      this.instance.closeSync();
    });
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('warehouse is closed');
  }
}

async function executeOn(conn: DuckDBConnection, sql: string, params?: readonly SqlValue[]): Promise<number> {
  const result = await conn.run(sql, toDuckDbParams(params));
  return result.rowsChanged;
}

interface TableColumns {
  readonly names: string[];
  /** Positions (in `names`) of TIMESTAMP WITH TIME ZONE columns. */
  readonly zoned: ReadonlySet<number>;
}

const columnCache = new WeakMap<DuckDBConnection, Map<string, TableColumns>>();

async function tableColumns(conn: DuckDBConnection, table: TableRef): Promise<TableColumns> {
  let byTable = columnCache.get(conn);
  if (!byTable) columnCache.set(conn, (byTable = new Map()));
  const key = `${table.schema}.${table.table}`;
  const cached = byTable.get(key);
  if (cached) return cached;
  const reader = await conn.runAndReadAll(
    'SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = ? AND table_name = ? ORDER BY ordinal_position',
    [table.schema, table.table],
  );
  const rows = reader.getRows();
  const names = rows.map((r) => String(r[0]));
  if (names.length === 0) throw new Error(`append: table ${key} does not exist`);
  const zoned = new Set(rows.flatMap((r, i) => (/WITH TIME ZONE|TIMESTAMPTZ/i.test(String(r[1])) ? [i] : [])));
  const cols = { names, zoned };
  byTable.set(key, cols);
  return cols;
}

async function appendOn(
  conn: DuckDBConnection,
  table: TableRef,
  columns: readonly string[],
  rows: readonly (readonly SqlValue[])[],
): Promise<number> {
  if (rows.length === 0) return 0;
  const { names: tableCols, zoned } = await tableColumns(conn, table);
  const positions = tableCols.map((c) => columns.indexOf(c));
  const unknown = columns.filter((c) => !tableCols.includes(c));
  if (unknown.length > 0) throw new Error(`append: ${qualified(table)} has no column(s) ${unknown.join(', ')}`);
  const appender = await conn.createAppender(table.table, table.schema);
  try {
    for (const row of rows) {
      positions.forEach((pos, col) => {
        if (pos < 0) appender.appendDefault();
        else {
          const v = row[pos] ?? null;
          appendValue(appender, zoned.has(col) && typeof v === 'string' ? utcTimestampText(v) : v);
        }
      });
      appender.endRow();
    }
    appender.flushSync();
  } finally {
    appender.closeSync();
  }
  return rows.length;
}

const OFFSET_TIMESTAMP = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(\.\d+)?([+-])(\d{2}):?(\d{2})$/;

/**
 * The appender's text-to-TIMESTAMPTZ conversion ignores a UTC offset (`…T23:59:59-03:00` would
 * land as 23:59:59 UTC), so an offset timestamp is rewritten as the same instant in UTC first,
 * keeping its fractional digits (up to the microseconds DuckDB stores).
 */
export function utcTimestampText(v: string): string {
  const m = OFFSET_TIMESTAMP.exec(v);
  if (!m) return v;
  const [, date, time, fraction = '', sign, hh, mm] = m;
  const offsetMs = (sign === '-' ? -1 : 1) * (Number(hh) * 60 + Number(mm)) * 60_000;
  const utc = new Date(Date.parse(`${date}T${time}Z`) - offsetMs).toISOString().slice(0, 19);
  return `${utc}${fraction.slice(0, 7)}Z`;
}

/** The appender casts to the column type, so strings carry DECIMAL, DATE and TIMESTAMPTZ exactly. */
function appendValue(appender: DuckDBAppender, v: SqlValue): void {
  if (v === null) appender.appendNull();
  else if (typeof v === 'string') appender.appendVarchar(v);
  else if (typeof v === 'number') {
    if (Number.isInteger(v)) appender.appendBigInt(BigInt(v));
    else appender.appendDouble(v);
  } else if (typeof v === 'boolean') appender.appendBoolean(v);
  else if (typeof v === 'bigint') appender.appendBigInt(v);
  else appender.appendVarchar(v.toISOString());
}
