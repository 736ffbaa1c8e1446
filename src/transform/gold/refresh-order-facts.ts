import { placeholders, type SqlExecutor, type SqlValue } from '../../warehouse/warehouse.js';
import { CHANNEL_KEY_SQL, channelFor } from './channel-names.js';

const CHANGED = 'SELECT order_id FROM silver.stage_changed_orders';

export interface GoldRefreshOptions {
  /** Business timezone: `order_date` is the creation day there. */
  readonly timezone: string;
  readonly channelNames?: Readonly<Record<string, string>>;
}

/**
 * Rebuilds the gold rows of the orders listed in `silver.stage_changed_orders` (facts are
 * replaced per order, dimensions upserted), inside the caller's transaction, so gold never shows
 * an order half-updated.
 */
export async function refreshOrderFacts(tx: SqlExecutor, opts: GoldRefreshOptions): Promise<void> {
  await upsertChannels(tx, opts.channelNames ?? {});
  await tx.execute(`
    INSERT INTO gold.dim_store
    SELECT seller_id, coalesce(any_value(seller_name), seller_id) FROM silver.orders
    WHERE order_id IN (${CHANGED}) AND seller_id IS NOT NULL GROUP BY seller_id
    ON CONFLICT (store_key) DO UPDATE SET store_name = excluded.store_name`);
  await tx.execute(`
    INSERT INTO gold.dim_product
    SELECT sku_id, any_value(product_id), any_value(name), any_value(brand_name), any_value(category_ids),
           any_value(ref_id), any_value(ean)
    FROM silver.order_items WHERE order_id IN (${CHANGED}) GROUP BY sku_id
    ON CONFLICT (product_key) DO UPDATE SET product_id = excluded.product_id, name = excluded.name,
      brand_name = excluded.brand_name, category_ids = excluded.category_ids, ref_id = excluded.ref_id, ean = excluded.ean`);
  await tx.execute(`
    INSERT INTO gold.dim_customer
    SELECT customer_key, split_part(customer_key, ':', 1),
           arg_max(first_name, last_change), arg_max(last_name, last_change), arg_max(is_corporate, last_change),
           arg_max(ship_state, last_change), arg_max(ship_city, last_change), min(created_at), max(created_at)
    FROM silver.orders
    WHERE customer_key IN (SELECT customer_key FROM silver.orders WHERE order_id IN (${CHANGED}))
    GROUP BY customer_key
    ON CONFLICT (customer_key) DO UPDATE SET first_name = excluded.first_name, last_name = excluded.last_name,
      is_corporate = excluded.is_corporate, state = excluded.state, city = excluded.city,
      first_order_at = excluded.first_order_at, last_order_at = excluded.last_order_at`);

  await tx.execute(`DELETE FROM gold.fct_orders WHERE order_id IN (${CHANGED})`);
  await tx.execute(
    `
    INSERT INTO gold.fct_orders
    SELECT o.order_id, timezone(?, o.created_at)::DATE, o.created_at, o.status, coalesce(st.is_sale, false),
           o.status = 'canceled', ${CHANNEL_KEY_SQL('o')}, o.seller_id, o.customer_key, o.coupon,
           o.utm_source, o.utm_medium, o.utm_campaign, coalesce(u.units, 0), o.items_total, o.discounts_total,
           o.shipping_total, o.total, o.last_change
    FROM silver.orders o
    LEFT JOIN gold.dim_order_status st ON st.status = o.status
    LEFT JOIN (SELECT order_id, sum(quantity)::INTEGER AS units FROM silver.order_items
               WHERE order_id IN (${CHANGED}) GROUP BY order_id) u ON u.order_id = o.order_id
    WHERE o.order_id IN (${CHANGED})`,
    [opts.timezone],
  );
  await tx.execute(`DELETE FROM gold.fct_sales WHERE order_id IN (${CHANGED})`);
  await tx.execute(
    `
    INSERT INTO gold.fct_sales
    SELECT i.order_id, i.item_index, timezone(?, o.created_at)::DATE, o.created_at, o.status,
           coalesce(st.is_sale, false), ${CHANNEL_KEY_SQL('o')}, o.seller_id, o.customer_key, i.sku_id, i.quantity,
           i.list_price, i.unit_price, i.unit_price * i.quantity, i.selling_price * i.quantity,
           (i.unit_price - i.selling_price) * i.quantity, i.cost_price * i.quantity
    FROM silver.order_items i
    JOIN silver.orders o ON o.order_id = i.order_id
    LEFT JOIN gold.dim_order_status st ON st.status = o.status
    WHERE i.order_id IN (${CHANGED})`,
    [opts.timezone],
  );
}

async function upsertChannels(tx: SqlExecutor, names: Readonly<Record<string, string>>): Promise<void> {
  const pairs = await tx.query<{ sales_channel: string; affiliate_id: string | null }>(`
    SELECT DISTINCT sales_channel, nullif(affiliate_id, '') AS affiliate_id FROM silver.orders
    WHERE order_id IN (${CHANGED})`);
  if (pairs.length === 0) return;
  const channels = new Map(pairs.map((p) => channelFor(p.sales_channel, p.affiliate_id, names)).map((c) => [c.key, c]));
  const params: SqlValue[] = [];
  for (const c of channels.values()) params.push(c.key, c.name, c.type, c.salesChannel, c.affiliateId);
  const rows = [...channels.values()].map(() => `(${placeholders(5)})`).join(', ');
  await tx.execute(
    `INSERT INTO gold.dim_channel VALUES ${rows}
     ON CONFLICT (channel_key) DO UPDATE SET channel_name = excluded.channel_name`,
    params,
  );
}
