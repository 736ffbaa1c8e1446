import type { SqlExecutor, WarehouseDialect } from '../../warehouse/warehouse.js';

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

/** Changed orders, as a relation of (source, order_id): what gold and data tests look at. */
export const CHANGED_ORDERS_SQL = 'SELECT source, order_id FROM temp.stage_changed_orders';

/**
 * The rows `mergeOrders` wrote to silver.orders / silver.order_items, read from the staging they
 * were copied from: the same rows (the merge deletes the versions that lost from staging), but
 * staging was committed before the merge's transaction began (see silver-refresh.ts), so DuckDB
 * scans it on every core, while rows this transaction wrote to silver are scanned on one. Valid
 * between `mergeOrders` and `clearOrderStaging`.
 */
export const MERGED_ORDERS_SQL = `(SELECT ${SILVER_ORDER_COLUMNS.join(', ')} FROM temp.stage_orders)`;
export const MERGED_ORDER_ITEMS_SQL = `(SELECT ${SILVER_ORDER_ITEM_COLUMNS.join(', ')} FROM temp.stage_order_items)`;

/**
 * The winning version per key among the staged ones, when it is newer than what silver holds:
 * SQL both warehouses accept (QUALIFY beside a WHERE, as BigQuery requires).
 */
const CHOOSE_WINNERS_SQL = `
    INSERT INTO temp.stage_changed_orders (source, order_id, bronze_record_id)
    SELECT s.source, s.order_id, s.bronze_record_id FROM (
      SELECT source, order_id, last_change, bronze_record_id FROM temp.stage_orders
      WHERE TRUE
      QUALIFY row_number() OVER (PARTITION BY source, order_id ORDER BY last_change DESC, bronze_seq DESC) = 1
    ) s
    LEFT JOIN silver.orders o ON o.source = s.source AND o.order_id = s.order_id
    WHERE o.order_id IS NULL OR s.last_change > o.last_change`;

const ORDER_UPDATES = SILVER_ORDER_COLUMNS.filter((c) => c !== 'source' && c !== 'order_id').map((c) => `${c} = s.${c}`).join(', ');

/**
 * Writing the winners (staging holds only them by then) is the one step whose SQL differs by
 * warehouse, so it branches here and nowhere else. On DuckDB, deleting the old rows and appending
 * staging whole is a plain scan written on every core, where a MERGE's insert, fed by its join,
 * is written on about one. On BigQuery every DML statement is a job that rewrites the blocks it
 * touches, and a row-value `IN` is not its SQL: one MERGE writes the orders (restating the rule,
 * a strictly newer change only), and the items, replaced whole (a new version with fewer items
 * drops the rest), are a DELETE of the changed orders' items and an INSERT of the staged ones.
 */
const WRITE_WINNERS: Readonly<Record<WarehouseDialect, (tx: SqlExecutor) => Promise<void>>> = {
  duckdb: async (tx) => {
    await tx.execute(`DELETE FROM silver.orders WHERE (source, order_id) IN (${CHANGED_ORDERS_SQL})`);
    await tx.execute(`INSERT INTO silver.orders (${SILVER_ORDER_COLUMNS.join(', ')}) SELECT * FROM ${MERGED_ORDERS_SQL}`);
    await tx.execute(`DELETE FROM silver.order_items WHERE (source, order_id) IN (${CHANGED_ORDERS_SQL})`);
    await tx.execute(`INSERT INTO silver.order_items (${SILVER_ORDER_ITEM_COLUMNS.join(', ')}) SELECT * FROM ${MERGED_ORDER_ITEMS_SQL}`);
  },
  bigquery: async (tx) => {
    await tx.execute(`MERGE INTO silver.orders AS t
      USING temp.stage_orders AS s
      ON t.source = s.source AND t.order_id = s.order_id
      WHEN MATCHED AND s.last_change > t.last_change THEN UPDATE SET ${ORDER_UPDATES}
      WHEN NOT MATCHED THEN INSERT (${SILVER_ORDER_COLUMNS.join(', ')}) VALUES (${SILVER_ORDER_COLUMNS.map((c) => `s.${c}`).join(', ')})`);
    await tx.execute(`DELETE FROM silver.order_items AS i
      WHERE EXISTS (SELECT 1 FROM temp.stage_changed_orders c WHERE c.source = i.source AND c.order_id = i.order_id)`);
    await tx.execute(`INSERT INTO silver.order_items (${SILVER_ORDER_ITEM_COLUMNS.join(', ')}) SELECT * FROM ${MERGED_ORDER_ITEMS_SQL}`);
  },
};

/**
 * Merges staged order versions (temp.stage_orders / stage_order_items, filled by a source's
 * staging step) into silver: per (source, order_id) the version with the latest `last_change`
 * wins, whether it arrives first, last, twice or inside the same batch; a tie keeps what is
 * stored (within a batch, the later landing wins). An order's items are replaced together with
 * the order row that won.
 *
 * Set-based and index-free: the winning versions are chosen first (one window over the batch,
 * one hash join against silver), the losing ones leave staging, then the winners are written
 * (`WRITE_WINNERS`, per warehouse). Key uniqueness is kept by this logic and checked by an
 * error-level data test; a primary-key index would cost more to maintain than the merge itself.
 *
 * Leaves the winners in temp.stage_changed_orders for gold and data tests, and returns how many
 * there are. Runs in the caller's transaction; the caller clears staging before commit.
 */
export async function mergeOrders(tx: SqlExecutor, dialect: WarehouseDialect): Promise<number> {
  await tx.execute(CHOOSE_WINNERS_SQL);
  const [row] = await tx.query<{ changed: number; staged: number }>(
    'SELECT (SELECT count(*) FROM temp.stage_changed_orders) AS changed, (SELECT count(*) FROM temp.stage_orders) AS staged',
  );
  const changed = Number(row?.changed ?? 0);
  if (changed === 0) return 0;
  // Staging keeps only the winning versions, so every later step copies it whole: an insert fed
  // by a join is written on about one core, a plain scan on all of them. In a rebuild and in most
  // refreshes every staged version won and nothing is deleted.
  if (changed < Number(row?.staged ?? 0)) {
    const lost = 'bronze_record_id NOT IN (SELECT bronze_record_id FROM temp.stage_changed_orders)';
    await tx.execute(`DELETE FROM temp.stage_orders WHERE ${lost}`);
    await tx.execute(`DELETE FROM temp.stage_order_items WHERE ${lost}`);
  }
  await WRITE_WINNERS[dialect](tx);
  return changed;
}

/**
 * Empties the order staging tables so the database file does not carry a batch's copy around.
 * `WHERE TRUE`: BigQuery refuses a DELETE without a WHERE.
 */
export async function clearOrderStaging(tx: SqlExecutor): Promise<void> {
  await tx.execute('DELETE FROM temp.stage_orders WHERE TRUE');
  await tx.execute('DELETE FROM temp.stage_order_items WHERE TRUE');
  await tx.execute('DELETE FROM temp.stage_changed_orders WHERE TRUE');
}
