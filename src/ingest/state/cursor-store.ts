import type { SqlExecutor } from '../../warehouse/warehouse.js';
import type { SourceKind } from '../sources/source-kind.js';

/**
 * Named positions per source in `ops.cursors`. Written in the caller's transaction: a cursor
 * moves in the same commit as the records it accounts for, so a killed run resumes exactly where
 * its last commit left it, with no gap and no duplicate.
 */
export type CursorName =
  /** The last bronze seq applied to silver (the refresh watermark). */
  | 'silver_seq'
  /** Where a pull source's extraction resumes (source-specific text). */
  | 'extract'
  /** The last hook-inbox seq taken into bronze (global: source `*`). */
  | 'inbox';

/** Cursors that belong to no one source use `*`. */
export type CursorOwner = SourceKind | '*';

export async function readCursor(ex: SqlExecutor, source: CursorOwner, name: CursorName): Promise<string | undefined> {
  const [row] = await ex.query<{ value: string }>('SELECT value FROM ops.cursors WHERE source = ? AND name = ?', [source, name]);
  return row?.value;
}

/**
 * One MERGE, valid on DuckDB and BigQuery alike (BigQuery has no ON CONFLICT and enforces no key).
 * The time is a parameter: the process's clock stamps the bookkeeping on either warehouse, and
 * tests can fix it.
 */
export async function writeCursor(tx: SqlExecutor, source: CursorOwner, name: CursorName, value: string, at: Date = new Date()): Promise<void> {
  await tx.execute(
    `MERGE INTO ops.cursors AS t
     USING (SELECT ? AS source, ? AS name, ? AS value, ? AS updated_at) AS s
     ON t.source = s.source AND t.name = s.name
     WHEN MATCHED THEN UPDATE SET value = s.value, updated_at = s.updated_at
     WHEN NOT MATCHED THEN INSERT (source, name, value, updated_at) VALUES (s.source, s.name, s.value, s.updated_at)`,
    [source, name, value, at],
  );
}

export async function deleteCursor(tx: SqlExecutor, source: CursorOwner, name: CursorName): Promise<void> {
  await tx.execute('DELETE FROM ops.cursors WHERE source = ? AND name = ?', [source, name]);
}
