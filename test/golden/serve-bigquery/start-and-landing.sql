-- execute; params: ["TIMESTAMP \"2026-11-30T12:00:00.000Z\"","STRING \"interrupted: the process stopped before the run finished; its committed pages are kept and the next run resumes from its cursor\""]
UPDATE `farol-test.analytics.ops_runs` SET status = 'failed', ended_at = ?, error = ? WHERE status = 'running';

-- metrics; params: []
SELECT max(seq) AS n FROM `farol-test.analytics.bronze_records`;

-- metrics; params: []
SELECT layer, version, changed_at FROM `farol-test.analytics.ops_data_versions`;

-- execute; params: ["STRING \"<uuid>\"","STRING \"vtex-orders\"","STRING \"orders\"","STRING \"hook\"","TIMESTAMP \"2026-11-30T12:00:00.000Z\"","STRING null"]
INSERT INTO `farol-test.analytics.ops_runs` (run_id, source, entity, trigger, status, started_at, records_in, upserted, quarantined, cursor_before)
  VALUES (?, ?, ?, ?, 'running', ?, 0, 0, 0, ?);

-- transaction; params: []
BEGIN TRANSACTION;

-- transaction (in the session); params: []
INSERT INTO `farol-test.analytics.bronze_records` (`seq`, `record_id`, `source`, `entity`, `natural_key`, `payload`, `payload_hash`, `received_at`, `batch_id`, `partition_date`, `payload_base64`) SELECT `seq`, `record_id`, `source`, `entity`, `natural_key`, `payload`, `payload_hash`, `received_at`, `batch_id`, `partition_date`, `payload_base64` FROM `farol-test.analytics.ops_stage_<id>`;

-- transaction (in the session); params: ["STRING \"vtex-orders\"","STRING \"extract\"","STRING \"2026-11-30T11:59:00Z|page=2\"","TIMESTAMP \"2026-11-30T12:00:00.000Z\""]
MERGE INTO `farol-test.analytics.ops_cursors` AS t
  USING (SELECT ? AS source, ? AS name, ? AS value, ? AS updated_at) AS s
  ON t.source = s.source AND t.name = s.name
  WHEN MATCHED THEN UPDATE SET value = s.value, updated_at = s.updated_at
  WHEN NOT MATCHED THEN INSERT (source, name, value, updated_at) VALUES (s.source, s.name, s.value, s.updated_at);

-- transaction (in the session); params: ["INT64 2","INT64 0","INT64 0","STRING \"2026-11-30T11:59:00Z|page=2\"","STRING null","STRING \"<uuid>\""]
UPDATE `farol-test.analytics.ops_runs` SET records_in = records_in + ?, upserted = upserted + ?, quarantined = quarantined + ?,
  cursor_after = coalesce(?, cursor_after), data_version = coalesce(CAST(? AS BIGINT), data_version)
  WHERE run_id = ?;

-- transaction (in the session); params: []
COMMIT TRANSACTION;

-- transaction; params: []
DROP TABLE IF EXISTS `farol-test.analytics.ops_stage_<id>`;

-- transaction (in the session); params: []
CALL BQ.ABORT_SESSION();

-- transaction; params: []
BEGIN TRANSACTION;

-- transaction (in the session); params: ["INT64 1","INT64 0","INT64 0","STRING null","STRING null","STRING \"<uuid>\""]
UPDATE `farol-test.analytics.ops_runs` SET records_in = records_in + ?, upserted = upserted + ?, quarantined = quarantined + ?,
  cursor_after = coalesce(?, cursor_after), data_version = coalesce(CAST(? AS BIGINT), data_version)
  WHERE run_id = ?;

-- transaction (in the session); params: []
INSERT INTO `farol-test.analytics.silver_quarantine` (`quarantine_id`, `source`, `entity`, `natural_key`, `reason`, `payload`, `bronze_record_id`, `run_id`, `quarantined_at`) SELECT `quarantine_id`, `source`, `entity`, `natural_key`, `reason`, `payload`, `bronze_record_id`, `run_id`, `quarantined_at` FROM `farol-test.analytics.ops_stage_<id>`;

-- transaction (in the session); params: []
COMMIT TRANSACTION;

-- transaction; params: []
DROP TABLE IF EXISTS `farol-test.analytics.ops_stage_<id>`;

-- transaction (in the session); params: []
CALL BQ.ABORT_SESSION();

-- metrics; params: ["STRING \"<uuid>\""]
SELECT records_in, upserted, quarantined FROM `farol-test.analytics.ops_runs` WHERE run_id = ?;

-- execute; params: ["STRING \"succeeded\"","TIMESTAMP \"2026-11-30T12:00:00.000Z\"","STRING null","STRING \"<uuid>\""]
UPDATE `farol-test.analytics.ops_runs` SET status = ?, ended_at = ?, error = ? WHERE run_id = ?;
