-- metrics; params: ["STRING \"cpf:10000000019\"","STRING \"cpf:10000791989\"","STRING \"cpf:10791108104\""]
SELECT customer_id, key_type, vtex_user_profile_id, master_data_id, club_member_id, name, first_name, document, document_type, email, phone, state, city, first_order_at, last_order_at, orders, ltv, average_ticket, average_days_between_orders, orders_last_365d, days_since_last_order, is_returning, segment, club_status, club_tier, marketing_opt_in, club_store FROM `farol-test.analytics.gold_customer_360` WHERE customer_id IN (?, ?, ?);

-- metrics; params: ["STRING \"cpf:10001583816\""]
SELECT customer_id, key_type, vtex_user_profile_id, master_data_id, club_member_id, name, first_name, document, document_type, email, phone, state, city, first_order_at, last_order_at, orders, ltv, average_ticket, average_days_between_orders, orders_last_365d, days_since_last_order, is_returning, segment, club_status, club_tier, marketing_opt_in, club_store FROM `farol-test.analytics.gold_customer_360` WHERE customer_id IN (?);

-- metrics; params: ["STRING \"cliente.0@exemplo.com.br\""]
SELECT customer_id, key_type, vtex_user_profile_id, master_data_id, club_member_id, name, first_name, document, document_type, email, phone, state, city, first_order_at, last_order_at, orders, ltv, average_ticket, average_days_between_orders, orders_last_365d, days_since_last_order, is_returning, segment, club_status, club_tier, marketing_opt_in, club_store FROM `farol-test.analytics.gold_customer_360` WHERE email = ? ORDER BY customer_id LIMIT 1;

-- metrics; params: ["STRING \"+5511980000001\""]
SELECT customer_id, key_type, vtex_user_profile_id, master_data_id, club_member_id, name, first_name, document, document_type, email, phone, state, city, first_order_at, last_order_at, orders, ltv, average_ticket, average_days_between_orders, orders_last_365d, days_since_last_order, is_returning, segment, club_status, club_tier, marketing_opt_in, club_store FROM `farol-test.analytics.gold_customer_360` WHERE phone = ? ORDER BY customer_id LIMIT 1;

-- metrics; params: ["STRING \"active\"","STRING \"2026-01-01\""]
SELECT customer_id, key_type, vtex_user_profile_id, master_data_id, club_member_id, name, first_name, document, document_type, email, phone, state, city, first_order_at, last_order_at, orders, ltv, average_ticket, average_days_between_orders, orders_last_365d, days_since_last_order, is_returning, segment, club_status, club_tier, marketing_opt_in, club_store FROM `farol-test.analytics.gold_customer_360` WHERE club_status IN (?) AND last_order_date >= CAST(? AS DATE) ORDER BY customer_id LIMIT 3;

-- metrics; params: ["STRING \"active\"","STRING \"2026-01-01\"","STRING \"cpf:10003167690\""]
SELECT customer_id, key_type, vtex_user_profile_id, master_data_id, club_member_id, name, first_name, document, document_type, email, phone, state, city, first_order_at, last_order_at, orders, ltv, average_ticket, average_days_between_orders, orders_last_365d, days_since_last_order, is_returning, segment, club_status, club_tier, marketing_opt_in, club_store FROM `farol-test.analytics.gold_customer_360` WHERE club_status IN (?) AND last_order_date >= CAST(? AS DATE) AND customer_id > ? ORDER BY customer_id LIMIT 3;

-- metrics; params: ["STRING \"cpf:10000000019\""]
SELECT * FROM (
  SELECT ci.customer_id AS owner_id, f.order_key, f.source, f.order_id, f.created_at, f.order_date, f.status, f.is_sale, f.channel_key, f.store_key, f.items_count, f.items_total, f.discounts_total, f.shipping_total, f.total,
  row_number() OVER (PARTITION BY ci.customer_id ORDER BY f.created_at DESC, f.order_key DESC) AS rn
  FROM `farol-test.analytics.gold_customer_identity` ci JOIN `farol-test.analytics.gold_fct_orders` f ON ci.source = f.source AND ci.source_id = f.customer_key
  WHERE ci.customer_id IN (?))
  WHERE rn <= 2 ORDER BY owner_id, rn;

-- metrics; params: ["STRING \"cpf:10000000019\"","STRING \"2026-03-01T15:00:00.000Z\"","STRING \"2026-03-01T15:00:00.000Z\"","STRING \"vtex-orders:o-0-2\""]
SELECT * FROM (
  SELECT ci.customer_id AS owner_id, f.order_key, f.source, f.order_id, f.created_at, f.order_date, f.status, f.is_sale, f.channel_key, f.store_key, f.items_count, f.items_total, f.discounts_total, f.shipping_total, f.total,
  row_number() OVER (PARTITION BY ci.customer_id ORDER BY f.created_at DESC, f.order_key DESC) AS rn
  FROM `farol-test.analytics.gold_customer_identity` ci JOIN `farol-test.analytics.gold_fct_orders` f ON ci.source = f.source AND ci.source_id = f.customer_key
  WHERE ci.customer_id IN (?) AND (f.created_at < CAST(? AS TIMESTAMP) OR (f.created_at = CAST(? AS TIMESTAMP) AND f.order_key < ?)))
  WHERE rn <= 2 ORDER BY owner_id, rn;
