-- opens the session; params: []
BEGIN TRANSACTION;

-- in the session; params: []
CREATE TEMP TABLE IF NOT EXISTS stage_orders AS SELECT * FROM `farol-test.analytics.silver_orders` LIMIT 0;
CREATE TEMP TABLE IF NOT EXISTS stage_order_items AS SELECT * FROM `farol-test.analytics.silver_order_items` LIMIT 0;
CREATE TEMP TABLE IF NOT EXISTS stage_changed_orders (source STRING NOT NULL, order_id STRING NOT NULL, bronze_record_id STRING NOT NULL);
CREATE TEMP TABLE IF NOT EXISTS stage_store_targets AS SELECT * FROM `farol-test.analytics.silver_store_targets` LIMIT 0;
CREATE TEMP TABLE IF NOT EXISTS stage_changed_store_targets (source STRING NOT NULL, store_key STRING NOT NULL, month DATE NOT NULL);
CREATE TEMP TABLE IF NOT EXISTS stage_products AS SELECT * FROM `farol-test.analytics.silver_products` LIMIT 0;
CREATE TEMP TABLE IF NOT EXISTS stage_product_prices AS SELECT * FROM `farol-test.analytics.silver_product_prices` LIMIT 0;
CREATE TEMP TABLE IF NOT EXISTS stage_changed_products (source STRING NOT NULL, sku_id STRING NOT NULL);
CREATE TEMP TABLE IF NOT EXISTS stage_customers AS SELECT * FROM `farol-test.analytics.silver_customers` LIMIT 0;
CREATE TEMP TABLE IF NOT EXISTS stage_changed_customers (source STRING NOT NULL, customer_id STRING NOT NULL);
CREATE TEMP TABLE IF NOT EXISTS stage_club_members AS SELECT *, false AS deleted FROM `farol-test.analytics.silver_club_members` LIMIT 0;
CREATE TEMP TABLE IF NOT EXISTS stage_club_snapshots (source STRING NOT NULL, lsn INT64 NOT NULL, bronze_seq INT64 NOT NULL);
CREATE TEMP TABLE IF NOT EXISTS stage_changed_club_members (source STRING NOT NULL, member_id STRING NOT NULL);
CREATE TEMP TABLE IF NOT EXISTS stage_quarantine AS SELECT * FROM `farol-test.analytics.silver_quarantine` LIMIT 0;

-- in the session; params: []
COMMIT TRANSACTION;

-- in the session; params: []
BEGIN TRANSACTION;

-- in the session; params: []
INSERT INTO _SESSION.stage_changed_orders (source, order_id, bronze_record_id)
    SELECT s.source, s.order_id, s.bronze_record_id FROM (
  SELECT source, order_id, last_change, bronze_record_id FROM _SESSION.stage_orders
  WHERE TRUE
  QUALIFY row_number() OVER (PARTITION BY source, order_id ORDER BY last_change DESC, bronze_seq DESC) = 1
    ) s
    LEFT JOIN `farol-test.analytics.silver_orders` o ON o.source = s.source AND o.order_id = s.order_id
    WHERE o.order_id IS NULL OR s.last_change > o.last_change;

-- in the session; params: []
SELECT (SELECT count(*) FROM _SESSION.stage_changed_orders) AS changed, (SELECT count(*) FROM _SESSION.stage_orders) AS staged;

-- in the session; params: []
DELETE FROM _SESSION.stage_orders WHERE bronze_record_id NOT IN (SELECT bronze_record_id FROM _SESSION.stage_changed_orders);

-- in the session; params: []
DELETE FROM _SESSION.stage_order_items WHERE bronze_record_id NOT IN (SELECT bronze_record_id FROM _SESSION.stage_changed_orders);

-- in the session; params: []
MERGE INTO `farol-test.analytics.silver_orders` AS t
  USING _SESSION.stage_orders AS s
  ON t.source = s.source AND t.order_id = s.order_id
  WHEN MATCHED AND s.last_change > t.last_change THEN UPDATE SET sequence = s.sequence, order_group = s.order_group, status = s.status, origin = s.origin, sales_channel = s.sales_channel, affiliate_id = s.affiliate_id, seller_id = s.seller_id, seller_name = s.seller_name, hostname = s.hostname, created_at = s.created_at, last_change = s.last_change, authorized_at = s.authorized_at, invoiced_at = s.invoiced_at, canceled_at = s.canceled_at, currency = s.currency, items_total = s.items_total, discounts_total = s.discounts_total, shipping_total = s.shipping_total, tax_total = s.tax_total, total = s.total, customer_key = s.customer_key, customer_email = s.customer_email, user_profile_id = s.user_profile_id, document_type = s.document_type, document = s.document, first_name = s.first_name, last_name = s.last_name, phone = s.phone, is_corporate = s.is_corporate, utm_source = s.utm_source, utm_medium = s.utm_medium, utm_campaign = s.utm_campaign, coupon = s.coupon, payment_group = s.payment_group, payment_system = s.payment_system, installments = s.installments, ship_city = s.ship_city, ship_state = s.ship_state, ship_postal_code = s.ship_postal_code, bronze_record_id = s.bronze_record_id, bronze_seq = s.bronze_seq, updated_at = s.updated_at
  WHEN NOT MATCHED THEN INSERT (source, order_id, sequence, order_group, status, origin, sales_channel, affiliate_id, seller_id, seller_name, hostname, created_at, last_change, authorized_at, invoiced_at, canceled_at, currency, items_total, discounts_total, shipping_total, tax_total, total, customer_key, customer_email, user_profile_id, document_type, document, first_name, last_name, phone, is_corporate, utm_source, utm_medium, utm_campaign, coupon, payment_group, payment_system, installments, ship_city, ship_state, ship_postal_code, bronze_record_id, bronze_seq, updated_at) VALUES (s.source, s.order_id, s.sequence, s.order_group, s.status, s.origin, s.sales_channel, s.affiliate_id, s.seller_id, s.seller_name, s.hostname, s.created_at, s.last_change, s.authorized_at, s.invoiced_at, s.canceled_at, s.currency, s.items_total, s.discounts_total, s.shipping_total, s.tax_total, s.total, s.customer_key, s.customer_email, s.user_profile_id, s.document_type, s.document, s.first_name, s.last_name, s.phone, s.is_corporate, s.utm_source, s.utm_medium, s.utm_campaign, s.coupon, s.payment_group, s.payment_system, s.installments, s.ship_city, s.ship_state, s.ship_postal_code, s.bronze_record_id, s.bronze_seq, s.updated_at);

-- in the session; params: []
DELETE FROM `farol-test.analytics.silver_order_items` AS i
  WHERE EXISTS (SELECT 1 FROM _SESSION.stage_changed_orders c WHERE c.source = i.source AND c.order_id = i.order_id);

-- in the session; params: []
INSERT INTO `farol-test.analytics.silver_order_items` (source, order_id, item_index, sku_id, product_id, ean, ref_id, name, brand_name, category_ids, seller_id, quantity, unit_price, list_price, selling_price, cost_price, is_gift, bronze_record_id) SELECT * FROM (SELECT source, order_id, item_index, sku_id, product_id, ean, ref_id, name, brand_name, category_ids, seller_id, quantity, unit_price, list_price, selling_price, cost_price, is_gift, bronze_record_id FROM _SESSION.stage_order_items);

-- in the session; params: []
DELETE FROM _SESSION.stage_orders WHERE TRUE;

-- in the session; params: []
DELETE FROM _SESSION.stage_order_items WHERE TRUE;

-- in the session; params: []
DELETE FROM _SESSION.stage_changed_orders WHERE TRUE;

-- in the session; params: []
COMMIT TRANSACTION;

-- in the session; params: []
CALL BQ.ABORT_SESSION();
