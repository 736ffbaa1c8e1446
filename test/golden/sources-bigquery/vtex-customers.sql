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

-- transaction (in the session); params: ["STRING \"vtex-customers\"","STRING \"customer\"","INT64 100","INT64 250"]
CREATE OR REPLACE TEMP TABLE vtex_customer_stage_batch AS
  WITH b AS (
    SELECT *, IFNULL(JSON_TYPE(SAFE.PARSE_JSON(payload, wide_number_mode => 'round')) = 'object', false) AS is_object FROM (SELECT seq, record_id, entity, natural_key, payload, received_at FROM `farol-test.analytics.bronze_records`
  WHERE source = ? AND entity IN (?) AND seq > ? AND seq <= ?) x WHERE entity = 'customer'
  ),
  j AS (SELECT *, IF(is_object, SAFE.PARSE_JSON(payload, wide_number_mode => 'round'), PARSE_JSON('{}')) AS p FROM b)
  SELECT seq, record_id, natural_key, payload, received_at,
  COALESCE(JSON_VALUE(p, '$.id'), NULLIF(TO_JSON_STRING(JSON_QUERY(p, '$.id')), 'null')) AS customer_id, NULLIF(TRIM(COALESCE(JSON_VALUE(p, '$.userId'), NULLIF(TO_JSON_STRING(JSON_QUERY(p, '$.userId')), 'null'))), '') AS user_id, LOWER(NULLIF(TRIM(COALESCE(JSON_VALUE(p, '$.email'), NULLIF(TO_JSON_STRING(JSON_QUERY(p, '$.email')), 'null'))), '')) AS email,
  NULLIF(TRIM(COALESCE(JSON_VALUE(p, '$.firstName'), NULLIF(TO_JSON_STRING(JSON_QUERY(p, '$.firstName')), 'null'))), '') AS first_name, NULLIF(TRIM(COALESCE(JSON_VALUE(p, '$.lastName'), NULLIF(TO_JSON_STRING(JSON_QUERY(p, '$.lastName')), 'null'))), '') AS last_name, LOWER(NULLIF(TRIM(COALESCE(JSON_VALUE(p, '$.documentType'), NULLIF(TO_JSON_STRING(JSON_QUERY(p, '$.documentType')), 'null'))), '')) AS document_type,
  NULLIF(REGEXP_REPLACE(IFNULL(COALESCE(JSON_VALUE(p, '$.document'), NULLIF(TO_JSON_STRING(JSON_QUERY(p, '$.document')), 'null')), ''), r'[^0-9]', ''), '') AS document,
  COALESCE(NULLIF(TRIM(COALESCE(JSON_VALUE(p, '$.phone'), NULLIF(TO_JSON_STRING(JSON_QUERY(p, '$.phone')), 'null'))), ''), NULLIF(TRIM(COALESCE(JSON_VALUE(p, '$.cellPhone'), NULLIF(TO_JSON_STRING(JSON_QUERY(p, '$.cellPhone')), 'null'))), ''), NULLIF(TRIM(COALESCE(JSON_VALUE(p, '$.homePhone'), NULLIF(TO_JSON_STRING(JSON_QUERY(p, '$.homePhone')), 'null'))), '')) AS phone,
  CASE JSON_TYPE(JSON_QUERY(p, '$.isCorporate')) WHEN 'boolean' THEN COALESCE(JSON_VALUE(p, '$.isCorporate'), NULLIF(TO_JSON_STRING(JSON_QUERY(p, '$.isCorporate')), 'null')) = 'true' END AS is_corporate, NULLIF(TRIM(COALESCE(JSON_VALUE(p, '$.corporateName'), NULLIF(TO_JSON_STRING(JSON_QUERY(p, '$.corporateName')), 'null'))), '') AS corporate_name,
  NULLIF(REGEXP_REPLACE(IFNULL(COALESCE(JSON_VALUE(p, '$.corporateDocument'), NULLIF(TO_JSON_STRING(JSON_QUERY(p, '$.corporateDocument')), 'null')), ''), r'[^0-9]', ''), '') AS corporate_document,
  CASE JSON_TYPE(JSON_QUERY(p, '$.isNewsletterOptIn')) WHEN 'boolean' THEN COALESCE(JSON_VALUE(p, '$.isNewsletterOptIn'), NULLIF(TO_JSON_STRING(JSON_QUERY(p, '$.isNewsletterOptIn')), 'null')) = 'true' END AS newsletter_opt_in,
  SAFE_CAST(REGEXP_REPLACE(COALESCE(JSON_VALUE(p, '$.createdIn'), NULLIF(TO_JSON_STRING(JSON_QUERY(p, '$.createdIn')), 'null')), r'(\.[0-9]{6})[0-9]+', r'\1') AS TIMESTAMP) AS created_in, SAFE_CAST(REGEXP_REPLACE(COALESCE(JSON_VALUE(p, '$.updatedIn'), NULLIF(TO_JSON_STRING(JSON_QUERY(p, '$.updatedIn')), 'null')), r'(\.[0-9]{6})[0-9]+', r'\1') AS TIMESTAMP) AS updated_in,
  COALESCE(JSON_VALUE(p, '$.document'), NULLIF(TO_JSON_STRING(JSON_QUERY(p, '$.document')), 'null')) AS id_document,
  CASE WHEN COALESCE(JSON_VALUE(p, '$.isCorporate'), NULLIF(TO_JSON_STRING(JSON_QUERY(p, '$.isCorporate')), 'null')) = 'true' THEN COALESCE(JSON_VALUE(p, '$.corporateDocument'), NULLIF(TO_JSON_STRING(JSON_QUERY(p, '$.corporateDocument')), 'null')) END AS id_corporate_document,
  CASE WHEN ends_with(lower(COALESCE(JSON_VALUE(p, '$.email'), NULLIF(TO_JSON_STRING(JSON_QUERY(p, '$.email')), 'null'))), '@ct.vtex.com.br') OR ends_with(lower(COALESCE(JSON_VALUE(p, '$.email'), NULLIF(TO_JSON_STRING(JSON_QUERY(p, '$.email')), 'null'))), '.ct.vtex.com.br') THEN NULL ELSE COALESCE(JSON_VALUE(p, '$.email'), NULLIF(TO_JSON_STRING(JSON_QUERY(p, '$.email')), 'null')) END AS id_email,
  COALESCE(NULLIF(TRIM(COALESCE(JSON_VALUE(p, '$.phone'), NULLIF(TO_JSON_STRING(JSON_QUERY(p, '$.phone')), 'null'))), ''), NULLIF(TRIM(COALESCE(JSON_VALUE(p, '$.cellPhone'), NULLIF(TO_JSON_STRING(JSON_QUERY(p, '$.cellPhone')), 'null'))), ''), NULLIF(TRIM(COALESCE(JSON_VALUE(p, '$.homePhone'), NULLIF(TO_JSON_STRING(JSON_QUERY(p, '$.homePhone')), 'null'))), '')) AS id_phone,
  COALESCE(JSON_VALUE(p, '$.userId'), NULLIF(TO_JSON_STRING(JSON_QUERY(p, '$.userId')), 'null')) AS id_profile,
  CASE
  WHEN NOT is_object THEN 'payload: expected a JSON object (a Master Data CL document)'
  WHEN COALESCE(JSON_VALUE(p, '$.id'), NULLIF(TO_JSON_STRING(JSON_QUERY(p, '$.id')), 'null')) IS NULL THEN 'id: required'
  WHEN COALESCE(JSON_VALUE(p, '$.id'), NULLIF(TO_JSON_STRING(JSON_QUERY(p, '$.id')), 'null')) <> natural_key THEN 'id: ' || (COALESCE(JSON_VALUE(p, '$.id'), NULLIF(TO_JSON_STRING(JSON_QUERY(p, '$.id')), 'null'))) || ' is not the document it was landed as (' || natural_key || ')'
  WHEN JSON_TYPE(JSON_QUERY(p, '$.email')) NOT IN ('string', 'null') THEN 'email: expected text, received ' || TO_JSON_STRING(JSON_QUERY(p, '$.email'))
  WHEN COALESCE(JSON_VALUE(p, '$.createdIn'), NULLIF(TO_JSON_STRING(JSON_QUERY(p, '$.createdIn')), 'null')) IS NOT NULL AND SAFE_CAST(REGEXP_REPLACE(COALESCE(JSON_VALUE(p, '$.createdIn'), NULLIF(TO_JSON_STRING(JSON_QUERY(p, '$.createdIn')), 'null')), r'(\.[0-9]{6})[0-9]+', r'\1') AS TIMESTAMP) IS NULL THEN 'createdIn: expected an instant, received ' || TO_JSON_STRING(JSON_QUERY(p, '$.createdIn'))
  WHEN COALESCE(JSON_VALUE(p, '$.updatedIn'), NULLIF(TO_JSON_STRING(JSON_QUERY(p, '$.updatedIn')), 'null')) IS NOT NULL AND SAFE_CAST(REGEXP_REPLACE(COALESCE(JSON_VALUE(p, '$.updatedIn'), NULLIF(TO_JSON_STRING(JSON_QUERY(p, '$.updatedIn')), 'null')), r'(\.[0-9]{6})[0-9]+', r'\1') AS TIMESTAMP) IS NULL THEN 'updatedIn: expected an instant, received ' || TO_JSON_STRING(JSON_QUERY(p, '$.updatedIn'))
  WHEN JSON_TYPE(JSON_QUERY(p, '$.isCorporate')) NOT IN ('boolean', 'null') THEN 'isCorporate: expected true or false, received ' || TO_JSON_STRING(JSON_QUERY(p, '$.isCorporate'))
  WHEN JSON_TYPE(JSON_QUERY(p, '$.isNewsletterOptIn')) NOT IN ('boolean', 'null') THEN 'isNewsletterOptIn: expected true or false, received ' || TO_JSON_STRING(JSON_QUERY(p, '$.isNewsletterOptIn'))
  END AS reason
  FROM j;

-- transaction (in the session); params: []
CREATE OR REPLACE TEMP TABLE stage_identity_inputs AS
  SELECT row_number() OVER () AS n, identity FROM (SELECT DISTINCT TO_JSON_STRING(STRUCT(b.id_document AS id_document, b.id_corporate_document AS id_corporate_document, b.id_email AS id_email, b.id_phone AS id_phone, b.id_profile AS id_profile)) AS identity FROM _SESSION.vtex_customer_stage_batch b WHERE reason IS NULL) x;

-- transaction (in the session); params: []
SELECT identity FROM _SESSION.stage_identity_inputs ORDER BY n;

-- transaction (in the session); params: []
CREATE OR REPLACE TEMP TABLE stage_customer_keys (identity STRING, customer_key STRING);

-- transaction (in the session); params: ["STRING \"[\\\"cpf:39053344705\\\"]\"","INT64 1"]
INSERT INTO _SESSION.stage_customer_keys (identity, customer_key)
  WITH sent AS (SELECT JSON_QUERY_ARRAY(?, '$') AS keys, ? AS first_n)
  SELECT i.identity, JSON_VALUE(key_json, '$') FROM sent, UNNEST(sent.keys) AS key_json WITH OFFSET AS k
  JOIN _SESSION.stage_identity_inputs i ON i.n = k + sent.first_n
  WHERE JSON_VALUE(key_json, '$') IS NOT NULL;

-- transaction (in the session); params: []
DROP TABLE _SESSION.stage_identity_inputs;

-- transaction (in the session); params: ["STRING \"vtex-customers\"","STRING \"2025-03-14T13:00:00.000Z\""]
INSERT INTO _SESSION.stage_customers (source, customer_id, user_id, customer_key, email, first_name, last_name, document_type, document, phone, is_corporate, corporate_name, corporate_document, newsletter_opt_in, created_in, updated_in, changed_at, bronze_record_id, bronze_seq, updated_at)
  SELECT ?, b.customer_id, b.user_id, k.customer_key, b.email, b.first_name, b.last_name, b.document_type, b.document,
  b.phone, b.is_corporate, b.corporate_name, b.corporate_document, b.newsletter_opt_in, b.created_in, b.updated_in,
  COALESCE(b.updated_in, b.created_in, b.received_at), b.record_id, b.seq, CAST(? AS TIMESTAMP)
  FROM _SESSION.vtex_customer_stage_batch b LEFT JOIN _SESSION.stage_customer_keys k ON k.identity = TO_JSON_STRING(STRUCT(b.id_document AS id_document, b.id_corporate_document AS id_corporate_document, b.id_email AS id_email, b.id_phone AS id_phone, b.id_profile AS id_profile))
  WHERE b.reason IS NULL;

-- transaction (in the session); params: ["STRING \"vtex-customers\"","STRING \"customer\"","STRING \"2025-03-14T13:00:00.000Z\"","STRING \"run-5b0e77c1\""]
INSERT INTO _SESSION.stage_quarantine (quarantine_id, source, entity, natural_key, reason, payload, bronze_record_id, quarantined_at, run_id)
  SELECT GENERATE_UUID(), ?, ?, natural_key, reason, payload, record_id, CAST(? AS TIMESTAMP), ? FROM _SESSION.vtex_customer_stage_batch WHERE reason IS NOT NULL;

-- transaction (in the session); params: []
DROP TABLE _SESSION.vtex_customer_stage_batch;

-- transaction (in the session); params: []
DROP TABLE _SESSION.stage_customer_keys;

-- transaction (in the session); params: []
COMMIT TRANSACTION;

-- transaction (in the session); params: []
BEGIN TRANSACTION;

-- transaction (in the session); params: []

    INSERT INTO _SESSION.stage_changed_customers (source, customer_id)
    SELECT s.source, s.customer_id FROM (SELECT source, customer_id, user_id, customer_key, email, first_name, last_name, document_type, document, phone, is_corporate, corporate_name, corporate_document, newsletter_opt_in, created_in, updated_in, changed_at, bronze_record_id, bronze_seq, updated_at FROM _SESSION.stage_customers s
  WHERE TRUE
  QUALIFY row_number() OVER (PARTITION BY source, customer_id ORDER BY changed_at DESC, bronze_seq) = 1) s
    LEFT JOIN `farol-test.analytics.silver_customers` c ON c.source = s.source AND c.customer_id = s.customer_id
    WHERE c.customer_id IS NULL OR s.changed_at > c.changed_at;

-- transaction (in the session); params: []

    MERGE INTO `farol-test.analytics.silver_customers` AS t
    USING (SELECT source, customer_id, user_id, customer_key, email, first_name, last_name, document_type, document, phone, is_corporate, corporate_name, corporate_document, newsletter_opt_in, created_in, updated_in, changed_at, bronze_record_id, bronze_seq, updated_at FROM _SESSION.stage_customers s
  WHERE EXISTS (SELECT 1 FROM _SESSION.stage_changed_customers c WHERE c.source = s.source AND c.customer_id = s.customer_id)
  QUALIFY row_number() OVER (PARTITION BY source, customer_id ORDER BY changed_at DESC, bronze_seq) = 1) AS s
    ON t.source = s.source AND t.customer_id = s.customer_id
    WHEN MATCHED THEN UPDATE SET user_id = s.user_id, customer_key = s.customer_key, email = s.email, first_name = s.first_name, last_name = s.last_name, document_type = s.document_type, document = s.document, phone = s.phone, is_corporate = s.is_corporate, corporate_name = s.corporate_name, corporate_document = s.corporate_document, newsletter_opt_in = s.newsletter_opt_in, created_in = s.created_in, updated_in = s.updated_in, changed_at = s.changed_at, bronze_record_id = s.bronze_record_id, bronze_seq = s.bronze_seq, updated_at = s.updated_at
    WHEN NOT MATCHED THEN INSERT (source, customer_id, user_id, customer_key, email, first_name, last_name, document_type, document, phone, is_corporate, corporate_name, corporate_document, newsletter_opt_in, created_in, updated_in, changed_at, bronze_record_id, bronze_seq, updated_at) VALUES (s.source, s.customer_id, s.user_id, s.customer_key, s.email, s.first_name, s.last_name, s.document_type, s.document, s.phone, s.is_corporate, s.corporate_name, s.corporate_document, s.newsletter_opt_in, s.created_in, s.updated_in, s.changed_at, s.bronze_record_id, s.bronze_seq, s.updated_at);

-- transaction (in the session); params: []
SELECT count(*) AS n FROM _SESSION.stage_changed_customers;

-- transaction (in the session); params: []
DELETE FROM _SESSION.stage_customers WHERE TRUE;

-- transaction (in the session); params: []
DELETE FROM _SESSION.stage_changed_customers WHERE TRUE;

-- transaction (in the session); params: []
COMMIT TRANSACTION;

-- transaction (in the session); params: []
CALL BQ.ABORT_SESSION();
