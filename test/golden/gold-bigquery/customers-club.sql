-- transaction (in the session); params: []
SELECT count(*) AS n FROM (SELECT 1 FROM `farol-test.analytics.silver_customers` LIMIT 1);

-- transaction (in the session); params: []

    UPDATE `farol-test.analytics.gold_dim_customer` d
    SET email = b.email, phone = b.phone, newsletter_opt_in = b.newsletter_opt_in, customer_base_id = b.customer_id
    FROM (
  WITH keys AS (SELECT DISTINCT customer_key FROM (
    SELECT o.customer_key FROM `farol-test.analytics.silver_orders` o
    WHERE o.user_profile_id IN (SELECT c.user_id FROM `farol-test.analytics.silver_customers` c WHERE EXISTS (SELECT 1 FROM (SELECT source, customer_id FROM _SESSION.stage_changed_customers) AS changed_docs WHERE changed_docs.source = c.source AND changed_docs.customer_id = c.customer_id))
    UNION DISTINCT SELECT c.customer_key FROM `farol-test.analytics.silver_customers` c WHERE EXISTS (SELECT 1 FROM (SELECT source, customer_id FROM _SESSION.stage_changed_customers) AS changed_docs WHERE changed_docs.source = c.source AND changed_docs.customer_id = c.customer_id)
    UNION DISTINCT SELECT d.customer_key FROM `farol-test.analytics.gold_dim_customer` d WHERE d.customer_base_id IN (SELECT customer_id FROM (SELECT source, customer_id FROM _SESSION.stage_changed_customers) AS changed_docs)) AS touched WHERE customer_key IS NOT NULL),
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
SELECT 1 AS stale FROM `farol-test.analytics.gold_customer_360` WHERE refreshed_on <> DATE '2025-06-30' LIMIT 1;

-- transaction (in the session); params: []
SELECT 1 AS one FROM `farol-test.analytics.gold_customer_identity` LIMIT 1;

-- transaction (in the session); params: []

    CREATE OR REPLACE TEMP TABLE c360_changed AS
    SELECT DISTINCT source, source_id FROM (SELECT source, customer_id AS source_id FROM (SELECT source, customer_id FROM _SESSION.stage_changed_customers) AS changed_docs) AS changed_records WHERE source_id IS NOT NULL;

-- transaction (in the session); params: []
SELECT 1 AS one FROM `farol-test.analytics.gold_customer_identity_links` LIMIT 1;

-- transaction (in the session); params: []
CREATE OR REPLACE TEMP TABLE c360_links_now AS 
SELECT DISTINCT source, source_id, own_key, identifier FROM (
  SELECT o.source, o.customer_key AS source_id, o.customer_key AS own_key, identifier
  FROM (SELECT DISTINCT o.source, o.customer_key, o.user_profile_id FROM `farol-test.analytics.silver_orders` o
  WHERE o.customer_key IS NOT NULL AND EXISTS (SELECT 1 FROM _SESSION.c360_changed AS rec WHERE rec.source = o.source AND rec.source_id = o.customer_key)) AS o CROSS JOIN UNNEST([o.customer_key, (CASE WHEN nullif(trim(o.user_profile_id), '') IS NOT NULL THEN 'profile:' || lower(trim(o.user_profile_id)) END)]) AS identifier
  UNION ALL
  SELECT c.source, c.customer_id, c.customer_key, identifier
  FROM `farol-test.analytics.silver_customers` c CROSS JOIN UNNEST([c.customer_key, 'email:' || (CASE WHEN REGEXP_CONTAINS(lower(trim(c.email)), r'^([^\s@]+@[^\s@]+\.[^\s@]+)$')
  AND NOT ends_with(lower(trim(c.email)), '@ct.vtex.com.br') AND NOT ends_with(lower(trim(c.email)), '.ct.vtex.com.br')
  THEN lower(trim(c.email)) END), (CASE WHEN nullif(trim(c.user_id), '') IS NOT NULL THEN 'profile:' || lower(trim(c.user_id)) END)]) AS identifier
  WHERE c.customer_key IS NOT NULL AND EXISTS (SELECT 1 FROM _SESSION.c360_changed AS rec WHERE rec.source = c.source AND rec.source_id = c.customer_id)
  UNION ALL
  SELECT k.source, k.member_id, k.own_key, identifier
  FROM (SELECT source, member_id, coalesce(customer_key, doc, email, phone) AS own_key, doc, email, phone FROM (
  SELECT m.source, m.member_id, m.customer_key, (CASE WHEN lower(m.document_type) IN ('cpf', 'cnpj') AND REGEXP_REPLACE(m.document, r'\D', '') <> ''
  THEN lower(m.document_type) || ':' || REGEXP_REPLACE(m.document, r'\D', '') END) AS doc,
  'email:' || (CASE WHEN REGEXP_CONTAINS(lower(trim(m.email)), r'^([^\s@]+@[^\s@]+\.[^\s@]+)$')
  AND NOT ends_with(lower(trim(m.email)), '@ct.vtex.com.br') AND NOT ends_with(lower(trim(m.email)), '.ct.vtex.com.br')
  THEN lower(trim(m.email)) END) AS email, 'phone:' || (CASE WHEN starts_with(trim(m.phone), '+') AND length(REGEXP_REPLACE(m.phone, r'\D', '')) BETWEEN 8 AND 15
    THEN '+' || REGEXP_REPLACE(m.phone, r'\D', '') END) AS phone
  FROM `farol-test.analytics.silver_club_members` m WHERE true AND EXISTS (SELECT 1 FROM _SESSION.c360_changed AS rec WHERE rec.source = m.source AND rec.source_id = m.member_id)) AS keyed) AS k CROSS JOIN UNNEST([k.own_key, k.doc, k.email, k.phone]) AS identifier
  WHERE k.own_key IS NOT NULL
) AS links WHERE identifier IS NOT NULL;

-- transaction (in the session); params: []

    CREATE OR REPLACE TEMP TABLE c360_links_before AS
    SELECT l.source, l.source_id, l.own_key, l.identifier FROM `farol-test.analytics.gold_customer_identity_links` l WHERE EXISTS (SELECT 1 FROM _SESSION.c360_changed AS rec WHERE rec.source = l.source AND rec.source_id = l.source_id);

-- transaction (in the session); params: []

    SELECT 1 AS one FROM ((SELECT * FROM _SESSION.c360_links_now EXCEPT DISTINCT SELECT * FROM _SESSION.c360_links_before)
  UNION ALL (SELECT * FROM _SESSION.c360_links_before EXCEPT DISTINCT SELECT * FROM _SESSION.c360_links_now)) AS differences LIMIT 1;

-- transaction (in the session); params: []
DROP TABLE _SESSION.c360_links_now;

-- transaction (in the session); params: []
DROP TABLE _SESSION.c360_links_before;

-- transaction (in the session); params: []

  CREATE OR REPLACE TEMP TABLE stage_changed_customer_360 AS
  SELECT DISTINCT customer_id FROM (SELECT ci.customer_id FROM `farol-test.analytics.gold_customer_identity` ci WHERE EXISTS (SELECT 1 FROM _SESSION.c360_changed AS rec WHERE rec.source = ci.source AND rec.source_id = ci.source_id)) AS touched;

-- transaction (in the session); params: []
DROP TABLE _SESSION.c360_changed;

-- transaction (in the session); params: []
DELETE FROM `farol-test.analytics.gold_customer_360` WHERE customer_id IN (SELECT customer_id FROM _SESSION.stage_changed_customer_360);

-- transaction (in the session); params: []

    INSERT INTO `farol-test.analytics.gold_customer_360` (customer_id, key_type, vtex_user_profile_id, master_data_id, club_member_id, name, first_name, document, document_type, email, phone, state, city, first_order_at, last_order_at, first_order_date, last_order_date, orders, ltv, average_ticket, average_days_between_orders, orders_last_365d, days_since_last_order, is_returning, segment, club_status, club_tier, marketing_opt_in, club_store, refreshed_on)
    WITH members AS (SELECT ci.* FROM `farol-test.analytics.gold_customer_identity` ci WHERE ci.customer_id IN (SELECT customer_id FROM _SESSION.stage_changed_customer_360)),
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
SELECT 1 AS stale FROM `farol-test.analytics.gold_customer_360` WHERE refreshed_on <> DATE '2025-06-30' LIMIT 1;

-- transaction (in the session); params: []
SELECT 1 AS one FROM `farol-test.analytics.gold_customer_identity` LIMIT 1;

-- transaction (in the session); params: []

    CREATE OR REPLACE TEMP TABLE c360_changed AS
    SELECT DISTINCT source, source_id FROM (SELECT source, member_id AS source_id FROM (SELECT source, member_id FROM _SESSION.stage_changed_club_members) AS changed_members) AS changed_records WHERE source_id IS NOT NULL;

-- transaction (in the session); params: []
SELECT 1 AS one FROM `farol-test.analytics.gold_customer_identity_links` LIMIT 1;

-- transaction (in the session); params: []
CREATE OR REPLACE TEMP TABLE c360_links_now AS 
SELECT DISTINCT source, source_id, own_key, identifier FROM (
  SELECT o.source, o.customer_key AS source_id, o.customer_key AS own_key, identifier
  FROM (SELECT DISTINCT o.source, o.customer_key, o.user_profile_id FROM `farol-test.analytics.silver_orders` o
  WHERE o.customer_key IS NOT NULL AND EXISTS (SELECT 1 FROM _SESSION.c360_changed AS rec WHERE rec.source = o.source AND rec.source_id = o.customer_key)) AS o CROSS JOIN UNNEST([o.customer_key, (CASE WHEN nullif(trim(o.user_profile_id), '') IS NOT NULL THEN 'profile:' || lower(trim(o.user_profile_id)) END)]) AS identifier
  UNION ALL
  SELECT c.source, c.customer_id, c.customer_key, identifier
  FROM `farol-test.analytics.silver_customers` c CROSS JOIN UNNEST([c.customer_key, 'email:' || (CASE WHEN REGEXP_CONTAINS(lower(trim(c.email)), r'^([^\s@]+@[^\s@]+\.[^\s@]+)$')
  AND NOT ends_with(lower(trim(c.email)), '@ct.vtex.com.br') AND NOT ends_with(lower(trim(c.email)), '.ct.vtex.com.br')
  THEN lower(trim(c.email)) END), (CASE WHEN nullif(trim(c.user_id), '') IS NOT NULL THEN 'profile:' || lower(trim(c.user_id)) END)]) AS identifier
  WHERE c.customer_key IS NOT NULL AND EXISTS (SELECT 1 FROM _SESSION.c360_changed AS rec WHERE rec.source = c.source AND rec.source_id = c.customer_id)
  UNION ALL
  SELECT k.source, k.member_id, k.own_key, identifier
  FROM (SELECT source, member_id, coalesce(customer_key, doc, email, phone) AS own_key, doc, email, phone FROM (
  SELECT m.source, m.member_id, m.customer_key, (CASE WHEN lower(m.document_type) IN ('cpf', 'cnpj') AND REGEXP_REPLACE(m.document, r'\D', '') <> ''
  THEN lower(m.document_type) || ':' || REGEXP_REPLACE(m.document, r'\D', '') END) AS doc,
  'email:' || (CASE WHEN REGEXP_CONTAINS(lower(trim(m.email)), r'^([^\s@]+@[^\s@]+\.[^\s@]+)$')
  AND NOT ends_with(lower(trim(m.email)), '@ct.vtex.com.br') AND NOT ends_with(lower(trim(m.email)), '.ct.vtex.com.br')
  THEN lower(trim(m.email)) END) AS email, 'phone:' || (CASE WHEN starts_with(trim(m.phone), '+') AND length(REGEXP_REPLACE(m.phone, r'\D', '')) BETWEEN 8 AND 15
    THEN '+' || REGEXP_REPLACE(m.phone, r'\D', '') END) AS phone
  FROM `farol-test.analytics.silver_club_members` m WHERE true AND EXISTS (SELECT 1 FROM _SESSION.c360_changed AS rec WHERE rec.source = m.source AND rec.source_id = m.member_id)) AS keyed) AS k CROSS JOIN UNNEST([k.own_key, k.doc, k.email, k.phone]) AS identifier
  WHERE k.own_key IS NOT NULL
) AS links WHERE identifier IS NOT NULL;

-- transaction (in the session); params: []

    CREATE OR REPLACE TEMP TABLE c360_links_before AS
    SELECT l.source, l.source_id, l.own_key, l.identifier FROM `farol-test.analytics.gold_customer_identity_links` l WHERE EXISTS (SELECT 1 FROM _SESSION.c360_changed AS rec WHERE rec.source = l.source AND rec.source_id = l.source_id);

-- transaction (in the session); params: []

    SELECT 1 AS one FROM ((SELECT * FROM _SESSION.c360_links_now EXCEPT DISTINCT SELECT * FROM _SESSION.c360_links_before)
  UNION ALL (SELECT * FROM _SESSION.c360_links_before EXCEPT DISTINCT SELECT * FROM _SESSION.c360_links_now)) AS differences LIMIT 1;

-- transaction (in the session); params: []
DROP TABLE _SESSION.c360_links_now;

-- transaction (in the session); params: []
DROP TABLE _SESSION.c360_links_before;

-- transaction (in the session); params: []

  CREATE OR REPLACE TEMP TABLE stage_changed_customer_360 AS
  SELECT DISTINCT customer_id FROM (SELECT ci.customer_id FROM `farol-test.analytics.gold_customer_identity` ci WHERE EXISTS (SELECT 1 FROM _SESSION.c360_changed AS rec WHERE rec.source = ci.source AND rec.source_id = ci.source_id)) AS touched;

-- transaction (in the session); params: []
DROP TABLE _SESSION.c360_changed;

-- transaction (in the session); params: []
DELETE FROM `farol-test.analytics.gold_customer_360` WHERE customer_id IN (SELECT customer_id FROM _SESSION.stage_changed_customer_360);

-- transaction (in the session); params: []

    INSERT INTO `farol-test.analytics.gold_customer_360` (customer_id, key_type, vtex_user_profile_id, master_data_id, club_member_id, name, first_name, document, document_type, email, phone, state, city, first_order_at, last_order_at, first_order_date, last_order_date, orders, ltv, average_ticket, average_days_between_orders, orders_last_365d, days_since_last_order, is_returning, segment, club_status, club_tier, marketing_opt_in, club_store, refreshed_on)
    WITH members AS (SELECT ci.* FROM `farol-test.analytics.gold_customer_identity` ci WHERE ci.customer_id IN (SELECT customer_id FROM _SESSION.stage_changed_customer_360)),
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
