/**
 * The warehouse port. Everything above this folder talks to a database only through these
 * interfaces; adapters (`duckdb/`, `bigquery/`) are the only code that imports a driver.
 *
 * Contracts every adapter keeps:
 * - `?` placeholders are positional parameters; values are never spliced into SQL text.
 * - `query` may run concurrently with writes and sees only committed data.
 * - writes (`execute`, `append`, `transaction`) are serialised; a committed write is durable
 *   (on DuckDB the WAL is synced at commit), so callers may acknowledge upstream after it returns.
 * - results come back as plain JSON-safe values: DECIMAL → number, BIGINT → number (string when
 *   beyond 2^53), TIMESTAMPTZ → ISO-8601 with `Z`, TIMESTAMP → ISO-8601 without zone, DATE → `YYYY-MM-DD`.
 *
 * SQL and dialects: a `SqlExecutor` (the one a transaction hands out included) carries no dialect.
 * SQL that must run on every adapter, such as the pipeline's bookkeeping in `ops` (runs, cursors,
 * source status, data versions, data-test results, the alerts' tables, the fetch queue), is
 * written once in the subset DuckDB (≥ 1.4) and BigQuery share: MERGE for upserts (no ON
 * CONFLICT, no RETURNING: read the row back), CAST(x AS BIGINT) (no `::`), times and ids as
 * parameters (no now(), uuid()), unquoted `layer.table` names (a double-quoted name is a string
 * in BigQuery), CAST(? AS type) where a NULL parameter
 * meets a non-text column (BigQuery types it STRING; for a double, which the two name differently,
 * the literal NULL), QUALIFY only beside a WHERE, no aggregate FILTER (CASE inside it), no VALUES
 * table (a UNION ALL of SELECTs), no DELETE … USING (WHERE EXISTS), a WHERE on every DELETE,
 * no BigQuery reserved word (`at`, `range`, `rows`, …) as an alias. Code whose SQL must differ
 * branches on `Warehouse.dialect`, once, where it holds the warehouse.
 */
import type { Migration } from './migrations.js';

export type SqlValue = string | number | bigint | boolean | null | Date;

export type Row = Record<string, unknown>;

export type WarehouseDialect = 'duckdb' | 'bigquery';

/** `schema.table`; schemas are the layers (`bronze`, `silver`, `gold`) plus `ops` for state. */
export interface TableRef {
  readonly schema: string;
  readonly table: string;
}

export interface SqlExecutor {
  query<T extends Row = Row>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  /** Runs a statement; returns the number of rows it changed when the database reports one. */
  execute(sql: string, params?: readonly SqlValue[]): Promise<number>;
  /**
   * Bulk-appends rows, column order as in `columns`; columns of the table not listed take their
   * default. Much faster than INSERT for large batches.
   */
  append(table: TableRef, columns: readonly string[], rows: readonly (readonly SqlValue[])[]): Promise<number>;
}

export interface MigrationResult {
  readonly applied: readonly string[];
  readonly current: string;
}

/** Transactions run one after another on the writer, with nothing else written in between. */
export interface WriterSession {
  /** Runs `fn` in one transaction; rolls back and rethrows on error. */
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T>;
}

/** Per-call options of `Warehouse.query`. */
export interface QueryOptions {
  /**
   * Longest the query may take, waiting for a read connection included. When it runs out the
   * adapter stops the statement in the database (DuckDB: `interrupt()` on its connection) and the
   * call rejects with `WarehouseQueryTimeoutError`. Absent: no limit.
   */
  readonly timeoutMs?: number | undefined;
}

/** A read that ran past its `timeoutMs` and was stopped; nothing of it is returned. */
export class WarehouseQueryTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`warehouse query stopped after ${timeoutMs} ms`);
    this.name = 'WarehouseQueryTimeoutError';
  }
}

export interface Warehouse extends SqlExecutor {
  readonly dialect: WarehouseDialect;
  /** A read on committed data, concurrent with writes; see `QueryOptions` for the time limit. */
  query<T extends Row = Row>(sql: string, params?: readonly SqlValue[], options?: QueryOptions): Promise<T[]>;
  /** Runs `fn` in one transaction on the writer; rolls back and rethrows on error. */
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  /**
   * Holds the writer for several transactions in a row: temporary tables filled by one are there
   * for the next, and no other write comes between them. On DuckDB a statement reads rows its own
   * transaction wrote on one thread, and committed rows on all of them; so a refresh commits its
   * temporary staging first and merges from it in a second transaction. Calling the warehouse's
   * own write methods inside `fn` would wait for `fn` forever: use the session's.
   */
  writerSession<T>(fn: (session: WriterSession) => Promise<T>): Promise<T>;
  /** Applies the migrations not applied yet, in order, in one transaction; idempotent. */
  migrate(migrations: readonly Migration[]): Promise<MigrationResult>;
  close(): Promise<void>;
}

export function qualified(ref: TableRef): string {
  return `${quoteIdent(ref.schema)}.${quoteIdent(ref.table)}`;
}

/** Identifiers come from code, never from users; quoting still guards against typos becoming SQL. */
export function quoteIdent(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
    throw new Error(`invalid SQL identifier: ${JSON.stringify(name)}`);
  }
  return `"${name}"`;
}

/** `?, ?, ?` for an IN list of `n` parameters. */
export function placeholders(n: number): string {
  return Array.from({ length: n }, () => '?').join(', ');
}
