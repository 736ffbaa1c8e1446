import type { SqlExecutor, WarehouseDialect } from '../warehouse/warehouse.js';
import { refreshOrderGold, type GoldRefreshOptions } from './gold/refresh-order-gold.js';
import { refreshStoreTargetGold } from './gold/refresh-store-target-gold.js';
import { CHANGED_ORDERS_SQL, clearOrderStaging, mergeOrders } from './silver/merge-orders.js';
import { CHANGED_STORE_TARGETS_SQL, clearStoreTargetStaging, mergeStoreTargets } from './silver/merge-store-targets.js';
import { CHANGED_PRODUCTS_SQL, clearCatalogStaging, mergeCatalog } from './silver/merge-catalog.js';
import { CHANGED_CUSTOMERS_SQL, clearCustomerStaging, mergeCustomers } from './silver/merge-customers.js';
import { refreshCatalogGold } from './gold/refresh-catalog-gold.js';
import { customerKeysTouchedByDocumentsSql, refreshCustomerContacts } from './gold/customer-contact.js';
import { CHANGED_CUSTOMER_360, keepChangedOrderCustomers, refreshCustomer360, refreshOrderCustomer360 } from './gold/customer-360.js';
import { CHANGED_CLUB_MEMBERS_SQL, clearClubMemberStaging, mergeClubMembers } from './silver/merge-club-members.js';
import { refreshClubGold } from './gold/refresh-club-gold.js';

export type SilverEntityName = 'orders' | 'store_targets' | 'catalog' | 'customers' | 'club';

/**
 * What happens after a source has staged its rows: one silver entity's merge, the gold it feeds,
 * and the keys that changed. Several sources can feed one entity (VTEX orders and, later, ERP
 * orders both land in silver.orders, keyed by source), so this belongs to transform, not to a source.
 */
export interface SilverEntity {
  readonly name: SilverEntityName;
  /** `schema.table` names, for lineage and for choosing data tests. */
  readonly silverTables: readonly string[];
  readonly goldTables: readonly string[];
  /**
   * Per table, the SQL of a relation holding the keys of the rows this refresh changed (in the
   * table's key columns), valid between `merge` and `clearStaging`: the scope of incremental
   * data tests.
   */
  readonly changedKeys: Readonly<Record<string, string>>;
  /**
   * staging → silver, latest change wins; returns how many keys changed. A transaction's
   * executor carries no dialect (warehouse.ts), so the caller, which holds the warehouse, passes
   * it: the orders merge writes with different statements per warehouse; the others are one SQL
   * text for both (MERGE) and ignore it.
   */
  merge(tx: SqlExecutor, dialect: WarehouseDialect): Promise<number>;
  refreshGold(tx: SqlExecutor, opts: GoldRefreshOptions, dialect: WarehouseDialect): Promise<void>;
  clearStaging(tx: SqlExecutor): Promise<void>;
}

/** Customer 360's tables, refreshed by every entity whose records identify a customer (orders, Master Data, the club). */
export const CUSTOMER_360_GOLD_TABLES = ['gold.customer_identity', 'gold.customer_identity_links', 'gold.customer_360'] as const;

/** The rows of customer 360's tables a refresh recomputed, for the incremental data tests. */
export const CUSTOMER_360_CHANGED_KEYS: Readonly<Record<string, string>> = {
  'gold.customer_360': `SELECT customer_id FROM ${CHANGED_CUSTOMER_360}`,
  'gold.customer_identity': `SELECT source, source_id FROM gold.customer_identity WHERE customer_id IN (SELECT customer_id FROM ${CHANGED_CUSTOMER_360})`,
};

const ORDERS: SilverEntity = {
  name: 'orders',
  silverTables: ['silver.orders', 'silver.order_items'],
  goldTables: [
    'gold.fct_orders', 'gold.fct_sales', 'gold.dim_channel', 'gold.dim_store', 'gold.dim_customer', 'gold.dim_product', ...CUSTOMER_360_GOLD_TABLES,
  ],
  changedKeys: {
    'silver.orders': CHANGED_ORDERS_SQL,
    // EXISTS, not a row-value IN: the data tests run these relations on BigQuery too.
    'silver.order_items': `SELECT i.source, i.order_id, i.item_index FROM silver.order_items i
      WHERE EXISTS (SELECT 1 FROM temp.stage_changed_orders c WHERE c.source = i.source AND c.order_id = i.order_id)`,
    'gold.fct_orders': `SELECT source || ':' || order_id AS order_key FROM temp.stage_changed_orders`,
    'gold.fct_sales': `SELECT f.order_key, f.item_index FROM gold.fct_sales f
      WHERE EXISTS (SELECT 1 FROM temp.stage_changed_orders c WHERE c.source = f.source AND c.order_id = f.order_id)`,
    ...CUSTOMER_360_CHANGED_KEYS,
  },
  merge: mergeOrders,
  refreshGold: async (tx, opts, dialect) => {
    await keepChangedOrderCustomers(tx, CHANGED_ORDERS_SQL, dialect);
    await refreshOrderGold(tx, opts, dialect);
    await refreshOrderCustomer360(tx, opts, CHANGED_ORDERS_SQL, dialect);
  },
  clearStaging: clearOrderStaging,
};

const STORE_TARGETS: SilverEntity = {
  name: 'store_targets',
  silverTables: ['silver.store_targets'],
  goldTables: ['gold.fct_store_targets', 'gold.dim_store'],
  changedKeys: {
    'silver.store_targets': CHANGED_STORE_TARGETS_SQL,
    'gold.fct_store_targets': 'SELECT store_key, month FROM temp.stage_changed_store_targets',
  },
  merge: mergeStoreTargets,
  refreshGold: (tx) => refreshStoreTargetGold(tx),
  clearStaging: clearStoreTargetStaging,
};

const CATALOG: SilverEntity = {
  name: 'catalog',
  silverTables: ['silver.products', 'silver.product_prices'],
  goldTables: ['gold.dim_product'],
  changedKeys: {
    'silver.products': CHANGED_PRODUCTS_SQL,
    'silver.product_prices': CHANGED_PRODUCTS_SQL,
    'gold.dim_product': 'SELECT DISTINCT sku_id AS product_key FROM temp.stage_changed_products',
  },
  merge: mergeCatalog,
  refreshGold: (tx) => refreshCatalogGold(tx),
  clearStaging: clearCatalogStaging,
};

const CUSTOMERS: SilverEntity = {
  name: 'customers',
  silverTables: ['silver.customers'],
  goldTables: ['gold.dim_customer', ...CUSTOMER_360_GOLD_TABLES],
  changedKeys: {
    'silver.customers': CHANGED_CUSTOMERS_SQL,
    'gold.dim_customer': customerKeysTouchedByDocumentsSql(CHANGED_CUSTOMERS_SQL),
    ...CUSTOMER_360_CHANGED_KEYS,
  },
  merge: mergeCustomers,
  refreshGold: async (tx, opts, dialect) => {
    await refreshCustomerContacts(tx, customerKeysTouchedByDocumentsSql(CHANGED_CUSTOMERS_SQL));
    await refreshCustomer360(tx, opts, `SELECT source, customer_id AS source_id FROM (${CHANGED_CUSTOMERS_SQL}) AS changed_docs`, dialect);
  },
  clearStaging: clearCustomerStaging,
};

/** The loyalty-club registry: members keyed by the registry's id, deleted here when deleted there. */
const CLUB: SilverEntity = {
  name: 'club',
  silverTables: ['silver.club_members'],
  goldTables: [...CUSTOMER_360_GOLD_TABLES],
  changedKeys: { 'silver.club_members': CHANGED_CLUB_MEMBERS_SQL, ...CUSTOMER_360_CHANGED_KEYS },
  merge: mergeClubMembers,
  refreshGold: (tx, opts, dialect) => refreshClubGold(tx, opts, dialect),
  clearStaging: clearClubMemberStaging,
};

export const SILVER_ENTITIES: Readonly<Record<SilverEntityName, SilverEntity>> = {
  orders: ORDERS, store_targets: STORE_TARGETS, catalog: CATALOG, customers: CUSTOMERS, club: CLUB,
};
