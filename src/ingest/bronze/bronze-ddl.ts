/**
 * Bronze: everything received, exactly as received, never updated or deleted; silver and gold can
 * always be rebuilt from it. It has two parts with one logical content:
 *
 * - `bronze.records`, the durable write-ahead table: a landed record is committed here (with the
 *   cursor that fetched it) before anything downstream sees it. It holds recent records only.
 * - `bronze.segments`, the registry of compacted, zstd-compressed Parquet files, one folder per
 *   source and day (`<bronze dir>/<source>/<YYYY-MM-DD>/<segment id>.parquet`). Compaction moves
 *   rows from the table into a segment in one transaction (register + delete), so a record is in
 *   exactly one of the two places at every commit.
 *
 * `seq` is the landing order, unique across both parts and stored in every row. A bulk segment
 * takes its seq range when its file is written; refreshes never read past a range still being
 * written (see bronze-store.ts), so a late registration cannot slip under a silver watermark.
 *
 * This is the DuckDB shape. BigQuery gets it translated (bronze-ddl-bigquery.ts), where the
 * table is all of bronze and the other two tables stay empty.
 */
export const BRONZE_DDL = `
CREATE SCHEMA IF NOT EXISTS bronze;
CREATE TABLE IF NOT EXISTS bronze.records (
  seq            BIGINT      NOT NULL,  -- landing order across all of bronze
  record_id      VARCHAR     NOT NULL,  -- uuid, unique per received record
  source         VARCHAR     NOT NULL,  -- a SourceKind: 'vtex-orders', 'store-targets', ...
  entity         VARCHAR     NOT NULL,  -- 'order', 'order_notification', 'store_target', ...
  natural_key    VARCHAR     NOT NULL,  -- the source's id for the record
  payload        VARCHAR     NOT NULL,  -- the body as received (JSON text for JSON sources)
  payload_hash   VARCHAR     NOT NULL,  -- md5 of payload, to spot exact re-deliveries
  received_at    TIMESTAMPTZ NOT NULL,
  batch_id       VARCHAR     NOT NULL,  -- the run that landed it
  partition_date DATE        NOT NULL   -- received_at's UTC date: the segment folder
  -- + payload_base64 VARCHAR (migration 0004): the exact body when it is not valid UTF-8 (BronzeInput.payloadBase64)
);
CREATE TABLE IF NOT EXISTS bronze.segments (
  segment_id     VARCHAR     PRIMARY KEY,
  source         VARCHAR     NOT NULL,
  partition_date DATE        NOT NULL,
  path           VARCHAR     NOT NULL,  -- relative to the bronze folder
  min_seq        BIGINT      NOT NULL,
  max_seq        BIGINT      NOT NULL,
  records        BIGINT      NOT NULL,
  entities       VARCHAR     NOT NULL,  -- comma list, to skip segments a reader does not need
  bytes          BIGINT      NOT NULL,
  created_at     TIMESTAMPTZ NOT NULL
);
CREATE TABLE IF NOT EXISTS bronze.dropped_partitions (
  source         VARCHAR     NOT NULL,  -- segments removed by retention: a rebuild cannot replay them
  partition_date DATE        NOT NULL,
  records        BIGINT      NOT NULL,
  dropped_at     TIMESTAMPTZ NOT NULL
);
`;
