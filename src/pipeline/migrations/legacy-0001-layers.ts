/**
 * Migration 0001 exactly as released: the first slice's layers. Frozen here so that editing the
 * current DDL (which lives with each layer) can never change what an old migration did; later
 * migrations reshape these tables.
 */
export const LEGACY_0001_LAYERS_SQL = `
CREATE SCHEMA IF NOT EXISTS ops;
CREATE TABLE IF NOT EXISTS ops.schema_migrations (
  version     VARCHAR PRIMARY KEY,
  applied_at  TIMESTAMPTZ NOT NULL
);
CREATE TABLE IF NOT EXISTS ops.fetch_queue (
  source           VARCHAR NOT NULL,
  entity           VARCHAR NOT NULL,
  natural_key      VARCHAR NOT NULL,
  requested_seq    BIGINT NOT NULL,
  requested_at     TIMESTAMPTZ NOT NULL,
  first_requested_at TIMESTAMPTZ NOT NULL,
  attempts         INTEGER NOT NULL DEFAULT 0,
  next_attempt_at  TIMESTAMPTZ NOT NULL,
  last_error       VARCHAR,
  PRIMARY KEY (source, entity, natural_key)
);
CREATE TABLE IF NOT EXISTS ops.fetch_queue_stage (
  source VARCHAR NOT NULL, entity VARCHAR NOT NULL, natural_key VARCHAR NOT NULL,
  requested_seq BIGINT NOT NULL, requested_at TIMESTAMPTZ NOT NULL
);
CREATE TABLE IF NOT EXISTS ops.runs (
  run_id       VARCHAR PRIMARY KEY,
  kind         VARCHAR NOT NULL,
  started_at   TIMESTAMPTZ NOT NULL,
  finished_at  TIMESTAMPTZ,
  status       VARCHAR NOT NULL,
  rows_in      BIGINT,
  rows_out     BIGINT,
  error        VARCHAR
);
CREATE TABLE IF NOT EXISTS ops.data_versions (
  layer       VARCHAR PRIMARY KEY,
  version     BIGINT NOT NULL,
  changed_at  TIMESTAMPTZ NOT NULL
);
CREATE TABLE IF NOT EXISTS ops.cursors (
  source      VARCHAR NOT NULL,
  name        VARCHAR NOT NULL,
  value       VARCHAR NOT NULL,
  updated_at  TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (source, name)
);
CREATE SCHEMA IF NOT EXISTS bronze;
CREATE TABLE IF NOT EXISTS bronze.records (
  record_id      VARCHAR     NOT NULL,
  source         VARCHAR     NOT NULL,
  entity         VARCHAR     NOT NULL,
  natural_key    VARCHAR     NOT NULL,
  payload        JSON        NOT NULL,
  payload_hash   VARCHAR     NOT NULL,
  received_at    TIMESTAMPTZ NOT NULL,
  batch_id       VARCHAR     NOT NULL,
  partition_date DATE        NOT NULL
);
CREATE SCHEMA IF NOT EXISTS silver;
CREATE TABLE IF NOT EXISTS silver.orders (
  order_id VARCHAR PRIMARY KEY, source VARCHAR NOT NULL, sequence VARCHAR, order_group VARCHAR,
  status VARCHAR NOT NULL, origin VARCHAR, sales_channel VARCHAR NOT NULL, affiliate_id VARCHAR,
  seller_id VARCHAR, seller_name VARCHAR, hostname VARCHAR, created_at TIMESTAMPTZ NOT NULL,
  last_change TIMESTAMPTZ NOT NULL, authorized_at TIMESTAMPTZ, invoiced_at TIMESTAMPTZ, canceled_at TIMESTAMPTZ,
  currency VARCHAR NOT NULL, items_total DECIMAL(18,2) NOT NULL, discounts_total DECIMAL(18,2) NOT NULL,
  shipping_total DECIMAL(18,2) NOT NULL, tax_total DECIMAL(18,2) NOT NULL, total DECIMAL(18,2) NOT NULL,
  customer_key VARCHAR, customer_email VARCHAR, user_profile_id VARCHAR, document_type VARCHAR, document VARCHAR,
  first_name VARCHAR, last_name VARCHAR, phone VARCHAR, is_corporate BOOLEAN, utm_source VARCHAR, utm_medium VARCHAR,
  utm_campaign VARCHAR, coupon VARCHAR, payment_group VARCHAR, payment_system VARCHAR, installments INTEGER,
  ship_city VARCHAR, ship_state VARCHAR, ship_postal_code VARCHAR, bronze_record_id VARCHAR NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL
);
CREATE TABLE IF NOT EXISTS silver.order_items (
  order_id VARCHAR NOT NULL, item_index INTEGER NOT NULL, sku_id VARCHAR NOT NULL, product_id VARCHAR, ean VARCHAR,
  ref_id VARCHAR, name VARCHAR, brand_name VARCHAR, category_ids VARCHAR, seller_id VARCHAR, quantity INTEGER NOT NULL,
  unit_price DECIMAL(18,2) NOT NULL, list_price DECIMAL(18,2), selling_price DECIMAL(18,2) NOT NULL,
  cost_price DECIMAL(18,2), is_gift BOOLEAN NOT NULL, bronze_record_id VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS silver.quarantine (
  quarantine_id VARCHAR NOT NULL, source VARCHAR NOT NULL, entity VARCHAR NOT NULL, natural_key VARCHAR,
  reason VARCHAR NOT NULL, payload VARCHAR, bronze_record_id VARCHAR, quarantined_at TIMESTAMPTZ NOT NULL
);
CREATE TABLE IF NOT EXISTS silver.stage_orders AS SELECT * FROM silver.orders LIMIT 0;
CREATE TABLE IF NOT EXISTS silver.stage_order_items AS SELECT * FROM silver.order_items LIMIT 0;
CREATE TABLE IF NOT EXISTS silver.stage_changed_orders (order_id VARCHAR NOT NULL);
CREATE SCHEMA IF NOT EXISTS gold;
CREATE TABLE IF NOT EXISTS gold.dim_date (
  date_key DATE PRIMARY KEY, year INTEGER NOT NULL, quarter INTEGER NOT NULL, month INTEGER NOT NULL,
  month_name VARCHAR NOT NULL, day INTEGER NOT NULL, day_of_week INTEGER NOT NULL, day_name VARCHAR NOT NULL,
  iso_week INTEGER NOT NULL, is_weekend BOOLEAN NOT NULL
);
CREATE TABLE IF NOT EXISTS gold.dim_order_status (
  status VARCHAR PRIMARY KEY, stage VARCHAR NOT NULL, is_sale BOOLEAN NOT NULL, label_pt VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS gold.dim_channel (
  channel_key VARCHAR PRIMARY KEY, channel_name VARCHAR NOT NULL, channel_type VARCHAR NOT NULL,
  sales_channel VARCHAR NOT NULL, affiliate_id VARCHAR
);
CREATE TABLE IF NOT EXISTS gold.dim_store (store_key VARCHAR PRIMARY KEY, store_name VARCHAR NOT NULL);
CREATE TABLE IF NOT EXISTS gold.dim_customer (
  customer_key VARCHAR PRIMARY KEY, key_type VARCHAR NOT NULL, first_name VARCHAR, last_name VARCHAR,
  is_corporate BOOLEAN, state VARCHAR, city VARCHAR, first_order_at TIMESTAMPTZ, last_order_at TIMESTAMPTZ
);
CREATE TABLE IF NOT EXISTS gold.dim_product (
  product_key VARCHAR PRIMARY KEY, product_id VARCHAR, name VARCHAR, brand_name VARCHAR, category_ids VARCHAR,
  ref_id VARCHAR, ean VARCHAR
);
CREATE TABLE IF NOT EXISTS gold.fct_orders (
  order_id VARCHAR NOT NULL, order_date DATE NOT NULL, created_at TIMESTAMPTZ NOT NULL, status VARCHAR NOT NULL,
  is_sale BOOLEAN NOT NULL, is_canceled BOOLEAN NOT NULL, channel_key VARCHAR NOT NULL, store_key VARCHAR,
  customer_key VARCHAR, coupon VARCHAR, utm_source VARCHAR, utm_medium VARCHAR, utm_campaign VARCHAR,
  items_count INTEGER NOT NULL, items_total DECIMAL(18,2) NOT NULL, discounts_total DECIMAL(18,2) NOT NULL,
  shipping_total DECIMAL(18,2) NOT NULL, total DECIMAL(18,2) NOT NULL, last_change TIMESTAMPTZ NOT NULL
);
CREATE TABLE IF NOT EXISTS gold.fct_sales (
  order_id VARCHAR NOT NULL, item_index INTEGER NOT NULL, order_date DATE NOT NULL, created_at TIMESTAMPTZ NOT NULL,
  status VARCHAR NOT NULL, is_sale BOOLEAN NOT NULL, channel_key VARCHAR NOT NULL, store_key VARCHAR,
  customer_key VARCHAR, product_key VARCHAR NOT NULL, quantity INTEGER NOT NULL, unit_list_price DECIMAL(18,2),
  unit_price DECIMAL(18,2) NOT NULL, gross_amount DECIMAL(18,2) NOT NULL, net_amount DECIMAL(18,2) NOT NULL,
  discount_amount DECIMAL(18,2) NOT NULL, cost_amount DECIMAL(18,2)
);
`;
