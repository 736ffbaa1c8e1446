import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Migration } from '../migrations.js';
import { SerialLock } from '../serial-lock.js';
import {
  WarehouseQueryTimeoutError, type MigrationResult, type QueryOptions, type Row, type SqlExecutor, type SqlValue, type TableRef,
  type Warehouse, type WriterSession,
} from '../warehouse.js';
import { DEFAULT_PAGE_ROWS, DEFAULT_POLL_MS, runQueryJob, type JobKind, type JobSettings } from './bigquery-jobs.js';
import { runLoadJob } from './bigquery-load.js';
import { createBigQueryClient, restRequest, type BigQueryClientOptions } from './bigquery-rest.js';
import { BigQueryTableNames } from './bigquery-table-names.js';

/** Labels on every job Farol starts; each job adds `kind` (see `JobKind`). */
export const BASE_JOB_LABELS = Object.freeze({ app: 'farol' });
/** Staging tables of loads inside a transaction expire on their own should a drop never run. */
const STAGING_TTL_MS = 60 * 60_000;

export interface BigQueryWarehouseOptions extends BigQueryClientOptions {
  readonly dataset: string;
  /** Bytes-billed cap per query job (`maximumBytesBilled`); absent: the project's own limits. */
  readonly maximumBytesBilled?: number | undefined;
  /** `kind` label of reads through `query` (the semantic engine's are metrics). Default `metrics`. */
  readonly queryKind?: JobKind;
  readonly pageRows?: number;
  readonly pollMs?: number;
  readonly logger?: Logger | undefined;
}

/**
 * The warehouse at scale. Reads are query jobs, concurrent and unbounded on our side (BigQuery
 * queues them); writes keep the port's one-writer rule behind a FIFO lock. A transaction is a
 * BigQuery multi-statement transaction in a session (`BEGIN TRANSACTION` … `COMMIT TRANSACTION`),
 * and a writer session keeps one BigQuery session across its transactions, so its TEMP tables
 * carry over. See CONTEXT.md for what runs here and what still needs the embedded pipeline.
 */
export class BigQueryWarehouse implements Warehouse {
  readonly dialect = 'bigquery' as const;
  readonly names: BigQueryTableNames;
  private readonly jobs: JobSettings;
  private readonly writeLock = new SerialLock();
  private closed = false;

  constructor(private readonly options: BigQueryWarehouseOptions) {
    this.names = new BigQueryTableNames(options.projectId, options.dataset);
    this.jobs = Object.freeze({
      client: createBigQueryClient(options),
      names: this.names,
      location: options.location,
      maximumBytesBilled: options.maximumBytesBilled,
      labels: BASE_JOB_LABELS,
      pageRows: options.pageRows ?? DEFAULT_PAGE_ROWS,
      pollMs: options.pollMs ?? DEFAULT_POLL_MS,
    });
  }

  /**
   * A read. With `timeoutMs` the job carries it as `jobTimeoutMs` too, and when it runs out here
   * the job is cancelled and the call rejects with `WarehouseQueryTimeoutError`.
   */
  async query<T extends Row = Row>(sql: string, params?: readonly SqlValue[], options: QueryOptions = {}): Promise<T[]> {
    this.assertOpen();
    const { timeoutMs } = options;
    const kind = this.options.queryKind ?? 'metrics';
    if (timeoutMs === undefined) return (await runQueryJob<T>(this.jobs, { sql, params, kind })).rows;
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(new WarehouseQueryTimeoutError(timeoutMs)), timeoutMs);
    try {
      return (await runQueryJob<T>(this.jobs, { sql, params, kind, timeoutMs, signal: deadline.signal })).rows;
    } finally {
      clearTimeout(timer);
    }
  }

  execute(sql: string, params?: readonly SqlValue[]): Promise<number> {
    this.assertOpen();
    return this.writeLock.run(async () => (await runQueryJob(this.jobs, { sql, params, kind: 'execute' })).affectedRows);
  }

  append(table: TableRef, columns: readonly string[], rows: readonly (readonly SqlValue[])[]): Promise<number> {
    this.assertOpen();
    return this.writeLock.run(() => runLoadJob(this.jobs, { table, columns, rows }));
  }

  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    this.assertOpen();
    return this.writeLock.run(() => this.inSession((session) => session.transaction(fn)));
  }

  writerSession<T>(fn: (session: WriterSession) => Promise<T>): Promise<T> {
    this.assertOpen();
    return this.writeLock.run(() => this.inSession(fn));
  }

  /**
   * BigQuery runs no DDL inside a transaction, so each migration is one script job followed by
   * its ledger row (`ops.schema_migrations`): a migration that fails half-way is not rolled back,
   * and BigQuery migrations are written to be re-runnable (`CREATE … IF NOT EXISTS`).
   */
  migrate(migrations: readonly Migration[]): Promise<MigrationResult> {
    this.assertOpen();
    const run = async <R extends Row>(sql: string, params?: readonly SqlValue[]) => (await runQueryJob<R>(this.jobs, { sql, params, kind: 'migrate' })).rows;
    return this.writeLock.run(async () => {
      await run(LEDGER_DDL);
      const done = new Set((await run<{ version: string }>('SELECT version FROM ops.schema_migrations')).map((r) => r.version));
      const applied: string[] = [];
      for (const m of migrations) {
        if (done.has(m.version)) continue;
        await run(m.sql);
        await run('INSERT INTO ops.schema_migrations (version, applied_at) VALUES (?, CURRENT_TIMESTAMP())', [m.version]);
        applied.push(m.version);
      }
      return { applied, current: migrations[migrations.length - 1]?.version ?? 'none' };
    });
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  /** Opens a BigQuery session for `fn`'s transactions and ends it afterwards, whatever happened. */
  private async inSession<T>(fn: (session: WriterSession) => Promise<T>): Promise<T> {
    let sessionId: string | undefined;
    const session: WriterSession = {
      transaction: async <R>(body: (tx: SqlExecutor) => Promise<R>): Promise<R> => {
        this.assertOpen();
        const begun = await runQueryJob(this.jobs, { sql: 'BEGIN TRANSACTION', kind: 'transaction', sessionId, createSession: sessionId === undefined });
        sessionId ??= begun.sessionId;
        if (!sessionId) throw new Error('BigQuery started no session for the transaction (no statistics.sessionInfo.sessionId)');
        const staged: string[] = [];
        const tx = this.sessionExecutor(sessionId, staged);
        try {
          const result = await body(tx);
          await runQueryJob(this.jobs, { sql: 'COMMIT TRANSACTION', kind: 'transaction', sessionId });
          return result;
        } catch (err) {
          try {
            await runQueryJob(this.jobs, { sql: 'ROLLBACK TRANSACTION', kind: 'transaction', sessionId });
          } catch (rollbackErr) {
            this.options.logger?.error({ err: rollbackErr }, 'BigQuery rollback failed; the session is aborted next');
          }
          throw err;
        } finally {
          for (const tableId of staged) await this.dropStaging(tableId);
        }
      },
    };
    try {
      return await fn(session);
    } finally {
      if (sessionId) {
        await runQueryJob(this.jobs, { sql: 'CALL BQ.ABORT_SESSION()', kind: 'transaction', sessionId }).catch((err: unknown) =>
          this.options.logger?.warn({ err }, 'BigQuery session did not end cleanly; it expires on its own after 24 h idle'),
        );
      }
    }
  }

  /**
   * Statements inside a transaction run in its session. Load jobs cannot join a transaction, so
   * `append` loads the batch into a staging table first (its own load job, schema copied from the
   * target, expiring in an hour) and inserts from it inside the transaction.
   */
  private sessionExecutor(sessionId: string, staged: string[]): SqlExecutor {
    return {
      query: async <R extends Row = Row>(sql: string, params?: readonly SqlValue[]) =>
        (await runQueryJob<R>(this.jobs, { sql, params, kind: 'transaction', sessionId })).rows,
      execute: async (sql, params) => (await runQueryJob(this.jobs, { sql, params, kind: 'transaction', sessionId })).affectedRows,
      append: async (table, columns, rows) => {
        if (rows.length === 0) return 0;
        const stage: TableRef = { schema: 'ops', table: `stage_${randomUUID().replace(/-/g, '')}` };
        await this.createStaging(table, stage, columns);
        staged.push(this.names.tableId(stage));
        await runLoadJob(this.jobs, { table: stage, columns, rows });
        const cols = columns.map((c) => `\`${c}\``).join(', ');
        return (await runQueryJob(this.jobs, {
          sql: `INSERT INTO ${this.names.sql(table)} (${cols}) SELECT ${cols} FROM ${this.names.sql(stage)}`,
          kind: 'transaction', sessionId,
        })).affectedRows;
      },
    };
  }

  /** tables.get of the target, tables.insert of a staging table with the named columns' schema. */
  private async createStaging(target: TableRef, stage: TableRef, columns: readonly string[]): Promise<void> {
    const base = `/datasets/${encodeURIComponent(this.names.dataset)}/tables`;
    const meta = await restRequest<{ schema?: { fields?: { name: string }[] } }>(this.jobs.client, { uri: `${base}/${encodeURIComponent(this.names.tableId(target))}` });
    const fields = meta.schema?.fields ?? [];
    const missing = columns.filter((c) => !fields.some((f) => f.name === c));
    if (missing.length > 0) throw new Error(`append: ${target.schema}.${target.table} has no column(s) ${missing.join(', ')}`);
    await restRequest(this.jobs.client, {
      method: 'POST',
      uri: base,
      json: {
        tableReference: { projectId: this.names.projectId, datasetId: this.names.dataset, tableId: this.names.tableId(stage) },
        schema: { fields: columns.map((c) => ({ ...fields.find((f) => f.name === c), mode: 'NULLABLE' })) },
        expirationTime: String(Date.now() + STAGING_TTL_MS),
        labels: { ...BASE_JOB_LABELS, kind: 'staging' },
      },
    });
  }

  private async dropStaging(tableId: string): Promise<void> {
    await runQueryJob(this.jobs, { sql: `DROP TABLE IF EXISTS \`${this.names.projectId}.${this.names.dataset}.${tableId}\``, kind: 'transaction' }).catch((err: unknown) =>
      this.options.logger?.warn({ err, table: tableId }, 'staging table not dropped; it expires within an hour'),
    );
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('warehouse is closed');
  }
}

const LEDGER_DDL = `CREATE TABLE IF NOT EXISTS ops.schema_migrations (
  version     STRING NOT NULL,
  applied_at  TIMESTAMP NOT NULL
)`;
