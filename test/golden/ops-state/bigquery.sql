-- execute; params: ["STRING \"run-4c1d9e2a\"","STRING \"vtex-orders\"","STRING \"order\"","STRING \"schedule\"","TIMESTAMP \"2025-03-14T13:00:00.000Z\"","STRING \"2025-03-14T00:00:00Z|page=3\""]
INSERT INTO `farol-test.analytics.ops_runs` (run_id, source, entity, trigger, status, started_at, records_in, upserted, quarantined, cursor_before)
  VALUES (?, ?, ?, ?, 'running', ?, 0, 0, 0, ?);

-- transaction; params: []
BEGIN TRANSACTION;

-- transaction (in the session); params: ["STRING \"vtex-orders\"","STRING \"extract\"","STRING \"2025-03-14T00:00:00Z|page=3\"","TIMESTAMP \"2025-03-14T13:00:00.000Z\""]
MERGE INTO `farol-test.analytics.ops_cursors` AS t
  USING (SELECT ? AS source, ? AS name, ? AS value, ? AS updated_at) AS s
  ON t.source = s.source AND t.name = s.name
  WHEN MATCHED THEN UPDATE SET value = s.value, updated_at = s.updated_at
  WHEN NOT MATCHED THEN INSERT (source, name, value, updated_at) VALUES (s.source, s.name, s.value, s.updated_at);

-- transaction (in the session); params: ["INT64 2","INT64 0","INT64 0","STRING null","STRING null","STRING \"run-4c1d9e2a\""]
UPDATE `farol-test.analytics.ops_runs` SET records_in = records_in + ?, upserted = upserted + ?, quarantined = quarantined + ?,
  cursor_after = coalesce(?, cursor_after), data_version = coalesce(CAST(? AS BIGINT), data_version)
  WHERE run_id = ?;

-- transaction (in the session); params: []
COMMIT TRANSACTION;

-- transaction (in the session); params: []
CALL BQ.ABORT_SESSION();

-- transaction; params: []
BEGIN TRANSACTION;

-- transaction (in the session); params: ["STRING \"gold\"","TIMESTAMP \"2025-03-14T13:00:00.000Z\""]
MERGE INTO `farol-test.analytics.ops_data_versions` AS t
  USING (SELECT ? AS layer, ? AS changed_at) AS s
  ON t.layer = s.layer
  WHEN MATCHED THEN UPDATE SET version = t.version + 1, changed_at = s.changed_at
  WHEN NOT MATCHED THEN INSERT (layer, version, changed_at) VALUES (s.layer, 1, s.changed_at);

-- transaction (in the session); params: ["STRING \"gold\""]
SELECT version FROM `farol-test.analytics.ops_data_versions` WHERE layer = ?;

-- transaction (in the session); params: ["STRING \"run-4c1d9e2a\"","STRING \"vtex-orders\"","STRING \"silver.orders.currency.accepted_values\"","STRING \"silver.orders\"","STRING \"currency\"","STRING \"accepted_values\"","STRING \"error\"","STRING \"passed\"","INT64 0","STRING \"[]\"","STRING \"silver.orders.currency.accepted_values: 1 row not in (BRL)\"","TIMESTAMP \"2025-03-14T13:00:00.000Z\""]
INSERT INTO `farol-test.analytics.ops_data_tests` (run_id, source, test_id, table_name, column_name, kind, severity, status, failing_count, sample_keys, message, checked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?);

-- transaction (in the session); params: ["STRING \"vtex-orders\"","STRING \"silver_seq\"","STRING \"2\"","TIMESTAMP \"2025-03-14T13:00:00.000Z\""]
MERGE INTO `farol-test.analytics.ops_cursors` AS t
  USING (SELECT ? AS source, ? AS name, ? AS value, ? AS updated_at) AS s
  ON t.source = s.source AND t.name = s.name
  WHEN MATCHED THEN UPDATE SET value = s.value, updated_at = s.updated_at
  WHEN NOT MATCHED THEN INSERT (source, name, value, updated_at) VALUES (s.source, s.name, s.value, s.updated_at);

-- transaction (in the session); params: ["INT64 0","INT64 2","INT64 0","STRING null","INT64 1","STRING \"run-4c1d9e2a\""]
UPDATE `farol-test.analytics.ops_runs` SET records_in = records_in + ?, upserted = upserted + ?, quarantined = quarantined + ?,
  cursor_after = coalesce(?, cursor_after), data_version = coalesce(CAST(? AS BIGINT), data_version)
  WHERE run_id = ?;

-- transaction (in the session); params: []
COMMIT TRANSACTION;

-- transaction (in the session); params: []
CALL BQ.ABORT_SESSION();

-- execute; params: ["STRING \"succeeded\"","TIMESTAMP \"2025-03-14T13:00:00.000Z\"","STRING null","STRING \"run-4c1d9e2a\""]
UPDATE `farol-test.analytics.ops_runs` SET status = ?, ended_at = ?, error = ? WHERE run_id = ?;
