import type { SqlExecutor } from '../../warehouse/warehouse.js';

/**
 * Silver: typed, validated, deduplicated. One row per natural key, and every key carries its
 * source, so an ERP order and a VTEX order with the same id can never collide. The row with the
 * latest source change wins, so repeated and out-of-order deliveries are harmless. Money is
 * DECIMAL(18,2) in BRL (VTEX cents are converted on the way in).
 *
 * This is the current shape, which a rebuild creates. Silver is derived, so a release that changes
 * it ships a migration that drops and recreates it and replays bronze (pipeline/warehouse-migrations.ts).
 */
export const SILVER_DDL = `
CREATE SCHEMA IF NOT EXISTS silver;
CREATE TABLE IF NOT EXISTS silver.orders (
  source            VARCHAR NOT NULL,   -- a SourceKind
  order_id          VARCHAR NOT NULL,   -- the source's id
  sequence          VARCHAR,
  order_group       VARCHAR,
  status            VARCHAR NOT NULL,
  origin            VARCHAR,
  sales_channel     VARCHAR NOT NULL,
  affiliate_id      VARCHAR,
  seller_id         VARCHAR,
  seller_name       VARCHAR,
  hostname          VARCHAR,
  created_at        TIMESTAMPTZ NOT NULL,
  last_change       TIMESTAMPTZ NOT NULL,
  authorized_at     TIMESTAMPTZ,
  invoiced_at       TIMESTAMPTZ,
  canceled_at       TIMESTAMPTZ,
  currency          VARCHAR NOT NULL,
  items_total       DECIMAL(18,2) NOT NULL,
  discounts_total   DECIMAL(18,2) NOT NULL,
  shipping_total    DECIMAL(18,2) NOT NULL,
  tax_total         DECIMAL(18,2) NOT NULL,
  total             DECIMAL(18,2) NOT NULL,
  customer_key      VARCHAR,            -- resolved identity: cpf:/cnpj:/email:/phone:/profile:
  customer_email    VARCHAR,            -- as sent; OMS sends a masked alias
  user_profile_id   VARCHAR,
  document_type     VARCHAR,
  document          VARCHAR,
  first_name        VARCHAR,
  last_name         VARCHAR,
  phone             VARCHAR,
  is_corporate      BOOLEAN,
  utm_source        VARCHAR,
  utm_medium        VARCHAR,
  utm_campaign      VARCHAR,
  coupon            VARCHAR,
  payment_group     VARCHAR,
  payment_system    VARCHAR,
  installments      INTEGER,
  ship_city         VARCHAR,
  ship_state        VARCHAR,
  ship_postal_code  VARCHAR,
  bronze_record_id  VARCHAR NOT NULL,   -- lineage: the bronze row this version came from
  bronze_seq        BIGINT  NOT NULL,   -- its landing order: breaks last_change ties deterministically
  updated_at        TIMESTAMPTZ NOT NULL
  -- (source, order_id) is unique: the merge keeps it so (merge-orders.ts) and a data test checks
  -- it. No index: maintaining one costs more than the merge.
);
CREATE TABLE IF NOT EXISTS silver.order_items (
  source          VARCHAR NOT NULL,
  order_id        VARCHAR NOT NULL,
  item_index      INTEGER NOT NULL,
  sku_id          VARCHAR NOT NULL,
  product_id      VARCHAR,
  ean             VARCHAR,
  ref_id          VARCHAR,
  name            VARCHAR,
  brand_name      VARCHAR,
  category_ids    VARCHAR,
  seller_id       VARCHAR,
  quantity        INTEGER NOT NULL,
  unit_price      DECIMAL(18,2) NOT NULL,
  list_price      DECIMAL(18,2),
  selling_price   DECIMAL(18,2) NOT NULL,
  cost_price      DECIMAL(18,2),
  is_gift         BOOLEAN NOT NULL,
  bronze_record_id VARCHAR NOT NULL
  -- (source, order_id, item_index) is unique: an order's items are replaced together when a newer
  -- version of the order wins. No PK index, so the replace is a cheap delete + append.
);
CREATE TABLE IF NOT EXISTS silver.store_targets (
  source           VARCHAR NOT NULL,
  store_key        VARCHAR NOT NULL,    -- the store (VTEX seller id) the target is for
  month            DATE    NOT NULL,    -- first day of the month
  revenue_target   DECIMAL(18,2) NOT NULL,
  orders_target    INTEGER,
  changed_at       TIMESTAMPTZ NOT NULL, -- when the row was received: a later file wins
  bronze_record_id VARCHAR NOT NULL,
  bronze_seq       BIGINT  NOT NULL,
  updated_at       TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (source, store_key, month)
);
CREATE TABLE IF NOT EXISTS silver.products (
  source            VARCHAR NOT NULL,   -- the catalog source
  sku_id            VARCHAR NOT NULL,   -- VTEX SKU id, as orders carry it (items[].id)
  product_id        VARCHAR,
  name              VARCHAR,            -- the SKU's complete name (product + variation)
  product_name      VARCHAR,
  sku_name          VARCHAR,
  brand_id          VARCHAR,
  brand_name        VARCHAR,
  category_ids      VARCHAR,            -- VTEX id path, department first: /1/11/
  department        VARCHAR,            -- name of the first category in the path
  category          VARCHAR,            -- name of the last (the product's own category)
  category_path     VARCHAR,            -- every name in path order: Moda > Camisetas
  ref_id            VARCHAR,
  ean               VARCHAR,
  is_active         BOOLEAN NOT NULL,   -- the SKU and its product are both active
  changed_at        TIMESTAMPTZ NOT NULL, -- when it was read from the catalog: a later read wins
  payload_hash      VARCHAR NOT NULL,   -- md5 of the document: an unchanged one is not landed again
  bronze_record_id  VARCHAR NOT NULL,
  bronze_seq        BIGINT  NOT NULL,
  updated_at        TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (source, sku_id)
);
CREATE TABLE IF NOT EXISTS silver.product_prices (
  source            VARCHAR NOT NULL,
  sku_id            VARCHAR NOT NULL,
  base_price        DECIMAL(18,2),      -- BRL (the Pricing API speaks currency units, not cents)
  list_price        DECIMAL(18,2),
  cost_price        DECIMAL(18,2),
  markup            DECIMAL(18,4),      -- percent
  changed_at        TIMESTAMPTZ NOT NULL,
  payload_hash      VARCHAR NOT NULL,
  bronze_record_id  VARCHAR NOT NULL,
  bronze_seq        BIGINT  NOT NULL,
  updated_at        TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (source, sku_id)
);
CREATE TABLE IF NOT EXISTS silver.customers (
  source            VARCHAR NOT NULL,   -- the customer-base source
  customer_id       VARCHAR NOT NULL,   -- the source's document id (Master Data \`id\`)
  user_id           VARCHAR,            -- the shopper's VTEX id: orders carry it as userProfileId
  customer_key      VARCHAR,            -- resolved identity (transform/silver/identity), as orders get it
  email             VARCHAR,            -- the real address, trimmed and lower-cased
  first_name        VARCHAR,
  last_name         VARCHAR,
  document_type     VARCHAR,
  document          VARCHAR,            -- digits only
  phone             VARCHAR,            -- as sent: phone, else cellPhone, else homePhone
  is_corporate      BOOLEAN,
  corporate_name    VARCHAR,
  corporate_document VARCHAR,
  newsletter_opt_in BOOLEAN,
  created_in        TIMESTAMPTZ,
  updated_in        TIMESTAMPTZ,        -- NULL for a document never updated since it was created
  changed_at        TIMESTAMPTZ NOT NULL, -- coalesce(updated_in, created_in, read time): the latest wins
  bronze_record_id  VARCHAR NOT NULL,
  bronze_seq        BIGINT  NOT NULL,
  updated_at        TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (source, customer_id)
);
CREATE TABLE IF NOT EXISTS silver.club_members (
  source            VARCHAR NOT NULL,   -- a SourceKind: club-registry
  member_id         VARCHAR NOT NULL,   -- the registry row's primary key, as text
  document          VARCHAR,            -- CPF/CNPJ digits only (PII)
  document_type     VARCHAR,            -- cpf | cnpj, when the check digits verify
  name              VARCHAR,            -- PII
  email             VARCHAR,            -- lower-cased (PII)
  phone             VARCHAR,            -- E.164 when it can be normalised (PII)
  club_status       VARCHAR NOT NULL,   -- active | suspended | canceled
  tier              VARCHAR,
  marketing_opt_in  BOOLEAN,
  signup_store      VARCHAR,
  campaign          VARCHAR,
  source_updated_at TIMESTAMPTZ,        -- updated_at in the registry
  lsn               BIGINT NOT NULL,    -- WAL position of the change (the snapshot's position for snapshot rows): latest wins
  customer_key      VARCHAR,            -- resolved identity (transform/silver/identity)
  bronze_record_id  VARCHAR NOT NULL,
  bronze_seq        BIGINT NOT NULL,
  updated_at        TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (source, member_id)
  -- A row deleted in the registry is deleted here too (its delete stays in bronze).
);
`;

/**
 * Staging tables for set-based merges: temporary tables of the writer connection (never written to
 * the database file, several times faster to fill than a regular table), created on first use
 * (`ensureSilverStaging`). A source's staging step fills them in a transaction of its own, which
 * commits nothing but them; the refresh then merges them into silver in a second transaction (it
 * reads committed rows on every core) and empties them. `quarantine` holds the rows that failed,
 * moved to `silver.quarantine` by that second transaction, so a rolled-back refresh leaves none.
 *
 * The DDL is text both warehouses accept (DuckDB reads STRING as VARCHAR and INT64 as BIGINT): on
 * BigQuery they are the writer session's temporary tables, `temp.` there naming `_SESSION.`.
 */
export const STAGE = {
  orders: 'temp.stage_orders',
  orderItems: 'temp.stage_order_items',
  changedOrders: 'temp.stage_changed_orders',
  storeTargets: 'temp.stage_store_targets',
  changedStoreTargets: 'temp.stage_changed_store_targets',
  products: 'temp.stage_products',
  productPrices: 'temp.stage_product_prices',
  changedProducts: 'temp.stage_changed_products',
  customers: 'temp.stage_customers',
  changedCustomers: 'temp.stage_changed_customers',
  clubMembers: 'temp.stage_club_members',
  clubSnapshots: 'temp.stage_club_snapshots',
  changedClubMembers: 'temp.stage_changed_club_members',
  quarantine: 'temp.stage_quarantine',
} as const;

const STAGING_DDL = `
CREATE TEMP TABLE IF NOT EXISTS stage_orders AS SELECT * FROM silver.orders LIMIT 0;
CREATE TEMP TABLE IF NOT EXISTS stage_order_items AS SELECT * FROM silver.order_items LIMIT 0;
CREATE TEMP TABLE IF NOT EXISTS stage_changed_orders (source STRING NOT NULL, order_id STRING NOT NULL, bronze_record_id STRING NOT NULL);
CREATE TEMP TABLE IF NOT EXISTS stage_store_targets AS SELECT * FROM silver.store_targets LIMIT 0;
CREATE TEMP TABLE IF NOT EXISTS stage_changed_store_targets (source STRING NOT NULL, store_key STRING NOT NULL, month DATE NOT NULL);
CREATE TEMP TABLE IF NOT EXISTS stage_products AS SELECT * FROM silver.products LIMIT 0;
CREATE TEMP TABLE IF NOT EXISTS stage_product_prices AS SELECT * FROM silver.product_prices LIMIT 0;
CREATE TEMP TABLE IF NOT EXISTS stage_changed_products (source STRING NOT NULL, sku_id STRING NOT NULL);
CREATE TEMP TABLE IF NOT EXISTS stage_customers AS SELECT * FROM silver.customers LIMIT 0;
CREATE TEMP TABLE IF NOT EXISTS stage_changed_customers (source STRING NOT NULL, customer_id STRING NOT NULL);
CREATE TEMP TABLE IF NOT EXISTS stage_club_members AS SELECT *, false AS deleted FROM silver.club_members LIMIT 0;
CREATE TEMP TABLE IF NOT EXISTS stage_club_snapshots (source STRING NOT NULL, lsn INT64 NOT NULL, bronze_seq INT64 NOT NULL);
CREATE TEMP TABLE IF NOT EXISTS stage_changed_club_members (source STRING NOT NULL, member_id STRING NOT NULL);
CREATE TEMP TABLE IF NOT EXISTS stage_quarantine AS SELECT * FROM silver.quarantine LIMIT 0;
`;

export async function ensureSilverStaging(tx: SqlExecutor): Promise<void> {
  await tx.execute(STAGING_DDL);
}

/** Silver's tables (quarantine aside): what a rebuild recreates from `SILVER_DDL`. */
export const SILVER_TABLES = ['orders', 'order_items', 'store_targets', 'products', 'product_prices', 'customers', 'club_members'] as const;
/** Regular tables that staged rows before staging became temporary; migration 0003 drops them. */
export const LEGACY_STAGING_TABLES = ['stage_orders', 'stage_order_items', 'stage_changed_orders'] as const;
