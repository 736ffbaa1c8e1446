import type { MigrationResult, SqlExecutor } from './warehouse.js';

/**
 * One schema change. The warehouse knows how to apply migrations, not what they contain: each
 * layer owns its DDL and the composition root hands the ordered list in.
 */
export interface Migration {
  /** Sortable and unique, e.g. `0003-pipeline`. */
  readonly version: string;
  readonly sql: string;
}

const LEDGER_DDL = `
CREATE SCHEMA IF NOT EXISTS ops;
CREATE TABLE IF NOT EXISTS ops.schema_migrations (
  version     VARCHAR PRIMARY KEY,
  applied_at  TIMESTAMPTZ NOT NULL
);`;

/**
 * Applies, in the caller's transaction, every migration not yet in `ops.schema_migrations`, in
 * list order. Append-only: a released migration is never edited, a change is a new entry.
 */
export async function runMigrations(tx: SqlExecutor, migrations: readonly Migration[]): Promise<MigrationResult> {
  await tx.execute(LEDGER_DDL);
  const done = new Set((await tx.query<{ version: string }>('SELECT version FROM ops.schema_migrations')).map((r) => r.version));
  const applied: string[] = [];
  for (const m of migrations) {
    if (done.has(m.version)) continue;
    await tx.execute(m.sql);
    await tx.execute('INSERT INTO ops.schema_migrations VALUES (?, now())', [m.version]);
    applied.push(m.version);
  }
  return { applied, current: migrations[migrations.length - 1]?.version ?? 'none' };
}
