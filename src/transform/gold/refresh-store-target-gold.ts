import type { SqlExecutor } from '../../warehouse/warehouse.js';
import { CHANGED_STORE_TARGETS_SQL } from '../silver/merge-store-targets.js';

/**
 * Rebuilds gold.fct_store_targets for the changed (store, month) pairs. Stores named only by a
 * target (a store that has not sold yet) join gold.dim_store under their key, so the
 * relationship from targets to stores always holds.
 */
export async function refreshStoreTargetGold(tx: SqlExecutor): Promise<void> {
  await tx.execute(`
    INSERT INTO gold.dim_store (store_key, store_name)
    SELECT DISTINCT store_key, store_key FROM temp.stage_changed_store_targets
    ON CONFLICT (store_key) DO NOTHING`);
  await tx.execute(`DELETE FROM gold.fct_store_targets WHERE (store_key, month) IN (SELECT store_key, month FROM temp.stage_changed_store_targets)`);
  await tx.execute(`
    INSERT INTO gold.fct_store_targets
    SELECT store_key, month, revenue_target, orders_target FROM silver.store_targets
    WHERE (source, store_key, month) IN (${CHANGED_STORE_TARGETS_SQL})
    QUALIFY row_number() OVER (PARTITION BY store_key, month ORDER BY changed_at DESC) = 1`);
}
