import type { SqlExecutor } from '../../warehouse/warehouse.js';

export const SILVER_STORE_TARGET_COLUMNS = [
  'source', 'store_key', 'month', 'revenue_target', 'orders_target', 'changed_at', 'bronze_record_id', 'bronze_seq', 'updated_at',
] as const;

/** Changed targets, as a relation of (source, store_key, month). */
export const CHANGED_STORE_TARGETS_SQL = 'SELECT source, store_key, month FROM temp.stage_changed_store_targets';

/**
 * Merges staged store targets into silver: per (source, store, month) the latest received row
 * wins (a newer file replaces an older one's numbers); a row equal to what is stored changes
 * nothing. Leaves the changed keys in temp.stage_changed_store_targets.
 */
export async function mergeStoreTargets(tx: SqlExecutor): Promise<number> {
  const cols = SILVER_STORE_TARGET_COLUMNS.join(', ');
  await tx.execute(`
    INSERT INTO temp.stage_changed_store_targets
    SELECT s.source, s.store_key, s.month FROM (
      SELECT * FROM temp.stage_store_targets
      QUALIFY row_number() OVER (PARTITION BY source, store_key, month ORDER BY changed_at DESC, bronze_seq DESC) = 1
    ) s
    LEFT JOIN silver.store_targets t ON t.source = s.source AND t.store_key = s.store_key AND t.month = s.month
    WHERE t.store_key IS NULL
       OR (s.changed_at >= t.changed_at AND (s.revenue_target IS DISTINCT FROM t.revenue_target OR s.orders_target IS DISTINCT FROM t.orders_target))`);
  await tx.execute(`
    INSERT INTO silver.store_targets (${cols})
    SELECT ${cols} FROM temp.stage_store_targets
    WHERE (source, store_key, month) IN (${CHANGED_STORE_TARGETS_SQL})
    QUALIFY row_number() OVER (PARTITION BY source, store_key, month ORDER BY changed_at DESC, bronze_seq DESC) = 1
    ON CONFLICT (source, store_key, month) DO UPDATE SET
      revenue_target = excluded.revenue_target, orders_target = excluded.orders_target, changed_at = excluded.changed_at,
      bronze_record_id = excluded.bronze_record_id, bronze_seq = excluded.bronze_seq, updated_at = excluded.updated_at`);
  const [row] = await tx.query<{ n: number }>('SELECT count(*) AS n FROM temp.stage_changed_store_targets');
  return Number(row?.n ?? 0);
}

export async function clearStoreTargetStaging(tx: SqlExecutor): Promise<void> {
  await tx.execute('DELETE FROM temp.stage_store_targets');
  await tx.execute('DELETE FROM temp.stage_changed_store_targets');
}
