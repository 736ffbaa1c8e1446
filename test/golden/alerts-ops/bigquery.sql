-- metrics; params: ["STRING \"vtex-catalog\"","STRING \"vtex-orders\"","TIMESTAMP \"2025-03-14T13:00:00.000Z\""]
WITH s AS (SELECT ? AS source UNION ALL SELECT ? AS source),
  done AS (SELECT source, status, error, run_id, started_at FROM `farol-test.analytics.ops_runs` WHERE status NOT IN ('running', 'cancelled') AND ended_at <= ?),
  last AS (SELECT source, status AS last_status, run_id AS last_run FROM (
  SELECT source, status, run_id, row_number() OVER (PARTITION BY source ORDER BY started_at DESC, run_id DESC) AS n FROM done
  ) latest WHERE n = 1),
  err AS (SELECT source, error AS last_error FROM (
  SELECT source, error, row_number() OVER (PARTITION BY source ORDER BY started_at DESC, run_id DESC) AS n FROM done WHERE error IS NOT NULL
  ) latest WHERE n = 1)
  SELECT s.source, last.last_status, err.last_error, last.last_run, st.state, st.message
  FROM s LEFT JOIN last USING (source) LEFT JOIN err USING (source) LEFT JOIN `farol-test.analytics.ops_source_status` st USING (source) ORDER BY s.source;

-- transaction; params: []
BEGIN TRANSACTION;

-- transaction (in the session); params: ["STRING \"runs-ok\""]
SELECT alert_id, rule, kind, severity, series, state, title, summary, value, expected_low, expected_high, period, link,
  fired_at, resolved_at, acknowledged_at, acknowledged_by, notified FROM `farol-test.analytics.ops_alerts` WHERE rule = ? AND state = 'FIRING';

-- transaction (in the session); params: ["TIMESTAMP \"2025-03-14T13:00:00.000Z\"","STRING \"runs-ok\"","STRING \"runs-ok\""]
SELECT silence_id, rule, series, until, reason, created_by FROM `farol-test.analytics.ops_alert_silences`
  WHERE until > ? AND (? IS NULL OR rule = ?) ORDER BY until DESC, silence_id;

-- transaction (in the session); params: ["STRING \"runs-ok\""]
SELECT series, max(coalesce(resolved_at, fired_at)) AS last_at FROM `farol-test.analytics.ops_alerts` WHERE rule = ? AND notified GROUP BY series;

-- transaction (in the session); params: ["STRING \"<uuid>\"","STRING \"runs-ok\"","STRING \"pipeline_failure\"","STRING \"warning\"","STRING \"vtex-orders\"","STRING \"vtex-orders run failed\"","STRING \"VTEX answered 503 three times\"","INT64 3","INT64 0","STRING null","STRING null","TIMESTAMP \"2025-03-14T13:00:00.000Z\"","BOOL true","TIMESTAMP \"2025-03-14T13:00:00.000Z\""]
INSERT INTO `farol-test.analytics.ops_alerts` (alert_id, rule, kind, severity, series, state, title, summary, value, expected_low, expected_high, period, link,
  fired_at, notified, updated_at) VALUES (?, ?, ?, ?, ?, 'FIRING', ?, ?, ?, NULL, ?, ?, ?, ?, ?, ?);

-- transaction (in the session); params: ["STRING \"<uuid>\"","STRING \"<uuid>\"","STRING \"firing\"","STRING \"slack\"","STRING \"{\\\"text\\\":\\\"firing: vtex-orders run failed\\\"}\"","TIMESTAMP \"2025-03-14T13:00:00.000Z\"","TIMESTAMP \"2025-03-14T13:00:00.000Z\""]
INSERT INTO `farol-test.analytics.ops_alert_deliveries` (delivery_id, alert_id, event, channel, payload, status, attempts, next_attempt_at, created_at)
  VALUES (?, ?, ?, ?, ?, 'pending', 0, ?, ?);

-- transaction (in the session); params: []
COMMIT TRANSACTION;

-- transaction (in the session); params: []
CALL BQ.ABORT_SESSION();

-- metrics; params: ["TIMESTAMP \"2025-03-14T13:00:00.000Z\"","INT64 20"]
SELECT delivery_id, alert_id, event, channel, payload, attempts FROM `farol-test.analytics.ops_alert_deliveries`
  WHERE status = 'pending' AND next_attempt_at <= ? ORDER BY created_at, delivery_id LIMIT ?;

-- execute; params: ["TIMESTAMP \"2025-03-14T13:00:00.000Z\"","STRING \"d-1\""]
UPDATE `farol-test.analytics.ops_alert_deliveries` SET status = 'sent', attempts = attempts + 1, sent_at = ?, last_error = NULL WHERE delivery_id = ?;

-- metrics; params: ["TIMESTAMP \"2025-03-14T13:00:00.000Z\"","STRING \"vtex-orders\"","TIMESTAMP \"2025-03-14T13:00:00.000Z\""]
SELECT max(CASE WHEN status = 'succeeded' AND ended_at <= ? THEN ended_at END) AS last_success, min(started_at) AS first_start
  FROM `farol-test.analytics.ops_runs` WHERE source = ? AND started_at <= ?;

-- metrics; params: ["TIMESTAMP \"2025-03-14T13:00:00.000Z\""]
SELECT test_id, severity, status, failing_count, message, table_name FROM (
  SELECT test_id, severity, status, failing_count, message, table_name,
  row_number() OVER (PARTITION BY test_id ORDER BY checked_at DESC, run_id DESC) AS n
  FROM `farol-test.analytics.ops_data_tests` WHERE checked_at <= ?
  ) latest WHERE n = 1 ORDER BY test_id;

-- transaction; params: []
BEGIN TRANSACTION;

-- transaction (in the session); params: []
INSERT INTO `farol-test.analytics.ops_fetch_queue_stage` (`source`, `entity`, `natural_key`, `requested_seq`, `requested_at`) SELECT `source`, `entity`, `natural_key`, `requested_seq`, `requested_at` FROM `farol-test.analytics.ops_stage_<uuid>`;

-- transaction (in the session); params: []
MERGE INTO `farol-test.analytics.ops_fetch_queue` AS t
  USING (SELECT source, entity, natural_key, max(requested_seq) AS requested_seq, max(requested_at) AS requested_at, min(requested_at) AS first_requested_at
  FROM `farol-test.analytics.ops_fetch_queue_stage` GROUP BY source, entity, natural_key) AS s
  ON t.source = s.source AND t.entity = s.entity AND t.natural_key = s.natural_key
  WHEN MATCHED THEN UPDATE SET requested_seq = s.requested_seq, requested_at = s.requested_at,
  next_attempt_at = least(t.next_attempt_at, s.first_requested_at)
  WHEN NOT MATCHED THEN INSERT (source, entity, natural_key, requested_seq, requested_at, first_requested_at, next_attempt_at, attempts, last_error)
  VALUES (s.source, s.entity, s.natural_key, s.requested_seq, s.requested_at, s.first_requested_at, s.first_requested_at, 0, NULL);

-- transaction (in the session); params: []
DELETE FROM `farol-test.analytics.ops_fetch_queue_stage` WHERE true;

-- transaction (in the session); params: []
COMMIT TRANSACTION;

-- transaction; params: []
DROP TABLE IF EXISTS `farol-test.analytics.ops_stage_<uuid>`;

-- transaction (in the session); params: []
CALL BQ.ABORT_SESSION();

-- metrics; params: ["STRING \"vtex-orders\"","STRING \"order\"","TIMESTAMP \"2025-03-14T13:00:00.000Z\"","INT64 200"]
SELECT natural_key, requested_seq, attempts FROM `farol-test.analytics.ops_fetch_queue`
  WHERE source = ? AND entity = ? AND next_attempt_at <= ?
  ORDER BY next_attempt_at, requested_seq LIMIT ?;

-- transaction; params: []
BEGIN TRANSACTION;

-- transaction (in the session); params: ["STRING \"vtex-orders\"","STRING \"order\"","STRING \"1234567890-01\"","STRING \"VTEX answered 503 three times\"","TIMESTAMP \"2025-03-14T13:00:01.000Z\""]
UPDATE `farol-test.analytics.ops_fetch_queue` q SET attempts = q.attempts + 1, last_error = f.error, next_attempt_at = f.next_at
  FROM (SELECT ? AS source, ? AS entity, ? AS natural_key, ? AS error, ? AS next_at) AS f
  WHERE q.source = f.source AND q.entity = f.entity AND q.natural_key = f.natural_key;

-- transaction (in the session); params: []
COMMIT TRANSACTION;

-- transaction (in the session); params: []
CALL BQ.ABORT_SESSION();

-- transaction; params: []
BEGIN TRANSACTION;

-- transaction (in the session); params: []
INSERT INTO `farol-test.analytics.ops_fetch_queue_stage` (`source`, `entity`, `natural_key`, `requested_seq`, `requested_at`) SELECT `source`, `entity`, `natural_key`, `requested_seq`, `requested_at` FROM `farol-test.analytics.ops_stage_<uuid>`;

-- transaction (in the session); params: []
DELETE FROM `farol-test.analytics.ops_fetch_queue` q WHERE EXISTS (SELECT 1 FROM `farol-test.analytics.ops_fetch_queue_stage` d
  WHERE q.source = d.source AND q.entity = d.entity AND q.natural_key = d.natural_key AND q.requested_seq <= d.requested_seq);

-- transaction (in the session); params: []
DELETE FROM `farol-test.analytics.ops_fetch_queue_stage` WHERE true;

-- transaction (in the session); params: []
COMMIT TRANSACTION;

-- transaction; params: []
DROP TABLE IF EXISTS `farol-test.analytics.ops_stage_<uuid>`;

-- transaction (in the session); params: []
CALL BQ.ABORT_SESSION();
