-- transaction (in the session); params: []

    CREATE OR REPLACE TEMP TABLE stage_changed_order_customers AS
    SELECT DISTINCT f.source, f.customer_key AS source_id FROM `farol-test.analytics.gold_fct_orders` f
    WHERE EXISTS (SELECT 1 FROM (SELECT source, order_id FROM _SESSION.stage_changed_orders) AS rec WHERE rec.source = f.source AND rec.order_id = f.order_id) AND f.customer_key IS NOT NULL;

-- transaction (in the session); params: []

    SELECT DISTINCT o.sales_channel, nullif(o.affiliate_id, '') AS affiliate_id FROM (SELECT source, order_id, sequence, order_group, status, origin, sales_channel, affiliate_id, seller_id, seller_name, hostname, created_at, last_change, authorized_at, invoiced_at, canceled_at, currency, items_total, discounts_total, shipping_total, tax_total, total, customer_key, customer_email, user_profile_id, document_type, document, first_name, last_name, phone, is_corporate, utm_source, utm_medium, utm_campaign, coupon, payment_group, payment_system, installments, ship_city, ship_state, ship_postal_code, bronze_record_id, bronze_seq, updated_at FROM _SESSION.stage_orders) o;

-- transaction (in the session); params: ["STRING \"sc:1\"","STRING \"Loja online\"","STRING \"site\"","STRING \"1\"","STRING null","STRING \"sc:2\"","STRING \"Aplicativo\"","STRING \"site\"","STRING \"2\"","STRING null","STRING \"mkt:MLB\"","STRING \"Mercado Livre\"","STRING \"marketplace\"","STRING \"1\"","STRING \"MLB\""]
MERGE INTO `farol-test.analytics.gold_dim_channel` AS t
  USING (SELECT CAST(? AS STRING) AS channel_key, CAST(? AS STRING) AS channel_name, CAST(? AS STRING) AS channel_type, CAST(? AS STRING) AS sales_channel, CAST(? AS STRING) AS affiliate_id
  UNION ALL SELECT ?, ?, ?, ?, ?
  UNION ALL SELECT ?, ?, ?, ?, ?) AS s
  ON t.channel_key = s.channel_key
  WHEN MATCHED THEN UPDATE SET channel_name = s.channel_name
  WHEN NOT MATCHED THEN INSERT (channel_key, channel_name, channel_type, sales_channel, affiliate_id) VALUES (s.channel_key, s.channel_name, s.channel_type, s.sales_channel, s.affiliate_id);

-- transaction (in the session); params: []

    MERGE INTO `farol-test.analytics.gold_dim_store` AS t
    USING (
  SELECT seller_id AS store_key, coalesce(seller_name, seller_id) AS store_name, v AS version_key FROM (
  SELECT o.seller_id, o.seller_name, o.v, row_number() OVER (PARTITION BY o.seller_id ORDER BY o.v DESC) AS n
  FROM (SELECT o.*, SUBSTR(CONCAT('00000000000000000000', CAST(TIMESTAMP_DIFF(o.last_change, TIMESTAMP '1970-01-01 00:00:00+00', MICROSECOND) AS STRING)), LENGTH(CAST(TIMESTAMP_DIFF(o.last_change, TIMESTAMP '1970-01-01 00:00:00+00', MICROSECOND) AS STRING)) + 1) || '|' || o.source || '|' || o.order_id AS v FROM _SESSION.stage_orders o) o WHERE o.seller_id IS NOT NULL) AS latest
  WHERE n = 1) AS s
    ON t.store_key = s.store_key
    WHEN MATCHED AND s.version_key > coalesce(t.version_key, '') THEN UPDATE SET store_name = s.store_name, version_key = s.version_key
    WHEN NOT MATCHED THEN INSERT (store_key, store_name, version_key) VALUES (s.store_key, s.store_name, s.version_key);

-- transaction (in the session); params: []

    MERGE INTO `farol-test.analytics.gold_dim_product` AS t
    USING (
  SELECT sku_id AS product_key, product_id, name, brand_name, category_ids, ref_id, ean, v AS version_key FROM (
  SELECT *, row_number() OVER (PARTITION BY sku_id ORDER BY v DESC) AS n FROM (
  SELECT i.sku_id, i.product_id, i.name, i.brand_name, i.category_ids, i.ref_id, i.ean,
  o.v || '|' || SUBSTR(CONCAT('000000', CAST(i.item_index AS STRING)), LENGTH(CAST(i.item_index AS STRING)) + 1) AS v
  FROM _SESSION.stage_order_items i JOIN (SELECT o.*, SUBSTR(CONCAT('00000000000000000000', CAST(TIMESTAMP_DIFF(o.last_change, TIMESTAMP '1970-01-01 00:00:00+00', MICROSECOND) AS STRING)), LENGTH(CAST(TIMESTAMP_DIFF(o.last_change, TIMESTAMP '1970-01-01 00:00:00+00', MICROSECOND) AS STRING)) + 1) || '|' || o.source || '|' || o.order_id AS v FROM _SESSION.stage_orders o) o ON o.source = i.source AND o.order_id = i.order_id) AS versioned) AS latest
  WHERE n = 1) AS s
    ON t.product_key = s.product_key
    WHEN MATCHED AND s.version_key > coalesce(t.version_key, '') THEN UPDATE SET
  product_id = CASE WHEN t.in_catalog THEN t.product_id ELSE s.product_id END,
  name = CASE WHEN t.in_catalog THEN t.name ELSE s.name END,
  brand_name = CASE WHEN t.in_catalog THEN t.brand_name ELSE s.brand_name END,
  category_ids = CASE WHEN t.in_catalog THEN t.category_ids ELSE s.category_ids END,
  ref_id = CASE WHEN t.in_catalog THEN t.ref_id ELSE s.ref_id END,
  ean = CASE WHEN t.in_catalog THEN t.ean ELSE s.ean END,
  version_key = s.version_key
    WHEN NOT MATCHED THEN INSERT (product_key, product_id, name, brand_name, category_ids, ref_id, ean, version_key, in_catalog)
  VALUES (s.product_key, s.product_id, s.name, s.brand_name, s.category_ids, s.ref_id, s.ean, s.version_key, false);

-- transaction (in the session); params: []

    MERGE INTO `farol-test.analytics.gold_dim_customer` AS t
    USING (
  SELECT customer_key, REGEXP_EXTRACT(customer_key, '^[^:]*') AS key_type, first_name, last_name, is_corporate,
  ship_state AS state, ship_city AS city, first_at, last_at, v AS version_key FROM (
  SELECT o.customer_key, o.first_name, o.last_name, o.is_corporate, o.ship_state, o.ship_city, o.v,
  min(o.created_at) OVER (PARTITION BY o.customer_key) AS first_at,
  max(o.created_at) OVER (PARTITION BY o.customer_key) AS last_at,
  row_number() OVER (PARTITION BY o.customer_key ORDER BY o.v DESC) AS n
  FROM (SELECT o.*, SUBSTR(CONCAT('00000000000000000000', CAST(TIMESTAMP_DIFF(o.last_change, TIMESTAMP '1970-01-01 00:00:00+00', MICROSECOND) AS STRING)), LENGTH(CAST(TIMESTAMP_DIFF(o.last_change, TIMESTAMP '1970-01-01 00:00:00+00', MICROSECOND) AS STRING)) + 1) || '|' || o.source || '|' || o.order_id AS v FROM _SESSION.stage_orders o) o WHERE o.customer_key IS NOT NULL) AS latest
  WHERE n = 1) AS s
    ON t.customer_key = s.customer_key
    WHEN MATCHED THEN UPDATE SET
  first_name = CASE WHEN s.version_key > coalesce(t.version_key, '') THEN s.first_name ELSE t.first_name END,
  last_name = CASE WHEN s.version_key > coalesce(t.version_key, '') THEN s.last_name ELSE t.last_name END,
  is_corporate = CASE WHEN s.version_key > coalesce(t.version_key, '') THEN s.is_corporate ELSE t.is_corporate END,
  state = CASE WHEN s.version_key > coalesce(t.version_key, '') THEN s.state ELSE t.state END,
  city = CASE WHEN s.version_key > coalesce(t.version_key, '') THEN s.city ELSE t.city END,
  first_order_at = CASE WHEN t.first_order_at IS NULL OR s.first_at < t.first_order_at THEN s.first_at ELSE t.first_order_at END,
  last_order_at = CASE WHEN t.last_order_at IS NULL OR s.last_at > t.last_order_at THEN s.last_at ELSE t.last_order_at END,
  version_key = CASE WHEN s.version_key > coalesce(t.version_key, '') THEN s.version_key ELSE t.version_key END
    WHEN NOT MATCHED THEN INSERT (customer_key, key_type, first_name, last_name, is_corporate, state, city, first_order_at, last_order_at, version_key)
  VALUES (s.customer_key, s.key_type, s.first_name, s.last_name, s.is_corporate, s.state, s.city, s.first_at, s.last_at, s.version_key);

-- transaction (in the session); params: []
SELECT count(*) AS n FROM (SELECT 1 FROM `farol-test.analytics.silver_customers` LIMIT 1);

-- transaction (in the session); params: []

    UPDATE `farol-test.analytics.gold_dim_customer` d
    SET email = b.email, phone = b.phone, newsletter_opt_in = b.newsletter_opt_in, customer_base_id = b.customer_id
    FROM (
  WITH keys AS (SELECT DISTINCT customer_key FROM (SELECT o.customer_key FROM (SELECT source, order_id, sequence, order_group, status, origin, sales_channel, affiliate_id, seller_id, seller_name, hostname, created_at, last_change, authorized_at, invoiced_at, canceled_at, currency, items_total, discounts_total, shipping_total, tax_total, total, customer_key, customer_email, user_profile_id, document_type, document, first_name, last_name, phone, is_corporate, utm_source, utm_medium, utm_campaign, coupon, payment_group, payment_system, installments, ship_city, ship_state, ship_postal_code, bronze_record_id, bronze_seq, updated_at FROM _SESSION.stage_orders) o) AS touched WHERE customer_key IS NOT NULL),
  last_profile AS (
  SELECT customer_key, user_profile_id FROM (
  SELECT o.customer_key, o.user_profile_id,
  row_number() OVER (PARTITION BY o.customer_key ORDER BY o.last_change DESC, o.source, o.order_id) AS n
  FROM `farol-test.analytics.silver_orders` o
  WHERE o.customer_key IN (SELECT customer_key FROM keys) AND o.user_profile_id IS NOT NULL) AS ranked
  WHERE n = 1
  ),
  candidates AS (
  SELECT p.customer_key, 1 AS rule, c.changed_at, c.source, c.customer_id, c.email, c.phone, c.newsletter_opt_in
  FROM last_profile p JOIN `farol-test.analytics.silver_customers` c ON c.user_id = p.user_profile_id
  UNION ALL
  SELECT c.customer_key, 2 AS rule, c.changed_at, c.source, c.customer_id, c.email, c.phone, c.newsletter_opt_in
  FROM `farol-test.analytics.silver_customers` c WHERE c.customer_key IN (SELECT customer_key FROM keys)
  ),
  best AS (
  SELECT * FROM (
  SELECT cand.*, row_number() OVER (PARTITION BY cand.customer_key ORDER BY cand.rule, cand.changed_at DESC, cand.source, cand.customer_id) AS n
  FROM candidates cand) AS ranked
  WHERE n = 1
  )
  SELECT k.customer_key, best.email, best.phone, best.newsletter_opt_in, best.customer_id
  FROM keys k LEFT JOIN best ON best.customer_key = k.customer_key
    ) b
    WHERE d.customer_key = b.customer_key;

-- transaction (in the session); params: []
DELETE FROM `farol-test.analytics.gold_fct_orders` f WHERE EXISTS (SELECT 1 FROM _SESSION.stage_changed_orders c WHERE c.source = f.source AND c.order_id = f.order_id);

-- transaction (in the session); params: ["STRING \"America/Sao_Paulo\""]

    INSERT INTO `farol-test.analytics.gold_fct_orders`
    SELECT o.source || ':' || o.order_id, o.source, o.order_id, DATE(o.created_at, ?), o.created_at, o.status, coalesce(st.is_sale, false),
  o.status = 'canceled', CASE WHEN coalesce(o.affiliate_id, '') <> '' THEN 'mkt:' || o.affiliate_id ELSE 'sc:' || o.sales_channel END, o.seller_id, o.customer_key, o.coupon,
  o.utm_source, o.utm_medium, o.utm_campaign, coalesce(u.units, 0), o.items_total, o.discounts_total,
  o.shipping_total, o.total, o.last_change
    FROM (SELECT source, order_id, sequence, order_group, status, origin, sales_channel, affiliate_id, seller_id, seller_name, hostname, created_at, last_change, authorized_at, invoiced_at, canceled_at, currency, items_total, discounts_total, shipping_total, tax_total, total, customer_key, customer_email, user_profile_id, document_type, document, first_name, last_name, phone, is_corporate, utm_source, utm_medium, utm_campaign, coupon, payment_group, payment_system, installments, ship_city, ship_state, ship_postal_code, bronze_record_id, bronze_seq, updated_at FROM _SESSION.stage_orders) o
    LEFT JOIN `farol-test.analytics.gold_dim_order_status` st ON st.status = o.status
    LEFT JOIN (SELECT i.source, i.order_id, CAST(sum(i.quantity) AS INT64) AS units FROM (SELECT source, order_id, item_index, sku_id, product_id, ean, ref_id, name, brand_name, category_ids, seller_id, quantity, unit_price, list_price, selling_price, cost_price, is_gift, bronze_record_id FROM _SESSION.stage_order_items) i
  GROUP BY i.source, i.order_id) u ON u.source = o.source AND u.order_id = o.order_id;

-- transaction (in the session); params: []
DELETE FROM `farol-test.analytics.gold_fct_sales` f WHERE EXISTS (SELECT 1 FROM _SESSION.stage_changed_orders c WHERE c.source = f.source AND c.order_id = f.order_id);

-- transaction (in the session); params: []

    INSERT INTO `farol-test.analytics.gold_fct_sales`
    SELECT f.order_key, f.source, f.order_id, i.item_index, f.order_date, f.created_at, f.status, f.is_sale, f.channel_key,
  f.store_key, f.customer_key, i.sku_id, i.quantity, i.list_price, i.unit_price, i.unit_price * i.quantity,
  i.selling_price * i.quantity, (i.unit_price - i.selling_price) * i.quantity, i.cost_price * i.quantity
    FROM (SELECT source, order_id, item_index, sku_id, product_id, ean, ref_id, name, brand_name, category_ids, seller_id, quantity, unit_price, list_price, selling_price, cost_price, is_gift, bronze_record_id FROM _SESSION.stage_order_items) i
    JOIN `farol-test.analytics.gold_fct_orders` f ON f.source = i.source AND f.order_id = i.order_id;

-- transaction (in the session); params: []
SELECT 1 AS stale FROM `farol-test.analytics.gold_customer_360` WHERE refreshed_on <> DATE '2025-06-30' LIMIT 1;

-- transaction (in the session); params: []
SELECT 1 AS one FROM `farol-test.analytics.gold_customer_identity` LIMIT 1;

-- transaction (in the session); params: []
DELETE FROM `farol-test.analytics.gold_customer_identity_links` WHERE true;

-- transaction (in the session); params: []
INSERT INTO `farol-test.analytics.gold_customer_identity_links` (source, source_id, own_key, identifier) 
SELECT DISTINCT source, source_id, own_key, identifier FROM (
  SELECT o.source, o.customer_key AS source_id, o.customer_key AS own_key, identifier
  FROM (SELECT DISTINCT o.source, o.customer_key, o.user_profile_id FROM `farol-test.analytics.silver_orders` o
  WHERE o.customer_key IS NOT NULL ) AS o CROSS JOIN UNNEST([o.customer_key, (CASE WHEN nullif(trim(o.user_profile_id), '') IS NOT NULL THEN 'profile:' || lower(trim(o.user_profile_id)) END)]) AS identifier
  UNION ALL
  SELECT c.source, c.customer_id, c.customer_key, identifier
  FROM `farol-test.analytics.silver_customers` c CROSS JOIN UNNEST([c.customer_key, 'email:' || (CASE WHEN REGEXP_CONTAINS(lower(trim(c.email)), r'^([^\s@]+@[^\s@]+\.[^\s@]+)$')
  AND NOT ends_with(lower(trim(c.email)), '@ct.vtex.com.br') AND NOT ends_with(lower(trim(c.email)), '.ct.vtex.com.br')
  THEN lower(trim(c.email)) END), (CASE WHEN nullif(trim(c.user_id), '') IS NOT NULL THEN 'profile:' || lower(trim(c.user_id)) END)]) AS identifier
  WHERE c.customer_key IS NOT NULL 
  UNION ALL
  SELECT k.source, k.member_id, k.own_key, identifier
  FROM (SELECT source, member_id, coalesce(customer_key, doc, email, phone) AS own_key, doc, email, phone FROM (
  SELECT m.source, m.member_id, m.customer_key, (CASE WHEN lower(m.document_type) IN ('cpf', 'cnpj') AND REGEXP_REPLACE(m.document, r'\D', '') <> ''
  THEN lower(m.document_type) || ':' || REGEXP_REPLACE(m.document, r'\D', '') END) AS doc,
  'email:' || (CASE WHEN REGEXP_CONTAINS(lower(trim(m.email)), r'^([^\s@]+@[^\s@]+\.[^\s@]+)$')
  AND NOT ends_with(lower(trim(m.email)), '@ct.vtex.com.br') AND NOT ends_with(lower(trim(m.email)), '.ct.vtex.com.br')
  THEN lower(trim(m.email)) END) AS email, 'phone:' || (CASE WHEN starts_with(trim(m.phone), '+') AND length(REGEXP_REPLACE(m.phone, r'\D', '')) BETWEEN 8 AND 15
    THEN '+' || REGEXP_REPLACE(m.phone, r'\D', '') END) AS phone
  FROM `farol-test.analytics.silver_club_members` m WHERE true ) AS keyed) AS k CROSS JOIN UNNEST([k.own_key, k.doc, k.email, k.phone]) AS identifier
  WHERE k.own_key IS NOT NULL
) AS links WHERE identifier IS NOT NULL;

-- transaction (in the session); params: []
CREATE OR REPLACE TEMP TABLE c360_p_shared AS
    SELECT identifier FROM `farol-test.analytics.gold_customer_identity_links` GROUP BY identifier HAVING count(*) > 1;

-- transaction (in the session); params: []
CREATE OR REPLACE TEMP TABLE c360_p_connected AS
    SELECT DISTINCT l.source, l.source_id FROM `farol-test.analytics.gold_customer_identity_links` l WHERE l.identifier IN (SELECT identifier FROM _SESSION.c360_p_shared);

-- transaction (in the session); params: []
CREATE OR REPLACE TEMP TABLE c360_p_links AS
    SELECT l.* FROM `farol-test.analytics.gold_customer_identity_links` l WHERE EXISTS (SELECT 1 FROM _SESSION.c360_p_connected AS rec WHERE rec.source = l.source AND rec.source_id = l.source_id);

-- transaction (in the session); params: []
CREATE OR REPLACE TEMP TABLE c360_p_r0 AS
    SELECT DISTINCT source, source_id, own_key AS k, (CASE REGEXP_EXTRACT(own_key, '^[^:]*') WHEN 'cpf' THEN 'document' WHEN 'cnpj' THEN 'document' WHEN 'email' THEN 'email' WHEN 'phone' THEN 'phone' ELSE 'profile' END) AS via FROM _SESSION.c360_p_links;

-- transaction (in the session); params: []
CREATE OR REPLACE TEMP TABLE c360_p_i1 AS
    SELECT l.identifier, min(CAST((CASE REGEXP_EXTRACT(r.k, '^[^:]*') WHEN 'cpf' THEN 0 WHEN 'cnpj' THEN 0 WHEN 'email' THEN 1 WHEN 'phone' THEN 2 ELSE 3 END) AS STRING) || r.k) AS s
    FROM _SESSION.c360_p_links l JOIN _SESSION.c360_p_r0 r ON r.source = l.source AND r.source_id = l.source_id GROUP BY l.identifier;

-- transaction (in the session); params: []
CREATE OR REPLACE TEMP TABLE c360_p_r1 AS
    SELECT source, source_id, k, via FROM (
  SELECT source, source_id, k, via, row_number() OVER (PARTITION BY source, source_id ORDER BY s) AS pick FROM (
  SELECT source, source_id, k, via, CAST((CASE REGEXP_EXTRACT(k, '^[^:]*') WHEN 'cpf' THEN 0 WHEN 'cnpj' THEN 0 WHEN 'email' THEN 1 WHEN 'phone' THEN 2 ELSE 3 END) AS STRING) || '00' || k AS s FROM _SESSION.c360_p_r0
  UNION ALL
  SELECT l.source, l.source_id, substr(i.s, 2), (CASE REGEXP_EXTRACT(l.identifier, '^[^:]*') WHEN 'cpf' THEN 'document' WHEN 'cnpj' THEN 'document' WHEN 'email' THEN 'email' WHEN 'phone' THEN 'phone' ELSE 'profile' END),
  substr(i.s, 1, 1) || '1' || CAST((CASE REGEXP_EXTRACT(l.identifier, '^[^:]*') WHEN 'cpf' THEN 0 WHEN 'cnpj' THEN 0 WHEN 'email' THEN 1 WHEN 'phone' THEN 2 ELSE 3 END) AS STRING) || substr(i.s, 2)
  FROM _SESSION.c360_p_links l JOIN _SESSION.c360_p_i1 i ON i.identifier = l.identifier) AS candidates) AS ranked
    WHERE pick = 1;

-- transaction (in the session); params: []
CREATE OR REPLACE TEMP TABLE c360_p_i2 AS
    SELECT l.identifier, min(CAST((CASE REGEXP_EXTRACT(r.k, '^[^:]*') WHEN 'cpf' THEN 0 WHEN 'cnpj' THEN 0 WHEN 'email' THEN 1 WHEN 'phone' THEN 2 ELSE 3 END) AS STRING) || r.k) AS s
    FROM _SESSION.c360_p_links l JOIN _SESSION.c360_p_r1 r ON r.source = l.source AND r.source_id = l.source_id GROUP BY l.identifier;

-- transaction (in the session); params: []
CREATE OR REPLACE TEMP TABLE c360_p_r2 AS
    SELECT source, source_id, k, via FROM (
  SELECT source, source_id, k, via, row_number() OVER (PARTITION BY source, source_id ORDER BY s) AS pick FROM (
  SELECT source, source_id, k, via, CAST((CASE REGEXP_EXTRACT(k, '^[^:]*') WHEN 'cpf' THEN 0 WHEN 'cnpj' THEN 0 WHEN 'email' THEN 1 WHEN 'phone' THEN 2 ELSE 3 END) AS STRING) || '00' || k AS s FROM _SESSION.c360_p_r1
  UNION ALL
  SELECT l.source, l.source_id, substr(i.s, 2), (CASE REGEXP_EXTRACT(l.identifier, '^[^:]*') WHEN 'cpf' THEN 'document' WHEN 'cnpj' THEN 'document' WHEN 'email' THEN 'email' WHEN 'phone' THEN 'phone' ELSE 'profile' END),
  substr(i.s, 1, 1) || '1' || CAST((CASE REGEXP_EXTRACT(l.identifier, '^[^:]*') WHEN 'cpf' THEN 0 WHEN 'cnpj' THEN 0 WHEN 'email' THEN 1 WHEN 'phone' THEN 2 ELSE 3 END) AS STRING) || substr(i.s, 2)
  FROM _SESSION.c360_p_links l JOIN _SESSION.c360_p_i2 i ON i.identifier = l.identifier) AS candidates) AS ranked
    WHERE pick = 1;

-- transaction (in the session); params: []
CREATE OR REPLACE TEMP TABLE c360_p_i3 AS
    SELECT l.identifier, min(CAST((CASE REGEXP_EXTRACT(r.k, '^[^:]*') WHEN 'cpf' THEN 0 WHEN 'cnpj' THEN 0 WHEN 'email' THEN 1 WHEN 'phone' THEN 2 ELSE 3 END) AS STRING) || r.k) AS s
    FROM _SESSION.c360_p_links l JOIN _SESSION.c360_p_r2 r ON r.source = l.source AND r.source_id = l.source_id GROUP BY l.identifier;

-- transaction (in the session); params: []
CREATE OR REPLACE TEMP TABLE c360_p_r3 AS
    SELECT source, source_id, k, via FROM (
  SELECT source, source_id, k, via, row_number() OVER (PARTITION BY source, source_id ORDER BY s) AS pick FROM (
  SELECT source, source_id, k, via, CAST((CASE REGEXP_EXTRACT(k, '^[^:]*') WHEN 'cpf' THEN 0 WHEN 'cnpj' THEN 0 WHEN 'email' THEN 1 WHEN 'phone' THEN 2 ELSE 3 END) AS STRING) || '00' || k AS s FROM _SESSION.c360_p_r2
  UNION ALL
  SELECT l.source, l.source_id, substr(i.s, 2), (CASE REGEXP_EXTRACT(l.identifier, '^[^:]*') WHEN 'cpf' THEN 'document' WHEN 'cnpj' THEN 'document' WHEN 'email' THEN 'email' WHEN 'phone' THEN 'phone' ELSE 'profile' END),
  substr(i.s, 1, 1) || '1' || CAST((CASE REGEXP_EXTRACT(l.identifier, '^[^:]*') WHEN 'cpf' THEN 0 WHEN 'cnpj' THEN 0 WHEN 'email' THEN 1 WHEN 'phone' THEN 2 ELSE 3 END) AS STRING) || substr(i.s, 2)
  FROM _SESSION.c360_p_links l JOIN _SESSION.c360_p_i3 i ON i.identifier = l.identifier) AS candidates) AS ranked
    WHERE pick = 1;

-- transaction (in the session); params: []
CREATE OR REPLACE TEMP TABLE c360_identity_next AS
    SELECT * FROM (
  SELECT source, source_id, k AS customer_id, via AS matched_by FROM _SESSION.c360_p_r3
  UNION ALL
  SELECT DISTINCT a.source, a.source_id, a.own_key, (CASE REGEXP_EXTRACT(a.own_key, '^[^:]*') WHEN 'cpf' THEN 'document' WHEN 'cnpj' THEN 'document' WHEN 'email' THEN 'email' WHEN 'phone' THEN 'phone' ELSE 'profile' END) FROM `farol-test.analytics.gold_customer_identity_links` a
  WHERE NOT EXISTS (SELECT 1 FROM _SESSION.c360_p_connected AS rec WHERE rec.source = a.source AND rec.source_id = a.source_id)) AS resolved
    WHERE true;

-- transaction (in the session); params: []
DROP TABLE _SESSION.c360_p_shared;

-- transaction (in the session); params: []
DROP TABLE _SESSION.c360_p_connected;

-- transaction (in the session); params: []
DROP TABLE _SESSION.c360_p_links;

-- transaction (in the session); params: []
DROP TABLE _SESSION.c360_p_r0;

-- transaction (in the session); params: []
DROP TABLE _SESSION.c360_p_i1;

-- transaction (in the session); params: []
DROP TABLE _SESSION.c360_p_r1;

-- transaction (in the session); params: []
DROP TABLE _SESSION.c360_p_i2;

-- transaction (in the session); params: []
DROP TABLE _SESSION.c360_p_r2;

-- transaction (in the session); params: []
DROP TABLE _SESSION.c360_p_i3;

-- transaction (in the session); params: []
DROP TABLE _SESSION.c360_p_r3;

-- transaction (in the session); params: []
INSERT INTO `farol-test.analytics.gold_customer_identity` (source, source_id, customer_id, matched_by) SELECT source, source_id, customer_id, matched_by FROM _SESSION.c360_identity_next;

-- transaction (in the session); params: []
DROP TABLE _SESSION.c360_identity_next;

-- transaction (in the session); params: []
CREATE OR REPLACE TEMP TABLE stage_changed_customer_360 AS SELECT DISTINCT customer_id FROM `farol-test.analytics.gold_customer_identity`;

-- transaction (in the session); params: []
DELETE FROM `farol-test.analytics.gold_customer_360` WHERE true;

-- transaction (in the session); params: []

    INSERT INTO `farol-test.analytics.gold_customer_360` (customer_id, key_type, vtex_user_profile_id, master_data_id, club_member_id, name, first_name, document, document_type, email, phone, state, city, first_order_at, last_order_at, first_order_date, last_order_date, orders, ltv, average_ticket, average_days_between_orders, orders_last_365d, days_since_last_order, is_returning, segment, club_status, club_tier, marketing_opt_in, club_store, refreshed_on)
    WITH members AS (SELECT ci.* FROM `farol-test.analytics.gold_customer_identity` ci),
    sales AS (
  SELECT m.customer_id, CAST(count(*) AS INT64) AS orders, sum(f.total) AS ltv, min(f.created_at) AS first_at, max(f.created_at) AS last_at,
  min(f.order_date) AS first_date, max(f.order_date) AS last_date, COUNTIF(f.order_date > DATE_SUB(DATE '2025-06-30', INTERVAL 365 DAY)) AS last_365
  FROM members m JOIN `farol-test.analytics.gold_fct_orders` f ON f.source = m.source AND f.customer_key = m.source_id AND f.is_sale GROUP BY m.customer_id
    ),
    latest_order AS (
  SELECT lo.customer_id, STRUCT(lo.first_name AS first_name, lo.last_name AS last_name, lo.state AS state, lo.city AS city) AS o,
  lp.user_profile_id AS profile
  FROM (SELECT * FROM (
  SELECT m.customer_id, o.first_name, o.last_name, o.ship_state AS state, o.ship_city AS city, row_number() OVER (PARTITION BY m.customer_id ORDER BY o.created_at DESC, o.source DESC, o.order_id DESC) AS pick
  FROM members m JOIN `farol-test.analytics.silver_orders` o ON o.source = m.source AND o.customer_key = m.source_id) AS ranked
  WHERE pick = 1) AS lo
  LEFT JOIN (SELECT * FROM (
  SELECT m.customer_id, o.user_profile_id, row_number() OVER (PARTITION BY m.customer_id ORDER BY o.created_at DESC, o.source DESC, o.order_id DESC) AS pick
  FROM members m JOIN `farol-test.analytics.silver_orders` o ON o.source = m.source AND o.customer_key = m.source_id AND o.user_profile_id IS NOT NULL) AS ranked
  WHERE pick = 1) AS lp
  ON lp.customer_id = lo.customer_id
    ),
    master_data AS (
  SELECT md.customer_id,
  STRUCT(md.document_id AS customer_id, md.user_id AS user_id, md.first_name AS first_name, md.last_name AS last_name,
  md.email AS email, md.phone AS phone, md.newsletter_opt_in AS newsletter_opt_in) AS c
  FROM (SELECT * FROM (
  SELECT m.customer_id, c.customer_id AS document_id, c.user_id, c.first_name, c.last_name, c.email, c.phone, c.newsletter_opt_in, row_number() OVER (PARTITION BY m.customer_id ORDER BY c.changed_at DESC, c.customer_id DESC) AS pick
  FROM members m JOIN `farol-test.analytics.silver_customers` c ON c.source = m.source AND c.customer_id = m.source_id) AS ranked
  WHERE pick = 1) AS md
    ),
    club AS (
  SELECT km.customer_id,
  STRUCT(km.member_id AS member_id, km.name AS name, km.email AS email, km.phone AS phone, km.club_status AS club_status,
  km.tier AS tier, km.marketing_opt_in AS marketing_opt_in, km.signup_store AS signup_store) AS k
  FROM (SELECT * FROM (
  SELECT m.customer_id, k.member_id, k.name, k.email, k.phone, k.club_status, k.tier, k.marketing_opt_in, k.signup_store, row_number() OVER (PARTITION BY m.customer_id ORDER BY k.club_status = 'active' DESC, k.lsn DESC, k.member_id DESC) AS pick
  FROM members m JOIN `farol-test.analytics.silver_club_members` k ON k.source = m.source AND k.member_id = m.source_id) AS ranked
  WHERE pick = 1) AS km
    ),
    c AS (
  SELECT ids.customer_id, REGEXP_EXTRACT(ids.customer_id, '^[^:]*') AS key_type,
  coalesce(s.orders, 0) AS orders, coalesce(s.ltv, 0) AS ltv, s.first_at, s.last_at, s.first_date AS first_order_date,
  s.last_date AS last_order_date, s.last_365, lo.o AS lo, lo.profile, md.c AS md, club.k AS club
  FROM (SELECT DISTINCT customer_id FROM members) ids
  LEFT JOIN sales s ON s.customer_id = ids.customer_id
  LEFT JOIN latest_order lo ON lo.customer_id = ids.customer_id
  LEFT JOIN master_data md ON md.customer_id = ids.customer_id
  LEFT JOIN club ON club.customer_id = ids.customer_id
    )
    SELECT
  c.customer_id, c.key_type,
  coalesce(c.profile, nullif(trim(c.md.user_id), '')),
  c.md.customer_id, c.club.member_id,
  coalesce(nullif(trim(ARRAY_TO_STRING([c.md.first_name, c.md.last_name], ' ')), ''), nullif(trim(c.club.name), ''),
  nullif(trim(ARRAY_TO_STRING([c.lo.first_name, c.lo.last_name], ' ')), '')),
  coalesce(nullif(trim(c.md.first_name), ''), nullif(REGEXP_EXTRACT(trim(c.club.name), '^[^ ]*'), ''), nullif(trim(c.lo.first_name), '')),
  CASE WHEN c.key_type IN ('cpf', 'cnpj') THEN substr(c.customer_id, length(c.key_type) + 2) END,
  CASE WHEN c.key_type IN ('cpf', 'cnpj') THEN c.key_type END,
  coalesce((CASE WHEN REGEXP_CONTAINS(lower(trim(c.md.email)), r'^([^\s@]+@[^\s@]+\.[^\s@]+)$')
  AND NOT ends_with(lower(trim(c.md.email)), '@ct.vtex.com.br') AND NOT ends_with(lower(trim(c.md.email)), '.ct.vtex.com.br')
  THEN lower(trim(c.md.email)) END), (CASE WHEN REGEXP_CONTAINS(lower(trim(c.club.email)), r'^([^\s@]+@[^\s@]+\.[^\s@]+)$')
  AND NOT ends_with(lower(trim(c.club.email)), '@ct.vtex.com.br') AND NOT ends_with(lower(trim(c.club.email)), '.ct.vtex.com.br')
  THEN lower(trim(c.club.email)) END),
  CASE WHEN c.key_type = 'email' THEN substr(c.customer_id, 7) END),
  coalesce((CASE WHEN starts_with(trim(c.club.phone), '+') AND length(REGEXP_REPLACE(c.club.phone, r'\D', '')) BETWEEN 8 AND 15
    THEN '+' || REGEXP_REPLACE(c.club.phone, r'\D', '') END), (CASE WHEN starts_with(trim(c.md.phone), '+') AND length(REGEXP_REPLACE(c.md.phone, r'\D', '')) BETWEEN 8 AND 15
    THEN '+' || REGEXP_REPLACE(c.md.phone, r'\D', '') END), CASE WHEN c.key_type = 'phone' THEN substr(c.customer_id, 7) END),
  c.lo.state, c.lo.city,
  c.first_at, c.last_at, c.first_order_date, c.last_order_date,
  c.orders, c.ltv,
  CASE WHEN c.orders > 0 THEN round(c.ltv / c.orders, 2) END,
  CASE WHEN c.orders >= 2 THEN CAST(DATE_DIFF(c.last_order_date, c.first_order_date, DAY) AS FLOAT64) / (c.orders - 1) END,
  CAST(coalesce(c.last_365, 0) AS INT64), DATE_DIFF(DATE '2025-06-30', c.last_order_date, DAY), c.orders >= 2, CASE WHEN c.orders >= 0 AND c.orders <= 0 THEN 'prospect' WHEN c.orders >= 4 AND DATE_DIFF(DATE '2025-06-30', c.last_order_date, DAY) <= 90 THEN 'champions' WHEN c.orders >= 1 AND c.orders <= 1 AND DATE_DIFF(DATE '2025-06-30', c.last_order_date, DAY) <= 90 THEN 'new' WHEN c.orders >= 2 AND DATE_DIFF(DATE '2025-06-30', c.last_order_date, DAY) <= 180 THEN 'loyal' WHEN c.orders >= 2 AND DATE_DIFF(DATE '2025-06-30', c.last_order_date, DAY) <= 365 THEN 'at_risk' WHEN c.orders >= 1 AND DATE_DIFF(DATE '2025-06-30', c.last_order_date, DAY) <= 365 THEN 'hibernating' WHEN c.orders >= 1 THEN 'lost' END,
  c.club.club_status, c.club.tier, coalesce(c.club.marketing_opt_in, c.md.newsletter_opt_in), c.club.signup_store,
  DATE '2025-06-30'
    FROM c;

-- transaction (in the session); params: []
DROP TABLE _SESSION.stage_changed_order_customers;
