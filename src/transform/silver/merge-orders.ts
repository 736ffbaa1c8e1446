import type { SqlExecutor } from '../../warehouse/warehouse.js';

/** The columns of silver.orders and silver.order_items, in table order; staging has the same shape. */
export const SILVER_ORDER_COLUMNS = [
  'source', 'order_id', 'sequence', 'order_group', 'status', 'origin', 'sales_channel', 'affiliate_id',
  'seller_id', 'seller_name', 'hostname', 'created_at', 'last_change', 'authorized_at', 'invoiced_at',
  'canceled_at', 'currency', 'items_total', 'discounts_total', 'shipping_total', 'tax_total', 'total',
  'customer_key', 'customer_email', 'user_profile_id', 'document_type', 'document', 'first_name', 'last_name',
  'phone', 'is_corporate', 'utm_source', 'utm_medium', 'utm_campaign', 'coupon', 'payment_group',
  'payment_system', 'installments', 'ship_city', 'ship_state', 'ship_postal_code', 'bronze_record_id', 'bronze_seq',
  'updated_at',
] as const;

export const SILVER_ORDER_ITEM_COLUMNS = [
  'source', 'order_id', 'item_index', 'sku_id', 'product_id', 'ean', 'ref_id', 'name', 'brand_name', 'category_ids',
  'seller_id', 'quantity', 'unit_price', 'list_price', 'selling_price', 'cost_price', 'is_gift', 'bronze_record_id',
] as const;

const KEY = ['source', 'order_id'] as const;
const UPDATABLE = SILVER_ORDER_COLUMNS.filter((c) => !(KEY as readonly string[]).includes(c));

/** Changed orders, as a relation of (source, order_id): what gold and data tests look at. */
export const CHANGED_ORDERS_SQL = 'SELECT source, order_id FROM silver.stage_changed_orders';

/**
 * Merges staged order versions (silver.stage_orders / stage_order_items, filled by a source's
 * staging step) into silver: per (source, order_id) the version with the latest `last_change`
 * wins, whether it arrives first, last, twice or inside the same batch; a tie keeps what is
 * stored (within a batch, the later landing wins). An order's items are replaced together with
 * the order row that won.
 *
 * Leaves the keys of orders whose silver row changed in silver.stage_changed_orders for gold and
 * data tests, and returns how many there are. Runs in the caller's transaction; the caller clears
 * staging before commit (`clearOrderStaging`).
 */
export async function mergeOrders(tx: SqlExecutor): Promise<number> {
  await tx.execute(`
    INSERT INTO silver.orders (${SILVER_ORDER_COLUMNS.join(', ')})
    SELECT ${SILVER_ORDER_COLUMNS.join(', ')} FROM silver.stage_orders
    QUALIFY row_number() OVER (PARTITION BY source, order_id ORDER BY last_change DESC, bronze_seq DESC) = 1
    ON CONFLICT (source, order_id) DO UPDATE SET ${UPDATABLE.map((c) => `${c} = excluded.${c}`).join(', ')}
    WHERE excluded.last_change > silver.orders.last_change`);
  // The versions that now stand in silver are the ones whose bronze record id matches.
  await tx.execute(`
    INSERT INTO silver.stage_changed_orders
    SELECT DISTINCT s.source, s.order_id FROM silver.stage_orders s
    JOIN silver.orders o ON o.source = s.source AND o.order_id = s.order_id AND o.bronze_record_id = s.bronze_record_id`);
  await tx.execute(`DELETE FROM silver.order_items WHERE (source, order_id) IN (${CHANGED_ORDERS_SQL})`);
  await tx.execute(`
    INSERT INTO silver.order_items (${SILVER_ORDER_ITEM_COLUMNS.join(', ')})
    SELECT ${SILVER_ORDER_ITEM_COLUMNS.map((c) => `i.${c}`).join(', ')}
    FROM silver.stage_order_items i
    JOIN silver.orders o ON o.source = i.source AND o.order_id = i.order_id AND o.bronze_record_id = i.bronze_record_id`);
  const [row] = await tx.query<{ n: number }>('SELECT count(*) AS n FROM silver.stage_changed_orders');
  return Number(row?.n ?? 0);
}

/** Empties the order staging tables so the database file does not carry a batch's copy around. */
export async function clearOrderStaging(tx: SqlExecutor): Promise<void> {
  await tx.execute('DELETE FROM silver.stage_orders');
  await tx.execute('DELETE FROM silver.stage_order_items');
  await tx.execute('DELETE FROM silver.stage_changed_orders');
}
