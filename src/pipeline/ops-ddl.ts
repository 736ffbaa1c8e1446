/**
 * ops: the pipeline's own state, in the warehouse so that it commits atomically with the data it
 * describes (a cursor advances in the transaction that lands its records).
 *
 * Released DDL is never edited: a change is a new migration (see warehouse-migrations.ts).
 */
export const OPS_DDL = `
CREATE SCHEMA IF NOT EXISTS ops;
CREATE TABLE IF NOT EXISTS ops.data_versions (
  layer       VARCHAR PRIMARY KEY,     -- 'gold'
  version     BIGINT NOT NULL,
  changed_at  TIMESTAMPTZ NOT NULL
);
CREATE TABLE IF NOT EXISTS ops.cursors (
  source      VARCHAR NOT NULL,        -- a SourceKind
  name        VARCHAR NOT NULL,        -- e.g. 'silver_seq' (bronze applied to silver), 'extract'
  value       VARCHAR NOT NULL,
  updated_at  TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (source, name)
);
CREATE TABLE IF NOT EXISTS ops.runs (
  run_id          VARCHAR PRIMARY KEY,
  source          VARCHAR NOT NULL,    -- a SourceKind, or '*' for a rebuild of everything
  entity          VARCHAR NOT NULL,    -- what the run produced, e.g. 'order'
  trigger         VARCHAR NOT NULL,    -- schedule | cli | hook | startup | rebuild | admin
  status          VARCHAR NOT NULL,    -- running | succeeded | failed | cancelled
  started_at      TIMESTAMPTZ NOT NULL,
  ended_at        TIMESTAMPTZ,
  records_in      BIGINT NOT NULL DEFAULT 0,  -- records landed in bronze
  upserted        BIGINT NOT NULL DEFAULT 0,  -- silver rows inserted or changed
  quarantined     BIGINT NOT NULL DEFAULT 0,
  error           VARCHAR,
  cursor_before   VARCHAR,
  cursor_after    VARCHAR,
  data_version    BIGINT                      -- gold version the run published, if any
);
CREATE TABLE IF NOT EXISTS ops.source_status (
  source          VARCHAR PRIMARY KEY,
  state           VARCHAR NOT NULL,    -- active | stopped
  message         VARCHAR,             -- why it stopped, in words an operator can act on
  changed_at      TIMESTAMPTZ NOT NULL
);
CREATE TABLE IF NOT EXISTS ops.data_tests (
  run_id          VARCHAR NOT NULL,
  source          VARCHAR NOT NULL,
  test_id         VARCHAR NOT NULL,    -- e.g. 'silver.orders.currency.accepted_values'
  table_name      VARCHAR NOT NULL,
  column_name     VARCHAR,
  kind            VARCHAR NOT NULL,
  severity        VARCHAR NOT NULL,    -- error | warn
  status          VARCHAR NOT NULL,    -- passed | failed
  failing_count   BIGINT NOT NULL,
  sample_keys     VARCHAR,             -- JSON array of up to 10 failing keys
  message         VARCHAR,
  checked_at      TIMESTAMPTZ NOT NULL
);
`;
