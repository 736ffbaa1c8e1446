-- transaction; params: []
BEGIN TRANSACTION;

-- transaction (in the session); params: []

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
;

-- transaction (in the session); params: ["STRING \"vtex-catalog\"","STRING \"sku\"","STRING \"price\"","INT64 100","INT64 250"]
CREATE OR REPLACE TEMP TABLE catalog_sku_checked AS 
  WITH b AS (
    SELECT *, IFNULL(JSON_TYPE(SAFE.PARSE_JSON(payload, wide_number_mode => 'round')) = 'object', false) AS is_object FROM (SELECT seq, record_id, entity, natural_key, payload, received_at FROM `farol-test.analytics.bronze_records`
  WHERE source = ? AND entity IN (?, ?) AND seq > ? AND seq <= ?) x WHERE entity = 'sku'
  ),
  j AS (SELECT *, IF(is_object, SAFE.PARSE_JSON(payload, wide_number_mode => 'round'), PARSE_JSON('{}')) AS p FROM b),
  fields AS (
    SELECT seq, record_id, natural_key, payload, received_at, is_object, p,
  COALESCE(JSON_VALUE(p, '$.Id'), NULLIF(TO_JSON_STRING(JSON_QUERY(p, '$.Id')), 'null')) AS id, JSON_TYPE(JSON_QUERY(p, '$.Id')) AS id_type, JSON_TYPE(JSON_QUERY(p, '$.IsActive')) AS active_type,
  COALESCE(JSON_VALUE(p, '$.ProductId'), NULLIF(TO_JSON_STRING(JSON_QUERY(p, '$.ProductId')), 'null')) AS product_id, NULLIF(TRIM(COALESCE(JSON_VALUE(p, '$.NameComplete'), NULLIF(TO_JSON_STRING(JSON_QUERY(p, '$.NameComplete')), 'null'))), '') AS name,
  NULLIF(TRIM(COALESCE(JSON_VALUE(p, '$.ProductName'), NULLIF(TO_JSON_STRING(JSON_QUERY(p, '$.ProductName')), 'null'))), '') AS product_name, NULLIF(TRIM(COALESCE(JSON_VALUE(p, '$.SkuName'), NULLIF(TO_JSON_STRING(JSON_QUERY(p, '$.SkuName')), 'null'))), '') AS sku_name,
  NULLIF(TRIM(COALESCE(JSON_VALUE(p, '$.BrandId'), NULLIF(TO_JSON_STRING(JSON_QUERY(p, '$.BrandId')), 'null'))), '') AS brand_id, NULLIF(TRIM(COALESCE(JSON_VALUE(p, '$.BrandName'), NULLIF(TO_JSON_STRING(JSON_QUERY(p, '$.BrandName')), 'null'))), '') AS brand_name,
  NULLIF(TRIM(COALESCE(JSON_VALUE(p, '$.ProductCategoryIds'), NULLIF(TO_JSON_STRING(JSON_QUERY(p, '$.ProductCategoryIds')), 'null'))), '') AS category_ids,
  ARRAY(
  SELECT n FROM (
  SELECT NULLIF(TRIM(IF(JSON_TYPE(JSON_QUERY(p, '$.ProductCategories')) = 'object',
  JSON_VALUE(SAFE.PARSE_JSON(REGEXP_REPLACE(TO_JSON_STRING(JSON_QUERY(p, '$.ProductCategories')),
  CONCAT(r'^.*[{,]"', id, r'":("([^"\\]|\\.)*"|[^,}{\[]+).*$'), r'\1')), '$'),
  NULL)), '') AS n, o
  FROM UNNEST(SPLIT(IFNULL(COALESCE(JSON_VALUE(p, '$.ProductCategoryIds'), NULLIF(TO_JSON_STRING(JSON_QUERY(p, '$.ProductCategoryIds')), 'null')), ''), '/')) AS id WITH OFFSET AS o
  WHERE REGEXP_CONTAINS(id, r'^[0-9]+$')
  ) x WHERE n IS NOT NULL ORDER BY o
  ) AS names,
  NULLIF(TRIM(COALESCE(JSON_VALUE(p, '$.AlternateIds.RefId'), NULLIF(TO_JSON_STRING(JSON_QUERY(p, '$.AlternateIds.RefId')), 'null'))), '') AS ref_id, NULLIF(TRIM(COALESCE(JSON_VALUE(p, '$.AlternateIds.Ean'), NULLIF(TO_JSON_STRING(JSON_QUERY(p, '$.AlternateIds.Ean')), 'null'))), '') AS ean,
  COALESCE(JSON_VALUE(p, '$.IsActive'), NULLIF(TO_JSON_STRING(JSON_QUERY(p, '$.IsActive')), 'null')) = 'true' AND IFNULL(COALESCE(JSON_VALUE(p, '$.IsProductActive'), NULLIF(TO_JSON_STRING(JSON_QUERY(p, '$.IsProductActive')), 'null')), 'true') = 'true' AS is_active
    FROM j
  ),
  checked AS (
    SELECT *, CASE
  WHEN NOT is_object THEN 'payload: expected a JSON object (a Catalog SKU document)'
  WHEN id_type IS NULL THEN 'Id: required'
  WHEN id_type <> 'number' OR NOT REGEXP_CONTAINS(id, r'^-?[0-9]+$') THEN 'Id: expected an integer, received ' || id
  WHEN id <> natural_key THEN 'Id: ' || id || ' is not the SKU it was read for (' || natural_key || ')'
  WHEN active_type IS DISTINCT FROM 'boolean' THEN 'IsActive: expected true or false, received ' || IFNULL(TO_JSON_STRING(JSON_QUERY(p, '$.IsActive')), 'nothing')
    END AS reason
    FROM fields
  ) SELECT * FROM checked;

-- transaction (in the session); params: ["STRING \"vtex-catalog\"","STRING \"sku\"","STRING \"price\"","INT64 100","INT64 250"]
CREATE OR REPLACE TEMP TABLE catalog_price_checked AS 
  WITH b AS (
    SELECT *, IFNULL(JSON_TYPE(SAFE.PARSE_JSON(payload, wide_number_mode => 'round')) = 'object', false) AS is_object FROM (SELECT seq, record_id, entity, natural_key, payload, received_at FROM `farol-test.analytics.bronze_records`
  WHERE source = ? AND entity IN (?, ?) AND seq > ? AND seq <= ?) x WHERE entity = 'price'
  ),
  j AS (SELECT *, IF(is_object, SAFE.PARSE_JSON(payload, wide_number_mode => 'round'), PARSE_JSON('{}')) AS p FROM b),
  fields AS (
    SELECT seq, record_id, natural_key, payload, received_at, is_object, COALESCE(JSON_VALUE(p, '$.itemId'), NULLIF(TO_JSON_STRING(JSON_QUERY(p, '$.itemId')), 'null')) AS item_id,
  JSON_TYPE(JSON_QUERY(p, '$.basePrice')) AS basePrice_type, COALESCE(JSON_VALUE(p, '$.basePrice'), NULLIF(TO_JSON_STRING(JSON_QUERY(p, '$.basePrice')), 'null')) AS basePrice_text,
  JSON_TYPE(JSON_QUERY(p, '$.listPrice')) AS listPrice_type, COALESCE(JSON_VALUE(p, '$.listPrice'), NULLIF(TO_JSON_STRING(JSON_QUERY(p, '$.listPrice')), 'null')) AS listPrice_text,
  JSON_TYPE(JSON_QUERY(p, '$.costPrice')) AS costPrice_type, COALESCE(JSON_VALUE(p, '$.costPrice'), NULLIF(TO_JSON_STRING(JSON_QUERY(p, '$.costPrice')), 'null')) AS costPrice_text,
  JSON_TYPE(JSON_QUERY(p, '$.markup')) AS markup_type, COALESCE(JSON_VALUE(p, '$.markup'), NULLIF(TO_JSON_STRING(JSON_QUERY(p, '$.markup')), 'null')) AS markup_text
    FROM j
  ),
  checked AS (
    SELECT *, CASE
  WHEN NOT is_object THEN 'payload: expected a JSON object (a Pricing document)'
  WHEN item_id IS NULL THEN 'itemId: required'
  WHEN item_id <> natural_key THEN 'itemId: ' || item_id || ' is not the SKU it was read for (' || natural_key || ')'
  WHEN basePrice_type IS NOT NULL AND basePrice_type NOT IN ('null', 'number') THEN 'basePrice: expected a number, received ' || basePrice_text
  WHEN basePrice_type = 'number' AND SAFE_CAST(basePrice_text AS NUMERIC(18,2)) IS NULL THEN 'basePrice: ' || basePrice_text || ' does not fit DECIMAL(18,2)'
  WHEN listPrice_type IS NOT NULL AND listPrice_type NOT IN ('null', 'number') THEN 'listPrice: expected a number, received ' || listPrice_text
  WHEN listPrice_type = 'number' AND SAFE_CAST(listPrice_text AS NUMERIC(18,2)) IS NULL THEN 'listPrice: ' || listPrice_text || ' does not fit DECIMAL(18,2)'
  WHEN costPrice_type IS NOT NULL AND costPrice_type NOT IN ('null', 'number') THEN 'costPrice: expected a number, received ' || costPrice_text
  WHEN costPrice_type = 'number' AND SAFE_CAST(costPrice_text AS NUMERIC(18,2)) IS NULL THEN 'costPrice: ' || costPrice_text || ' does not fit DECIMAL(18,2)'
  WHEN markup_type IS NOT NULL AND markup_type NOT IN ('null', 'number') THEN 'markup: expected a number, received ' || markup_text
  WHEN markup_type = 'number' AND SAFE_CAST(markup_text AS NUMERIC(18,2)) IS NULL THEN 'markup: ' || markup_text || ' does not fit DECIMAL(18,2)'
    END AS reason
    FROM fields
  ) SELECT * FROM checked;

-- transaction (in the session); params: ["STRING \"vtex-catalog\"","STRING \"2025-03-14T13:00:00.000Z\""]
INSERT INTO _SESSION.stage_products (source, sku_id, product_id, name, product_name, sku_name, brand_id, brand_name, category_ids, department, category, category_path, ref_id, ean, is_active, changed_at, payload_hash, bronze_record_id, bronze_seq, updated_at)
  SELECT ?, natural_key, product_id, COALESCE(name, product_name), product_name, sku_name, brand_id, brand_name, category_ids,
  (SELECT n FROM UNNEST(names) AS n WITH OFFSET AS o ORDER BY o LIMIT 1),
  (SELECT n FROM UNNEST(names) AS n WITH OFFSET AS o ORDER BY o DESC LIMIT 1),
  NULLIF(ARRAY_TO_STRING(names, ' > '), ''), ref_id, ean, is_active, received_at, TO_HEX(MD5(payload)),
  record_id, seq, CAST(? AS TIMESTAMP)
  FROM _SESSION.catalog_sku_checked WHERE reason IS NULL;

-- transaction (in the session); params: ["STRING \"vtex-catalog\"","STRING \"2025-03-14T13:00:00.000Z\""]
INSERT INTO _SESSION.stage_product_prices (source, sku_id, base_price, list_price, cost_price, markup, changed_at, payload_hash, bronze_record_id, bronze_seq, updated_at)
  SELECT ?, natural_key, SAFE_CAST(basePrice_text AS NUMERIC(18,2)), SAFE_CAST(listPrice_text AS NUMERIC(18,2)), SAFE_CAST(costPrice_text AS NUMERIC(18,2)), SAFE_CAST(markup_text AS NUMERIC(18,4)),
  received_at, TO_HEX(MD5(payload)), record_id, seq, CAST(? AS TIMESTAMP)
  FROM _SESSION.catalog_price_checked WHERE reason IS NULL;

-- transaction (in the session); params: ["STRING \"vtex-catalog\"","STRING \"sku\"","STRING \"2025-03-14T13:00:00.000Z\"","STRING \"run-5b0e77c1\""]
INSERT INTO _SESSION.stage_quarantine (quarantine_id, source, entity, natural_key, reason, payload, bronze_record_id, quarantined_at, run_id)
  SELECT GENERATE_UUID(), ?, ?, natural_key, reason, payload, record_id, CAST(? AS TIMESTAMP), ? FROM _SESSION.catalog_sku_checked WHERE reason IS NOT NULL;

-- transaction (in the session); params: ["STRING \"vtex-catalog\"","STRING \"price\"","STRING \"2025-03-14T13:00:00.000Z\"","STRING \"run-5b0e77c1\""]
INSERT INTO _SESSION.stage_quarantine (quarantine_id, source, entity, natural_key, reason, payload, bronze_record_id, quarantined_at, run_id)
  SELECT GENERATE_UUID(), ?, ?, natural_key, reason, payload, record_id, CAST(? AS TIMESTAMP), ? FROM _SESSION.catalog_price_checked WHERE reason IS NOT NULL;

-- transaction (in the session); params: []
SELECT COUNTIF(reason IS NULL) AS staged, COUNTIF(reason IS NOT NULL) AS quarantined
  FROM (SELECT reason FROM _SESSION.catalog_sku_checked UNION ALL SELECT reason FROM _SESSION.catalog_price_checked) x;

-- transaction (in the session); params: []
DROP TABLE _SESSION.catalog_sku_checked;

-- transaction (in the session); params: []
DROP TABLE _SESSION.catalog_price_checked;

-- transaction (in the session); params: []
COMMIT TRANSACTION;

-- transaction (in the session); params: []
BEGIN TRANSACTION;

-- transaction (in the session); params: []

    INSERT INTO _SESSION.stage_changed_products (source, sku_id)
    SELECT s.source, s.sku_id FROM (SELECT source, sku_id, product_id, name, product_name, sku_name, brand_id, brand_name, category_ids, department, category, category_path, ref_id, ean, is_active, changed_at, payload_hash, bronze_record_id, bronze_seq, updated_at FROM _SESSION.stage_products s
  WHERE TRUE
  QUALIFY row_number() OVER (PARTITION BY source, sku_id ORDER BY changed_at DESC, bronze_seq DESC) = 1) s
    LEFT JOIN `farol-test.analytics.silver_products` t ON t.source = s.source AND t.sku_id = s.sku_id
    WHERE t.sku_id IS NULL OR (s.changed_at >= t.changed_at AND s.payload_hash <> t.payload_hash);

-- transaction (in the session); params: []

    MERGE INTO `farol-test.analytics.silver_products` AS t
    USING (SELECT source, sku_id, product_id, name, product_name, sku_name, brand_id, brand_name, category_ids, department, category, category_path, ref_id, ean, is_active, changed_at, payload_hash, bronze_record_id, bronze_seq, updated_at FROM _SESSION.stage_products s
  WHERE EXISTS (SELECT 1 FROM _SESSION.stage_changed_products c WHERE c.source = s.source AND c.sku_id = s.sku_id)
  QUALIFY row_number() OVER (PARTITION BY source, sku_id ORDER BY changed_at DESC, bronze_seq DESC) = 1) AS s
    ON t.source = s.source AND t.sku_id = s.sku_id
    WHEN MATCHED AND s.changed_at >= t.changed_at THEN UPDATE SET product_id = s.product_id, name = s.name, product_name = s.product_name, sku_name = s.sku_name, brand_id = s.brand_id, brand_name = s.brand_name, category_ids = s.category_ids, department = s.department, category = s.category, category_path = s.category_path, ref_id = s.ref_id, ean = s.ean, is_active = s.is_active, changed_at = s.changed_at, payload_hash = s.payload_hash, bronze_record_id = s.bronze_record_id, bronze_seq = s.bronze_seq, updated_at = s.updated_at
    WHEN NOT MATCHED THEN INSERT (source, sku_id, product_id, name, product_name, sku_name, brand_id, brand_name, category_ids, department, category, category_path, ref_id, ean, is_active, changed_at, payload_hash, bronze_record_id, bronze_seq, updated_at) VALUES (s.source, s.sku_id, s.product_id, s.name, s.product_name, s.sku_name, s.brand_id, s.brand_name, s.category_ids, s.department, s.category, s.category_path, s.ref_id, s.ean, s.is_active, s.changed_at, s.payload_hash, s.bronze_record_id, s.bronze_seq, s.updated_at);

-- transaction (in the session); params: []

    INSERT INTO _SESSION.stage_changed_products (source, sku_id)
    SELECT s.source, s.sku_id FROM (SELECT source, sku_id, base_price, list_price, cost_price, markup, changed_at, payload_hash, bronze_record_id, bronze_seq, updated_at FROM _SESSION.stage_product_prices s
  WHERE TRUE
  QUALIFY row_number() OVER (PARTITION BY source, sku_id ORDER BY changed_at DESC, bronze_seq DESC) = 1) s
    LEFT JOIN `farol-test.analytics.silver_product_prices` t ON t.source = s.source AND t.sku_id = s.sku_id
    WHERE t.sku_id IS NULL OR (s.changed_at >= t.changed_at AND s.payload_hash <> t.payload_hash);

-- transaction (in the session); params: []

    MERGE INTO `farol-test.analytics.silver_product_prices` AS t
    USING (SELECT source, sku_id, base_price, list_price, cost_price, markup, changed_at, payload_hash, bronze_record_id, bronze_seq, updated_at FROM _SESSION.stage_product_prices s
  WHERE EXISTS (SELECT 1 FROM _SESSION.stage_changed_products c WHERE c.source = s.source AND c.sku_id = s.sku_id)
  QUALIFY row_number() OVER (PARTITION BY source, sku_id ORDER BY changed_at DESC, bronze_seq DESC) = 1) AS s
    ON t.source = s.source AND t.sku_id = s.sku_id
    WHEN MATCHED AND s.changed_at >= t.changed_at THEN UPDATE SET base_price = s.base_price, list_price = s.list_price, cost_price = s.cost_price, markup = s.markup, changed_at = s.changed_at, payload_hash = s.payload_hash, bronze_record_id = s.bronze_record_id, bronze_seq = s.bronze_seq, updated_at = s.updated_at
    WHEN NOT MATCHED THEN INSERT (source, sku_id, base_price, list_price, cost_price, markup, changed_at, payload_hash, bronze_record_id, bronze_seq, updated_at) VALUES (s.source, s.sku_id, s.base_price, s.list_price, s.cost_price, s.markup, s.changed_at, s.payload_hash, s.bronze_record_id, s.bronze_seq, s.updated_at);

-- transaction (in the session); params: []
SELECT count(*) AS n FROM (SELECT DISTINCT source, sku_id FROM _SESSION.stage_changed_products);

-- transaction (in the session); params: []
DELETE FROM _SESSION.stage_products WHERE TRUE;

-- transaction (in the session); params: []
DELETE FROM _SESSION.stage_product_prices WHERE TRUE;

-- transaction (in the session); params: []
DELETE FROM _SESSION.stage_changed_products WHERE TRUE;

-- transaction (in the session); params: []
COMMIT TRANSACTION;

-- transaction (in the session); params: []
CALL BQ.ABORT_SESSION();
