-- transaction (in the session); params: ["STRING \"BRL\"","INT64 0","INT64 0","INT64 0","INT64 0","STRING \"^[^\\\\s@]+@[^\\\\s@]+\\\\.[^\\\\s@]+$\""]
SELECT COUNTIF(checked.failing_0) AS failing_count_0, ARRAY_AGG(IF(checked.failing_0, checked.sample_key_0, NULL) IGNORE NULLS ORDER BY IF(checked.failing_0, checked.sample_key_0, NULL) IS NULL, IF(checked.failing_0, checked.sample_key_0, NULL) LIMIT 10) AS sample_keys_0,
  COUNTIF(checked.failing_1) AS failing_count_1, ARRAY_AGG(IF(checked.failing_1, checked.sample_key_1, NULL) IGNORE NULLS ORDER BY IF(checked.failing_1, checked.sample_key_1, NULL) IS NULL, IF(checked.failing_1, checked.sample_key_1, NULL) LIMIT 10) AS sample_keys_1,
  COUNTIF(checked.failing_2) AS failing_count_2, ARRAY_AGG(IF(checked.failing_2, checked.sample_key_2, NULL) IGNORE NULLS ORDER BY IF(checked.failing_2, checked.sample_key_2, NULL) IS NULL, IF(checked.failing_2, checked.sample_key_2, NULL) LIMIT 10) AS sample_keys_2,
  COUNTIF(checked.failing_3) AS failing_count_3, ARRAY_AGG(IF(checked.failing_3, checked.sample_key_3, NULL) IGNORE NULLS ORDER BY IF(checked.failing_3, checked.sample_key_3, NULL) IS NULL, IF(checked.failing_3, checked.sample_key_3, NULL) LIMIT 10) AS sample_keys_3,
  COUNTIF(checked.failing_4) AS failing_count_4, ARRAY_AGG(IF(checked.failing_4, checked.sample_key_4, NULL) IGNORE NULLS ORDER BY IF(checked.failing_4, checked.sample_key_4, NULL) IS NULL, IF(checked.failing_4, checked.sample_key_4, NULL) LIMIT 10) AS sample_keys_4,
  COUNTIF(checked.failing_5) AS failing_count_5, ARRAY_AGG(IF(checked.failing_5, checked.sample_key_5, NULL) IGNORE NULLS ORDER BY IF(checked.failing_5, checked.sample_key_5, NULL) IS NULL, IF(checked.failing_5, checked.sample_key_5, NULL) LIMIT 10) AS sample_keys_5,
  COUNTIF(checked.failing_6) AS failing_count_6, ARRAY_AGG(IF(checked.failing_6, checked.sample_key_6, NULL) IGNORE NULLS ORDER BY IF(checked.failing_6, checked.sample_key_6, NULL) IS NULL, IF(checked.failing_6, checked.sample_key_6, NULL) LIMIT 10) AS sample_keys_6,
  COUNTIF(checked.failing_7) AS failing_count_7, ARRAY_AGG(IF(checked.failing_7, checked.sample_key_7, NULL) IGNORE NULLS ORDER BY IF(checked.failing_7, checked.sample_key_7, NULL) IS NULL, IF(checked.failing_7, checked.sample_key_7, NULL) LIMIT 10) AS sample_keys_7,
  COUNTIF(checked.failing_8) AS failing_count_8, ARRAY_AGG(IF(checked.failing_8, checked.sample_key_8, NULL) IGNORE NULLS ORDER BY IF(checked.failing_8, checked.sample_key_8, NULL) IS NULL, IF(checked.failing_8, checked.sample_key_8, NULL) LIMIT 10) AS sample_keys_8,
  COUNTIF(checked.failing_9) AS failing_count_9, ARRAY_AGG(IF(checked.failing_9, checked.sample_key_9, NULL) IGNORE NULLS ORDER BY IF(checked.failing_9, checked.sample_key_9, NULL) IS NULL, IF(checked.failing_9, checked.sample_key_9, NULL) LIMIT 10) AS sample_keys_9,
  COUNTIF(checked.failing_10) AS failing_count_10, ARRAY_AGG(IF(checked.failing_10, checked.sample_key_10, NULL) IGNORE NULLS ORDER BY IF(checked.failing_10, checked.sample_key_10, NULL) IS NULL, IF(checked.failing_10, checked.sample_key_10, NULL) LIMIT 10) AS sample_keys_10
FROM (SELECT (t.`source` IS NULL) AS failing_0, CONCAT(coalesce(CAST(t.`source` AS STRING), 'null'), ':', coalesce(CAST(t.`order_id` AS STRING), 'null')) AS sample_key_0,
    (t.`order_id` IS NULL) AS failing_1, CONCAT(coalesce(CAST(t.`source` AS STRING), 'null'), ':', coalesce(CAST(t.`order_id` AS STRING), 'null')) AS sample_key_1,
    (t.`status` IS NULL) AS failing_2, CONCAT(coalesce(CAST(t.`source` AS STRING), 'null'), ':', coalesce(CAST(t.`order_id` AS STRING), 'null')) AS sample_key_2,
    (t.`created_at` IS NULL) AS failing_3, CONCAT(coalesce(CAST(t.`source` AS STRING), 'null'), ':', coalesce(CAST(t.`order_id` AS STRING), 'null')) AS sample_key_3,
    (t.`last_change` IS NULL) AS failing_4, CONCAT(coalesce(CAST(t.`source` AS STRING), 'null'), ':', coalesce(CAST(t.`order_id` AS STRING), 'null')) AS sample_key_4,
    (t.`currency` IS NOT NULL AND t.`currency` NOT IN (?)) AS failing_5, CONCAT(coalesce(CAST(t.`source` AS STRING), 'null'), ':', coalesce(CAST(t.`order_id` AS STRING), 'null')) AS sample_key_5,
    (t.`items_total` IS NOT NULL AND (t.`items_total` < ?)) AS failing_6, CONCAT(coalesce(CAST(t.`source` AS STRING), 'null'), ':', coalesce(CAST(t.`order_id` AS STRING), 'null')) AS sample_key_6,
    (t.`shipping_total` IS NOT NULL AND (t.`shipping_total` < ?)) AS failing_7, CONCAT(coalesce(CAST(t.`source` AS STRING), 'null'), ':', coalesce(CAST(t.`order_id` AS STRING), 'null')) AS sample_key_7,
    (t.`total` IS NOT NULL AND (t.`total` < ?)) AS failing_8, CONCAT(coalesce(CAST(t.`source` AS STRING), 'null'), ':', coalesce(CAST(t.`order_id` AS STRING), 'null')) AS sample_key_8,
    (t.`discounts_total` IS NOT NULL AND (t.`discounts_total` > ?)) AS failing_9, CONCAT(coalesce(CAST(t.`source` AS STRING), 'null'), ':', coalesce(CAST(t.`order_id` AS STRING), 'null')) AS sample_key_9,
    (t.`customer_email` IS NOT NULL AND NOT REGEXP_CONTAINS(lower(trim(t.`customer_email`)), ?)) AS failing_10, CONCAT(coalesce(CAST(t.`source` AS STRING), 'null'), ':', coalesce(CAST(t.`order_id` AS STRING), 'null')) AS sample_key_10
  FROM `farol-test.analytics.silver_orders` AS t) AS checked;

-- transaction (in the session); params: ["INT64 0","INT64 0","INT64 0"]
SELECT COUNTIF(checked.failing_0) AS failing_count_0, ARRAY_AGG(IF(checked.failing_0, checked.sample_key_0, NULL) IGNORE NULLS ORDER BY IF(checked.failing_0, checked.sample_key_0, NULL) IS NULL, IF(checked.failing_0, checked.sample_key_0, NULL) LIMIT 10) AS sample_keys_0,
  COUNTIF(checked.failing_1) AS failing_count_1, ARRAY_AGG(IF(checked.failing_1, checked.sample_key_1, NULL) IGNORE NULLS ORDER BY IF(checked.failing_1, checked.sample_key_1, NULL) IS NULL, IF(checked.failing_1, checked.sample_key_1, NULL) LIMIT 10) AS sample_keys_1,
  COUNTIF(checked.failing_2) AS failing_count_2, ARRAY_AGG(IF(checked.failing_2, checked.sample_key_2, NULL) IGNORE NULLS ORDER BY IF(checked.failing_2, checked.sample_key_2, NULL) IS NULL, IF(checked.failing_2, checked.sample_key_2, NULL) LIMIT 10) AS sample_keys_2,
  COUNTIF(checked.failing_3) AS failing_count_3, ARRAY_AGG(IF(checked.failing_3, checked.sample_key_3, NULL) IGNORE NULLS ORDER BY IF(checked.failing_3, checked.sample_key_3, NULL) IS NULL, IF(checked.failing_3, checked.sample_key_3, NULL) LIMIT 10) AS sample_keys_3,
  COUNTIF(checked.failing_4) AS failing_count_4, ARRAY_AGG(IF(checked.failing_4, checked.sample_key_4, NULL) IGNORE NULLS ORDER BY IF(checked.failing_4, checked.sample_key_4, NULL) IS NULL, IF(checked.failing_4, checked.sample_key_4, NULL) LIMIT 10) AS sample_keys_4,
  COUNTIF(checked.failing_5) AS failing_count_5, ARRAY_AGG(IF(checked.failing_5, checked.sample_key_5, NULL) IGNORE NULLS ORDER BY IF(checked.failing_5, checked.sample_key_5, NULL) IS NULL, IF(checked.failing_5, checked.sample_key_5, NULL) LIMIT 10) AS sample_keys_5
FROM (SELECT (t.`source` IS NULL) AS failing_0, CONCAT(coalesce(CAST(t.`source` AS STRING), 'null'), ':', coalesce(CAST(t.`order_id` AS STRING), 'null'), ':', coalesce(CAST(t.`item_index` AS STRING), 'null')) AS sample_key_0,
    (t.`order_id` IS NULL) AS failing_1, CONCAT(coalesce(CAST(t.`source` AS STRING), 'null'), ':', coalesce(CAST(t.`order_id` AS STRING), 'null'), ':', coalesce(CAST(t.`item_index` AS STRING), 'null')) AS sample_key_1,
    (t.`item_index` IS NULL) AS failing_2, CONCAT(coalesce(CAST(t.`source` AS STRING), 'null'), ':', coalesce(CAST(t.`order_id` AS STRING), 'null'), ':', coalesce(CAST(t.`item_index` AS STRING), 'null')) AS sample_key_2,
    (t.`quantity` IS NOT NULL AND (t.`quantity` < ?)) AS failing_3, CONCAT(coalesce(CAST(t.`source` AS STRING), 'null'), ':', coalesce(CAST(t.`order_id` AS STRING), 'null'), ':', coalesce(CAST(t.`item_index` AS STRING), 'null')) AS sample_key_3,
    (t.`selling_price` IS NOT NULL AND (t.`selling_price` < ?)) AS failing_4, CONCAT(coalesce(CAST(t.`source` AS STRING), 'null'), ':', coalesce(CAST(t.`order_id` AS STRING), 'null'), ':', coalesce(CAST(t.`item_index` AS STRING), 'null')) AS sample_key_4,
    (t.`unit_price` IS NOT NULL AND (t.`unit_price` < ?)) AS failing_5, CONCAT(coalesce(CAST(t.`source` AS STRING), 'null'), ':', coalesce(CAST(t.`order_id` AS STRING), 'null'), ':', coalesce(CAST(t.`item_index` AS STRING), 'null')) AS sample_key_5
  FROM `farol-test.analytics.silver_order_items` AS t) AS checked;

-- transaction (in the session); params: ["INT64 0"]
SELECT COUNTIF(checked.failing_0) AS failing_count_0, ARRAY_AGG(IF(checked.failing_0, checked.sample_key_0, NULL) IGNORE NULLS ORDER BY IF(checked.failing_0, checked.sample_key_0, NULL) IS NULL, IF(checked.failing_0, checked.sample_key_0, NULL) LIMIT 10) AS sample_keys_0,
  COUNTIF(checked.failing_1) AS failing_count_1, ARRAY_AGG(IF(checked.failing_1, checked.sample_key_1, NULL) IGNORE NULLS ORDER BY IF(checked.failing_1, checked.sample_key_1, NULL) IS NULL, IF(checked.failing_1, checked.sample_key_1, NULL) LIMIT 10) AS sample_keys_1,
  COUNTIF(checked.failing_2) AS failing_count_2, ARRAY_AGG(IF(checked.failing_2, checked.sample_key_2, NULL) IGNORE NULLS ORDER BY IF(checked.failing_2, checked.sample_key_2, NULL) IS NULL, IF(checked.failing_2, checked.sample_key_2, NULL) LIMIT 10) AS sample_keys_2
FROM (SELECT (t.`order_key` IS NULL) AS failing_0, coalesce(CAST(t.`order_key` AS STRING), 'null') AS sample_key_0,
    (t.`order_date` IS NULL) AS failing_1, coalesce(CAST(t.`order_key` AS STRING), 'null') AS sample_key_1,
    (t.`total` IS NOT NULL AND (t.`total` < ?)) AS failing_2, coalesce(CAST(t.`order_key` AS STRING), 'null') AS sample_key_2
  FROM `farol-test.analytics.gold_fct_orders` AS t) AS checked;

-- transaction (in the session); params: ["STRING \"document\"","STRING \"email\"","STRING \"phone\"","STRING \"profile\""]
SELECT COUNTIF(checked.failing_0) AS failing_count_0, ARRAY_AGG(IF(checked.failing_0, checked.sample_key_0, NULL) IGNORE NULLS ORDER BY IF(checked.failing_0, checked.sample_key_0, NULL) IS NULL, IF(checked.failing_0, checked.sample_key_0, NULL) LIMIT 10) AS sample_keys_0,
  COUNTIF(checked.failing_1) AS failing_count_1, ARRAY_AGG(IF(checked.failing_1, checked.sample_key_1, NULL) IGNORE NULLS ORDER BY IF(checked.failing_1, checked.sample_key_1, NULL) IS NULL, IF(checked.failing_1, checked.sample_key_1, NULL) LIMIT 10) AS sample_keys_1
FROM (SELECT (t.`customer_id` IS NULL) AS failing_0, CONCAT(coalesce(CAST(t.`source` AS STRING), 'null'), ':', coalesce(CAST(t.`source_id` AS STRING), 'null')) AS sample_key_0,
    (t.`matched_by` IS NOT NULL AND t.`matched_by` NOT IN (?, ?, ?, ?)) AS failing_1, CONCAT(coalesce(CAST(t.`source` AS STRING), 'null'), ':', coalesce(CAST(t.`source_id` AS STRING), 'null')) AS sample_key_1
  FROM `farol-test.analytics.gold_customer_identity` AS t) AS checked;

-- transaction (in the session); params: ["STRING \"cpf\"","STRING \"cnpj\"","STRING \"email\"","STRING \"phone\"","STRING \"profile\"","STRING \"prospect\"","STRING \"champions\"","STRING \"new\"","STRING \"loyal\"","STRING \"at_risk\"","STRING \"hibernating\"","STRING \"lost\"","INT64 0","INT64 0","INT64 0","STRING \"^[^\\\\s@]+@[^\\\\s@]+\\\\.[^\\\\s@]+$\""]
SELECT COUNTIF(checked.failing_0) AS failing_count_0, ARRAY_AGG(IF(checked.failing_0, checked.sample_key_0, NULL) IGNORE NULLS ORDER BY IF(checked.failing_0, checked.sample_key_0, NULL) IS NULL, IF(checked.failing_0, checked.sample_key_0, NULL) LIMIT 10) AS sample_keys_0,
  COUNTIF(checked.failing_1) AS failing_count_1, ARRAY_AGG(IF(checked.failing_1, checked.sample_key_1, NULL) IGNORE NULLS ORDER BY IF(checked.failing_1, checked.sample_key_1, NULL) IS NULL, IF(checked.failing_1, checked.sample_key_1, NULL) LIMIT 10) AS sample_keys_1,
  COUNTIF(checked.failing_2) AS failing_count_2, ARRAY_AGG(IF(checked.failing_2, checked.sample_key_2, NULL) IGNORE NULLS ORDER BY IF(checked.failing_2, checked.sample_key_2, NULL) IS NULL, IF(checked.failing_2, checked.sample_key_2, NULL) LIMIT 10) AS sample_keys_2,
  COUNTIF(checked.failing_3) AS failing_count_3, ARRAY_AGG(IF(checked.failing_3, checked.sample_key_3, NULL) IGNORE NULLS ORDER BY IF(checked.failing_3, checked.sample_key_3, NULL) IS NULL, IF(checked.failing_3, checked.sample_key_3, NULL) LIMIT 10) AS sample_keys_3,
  COUNTIF(checked.failing_4) AS failing_count_4, ARRAY_AGG(IF(checked.failing_4, checked.sample_key_4, NULL) IGNORE NULLS ORDER BY IF(checked.failing_4, checked.sample_key_4, NULL) IS NULL, IF(checked.failing_4, checked.sample_key_4, NULL) LIMIT 10) AS sample_keys_4,
  COUNTIF(checked.failing_5) AS failing_count_5, ARRAY_AGG(IF(checked.failing_5, checked.sample_key_5, NULL) IGNORE NULLS ORDER BY IF(checked.failing_5, checked.sample_key_5, NULL) IS NULL, IF(checked.failing_5, checked.sample_key_5, NULL) LIMIT 10) AS sample_keys_5,
  COUNTIF(checked.failing_6) AS failing_count_6, ARRAY_AGG(IF(checked.failing_6, checked.sample_key_6, NULL) IGNORE NULLS ORDER BY IF(checked.failing_6, checked.sample_key_6, NULL) IS NULL, IF(checked.failing_6, checked.sample_key_6, NULL) LIMIT 10) AS sample_keys_6
FROM (SELECT (t.`key_type` IS NOT NULL AND t.`key_type` NOT IN (?, ?, ?, ?, ?)) AS failing_0, coalesce(CAST(t.`customer_id` AS STRING), 'null') AS sample_key_0,
    (t.`segment` IS NOT NULL AND t.`segment` NOT IN (?, ?, ?, ?, ?, ?, ?)) AS failing_1, coalesce(CAST(t.`customer_id` AS STRING), 'null') AS sample_key_1,
    (t.`segment` IS NULL) AS failing_2, coalesce(CAST(t.`customer_id` AS STRING), 'null') AS sample_key_2,
    (t.`orders` IS NOT NULL AND (t.`orders` < ?)) AS failing_3, coalesce(CAST(t.`customer_id` AS STRING), 'null') AS sample_key_3,
    (t.`orders_last_365d` IS NOT NULL AND (t.`orders_last_365d` < ?)) AS failing_4, coalesce(CAST(t.`customer_id` AS STRING), 'null') AS sample_key_4,
    (t.`ltv` IS NOT NULL AND (t.`ltv` < ?)) AS failing_5, coalesce(CAST(t.`customer_id` AS STRING), 'null') AS sample_key_5,
    (t.`email` IS NOT NULL AND NOT REGEXP_CONTAINS(lower(trim(t.`email`)), ?)) AS failing_6, coalesce(CAST(t.`customer_id` AS STRING), 'null') AS sample_key_6
  FROM `farol-test.analytics.gold_customer_360` AS t) AS checked;

-- transaction (in the session); params: []
WITH failing AS (
  SELECT CONCAT(coalesce(CAST(t.`source` AS STRING), 'null'), ':', coalesce(CAST(t.`order_id` AS STRING), 'null')) AS sample_key
  FROM `farol-test.analytics.silver_orders` AS t
  WHERE (EXISTS (SELECT 1 FROM (SELECT dup.`source`, dup.`order_id` FROM `farol-test.analytics.silver_orders` AS dup WHERE dup.`source` IS NOT NULL AND dup.`order_id` IS NOT NULL GROUP BY dup.`source`, dup.`order_id` HAVING count(*) > 1) AS dups WHERE dups.`source` = t.`source` AND dups.`order_id` = t.`order_id`))
)
SELECT (SELECT count(*) FROM failing) AS failing_count,
  (SELECT ARRAY_AGG(sample_key ORDER BY sample_key)
  FROM (SELECT DISTINCT sample_key FROM failing ORDER BY sample_key LIMIT 10) AS samples) AS sample_keys;

-- transaction (in the session); params: []
SELECT DISTINCT CAST(t.`document` AS STRING) AS value FROM `farol-test.analytics.silver_orders` AS t WHERE t.`document` IS NOT NULL AND (document_type IS NULL OR lower(document_type) IN ('cpf', 'cnpj'));

-- transaction (in the session); params: ["STRING \"[\\\"12345678900\\\"]\""]
WITH failing AS (
  SELECT CONCAT(coalesce(CAST(t.`source` AS STRING), 'null'), ':', coalesce(CAST(t.`order_id` AS STRING), 'null')) AS sample_key
  FROM `farol-test.analytics.silver_orders` AS t
  WHERE (document_type IS NULL OR lower(document_type) IN ('cpf', 'cnpj'))
    AND (CAST(t.`document` AS STRING) IN (SELECT v FROM UNNEST(JSON_VALUE_ARRAY(?, '$')) AS v))
)
SELECT (SELECT count(*) FROM failing) AS failing_count,
  (SELECT ARRAY_AGG(sample_key ORDER BY sample_key)
  FROM (SELECT DISTINCT sample_key FROM failing ORDER BY sample_key LIMIT 10) AS samples) AS sample_keys;

-- transaction (in the session); params: []
WITH failing AS (
  SELECT CONCAT(coalesce(CAST(t.`source` AS STRING), 'null'), ':', coalesce(CAST(t.`order_id` AS STRING), 'null'), ':', coalesce(CAST(t.`item_index` AS STRING), 'null')) AS sample_key
  FROM `farol-test.analytics.silver_order_items` AS t
  WHERE (EXISTS (SELECT 1 FROM (SELECT dup.`source`, dup.`order_id`, dup.`item_index` FROM `farol-test.analytics.silver_order_items` AS dup WHERE dup.`source` IS NOT NULL AND dup.`order_id` IS NOT NULL AND dup.`item_index` IS NOT NULL GROUP BY dup.`source`, dup.`order_id`, dup.`item_index` HAVING count(*) > 1) AS dups WHERE dups.`source` = t.`source` AND dups.`order_id` = t.`order_id` AND dups.`item_index` = t.`item_index`))
)
SELECT (SELECT count(*) FROM failing) AS failing_count,
  (SELECT ARRAY_AGG(sample_key ORDER BY sample_key)
  FROM (SELECT DISTINCT sample_key FROM failing ORDER BY sample_key LIMIT 10) AS samples) AS sample_keys;

-- transaction (in the session); params: []
WITH failing AS (
  SELECT CONCAT(coalesce(CAST(t.`source` AS STRING), 'null'), ':', coalesce(CAST(t.`order_id` AS STRING), 'null'), ':', coalesce(CAST(t.`item_index` AS STRING), 'null')) AS sample_key
  FROM `farol-test.analytics.silver_order_items` AS t
  WHERE (t.`source` IS NOT NULL AND t.`order_id` IS NOT NULL AND NOT EXISTS (SELECT 1 FROM `farol-test.analytics.silver_orders` AS ref WHERE ref.`source` = t.`source` AND ref.`order_id` = t.`order_id`))
)
SELECT (SELECT count(*) FROM failing) AS failing_count,
  (SELECT ARRAY_AGG(sample_key ORDER BY sample_key)
  FROM (SELECT DISTINCT sample_key FROM failing ORDER BY sample_key LIMIT 10) AS samples) AS sample_keys;

-- transaction (in the session); params: []
WITH failing AS (
  SELECT coalesce(CAST(t.`order_key` AS STRING), 'null') AS sample_key
  FROM `farol-test.analytics.gold_fct_orders` AS t
  WHERE (EXISTS (SELECT 1 FROM (SELECT dup.`order_key` FROM `farol-test.analytics.gold_fct_orders` AS dup WHERE dup.`order_key` IS NOT NULL GROUP BY dup.`order_key` HAVING count(*) > 1) AS dups WHERE dups.`order_key` = t.`order_key`))
)
SELECT (SELECT count(*) FROM failing) AS failing_count,
  (SELECT ARRAY_AGG(sample_key ORDER BY sample_key)
  FROM (SELECT DISTINCT sample_key FROM failing ORDER BY sample_key LIMIT 10) AS samples) AS sample_keys;

-- transaction (in the session); params: []
WITH failing AS (
  SELECT coalesce(CAST(t.`order_key` AS STRING), 'null') AS sample_key
  FROM `farol-test.analytics.gold_fct_orders` AS t
  WHERE (t.`channel_key` IS NOT NULL AND NOT EXISTS (SELECT 1 FROM `farol-test.analytics.gold_dim_channel` AS ref WHERE ref.`channel_key` = t.`channel_key`))
)
SELECT (SELECT count(*) FROM failing) AS failing_count,
  (SELECT ARRAY_AGG(sample_key ORDER BY sample_key)
  FROM (SELECT DISTINCT sample_key FROM failing ORDER BY sample_key LIMIT 10) AS samples) AS sample_keys;

-- transaction (in the session); params: []
WITH failing AS (
  SELECT coalesce(CAST(t.`order_key` AS STRING), 'null') AS sample_key
  FROM `farol-test.analytics.gold_fct_orders` AS t
  WHERE (t.`status` IS NOT NULL AND NOT EXISTS (SELECT 1 FROM `farol-test.analytics.gold_dim_order_status` AS ref WHERE ref.`status` = t.`status`))
)
SELECT (SELECT count(*) FROM failing) AS failing_count,
  (SELECT ARRAY_AGG(sample_key ORDER BY sample_key)
  FROM (SELECT DISTINCT sample_key FROM failing ORDER BY sample_key LIMIT 10) AS samples) AS sample_keys;

-- transaction (in the session); params: ["STRING \"2025-03-12T14:30:00.000Z\""]
SELECT count(t.`last_change`) AS row_count, max(t.`last_change`) AS latest, max(t.`last_change`) < CAST(? AS TIMESTAMP) AS stale FROM `farol-test.analytics.gold_fct_orders` AS t;

-- transaction (in the session); params: []
WITH failing AS (
  SELECT CONCAT(coalesce(CAST(t.`order_key` AS STRING), 'null'), ':', coalesce(CAST(t.`item_index` AS STRING), 'null')) AS sample_key
  FROM `farol-test.analytics.gold_fct_sales` AS t
  WHERE (EXISTS (SELECT 1 FROM (SELECT dup.`order_key`, dup.`item_index` FROM `farol-test.analytics.gold_fct_sales` AS dup WHERE dup.`order_key` IS NOT NULL AND dup.`item_index` IS NOT NULL GROUP BY dup.`order_key`, dup.`item_index` HAVING count(*) > 1) AS dups WHERE dups.`order_key` = t.`order_key` AND dups.`item_index` = t.`item_index`))
)
SELECT (SELECT count(*) FROM failing) AS failing_count,
  (SELECT ARRAY_AGG(sample_key ORDER BY sample_key)
  FROM (SELECT DISTINCT sample_key FROM failing ORDER BY sample_key LIMIT 10) AS samples) AS sample_keys;

-- transaction (in the session); params: []
WITH failing AS (
  SELECT CONCAT(coalesce(CAST(t.`order_key` AS STRING), 'null'), ':', coalesce(CAST(t.`item_index` AS STRING), 'null')) AS sample_key
  FROM `farol-test.analytics.gold_fct_sales` AS t
  WHERE (t.`order_key` IS NOT NULL AND NOT EXISTS (SELECT 1 FROM `farol-test.analytics.gold_fct_orders` AS ref WHERE ref.`order_key` = t.`order_key`))
)
SELECT (SELECT count(*) FROM failing) AS failing_count,
  (SELECT ARRAY_AGG(sample_key ORDER BY sample_key)
  FROM (SELECT DISTINCT sample_key FROM failing ORDER BY sample_key LIMIT 10) AS samples) AS sample_keys;

-- transaction (in the session); params: []
WITH failing AS (
  SELECT CONCAT(coalesce(CAST(t.`order_key` AS STRING), 'null'), ':', coalesce(CAST(t.`item_index` AS STRING), 'null')) AS sample_key
  FROM `farol-test.analytics.gold_fct_sales` AS t
  WHERE (t.`product_key` IS NOT NULL AND NOT EXISTS (SELECT 1 FROM `farol-test.analytics.gold_dim_product` AS ref WHERE ref.`product_key` = t.`product_key`))
)
SELECT (SELECT count(*) FROM failing) AS failing_count,
  (SELECT ARRAY_AGG(sample_key ORDER BY sample_key)
  FROM (SELECT DISTINCT sample_key FROM failing ORDER BY sample_key LIMIT 10) AS samples) AS sample_keys;

-- transaction (in the session); params: []
WITH failing AS (
  SELECT CONCAT(coalesce(CAST(t.`source` AS STRING), 'null'), ':', coalesce(CAST(t.`source_id` AS STRING), 'null')) AS sample_key
  FROM `farol-test.analytics.gold_customer_identity` AS t
  WHERE (EXISTS (SELECT 1 FROM (SELECT dup.`source`, dup.`source_id` FROM `farol-test.analytics.gold_customer_identity` AS dup WHERE dup.`source` IS NOT NULL AND dup.`source_id` IS NOT NULL GROUP BY dup.`source`, dup.`source_id` HAVING count(*) > 1) AS dups WHERE dups.`source` = t.`source` AND dups.`source_id` = t.`source_id`))
)
SELECT (SELECT count(*) FROM failing) AS failing_count,
  (SELECT ARRAY_AGG(sample_key ORDER BY sample_key)
  FROM (SELECT DISTINCT sample_key FROM failing ORDER BY sample_key LIMIT 10) AS samples) AS sample_keys;

-- transaction (in the session); params: []
WITH failing AS (
  SELECT CONCAT(coalesce(CAST(t.`source` AS STRING), 'null'), ':', coalesce(CAST(t.`source_id` AS STRING), 'null')) AS sample_key
  FROM `farol-test.analytics.gold_customer_identity` AS t
  WHERE (t.`customer_id` IS NOT NULL AND NOT EXISTS (SELECT 1 FROM `farol-test.analytics.gold_customer_360` AS ref WHERE ref.`customer_id` = t.`customer_id`))
)
SELECT (SELECT count(*) FROM failing) AS failing_count,
  (SELECT ARRAY_AGG(sample_key ORDER BY sample_key)
  FROM (SELECT DISTINCT sample_key FROM failing ORDER BY sample_key LIMIT 10) AS samples) AS sample_keys;

-- transaction (in the session); params: []
WITH failing AS (
  SELECT coalesce(CAST(t.`customer_id` AS STRING), 'null') AS sample_key
  FROM `farol-test.analytics.gold_customer_360` AS t
  WHERE (EXISTS (SELECT 1 FROM (SELECT dup.`customer_id` FROM `farol-test.analytics.gold_customer_360` AS dup WHERE dup.`customer_id` IS NOT NULL GROUP BY dup.`customer_id` HAVING count(*) > 1) AS dups WHERE dups.`customer_id` = t.`customer_id`))
)
SELECT (SELECT count(*) FROM failing) AS failing_count,
  (SELECT ARRAY_AGG(sample_key ORDER BY sample_key)
  FROM (SELECT DISTINCT sample_key FROM failing ORDER BY sample_key LIMIT 10) AS samples) AS sample_keys;

-- transaction (in the session); params: []
WITH failing AS (
  SELECT coalesce(CAST(t.`customer_id` AS STRING), 'null') AS sample_key
  FROM `farol-test.analytics.gold_customer_360` AS t
  WHERE (t.`customer_id` IS NOT NULL AND NOT EXISTS (SELECT 1 FROM `farol-test.analytics.gold_customer_identity` AS ref WHERE ref.`customer_id` = t.`customer_id`))
)
SELECT (SELECT count(*) FROM failing) AS failing_count,
  (SELECT ARRAY_AGG(sample_key ORDER BY sample_key)
  FROM (SELECT DISTINCT sample_key FROM failing ORDER BY sample_key LIMIT 10) AS samples) AS sample_keys;

-- transaction (in the session); params: []
SELECT DISTINCT CAST(t.`document` AS STRING) AS value FROM `farol-test.analytics.gold_customer_360` AS t WHERE t.`document` IS NOT NULL;

-- transaction (in the session); params: ["STRING \"[\\\"12345678900\\\"]\""]
WITH failing AS (
  SELECT coalesce(CAST(t.`customer_id` AS STRING), 'null') AS sample_key
  FROM `farol-test.analytics.gold_customer_360` AS t
  WHERE (CAST(t.`document` AS STRING) IN (SELECT v FROM UNNEST(JSON_VALUE_ARRAY(?, '$')) AS v))
)
SELECT (SELECT count(*) FROM failing) AS failing_count,
  (SELECT ARRAY_AGG(sample_key ORDER BY sample_key)
  FROM (SELECT DISTINCT sample_key FROM failing ORDER BY sample_key LIMIT 10) AS samples) AS sample_keys;
