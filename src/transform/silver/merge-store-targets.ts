import type { SqlExecutor } from '../../warehouse/warehouse.js';
import { insertRow, keyIn, onKeys, updateSet } from './merge-sql.js';

export const SILVER_STORE_TARGET_COLUMNS = [
  'source', 'store_key', 'month', 'revenue_target', 'orders_target', 'changed_at', 'bronze_record_id', 'bronze_seq', 'updated_at',
] as const;

/** Changed targets, as a relation of (source, store_key, month). */
export const CHANGED_STORE_TARGETS_SQL = 'SELECT source, store_key, month FROM temp.stage_changed_store_targets';

const KEYS = ['source', 'store_key', 'month'] as const;
/** The latest staged row per key among those matching `where` (on `s`). */
const latest = (where: string) => `SELECT ${SILVER_STORE_TARGET_COLUMNS.join(', ')} FROM temp.stage_store_targets s
      WHERE ${where}
      QUALIFY row_number() OVER (PARTITION BY source, store_key, month ORDER BY changed_at DESC, bronze_seq DESC) = 1`;

/**
 * Merges staged store targets into silver: per (source, store, month) the latest received row
 * wins (a newer file replaces an older one's numbers); a row equal to what is stored changes
 * nothing. Leaves the changed keys in temp.stage_changed_store_targets. One SQL text for both
 * warehouses; every key reaching the MERGE is at least as new as silver's row, so it updates
 * without a condition.
 */
export async function mergeStoreTargets(tx: SqlExecutor): Promise<number> {
  await tx.execute(`
    INSERT INTO temp.stage_changed_store_targets (source, store_key, month)
    SELECT s.source, s.store_key, s.month FROM (${latest('TRUE')}) s
    LEFT JOIN silver.store_targets t ON ${onKeys(KEYS, 't', 's')}
    WHERE t.store_key IS NULL
       OR (s.changed_at >= t.changed_at AND (s.revenue_target IS DISTINCT FROM t.revenue_target OR s.orders_target IS DISTINCT FROM t.orders_target))`);
  await tx.execute(`
    MERGE INTO silver.store_targets AS t
    USING (${latest(keyIn('temp.stage_changed_store_targets', KEYS, 's'))}) AS s
    ON ${onKeys(KEYS)}
    WHEN MATCHED THEN UPDATE SET ${updateSet(SILVER_STORE_TARGET_COLUMNS, KEYS)}
    WHEN NOT MATCHED THEN ${insertRow(SILVER_STORE_TARGET_COLUMNS)}`);
  const [row] = await tx.query<{ n: number }>('SELECT count(*) AS n FROM temp.stage_changed_store_targets');
  return Number(row?.n ?? 0);
}

/** `WHERE TRUE`: BigQuery refuses a DELETE without a WHERE. */
export async function clearStoreTargetStaging(tx: SqlExecutor): Promise<void> {
  await tx.execute('DELETE FROM temp.stage_store_targets WHERE TRUE');
  await tx.execute('DELETE FROM temp.stage_changed_store_targets WHERE TRUE');
}
