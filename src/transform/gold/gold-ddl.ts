/**
 * Gold: the star schema the semantic model reads. Facts are rebuilt per changed key from silver;
 * dimensions are upserted. `is_sale` is derived from gold.dim_order_status, the one place that
 * says which statuses count as a sale. Facts carry `order_key` (`<source>:<order id>`), so orders
 * of two sources never share a key.
 *
 * This is the current shape, which a rebuild creates. Derived gold is replayed from bronze, so a
 * release that changes it ships a migration that drops and recreates it (pipeline/warehouse-migrations.ts).
 */
export const GOLD_DDL = `
CREATE SCHEMA IF NOT EXISTS gold;
CREATE TABLE IF NOT EXISTS gold.dim_date (
  date_key     DATE PRIMARY KEY,
  year         INTEGER NOT NULL,
  quarter      INTEGER NOT NULL,
  month        INTEGER NOT NULL,
  month_name   VARCHAR NOT NULL,
  day          INTEGER NOT NULL,
  day_of_week  INTEGER NOT NULL,      -- ISO: 1 = Monday
  day_name     VARCHAR NOT NULL,
  iso_week     INTEGER NOT NULL,
  is_weekend   BOOLEAN NOT NULL
);
CREATE TABLE IF NOT EXISTS gold.dim_order_status (
  status       VARCHAR PRIMARY KEY,
  stage        VARCHAR NOT NULL,      -- created | payment | fulfilment | invoiced | canceled
  is_sale      BOOLEAN NOT NULL,
  label_pt     VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS gold.dim_channel (
  channel_key    VARCHAR PRIMARY KEY, -- 'sc:<salesChannel>' or 'mkt:<affiliateId>'
  channel_name   VARCHAR NOT NULL,
  channel_type   VARCHAR NOT NULL,    -- site | marketplace
  sales_channel  VARCHAR NOT NULL,
  affiliate_id   VARCHAR
);
CREATE TABLE IF NOT EXISTS gold.dim_store (
  store_key    VARCHAR PRIMARY KEY,   -- VTEX seller id
  store_name   VARCHAR NOT NULL,
  version_key  VARCHAR              -- the order version its attributes come from (refresh-order-gold.ts)
);
CREATE TABLE IF NOT EXISTS gold.dim_customer (
  customer_key     VARCHAR PRIMARY KEY,
  key_type         VARCHAR NOT NULL,  -- cpf | cnpj | email | phone | profile
  first_name       VARCHAR,
  last_name        VARCHAR,
  is_corporate     BOOLEAN,
  state            VARCHAR,
  city             VARCHAR,
  first_order_at   TIMESTAMPTZ,
  last_order_at    TIMESTAMPTZ,
  version_key      VARCHAR,           -- the order version its attributes come from
  -- From the customer base (Master Data), linked as customer-contact.ts decides; PII.
  email            VARCHAR,           -- the real address: orders only carry a masked alias
  phone            VARCHAR,
  newsletter_opt_in BOOLEAN,
  customer_base_id VARCHAR            -- the Master Data document it came from
);
CREATE TABLE IF NOT EXISTS gold.customer_identity (
  source           VARCHAR NOT NULL,  -- vtex-orders | vtex-customers | club-registry
  source_id        VARCHAR NOT NULL,  -- the id in that source: VTEX userProfileId or order customer key, Master Data id, club member id
  customer_id      VARCHAR NOT NULL,  -- gold.customer_360.customer_id
  matched_by       VARCHAR NOT NULL,  -- document | email | phone | profile
  PRIMARY KEY (source, source_id)
);
CREATE TABLE IF NOT EXISTS gold.customer_identity_links (
  source           VARCHAR NOT NULL,  -- the record, as in gold.customer_identity
  source_id        VARCHAR NOT NULL,
  own_key          VARCHAR NOT NULL,  -- the record's own customer key
  identifier       VARCHAR NOT NULL   -- a key it carries (its own, a document, real e-mail, E.164 phone, profile); PII
);
CREATE TABLE IF NOT EXISTS gold.customer_360 (
  customer_id                 VARCHAR PRIMARY KEY, -- resolved: cpf:/cnpj: (verified), else email:, else phone: (E.164), else profile:
  key_type                    VARCHAR NOT NULL,
  vtex_user_profile_id        VARCHAR,
  master_data_id              VARCHAR,
  club_member_id              VARCHAR,
  name                        VARCHAR,            -- PII
  first_name                  VARCHAR,            -- PII
  document                    VARCHAR,            -- PII: digits only
  document_type               VARCHAR,
  email                       VARCHAR,            -- PII: a real address, never a @ct.vtex.com.br alias
  phone                       VARCHAR,            -- PII: E.164
  state                       VARCHAR,
  city                        VARCHAR,
  first_order_at              TIMESTAMPTZ,        -- first sale
  last_order_at               TIMESTAMPTZ,        -- last sale
  first_order_date            DATE,               -- in the business time zone
  last_order_date             DATE,
  orders                      INTEGER NOT NULL,   -- sales (orders whose status counts as a sale)
  ltv                         DECIMAL(18,2) NOT NULL, -- sum of sale order totals, BRL
  average_ticket              DECIMAL(18,2),      -- ltv / orders
  average_days_between_orders DOUBLE,             -- (last - first) / (orders - 1); null below two
  orders_last_365d            INTEGER NOT NULL,
  days_since_last_order       INTEGER,            -- as of refreshed_on, business time zone
  is_returning                BOOLEAN NOT NULL,   -- orders >= 2
  segment                     VARCHAR,            -- RFM segment (rule table in the README)
  club_status                 VARCHAR,            -- active | suspended | canceled; null when not a member
  club_tier                   VARCHAR,
  marketing_opt_in            BOOLEAN,
  club_store                  VARCHAR,            -- the store where they signed up
  refreshed_on                DATE NOT NULL       -- the business day the time-relative columns refer to
);
CREATE TABLE IF NOT EXISTS gold.dim_product (
  product_key   VARCHAR PRIMARY KEY,  -- SKU id
  product_id    VARCHAR,
  name          VARCHAR,
  brand_name    VARCHAR,
  category_ids  VARCHAR,
  ref_id        VARCHAR,
  ean           VARCHAR,
  version_key   VARCHAR,            -- the order item its attributes come from
  -- From the catalog, which wins over what order items said once it has read the SKU.
  product_name  VARCHAR,
  department    VARCHAR,
  category      VARCHAR,
  category_path VARCHAR,
  is_active     BOOLEAN,
  base_price    DECIMAL(18,2),
  list_price    DECIMAL(18,2),
  cost_price    DECIMAL(18,2),
  in_catalog    BOOLEAN NOT NULL DEFAULT false -- the catalog has described this SKU
);
CREATE TABLE IF NOT EXISTS gold.fct_orders (
  order_key        VARCHAR NOT NULL,   -- '<source>:<order id>'
  source           VARCHAR NOT NULL,
  order_id         VARCHAR NOT NULL,
  order_date       DATE NOT NULL,      -- creation day in the business timezone
  created_at       TIMESTAMPTZ NOT NULL,
  status           VARCHAR NOT NULL,
  is_sale          BOOLEAN NOT NULL,
  is_canceled      BOOLEAN NOT NULL,
  channel_key      VARCHAR NOT NULL,
  store_key        VARCHAR,
  customer_key     VARCHAR,
  coupon           VARCHAR,
  utm_source       VARCHAR,
  utm_medium       VARCHAR,
  utm_campaign     VARCHAR,
  items_count      INTEGER NOT NULL,   -- units
  items_total      DECIMAL(18,2) NOT NULL,
  discounts_total  DECIMAL(18,2) NOT NULL,
  shipping_total   DECIMAL(18,2) NOT NULL,
  total            DECIMAL(18,2) NOT NULL,
  last_change      TIMESTAMPTZ NOT NULL
);
CREATE TABLE IF NOT EXISTS gold.fct_sales (
  order_key        VARCHAR NOT NULL,
  source           VARCHAR NOT NULL,
  order_id         VARCHAR NOT NULL,
  item_index       INTEGER NOT NULL,
  order_date       DATE NOT NULL,
  created_at       TIMESTAMPTZ NOT NULL,
  status           VARCHAR NOT NULL,
  is_sale          BOOLEAN NOT NULL,
  channel_key      VARCHAR NOT NULL,
  store_key        VARCHAR,
  customer_key     VARCHAR,
  product_key      VARCHAR NOT NULL,
  quantity         INTEGER NOT NULL,
  unit_list_price  DECIMAL(18,2),
  unit_price       DECIMAL(18,2) NOT NULL,
  gross_amount     DECIMAL(18,2) NOT NULL, -- unit_price × quantity
  net_amount       DECIMAL(18,2) NOT NULL, -- selling_price × quantity
  discount_amount  DECIMAL(18,2) NOT NULL,
  cost_amount      DECIMAL(18,2)
);
CREATE TABLE IF NOT EXISTS gold.fct_store_targets (
  store_key        VARCHAR NOT NULL,
  month            DATE NOT NULL,        -- first day of the month
  revenue_target   DECIMAL(18,2) NOT NULL,
  orders_target    INTEGER,
  PRIMARY KEY (store_key, month)
);
`;

/** Tables whose rows are derived from silver (everything but the seeded calendar and status list). */
export const GOLD_DERIVED_TABLES = [
  'fct_orders', 'fct_sales', 'fct_store_targets', 'dim_channel', 'dim_store', 'dim_customer', 'dim_product',
  'customer_identity', 'customer_identity_links', 'customer_360',
] as const;
/** Every gold table, seeded ones included: what a rebuild compares. */
export const GOLD_TABLES = [...GOLD_DERIVED_TABLES, 'dim_date', 'dim_order_status'] as const;
