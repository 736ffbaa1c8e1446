/**
 * ops: the platform's own state. Work queues, run history and the data version that keys the
 * metrics cache. Lives in the same database so queue changes commit atomically with the data.
 */
export const OPS_DDL = `
CREATE SCHEMA IF NOT EXISTS ops;
CREATE TABLE IF NOT EXISTS ops.schema_migrations (
  version     VARCHAR PRIMARY KEY,
  applied_at  TIMESTAMPTZ NOT NULL
);
CREATE TABLE IF NOT EXISTS ops.fetch_queue (
  source           VARCHAR NOT NULL,
  entity           VARCHAR NOT NULL,
  natural_key      VARCHAR NOT NULL,
  requested_seq    BIGINT NOT NULL,      -- grows with every request; a fetch clears only requests it saw
  requested_at     TIMESTAMPTZ NOT NULL,
  first_requested_at TIMESTAMPTZ NOT NULL,
  attempts         INTEGER NOT NULL DEFAULT 0,
  next_attempt_at  TIMESTAMPTZ NOT NULL,
  last_error       VARCHAR,
  PRIMARY KEY (source, entity, natural_key)
);
-- Requests on their way into fetch_queue; filled and emptied inside one writer transaction.
CREATE TABLE IF NOT EXISTS ops.fetch_queue_stage (
  source VARCHAR NOT NULL, entity VARCHAR NOT NULL, natural_key VARCHAR NOT NULL,
  requested_seq BIGINT NOT NULL, requested_at TIMESTAMPTZ NOT NULL
);
CREATE TABLE IF NOT EXISTS ops.runs (
  run_id       VARCHAR PRIMARY KEY,
  kind         VARCHAR NOT NULL,   -- 'hook-batch', 'fetch-batch', 'sandbox-load', 'rebuild'
  started_at   TIMESTAMPTZ NOT NULL,
  finished_at  TIMESTAMPTZ,
  status       VARCHAR NOT NULL,   -- running | succeeded | failed
  rows_in      BIGINT,
  rows_out     BIGINT,
  error        VARCHAR
);
CREATE TABLE IF NOT EXISTS ops.data_versions (
  layer       VARCHAR PRIMARY KEY, -- 'gold'
  version     BIGINT NOT NULL,
  changed_at  TIMESTAMPTZ NOT NULL
);
CREATE TABLE IF NOT EXISTS ops.cursors (
  source      VARCHAR NOT NULL,
  name        VARCHAR NOT NULL,
  value       VARCHAR NOT NULL,
  updated_at  TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (source, name)
);
`;
