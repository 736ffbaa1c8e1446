/**
 * The durable list of records to (re)fetch from a source. Lives in the warehouse so that a
 * request commits with the bronze row that caused it, and leaves with the bronze row that
 * satisfied it.
 */
export const FETCH_QUEUE_DDL = `
CREATE SCHEMA IF NOT EXISTS ops;
CREATE TABLE IF NOT EXISTS ops.fetch_queue (
  source           VARCHAR NOT NULL,     -- a SourceKind
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
`;
