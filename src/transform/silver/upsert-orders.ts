import type { SqlExecutor } from '../../warehouse/warehouse.js';
import { SILVER_ORDER_COLUMNS, SILVER_ORDER_ITEM_COLUMNS, type MappedOrder } from './vtex/map-vtex-order.js';

const UPDATABLE = SILVER_ORDER_COLUMNS.filter((c) => c !== 'order_id');

/**
 * Merges order versions into silver: per order the version with the latest `last_change` wins,
 * whether it arrives first, last, twice or inside the same batch; a tie keeps what is stored.
 * An order's items are replaced together with the order row that won.
 *
 * Leaves the ids of orders whose silver row changed in `silver.stage_changed_orders`, for gold.
 * Must run inside a transaction (the staging tables are private to the writer), and the caller
 * clears staging before commit (`clearSilverStaging`), so staging is empty whenever this starts:
 * a transaction that fails rolls its staging rows back with everything else.
 */
export async function upsertSilverOrders(tx: SqlExecutor, batch: readonly MappedOrder[]): Promise<number> {
  if (batch.length === 0) return 0;
  await tx.append({ schema: 'silver', table: 'stage_orders' }, SILVER_ORDER_COLUMNS, batch.map((m) => m.order));
  await tx.append(
    { schema: 'silver', table: 'stage_order_items' },
    SILVER_ORDER_ITEM_COLUMNS,
    batch.flatMap((m) => m.items),
  );
  await tx.execute(`
    INSERT INTO silver.orders (${SILVER_ORDER_COLUMNS.join(', ')})
    SELECT ${SILVER_ORDER_COLUMNS.join(', ')} FROM silver.stage_orders
    QUALIFY row_number() OVER (PARTITION BY order_id ORDER BY last_change DESC, bronze_record_id DESC) = 1
    ON CONFLICT (order_id) DO UPDATE SET ${UPDATABLE.map((c) => `${c} = excluded.${c}`).join(', ')}
    WHERE excluded.last_change > silver.orders.last_change`);
  // The versions that now stand in silver are the ones whose bronze record id matches.
  await tx.execute(`
    INSERT INTO silver.stage_changed_orders
    SELECT DISTINCT s.order_id FROM silver.stage_orders s
    JOIN silver.orders o ON o.order_id = s.order_id AND o.bronze_record_id = s.bronze_record_id`);
  await tx.execute(`DELETE FROM silver.order_items WHERE order_id IN (SELECT order_id FROM silver.stage_changed_orders)`);
  await tx.execute(`
    INSERT INTO silver.order_items (${SILVER_ORDER_ITEM_COLUMNS.join(', ')})
    SELECT ${SILVER_ORDER_ITEM_COLUMNS.map((c) => `i.${c}`).join(', ')}
    FROM silver.stage_order_items i
    JOIN silver.orders o ON o.order_id = i.order_id AND o.bronze_record_id = i.bronze_record_id`);
  const [row] = await tx.query<{ n: number }>('SELECT count(*) AS n FROM silver.stage_changed_orders');
  return Number(row?.n ?? 0);
}

/** Empties the staging tables so the database file does not carry a batch's copy around. */
export async function clearSilverStaging(tx: SqlExecutor): Promise<void> {
  await tx.execute('DELETE FROM silver.stage_orders');
  await tx.execute('DELETE FROM silver.stage_order_items');
  await tx.execute('DELETE FROM silver.stage_changed_orders');
}
