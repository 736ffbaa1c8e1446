import type { MigrationResult, SqlExecutor } from '../warehouse.js';
import { BRONZE_DDL } from './ddl/bronze.js';
import { GOLD_DDL } from './ddl/gold.js';
import { OPS_DDL } from './ddl/ops.js';
import { SILVER_DDL, SILVER_STAGING_DDL } from './ddl/silver.js';
import { GOLD_SEED_SQL } from './ddl/gold-seed.js';

interface Migration {
  readonly version: string;
  readonly sql: string;
}

/** Append-only: a released migration is never edited, a change is a new entry. */
export const MIGRATIONS: readonly Migration[] = [
  { version: '0001-layers', sql: [OPS_DDL, BRONZE_DDL, SILVER_DDL, SILVER_STAGING_DDL, GOLD_DDL].join('\n') },
  { version: '0002-gold-seed', sql: GOLD_SEED_SQL },
];

export async function runMigrations(tx: SqlExecutor): Promise<MigrationResult> {
  await tx.execute(OPS_DDL);
  const done = new Set((await tx.query<{ version: string }>('SELECT version FROM ops.schema_migrations')).map((r) => r.version));
  const applied: string[] = [];
  for (const m of MIGRATIONS) {
    if (done.has(m.version)) continue;
    await tx.execute(m.sql);
    await tx.execute('INSERT INTO ops.schema_migrations VALUES (?, now())', [m.version]);
    applied.push(m.version);
  }
  return { applied, current: MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 'none' };
}
