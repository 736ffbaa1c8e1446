import type { SqlExecutor } from '../../warehouse/warehouse.js';
import { CHANGED_STORE_TARGETS_SQL } from '../silver/merge-store-targets.js';

/**
 * Rebuilds gold.fct_store_targets for the changed (store, month) pairs. Stores named only by a
 * target (a store that has not sold yet) join gold.dim_store under their key, so the
 * relationship from targets to stores always holds.
 */
export async function refreshStoreTargetGold(tx: SqlExecutor): Promise<void> {
  // SQL both warehouses run (targets are a few rows per store and month).
  await tx.execute(`
    MERGE INTO gold.dim_store AS t
    USING (SELECT DISTINCT store_key FROM temp.stage_changed_store_targets) AS s
    ON t.store_key = s.store_key
    WHEN NOT MATCHED THEN INSERT (store_key, store_name) VALUES (s.store_key, s.store_key)`);
  await tx.execute(`
    DELETE FROM gold.fct_store_targets AS f
    WHERE EXISTS (SELECT 1 FROM temp.stage_changed_store_targets c WHERE c.store_key = f.store_key AND c.month = f.month)`);
  await tx.execute(`
    INSERT INTO gold.fct_store_targets (store_key, month, revenue_target, orders_target)
    SELECT store_key, month, revenue_target, orders_target FROM (
      SELECT s.store_key, s.month, s.revenue_target, s.orders_target,
             row_number() OVER (PARTITION BY s.store_key, s.month ORDER BY s.changed_at DESC) AS n
      FROM silver.store_targets s
      WHERE EXISTS (SELECT 1 FROM (${CHANGED_STORE_TARGETS_SQL}) c WHERE c.source = s.source AND c.store_key = s.store_key AND c.month = s.month)
    ) AS latest
    WHERE n = 1`);
}
