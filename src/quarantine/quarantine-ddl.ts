/**
 * Records that could not be taken in: a hook body that is not a notification, a payload that fails
 * validation, an order the warehouse refused. Each row says what was wrong and where, and keeps the
 * payload and the bronze record it came from; nothing is dropped silently.
 */
export const QUARANTINE_COLUMNS =
  'quarantine_id, source, entity, natural_key, reason, payload, bronze_record_id, quarantined_at, run_id';

export const QUARANTINE_DDL = `
CREATE SCHEMA IF NOT EXISTS silver;
CREATE TABLE IF NOT EXISTS silver.quarantine (
  quarantine_id     VARCHAR NOT NULL,
  source            VARCHAR NOT NULL,   -- a SourceKind
  entity            VARCHAR NOT NULL,
  natural_key       VARCHAR,
  reason            VARCHAR NOT NULL,   -- what was wrong and where (field paths)
  payload           VARCHAR,            -- raw text: it may not even be JSON
  bronze_record_id  VARCHAR,
  quarantined_at    TIMESTAMPTZ NOT NULL,
  run_id            VARCHAR             -- added by migration 0003, hence last
);
`;
