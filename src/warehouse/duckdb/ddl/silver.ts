/**
 * Silver: typed, validated, deduplicated. One row per natural key; the row with the latest
 * source change timestamp wins, so repeated and out-of-order deliveries are harmless. Money is
 * DECIMAL(18,2) in BRL (VTEX cents are converted on the way in).
 */
export const SILVER_DDL = `
CREATE SCHEMA IF NOT EXISTS silver;
CREATE TABLE IF NOT EXISTS silver.orders (
  order_id          VARCHAR PRIMARY KEY,
  source            VARCHAR NOT NULL,
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
  customer_key      VARCHAR,            -- resolved identity: cpf:/cnpj:/email:/phone:
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
  updated_at        TIMESTAMPTZ NOT NULL
);
CREATE TABLE IF NOT EXISTS silver.order_items (
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
  -- (order_id, item_index) is unique: an order's items are replaced together when a newer
  -- version of the order wins. No PK index, so the replace is a cheap delete + append.
);
CREATE TABLE IF NOT EXISTS silver.quarantine (
  quarantine_id     VARCHAR NOT NULL,
  source            VARCHAR NOT NULL,
  entity            VARCHAR NOT NULL,
  natural_key       VARCHAR,
  reason            VARCHAR NOT NULL,   -- what was wrong and where (field paths)
  payload           VARCHAR,            -- raw text: it may not even be JSON
  bronze_record_id  VARCHAR,
  quarantined_at    TIMESTAMPTZ NOT NULL
);
`;

/**
 * Staging tables for set-based upserts: the writer fills them inside its transaction, merges
 * into silver, and clears them before commit, so they are empty outside a write.
 */
export const SILVER_STAGING_DDL = `
CREATE TABLE IF NOT EXISTS silver.stage_orders AS SELECT * FROM silver.orders LIMIT 0;
CREATE TABLE IF NOT EXISTS silver.stage_order_items AS SELECT * FROM silver.order_items LIMIT 0;
CREATE TABLE IF NOT EXISTS silver.stage_changed_orders (order_id VARCHAR NOT NULL);
`;
