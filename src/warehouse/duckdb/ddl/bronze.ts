/**
 * Bronze: one append-only table of everything received, exactly as received. Never updated or
 * deleted; silver and gold can always be rebuilt from it.
 */
export const BRONZE_DDL = `
CREATE SCHEMA IF NOT EXISTS bronze;
CREATE TABLE IF NOT EXISTS bronze.records (
  record_id      VARCHAR     NOT NULL,  -- uuid, unique per received record
  source         VARCHAR     NOT NULL,  -- 'vtex', 'ploomes', ...
  entity         VARCHAR     NOT NULL,  -- 'order', 'order_notification', ...
  natural_key    VARCHAR     NOT NULL,  -- the source's id for the record
  payload        JSON        NOT NULL,  -- the body as received
  payload_hash   VARCHAR     NOT NULL,  -- sha256 of payload, to spot exact re-deliveries
  received_at    TIMESTAMPTZ NOT NULL,
  batch_id       VARCHAR     NOT NULL,  -- the receive batch or run that wrote it
  partition_date DATE        NOT NULL   -- received_at's UTC date, for pruning and retention
);
`;
