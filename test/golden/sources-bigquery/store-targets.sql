-- transaction; params: []
BEGIN TRANSACTION;

-- transaction (in the session); params: ["STRING \"store-targets\"","STRING \"store_target\"","INT64 100","INT64 250"]
CREATE OR REPLACE TEMP TABLE store_target_checked AS 
  WITH b AS (
    -- Text that is not JSON is read as an empty object, so the extraction below never throws.
    SELECT *, SAFE.PARSE_JSON(payload, wide_number_mode => 'round') IS NOT NULL AS is_json, IFNULL(SAFE.PARSE_JSON(payload, wide_number_mode => 'round'), PARSE_JSON('{}')) AS pj
    FROM (SELECT seq, record_id, entity, natural_key, payload, received_at FROM `farol-test.analytics.bronze_records`
  WHERE source = ? AND entity IN (?) AND seq > ? AND seq <= ?) x
  ),
  cells AS (
    SELECT seq, record_id, natural_key, payload, received_at, is_json,
  TRIM(COALESCE(JSON_VALUE(pj, '$.store'), NULLIF(TO_JSON_STRING(JSON_QUERY(pj, '$.store')), 'null'))) AS store, TRIM(COALESCE(JSON_VALUE(pj, '$.month'), NULLIF(TO_JSON_STRING(JSON_QUERY(pj, '$.month')), 'null'))) AS month_text,
  REGEXP_REPLACE(TRIM(COALESCE(JSON_VALUE(pj, '$.revenue_target'), NULLIF(TO_JSON_STRING(JSON_QUERY(pj, '$.revenue_target')), 'null'))), r'^R\$\s*', '') AS revenue_text,
  TRIM(COALESCE(JSON_VALUE(pj, '$.orders_target'), NULLIF(TO_JSON_STRING(JSON_QUERY(pj, '$.orders_target')), 'null'))) AS orders_text, COALESCE(JSON_VALUE(pj, '$.decimal'), NULLIF(TO_JSON_STRING(JSON_QUERY(pj, '$.decimal')), 'null')) AS dec,
  COALESCE(JSON_VALUE(pj, '$.file'), NULLIF(TO_JSON_STRING(JSON_QUERY(pj, '$.file')), 'null')) AS file, COALESCE(JSON_VALUE(pj, '$.line'), NULLIF(TO_JSON_STRING(JSON_QUERY(pj, '$.line')), 'null')) AS line
    FROM b
  ),
  typed AS (
    SELECT *,
  SAFE_CAST(CASE
  WHEN REGEXP_CONTAINS(month_text, r'^\d{4}-\d{2}$') THEN month_text || '-01'
  WHEN REGEXP_CONTAINS(month_text, r'^\d{4}-\d{2}-\d{2}$') THEN month_text
  WHEN REGEXP_CONTAINS(month_text, r'^\d{1,2}/\d{4}$') THEN REGEXP_REPLACE(month_text, r'^(\d{1,2})/(\d{4})$', r'\2-\1-01')
  END AS DATE) AS month_day,
  SAFE_CAST(CASE WHEN dec = ',' THEN REGEXP_REPLACE(REGEXP_REPLACE(revenue_text, r'\.', ''), ',', '.') ELSE REGEXP_REPLACE(revenue_text, ',', '') END
  AS NUMERIC(18,2)) AS revenue,
  CASE WHEN orders_text IS NULL OR orders_text = '' THEN NULL
  ELSE (SELECT IF(n BETWEEN -2147483648 AND 2147483647, n, NULL) FROM (SELECT SAFE_CAST(SAFE_CAST(orders_text AS NUMERIC) AS INT64) AS n) x) END AS orders_n
    FROM cells
  ),
  checked AS (
    SELECT *, CASE
  WHEN NOT is_json THEN 'payload: not JSON'
  WHEN store IS NULL OR store = '' THEN 'store: required'
  WHEN month_day IS NULL THEN 'month: expected YYYY-MM, YYYY-MM-DD or MM/YYYY, got ' || IFNULL('"' || month_text || '"', 'nothing')
  WHEN revenue IS NULL THEN 'revenue_target: expected a number, got ' || IFNULL('"' || revenue_text || '"', 'nothing')
  WHEN orders_text IS NOT NULL AND orders_text <> '' AND (orders_n IS NULL OR orders_n < 0)
  THEN 'orders_target: expected a whole number ≥ 0, got "' || orders_text || '"'
    END AS reason
    FROM typed
  )
  SELECT seq, record_id, natural_key, payload, received_at, store, DATE_TRUNC(month_day, MONTH) AS month,
  revenue, orders_n, reason, file, line FROM checked;

-- transaction (in the session); params: ["STRING \"store-targets\"","STRING \"2025-03-14T13:00:00.000Z\""]
INSERT INTO _SESSION.stage_store_targets (source, store_key, month, revenue_target, orders_target, changed_at, bronze_record_id, bronze_seq, updated_at)
  SELECT ?, store, month, revenue, orders_n, received_at, record_id, seq, CAST(? AS TIMESTAMP)
  FROM _SESSION.store_target_checked WHERE reason IS NULL;

-- transaction (in the session); params: ["STRING \"store-targets\"","STRING \"store_target\"","STRING \"2025-03-14T13:00:00.000Z\"","STRING \"run-5b0e77c1\""]
INSERT INTO _SESSION.stage_quarantine (quarantine_id, source, entity, natural_key, reason, payload, bronze_record_id, quarantined_at, run_id)
  SELECT GENERATE_UUID(), ?, ?, natural_key, reason || IFNULL(' (' || file || ', line ' || line || ')', ''), payload, record_id, CAST(? AS TIMESTAMP), ?
  FROM _SESSION.store_target_checked WHERE reason IS NOT NULL;

-- transaction (in the session); params: []
SELECT COUNTIF(reason IS NULL) AS staged, COUNTIF(reason IS NOT NULL) AS quarantined FROM _SESSION.store_target_checked;

-- transaction (in the session); params: []
DROP TABLE _SESSION.store_target_checked;

-- transaction (in the session); params: []
COMMIT TRANSACTION;

-- transaction (in the session); params: []
BEGIN TRANSACTION;

-- transaction (in the session); params: []

    INSERT INTO _SESSION.stage_changed_store_targets (source, store_key, month)
    SELECT s.source, s.store_key, s.month FROM (SELECT source, store_key, month, revenue_target, orders_target, changed_at, bronze_record_id, bronze_seq, updated_at FROM _SESSION.stage_store_targets s
  WHERE TRUE
  QUALIFY row_number() OVER (PARTITION BY source, store_key, month ORDER BY changed_at DESC, bronze_seq DESC) = 1) s
    LEFT JOIN `farol-test.analytics.silver_store_targets` t ON t.source = s.source AND t.store_key = s.store_key AND t.month = s.month
    WHERE t.store_key IS NULL
  OR (s.changed_at >= t.changed_at AND (s.revenue_target IS DISTINCT FROM t.revenue_target OR s.orders_target IS DISTINCT FROM t.orders_target));

-- transaction (in the session); params: []

    MERGE INTO `farol-test.analytics.silver_store_targets` AS t
    USING (SELECT source, store_key, month, revenue_target, orders_target, changed_at, bronze_record_id, bronze_seq, updated_at FROM _SESSION.stage_store_targets s
  WHERE EXISTS (SELECT 1 FROM _SESSION.stage_changed_store_targets c WHERE c.source = s.source AND c.store_key = s.store_key AND c.month = s.month)
  QUALIFY row_number() OVER (PARTITION BY source, store_key, month ORDER BY changed_at DESC, bronze_seq DESC) = 1) AS s
    ON t.source = s.source AND t.store_key = s.store_key AND t.month = s.month
    WHEN MATCHED THEN UPDATE SET revenue_target = s.revenue_target, orders_target = s.orders_target, changed_at = s.changed_at, bronze_record_id = s.bronze_record_id, bronze_seq = s.bronze_seq, updated_at = s.updated_at
    WHEN NOT MATCHED THEN INSERT (source, store_key, month, revenue_target, orders_target, changed_at, bronze_record_id, bronze_seq, updated_at) VALUES (s.source, s.store_key, s.month, s.revenue_target, s.orders_target, s.changed_at, s.bronze_record_id, s.bronze_seq, s.updated_at);

-- transaction (in the session); params: []
SELECT count(*) AS n FROM _SESSION.stage_changed_store_targets;

-- transaction (in the session); params: []
DELETE FROM _SESSION.stage_store_targets WHERE TRUE;

-- transaction (in the session); params: []
DELETE FROM _SESSION.stage_changed_store_targets WHERE TRUE;

-- transaction (in the session); params: []
COMMIT TRANSACTION;

-- transaction (in the session); params: []
CALL BQ.ABORT_SESSION();
