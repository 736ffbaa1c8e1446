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

-- transaction (in the session); params: ["STRING \"club-registry\"","STRING \"club_member\"","INT64 100","INT64 250"]
CREATE OR REPLACE TEMP TABLE club_member_stage_batch AS
  WITH b AS (
    SELECT *, IFNULL(JSON_TYPE(SAFE.PARSE_JSON(payload, wide_number_mode => 'round')) = 'object', false) AS is_object FROM (SELECT seq, record_id, entity, natural_key, payload, received_at FROM `farol-test.analytics.bronze_records`
  WHERE source = ? AND entity IN (?) AND seq > ? AND seq <= ?) x WHERE entity = 'club_member'
  ),
  j AS (SELECT *, IF(is_object, SAFE.PARSE_JSON(payload, wide_number_mode => 'round'), PARSE_JSON('{}')) AS p FROM b)
  SELECT seq, record_id, natural_key, payload, received_at,
  COALESCE(JSON_VALUE(p, '$.op'), NULLIF(TO_JSON_STRING(JSON_QUERY(p, '$.op')), 'null')) AS op, SAFE_CAST(SAFE_CAST(COALESCE(JSON_VALUE(p, '$.lsn'), NULLIF(TO_JSON_STRING(JSON_QUERY(p, '$.lsn')), 'null')) AS NUMERIC) AS INT64) AS lsn,
  COALESCE(JSON_VALUE(p, '$.row.id'), NULLIF(TO_JSON_STRING(JSON_QUERY(p, '$.row.id')), 'null')) AS member_id,
  NULLIF(REGEXP_REPLACE(IFNULL(COALESCE(JSON_VALUE(p, '$.row.document'), NULLIF(TO_JSON_STRING(JSON_QUERY(p, '$.row.document')), 'null')), ''), r'[^0-9]', ''), '') AS document,
  NULLIF(TRIM(COALESCE(JSON_VALUE(p, '$.row.name'), NULLIF(TO_JSON_STRING(JSON_QUERY(p, '$.row.name')), 'null'))), '') AS name, LOWER(NULLIF(TRIM(COALESCE(JSON_VALUE(p, '$.row.email'), NULLIF(TO_JSON_STRING(JSON_QUERY(p, '$.row.email')), 'null'))), '')) AS email, NULLIF(TRIM(COALESCE(JSON_VALUE(p, '$.row.phone'), NULLIF(TO_JSON_STRING(JSON_QUERY(p, '$.row.phone')), 'null'))), '') AS phone,
  LOWER(NULLIF(TRIM(COALESCE(JSON_VALUE(p, '$.row.club_status'), NULLIF(TO_JSON_STRING(JSON_QUERY(p, '$.row.club_status')), 'null'))), '')) AS club_status, NULLIF(TRIM(COALESCE(JSON_VALUE(p, '$.row.tier'), NULLIF(TO_JSON_STRING(JSON_QUERY(p, '$.row.tier')), 'null'))), '') AS tier,
  CASE JSON_TYPE(JSON_QUERY(p, '$.row.marketing_opt_in')) WHEN 'boolean' THEN COALESCE(JSON_VALUE(p, '$.row.marketing_opt_in'), NULLIF(TO_JSON_STRING(JSON_QUERY(p, '$.row.marketing_opt_in')), 'null')) = 'true' END AS marketing_opt_in,
  NULLIF(TRIM(COALESCE(JSON_VALUE(p, '$.row.signup_store'), NULLIF(TO_JSON_STRING(JSON_QUERY(p, '$.row.signup_store')), 'null'))), '') AS signup_store, NULLIF(TRIM(COALESCE(JSON_VALUE(p, '$.row.campaign'), NULLIF(TO_JSON_STRING(JSON_QUERY(p, '$.row.campaign')), 'null'))), '') AS campaign,
  SAFE_CAST(REGEXP_REPLACE(COALESCE(JSON_VALUE(p, '$.row.updated_at'), NULLIF(TO_JSON_STRING(JSON_QUERY(p, '$.row.updated_at')), 'null')), r'(\.[0-9]{6})[0-9]+', r'\1') AS TIMESTAMP) AS source_updated_at,
  COALESCE(JSON_VALUE(p, '$.row.document'), NULLIF(TO_JSON_STRING(JSON_QUERY(p, '$.row.document')), 'null')) AS id_document, CAST(NULL AS STRING) AS id_corporate_document, COALESCE(JSON_VALUE(p, '$.row.email'), NULLIF(TO_JSON_STRING(JSON_QUERY(p, '$.row.email')), 'null')) AS id_email,
  COALESCE(JSON_VALUE(p, '$.row.phone'), NULLIF(TO_JSON_STRING(JSON_QUERY(p, '$.row.phone')), 'null')) AS id_phone, CAST(NULL AS STRING) AS id_profile,
  CASE
  WHEN NOT is_object THEN 'payload: expected a JSON object (a club registry change)'
  WHEN IFNULL(COALESCE(JSON_VALUE(p, '$.op'), NULLIF(TO_JSON_STRING(JSON_QUERY(p, '$.op')), 'null')), '') NOT IN ('snapshot', 'snapshot_end', 'insert', 'update', 'delete') THEN 'op: expected one of snapshot, snapshot_end, insert, update, delete, received ' || IFNULL(TO_JSON_STRING(JSON_QUERY(p, '$.op')), 'nothing')
  WHEN SAFE_CAST(SAFE_CAST(COALESCE(JSON_VALUE(p, '$.lsn'), NULLIF(TO_JSON_STRING(JSON_QUERY(p, '$.lsn')), 'null')) AS NUMERIC) AS INT64) IS NULL THEN 'lsn: expected a WAL position as a decimal integer, received ' || IFNULL(TO_JSON_STRING(JSON_QUERY(p, '$.lsn')), 'nothing')
  WHEN COALESCE(JSON_VALUE(p, '$.op'), NULLIF(TO_JSON_STRING(JSON_QUERY(p, '$.op')), 'null')) = 'snapshot_end' THEN NULL
  WHEN NULLIF(COALESCE(JSON_VALUE(p, '$.row.id'), NULLIF(TO_JSON_STRING(JSON_QUERY(p, '$.row.id')), 'null')), '') IS NULL THEN 'id: required'
  WHEN COALESCE(JSON_VALUE(p, '$.row.id'), NULLIF(TO_JSON_STRING(JSON_QUERY(p, '$.row.id')), 'null')) <> natural_key THEN 'id: ' || COALESCE(JSON_VALUE(p, '$.row.id'), NULLIF(TO_JSON_STRING(JSON_QUERY(p, '$.row.id')), 'null')) || ' is not the member it was landed as (' || natural_key || ')'
  WHEN COALESCE(JSON_VALUE(p, '$.op'), NULLIF(TO_JSON_STRING(JSON_QUERY(p, '$.op')), 'null')) = 'delete' THEN NULL
  WHEN NULLIF(TRIM(COALESCE(JSON_VALUE(p, '$.row.club_status'), NULLIF(TO_JSON_STRING(JSON_QUERY(p, '$.row.club_status')), 'null'))), '') IS NULL THEN 'club_status: required (one of active, suspended, canceled)'
  WHEN LOWER(NULLIF(TRIM(COALESCE(JSON_VALUE(p, '$.row.club_status'), NULLIF(TO_JSON_STRING(JSON_QUERY(p, '$.row.club_status')), 'null'))), '')) NOT IN ('active', 'suspended', 'canceled') THEN 'club_status: expected one of active, suspended, canceled, received ' || TO_JSON_STRING(JSON_QUERY(p, '$.row.club_status'))
  WHEN JSON_TYPE(JSON_QUERY(p, '$.row.marketing_opt_in')) NOT IN ('boolean', 'null') THEN 'marketing_opt_in: expected true or false, received ' || TO_JSON_STRING(JSON_QUERY(p, '$.row.marketing_opt_in'))
  WHEN COALESCE(JSON_VALUE(p, '$.row.updated_at'), NULLIF(TO_JSON_STRING(JSON_QUERY(p, '$.row.updated_at')), 'null')) IS NOT NULL AND SAFE_CAST(REGEXP_REPLACE(COALESCE(JSON_VALUE(p, '$.row.updated_at'), NULLIF(TO_JSON_STRING(JSON_QUERY(p, '$.row.updated_at')), 'null')), r'(\.[0-9]{6})[0-9]+', r'\1') AS TIMESTAMP) IS NULL THEN 'updated_at: expected an instant, received ' || TO_JSON_STRING(JSON_QUERY(p, '$.row.updated_at'))
  WHEN JSON_TYPE(JSON_QUERY(p, '$.row.email')) NOT IN ('string', 'null') THEN 'email: expected text, received ' || TO_JSON_STRING(JSON_QUERY(p, '$.row.email'))
  WHEN REGEXP_CONTAINS(IFNULL(COALESCE(JSON_VALUE(p, '$.row.document'), NULLIF(TO_JSON_STRING(JSON_QUERY(p, '$.row.document')), 'null')), ''), r'[^0-9.\-/ ]') THEN 'document: expected CPF or CNPJ digits (punctuation allowed), received ' || TO_JSON_STRING(JSON_QUERY(p, '$.row.document'))
  END AS reason
  FROM j;

-- transaction (in the session); params: []
CREATE OR REPLACE TEMP TABLE stage_identity_inputs AS
  SELECT row_number() OVER () AS n, identity FROM (SELECT DISTINCT TO_JSON_STRING(STRUCT(b.id_document AS id_document, b.id_corporate_document AS id_corporate_document, b.id_email AS id_email, b.id_phone AS id_phone, b.id_profile AS id_profile)) AS identity FROM _SESSION.club_member_stage_batch b WHERE reason IS NULL AND op NOT IN ('delete', 'snapshot_end')) x;

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

-- transaction (in the session); params: []
SELECT DISTINCT phone FROM _SESSION.club_member_stage_batch WHERE reason IS NULL AND phone IS NOT NULL;

-- transaction (in the session); params: []
CREATE OR REPLACE TEMP TABLE club_member_stage_phones (raw STRING NOT NULL, e164 STRING NOT NULL);

-- transaction (in the session); params: ["STRING \"[{\\\"raw\\\":\\\"(11) 98765-4321\\\",\\\"e164\\\":\\\"+5511987654321\\\"}]\""]
INSERT INTO _SESSION.club_member_stage_phones (raw, e164)
  SELECT JSON_VALUE(pair, '$.raw'), JSON_VALUE(pair, '$.e164') FROM UNNEST(JSON_QUERY_ARRAY(?, '$')) AS pair;

-- transaction (in the session); params: ["STRING \"club-registry\"","STRING \"2025-03-14T13:00:00.000Z\""]
INSERT INTO _SESSION.stage_club_members (source, member_id, document, document_type, name, email, phone, club_status, tier, marketing_opt_in, signup_store, campaign, source_updated_at, lsn, customer_key, bronze_record_id, bronze_seq, updated_at, deleted)
  SELECT ?, b.member_id, b.document,
  CASE WHEN k.customer_key = 'cpf:' || b.document THEN 'cpf' WHEN k.customer_key = 'cnpj:' || b.document THEN 'cnpj' END,
  b.name, b.email, COALESCE(ph.e164, b.phone), b.club_status, b.tier, b.marketing_opt_in, b.signup_store, b.campaign,
  b.source_updated_at, b.lsn, k.customer_key, b.record_id, b.seq, CAST(? AS TIMESTAMP), b.op = 'delete'
  FROM _SESSION.club_member_stage_batch b
  LEFT JOIN _SESSION.stage_customer_keys k ON b.op <> 'delete' AND k.identity = TO_JSON_STRING(STRUCT(b.id_document AS id_document, b.id_corporate_document AS id_corporate_document, b.id_email AS id_email, b.id_phone AS id_phone, b.id_profile AS id_profile))
  LEFT JOIN _SESSION.club_member_stage_phones ph ON ph.raw = b.phone
  WHERE b.reason IS NULL AND b.op <> 'snapshot_end';

-- transaction (in the session); params: ["STRING \"club-registry\""]
INSERT INTO _SESSION.stage_club_snapshots (source, lsn, bronze_seq) SELECT ?, lsn, seq FROM _SESSION.club_member_stage_batch WHERE reason IS NULL AND op = 'snapshot_end';

-- transaction (in the session); params: ["STRING \"club-registry\"","STRING \"club_member\"","STRING \"2025-03-14T13:00:00.000Z\"","STRING \"run-5b0e77c1\""]
INSERT INTO _SESSION.stage_quarantine (quarantine_id, source, entity, natural_key, reason, payload, bronze_record_id, quarantined_at, run_id)
  SELECT GENERATE_UUID(), ?, ?, natural_key, reason, payload, record_id, CAST(? AS TIMESTAMP), ? FROM _SESSION.club_member_stage_batch WHERE reason IS NOT NULL;

-- transaction (in the session); params: []
DROP TABLE _SESSION.club_member_stage_batch;

-- transaction (in the session); params: []
DROP TABLE _SESSION.stage_customer_keys;

-- transaction (in the session); params: []
DROP TABLE _SESSION.club_member_stage_phones;

-- transaction (in the session); params: []
COMMIT TRANSACTION;

-- transaction (in the session); params: []
BEGIN TRANSACTION;

-- transaction (in the session); params: []
CREATE OR REPLACE TEMP TABLE club_member_winners AS
    SELECT s.* FROM (
  SELECT * FROM _SESSION.stage_club_members
  WHERE TRUE
  QUALIFY row_number() OVER (PARTITION BY source, member_id ORDER BY lsn DESC, bronze_seq DESC) = 1
    ) s
    LEFT JOIN `farol-test.analytics.silver_club_members` c ON c.source = s.source AND c.member_id = s.member_id
    WHERE CASE WHEN c.member_id IS NULL THEN NOT s.deleted
  ELSE s.lsn > c.lsn OR (s.lsn = c.lsn AND s.bronze_seq > c.bronze_seq) END;

-- transaction (in the session); params: []
INSERT INTO _SESSION.stage_changed_club_members (source, member_id) SELECT source, member_id FROM _SESSION.club_member_winners;

-- transaction (in the session); params: []

    MERGE INTO `farol-test.analytics.silver_club_members` AS t
    USING _SESSION.club_member_winners AS s
    ON t.source = s.source AND t.member_id = s.member_id
    WHEN MATCHED AND s.deleted THEN DELETE
    WHEN MATCHED THEN UPDATE SET document = s.document, document_type = s.document_type, name = s.name, email = s.email, phone = s.phone, club_status = s.club_status, tier = s.tier, marketing_opt_in = s.marketing_opt_in, signup_store = s.signup_store, campaign = s.campaign, source_updated_at = s.source_updated_at, lsn = s.lsn, customer_key = s.customer_key, bronze_record_id = s.bronze_record_id, bronze_seq = s.bronze_seq, updated_at = s.updated_at
    WHEN NOT MATCHED THEN INSERT (source, member_id, document, document_type, name, email, phone, club_status, tier, marketing_opt_in, signup_store, campaign, source_updated_at, lsn, customer_key, bronze_record_id, bronze_seq, updated_at) VALUES (s.source, s.member_id, s.document, s.document_type, s.name, s.email, s.phone, s.club_status, s.tier, s.marketing_opt_in, s.signup_store, s.campaign, s.source_updated_at, s.lsn, s.customer_key, s.bronze_record_id, s.bronze_seq, s.updated_at);

-- transaction (in the session); params: []
INSERT INTO _SESSION.stage_changed_club_members (source, member_id) SELECT m.source, m.member_id FROM `farol-test.analytics.silver_club_members` m WHERE EXISTS (SELECT 1 FROM _SESSION.stage_club_snapshots e WHERE e.source = m.source AND e.lsn > m.lsn);

-- transaction (in the session); params: []
DELETE FROM `farol-test.analytics.silver_club_members` AS m WHERE EXISTS (SELECT 1 FROM _SESSION.stage_club_snapshots e WHERE e.source = m.source AND e.lsn > m.lsn);

-- transaction (in the session); params: []
DROP TABLE _SESSION.club_member_winners;

-- transaction (in the session); params: []
SELECT count(*) AS n FROM (SELECT DISTINCT source, member_id FROM _SESSION.stage_changed_club_members);

-- transaction (in the session); params: []
DELETE FROM _SESSION.stage_club_members WHERE TRUE;

-- transaction (in the session); params: []
DELETE FROM _SESSION.stage_club_snapshots WHERE TRUE;

-- transaction (in the session); params: []
DELETE FROM _SESSION.stage_changed_club_members WHERE TRUE;

-- transaction (in the session); params: []
COMMIT TRANSACTION;

-- transaction (in the session); params: []
CALL BQ.ABORT_SESSION();
