import { toBigQueryDdl, type TableLayout } from '../../warehouse/bigquery/bigquery-ddl.js';
import { BRONZE_DDL } from './bronze-ddl.js';

/**
 * Bronze on BigQuery: the same tables as `BRONZE_DDL`, translated (INT64, STRING, TIMESTAMP,
 * DATE; the payload is STRING). There `bronze.records` is all of bronze, for good: the table is
 * columnar, compressed storage already, so there are no Parquet segments and no compaction.
 *
 * - `bronze.records` is partitioned by `partition_date` (a record's UTC day of receipt), so
 *   retention can be a partition expiration and date-bounded audits read only their days, and
 *   clustered by `source, entity, seq`: a refresh reads one source's entities past its watermark
 *   (`seq > ?`), and clustering prunes it to those blocks in every partition. `seq` is not a
 *   partition bound because a record's day is not monotonic in seq (bigquery-batch-storage.ts).
 * - `bronze.segments` and `bronze.dropped_partitions` are created so queries shared with DuckDB
 *   (a rebuild's check for dropped days, the unapplied-records count) run, and stay empty.
 *   A retention set as `ALTER TABLE … SET OPTIONS (partition_expiration_days = n)` is not
 *   recorded in `dropped_partitions`: a rebuild on BigQuery cannot tell that days are gone.
 *
 * `payload_base64` came to DuckDB by migration 0004 (`BRONZE_DDL` stays as released); here it
 * is added by a re-runnable ALTER, like every BigQuery migration.
 */
export const BRONZE_BIGQUERY_LAYOUT: Readonly<Record<string, TableLayout>> = Object.freeze({
  'bronze.records': { partitionBy: 'partition_date', clusterBy: ['source', 'entity', 'seq'] },
});

export const BRONZE_BIGQUERY_DDL = `${toBigQueryDdl(BRONZE_DDL, BRONZE_BIGQUERY_LAYOUT)}
ALTER TABLE bronze.records ADD COLUMN IF NOT EXISTS payload_base64 STRING;`;
