import { placeholders, type SqlExecutor, type SqlValue } from '../../warehouse/warehouse.js';
import { CHANGED_ORDERS_SQL, MERGED_ORDER_ITEMS_SQL, MERGED_ORDERS_SQL } from '../silver/merge-orders.js';
import { CHANNEL_KEY_SQL, channelFor } from './channel-names.js';
import { refreshCustomerContacts } from './customer-contact.js';

/** A silver row of a changed order: `(o.source, o.order_id) IN changed`. */
const CHANGED = (alias: string) => `(${alias}.source, ${alias}.order_id) IN (${CHANGED_ORDERS_SQL})`;
/**
 * "Most recent" for dimension attributes, as sortable text: the order version's last change (in
 * microseconds, zero-padded), then its key, so ties are broken the same way everywhere.
 */
const VERSION_KEY = (alias: string) =>
  `lpad(epoch_us(${alias}.last_change)::VARCHAR, 20, '0') || '|' || ${alias}.source || '|' || ${alias}.order_id`;
const ITEM_VERSION_KEY = `${VERSION_KEY('o')} || '|' || lpad(i.item_index::VARCHAR, 6, '0')`;
const NEWER = (table: string) => `excluded.version_key > coalesce(gold.${table}.version_key, '')`;
/** The named columns of the row with the greatest `key`, and that key as `v`, as one struct. */
const latestOf = (columns: readonly string[], alias: string, key: string) =>
  `arg_max({${columns.map((c) => `${c}: ${alias}.${c}`).join(', ')}, v: ${key}}, ${key})`;
/**
 * What order items say about a SKU. Once the catalog has described the SKU (`in_catalog`), the
 * catalog's values stand and orders only move `version_key`, so gold is the same whichever of
 * the two sources refreshes first (refresh-catalog-gold.ts).
 */
const PRODUCT_ATTRIBUTES = ['product_id', 'name', 'brand_name', 'category_ids', 'ref_id', 'ean'] as const;
/** The gold key of an order: unique across sources. */
export const ORDER_KEY_SQL = (alias: string) => `${alias}.source || ':' || ${alias}.order_id`;

export interface GoldRefreshOptions {
  /** Business timezone: `order_date` is the creation day there. */
  readonly timezone: string;
  readonly channelNames?: Readonly<Record<string, string>>;
  /**
   * The clock customer 360's time-relative columns are computed from (its business day becomes
   * `refreshed_on`); the system clock when absent. Tests pin it.
   */
  readonly now?: () => Date;
}

/**
 * Rebuilds the gold rows of the orders listed in `temp.stage_changed_orders`, reading their silver
 * rows where `mergeOrders` copied them from (MERGED_ORDERS_SQL: the same rows, read faster) (facts are
 * replaced per order, dimensions upserted), inside the caller's transaction, so gold never shows
 * an order half-updated. Set-based: a constant number of statements whatever the batch size.
 */
export async function refreshOrderGold(tx: SqlExecutor, opts: GoldRefreshOptions): Promise<void> {
  await upsertChannels(tx, opts.channelNames ?? {});
  // A dimension row keeps the attributes of the most recent order version that mentioned its
  // member, with that version's key (`version_key`). A refresh looks only at the changed orders
  // and replaces attributes when it brings a newer key: "latest" is a maximum, so taking it over
  // the batches one by one gives what a rebuild takes over everything at once.
  await tx.execute(`
    INSERT INTO gold.dim_store
    SELECT seller_id, coalesce(c.name, seller_id), c.v FROM (
      SELECT o.seller_id, arg_max({name: o.seller_name, v: ${VERSION_KEY('o')}}, ${VERSION_KEY('o')}) AS c
      FROM ${MERGED_ORDERS_SQL} o WHERE o.seller_id IS NOT NULL GROUP BY o.seller_id)
    ON CONFLICT (store_key) DO UPDATE SET store_name = excluded.store_name, version_key = excluded.version_key
    WHERE excluded.version_key > coalesce(gold.dim_store.version_key, '')`);
  await tx.execute(`
    INSERT INTO gold.dim_product (product_key, product_id, name, brand_name, category_ids, ref_id, ean, version_key)
    SELECT sku_id, p.product_id, p.name, p.brand_name, p.category_ids, p.ref_id, p.ean, p.v FROM (
      SELECT i.sku_id, ${latestOf(PRODUCT_ATTRIBUTES, 'i', ITEM_VERSION_KEY)} AS p
      FROM ${MERGED_ORDER_ITEMS_SQL} i JOIN ${MERGED_ORDERS_SQL} o ON o.source = i.source AND o.order_id = i.order_id
      GROUP BY i.sku_id)
    ON CONFLICT (product_key) DO UPDATE SET
      ${PRODUCT_ATTRIBUTES.map((c) => `${c} = CASE WHEN gold.dim_product.in_catalog THEN gold.dim_product.${c} ELSE excluded.${c} END`).join(',\n      ')},
      version_key = excluded.version_key
    WHERE excluded.version_key > coalesce(gold.dim_product.version_key, '')`);
  await tx.execute(`
    INSERT INTO gold.dim_customer (customer_key, key_type, first_name, last_name, is_corporate, state, city, first_order_at, last_order_at, version_key)
    SELECT customer_key, split_part(customer_key, ':', 1), c.first_name, c.last_name, c.is_corporate, c.ship_state, c.ship_city,
           first_at, last_at, c.v FROM (
      SELECT o.customer_key, ${latestOf(['first_name', 'last_name', 'is_corporate', 'ship_state', 'ship_city'], 'o', VERSION_KEY('o'))} AS c,
             min(o.created_at) AS first_at, max(o.created_at) AS last_at
      FROM ${MERGED_ORDERS_SQL} o WHERE o.customer_key IS NOT NULL GROUP BY o.customer_key)
    ON CONFLICT (customer_key) DO UPDATE SET
      first_name = CASE WHEN ${NEWER('dim_customer')} THEN excluded.first_name ELSE gold.dim_customer.first_name END,
      last_name = CASE WHEN ${NEWER('dim_customer')} THEN excluded.last_name ELSE gold.dim_customer.last_name END,
      is_corporate = CASE WHEN ${NEWER('dim_customer')} THEN excluded.is_corporate ELSE gold.dim_customer.is_corporate END,
      state = CASE WHEN ${NEWER('dim_customer')} THEN excluded.state ELSE gold.dim_customer.state END,
      city = CASE WHEN ${NEWER('dim_customer')} THEN excluded.city ELSE gold.dim_customer.city END,
      first_order_at = least(excluded.first_order_at, gold.dim_customer.first_order_at),
      last_order_at = greatest(excluded.last_order_at, gold.dim_customer.last_order_at),
      version_key = greatest(excluded.version_key, gold.dim_customer.version_key)`);
  await refreshCustomerContacts(tx, `SELECT o.customer_key FROM ${MERGED_ORDERS_SQL} o`);

  await tx.execute(`DELETE FROM gold.fct_orders f WHERE ${CHANGED('f')}`);
  await tx.execute(
    `
    INSERT INTO gold.fct_orders
    SELECT ${ORDER_KEY_SQL('o')}, o.source, o.order_id, timezone(?, o.created_at)::DATE, o.created_at, o.status, coalesce(st.is_sale, false),
           o.status = 'canceled', ${CHANNEL_KEY_SQL('o')}, o.seller_id, o.customer_key, o.coupon,
           o.utm_source, o.utm_medium, o.utm_campaign, coalesce(u.units, 0), o.items_total, o.discounts_total,
           o.shipping_total, o.total, o.last_change
    FROM ${MERGED_ORDERS_SQL} o
    LEFT JOIN gold.dim_order_status st ON st.status = o.status
    LEFT JOIN (SELECT i.source, i.order_id, sum(i.quantity)::INTEGER AS units FROM ${MERGED_ORDER_ITEMS_SQL} i
               GROUP BY i.source, i.order_id) u ON u.source = o.source AND u.order_id = o.order_id`,
    [opts.timezone],
  );
  await tx.execute(`DELETE FROM gold.fct_sales f WHERE ${CHANGED('f')}`);
  // Items take their order's attributes from the fact row just built (one time-zone conversion
  // and one status lookup per order, not per item).
  await tx.execute(`
    INSERT INTO gold.fct_sales
    SELECT f.order_key, f.source, f.order_id, i.item_index, f.order_date, f.created_at, f.status, f.is_sale, f.channel_key,
           f.store_key, f.customer_key, i.sku_id, i.quantity, i.list_price, i.unit_price, i.unit_price * i.quantity,
           i.selling_price * i.quantity, (i.unit_price - i.selling_price) * i.quantity, i.cost_price * i.quantity
    FROM ${MERGED_ORDER_ITEMS_SQL} i
    JOIN gold.fct_orders f ON f.source = i.source AND f.order_id = i.order_id`);
}

async function upsertChannels(tx: SqlExecutor, names: Readonly<Record<string, string>>): Promise<void> {
  const pairs = await tx.query<{ sales_channel: string; affiliate_id: string | null }>(`
    SELECT DISTINCT o.sales_channel, nullif(o.affiliate_id, '') AS affiliate_id FROM ${MERGED_ORDERS_SQL} o`);
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
