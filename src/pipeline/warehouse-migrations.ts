import { BRONZE_DDL } from '../ingest/bronze/bronze-ddl.js';
import { BRONZE_BIGQUERY_DDL } from '../ingest/bronze/bronze-ddl-bigquery.js';
import { FETCH_QUEUE_DDL } from '../ingest/state/fetch-queue-ddl.js';
import { FETCH_QUEUE_BIGQUERY_DDL } from '../ingest/state/fetch-queue-ddl-bigquery.js';
import { QUARANTINE_DDL } from '../quarantine/quarantine-ddl.js';
import { QUARANTINE_BIGQUERY_DDL } from '../quarantine/quarantine-ddl-bigquery.js';
import { GOLD_DDL, GOLD_DERIVED_TABLES } from '../transform/gold/gold-ddl.js';
import { GOLD_BIGQUERY_DDL } from '../transform/gold/gold-ddl-bigquery.js';
import { GOLD_SEED_BIGQUERY_SQL, GOLD_SEED_SQL } from '../transform/gold/gold-seed.js';
import { LEGACY_STAGING_TABLES, SILVER_DDL, SILVER_TABLES } from '../transform/silver/silver-ddl.js';
import { SILVER_BIGQUERY_DDL } from '../transform/silver/silver-ddl-bigquery.js';
import type { Migration } from '../warehouse/migrations.js';
import { LEGACY_0001_LAYERS_SQL } from './migrations/legacy-0001-layers.js';
import { ALERTS_DDL } from './alert-ops-ddl.js';
import { ALERTS_BIGQUERY_DDL } from './alert-ops-ddl-bigquery.js';
import { OPS_DDL } from './ops-ddl.js';
import { OPS_BIGQUERY_DDL } from './ops-ddl-bigquery.js';

/**
 * 0003 gives every layer its owner's shape: bronze gets its landing order (`seq`) and the segment
 * registry, silver keys carry the source, gold facts carry `order_key`, ops gets runs, source
 * status and data tests. Silver and derived gold are dropped rather than converted: they are
 * derived, and the first refresh after the upgrade replays bronze into them (no silver watermark
 * exists yet, so it starts from the first record).
 */
const PIPELINE_0003_SQL = `
DROP TABLE IF EXISTS ops.runs;
${OPS_DDL}
UPDATE ops.fetch_queue SET source = 'vtex-orders' WHERE source = 'vtex';
ALTER TABLE bronze.records RENAME TO records_0001;
${BRONZE_DDL}
INSERT INTO bronze.records
SELECT row_number() OVER (ORDER BY received_at, record_id), record_id,
       CASE source WHEN 'vtex' THEN 'vtex-orders' ELSE source END, entity, natural_key, payload::VARCHAR,
       md5(payload::VARCHAR), received_at, batch_id, partition_date
FROM bronze.records_0001;
DROP TABLE bronze.records_0001;
ALTER TABLE silver.quarantine ADD COLUMN run_id VARCHAR;
UPDATE silver.quarantine SET source = 'vtex-orders' WHERE source = 'vtex';
${QUARANTINE_DDL}
${[...LEGACY_STAGING_TABLES, ...SILVER_TABLES].map((t) => `DROP TABLE IF EXISTS silver.${t};`).join('\n')}
${SILVER_DDL}
${GOLD_DERIVED_TABLES.map((t) => `DROP TABLE IF EXISTS gold.${t};`).join('\n')}
${GOLD_DDL}
${FETCH_QUEUE_DDL}
`;

/**
 * 0004 adds the catalog (products and prices) and the customer base to silver, and their columns
 * to gold's product and customer dimensions. Silver and derived gold are recreated in the current
 * shape and every silver watermark is reset, so the next refresh of each source replays its
 * bronze into them; runs and extraction cursors are untouched. Bronze gains the exact bytes of a
 * body that was not valid UTF-8 (`payload_base64`).
 */
const CATALOG_CUSTOMERS_0004_SQL = `
${[...SILVER_TABLES].map((t) => `DROP TABLE IF EXISTS silver.${t};`).join('\n')}
${SILVER_DDL}
${GOLD_DERIVED_TABLES.map((t) => `DROP TABLE IF EXISTS gold.${t};`).join('\n')}
${GOLD_DDL}
DELETE FROM ops.cursors WHERE name = 'silver_seq';
DELETE FROM silver.quarantine WHERE bronze_record_id IS NOT NULL;
ALTER TABLE bronze.records ADD COLUMN IF NOT EXISTS payload_base64 VARCHAR;
`;

/** The club registry's silver table and customer 360's gold tables (created empty; filled by refreshes). */
const CLUB_CUSTOMER_360_0005_SQL = `
${SILVER_DDL}
${GOLD_DDL}
`;

/**
 * 0006 adds customer identity's stored identifier graph (created empty: the first refresh that
 * touches customer 360 fills it from silver and resolves identity whole once).
 */
const CUSTOMER_IDENTITY_LINKS_0006_SQL = GOLD_DDL;

/**
 * 0007 adds the schema the semantic model's rollups are built in (src/metrics/pre-aggregations).
 * Only the schema: each rollup's table takes its shape from the Cube model and is created, one
 * per gold data version, by the build that fills it.
 */
const PREAGG_SCHEMA_0007_SQL = 'CREATE SCHEMA IF NOT EXISTS preagg;';

/**
 * 0008 adds the alerts' history, deliveries and silences (alert-ops-ddl.ts; src/alerts reads and writes them): in the
 * warehouse, so a notification that could not be sent survives a restart.
 */
const ALERTS_0008_SQL = ALERTS_DDL;

/** Every warehouse migration, in order. Append-only. */
export const WAREHOUSE_MIGRATIONS: readonly Migration[] = [
  { version: '0001-layers', sql: LEGACY_0001_LAYERS_SQL },
  { version: '0002-gold-seed', sql: GOLD_SEED_SQL },
  { version: '0003-pipeline', sql: PIPELINE_0003_SQL },
  { version: '0004-catalog-customers', sql: CATALOG_CUSTOMERS_0004_SQL },
  { version: '0005-club-customer-360', sql: CLUB_CUSTOMER_360_0005_SQL },
  { version: '0006-customer-identity-links', sql: CUSTOMER_IDENTITY_LINKS_0006_SQL },
  { version: '0007-preagg-schema', sql: PREAGG_SCHEMA_0007_SQL },
  { version: '0008-alerts', sql: ALERTS_0008_SQL },
];

/**
 * What a BigQuery warehouse holds: gold (partitioned and clustered facts) and the data versions the
 * metrics cache keys by (0001); bronze (0002: the table alone, partitioned and clustered; no
 * segments); the pipeline's bookkeeping in ops: runs, cursors, source status, data-test results
 * (0003); every silver table and `silver.quarantine`, clustered by their keys (0004); the alerts'
 * history, deliveries and silences and the fetch queue (0005); gold's reference rows, the calendar
 * and the order statuses (0006, as DuckDB's 0002). The whole pipeline runs there
 * (src/warehouse/bigquery/CONTEXT.md).
 * Append-only, like the DuckDB list; statements are re-runnable, since BigQuery runs DDL outside
 * transactions.
 */
export const BIGQUERY_WAREHOUSE_MIGRATIONS: readonly Migration[] = [
  {
    version: '0001-serving',
    sql: `CREATE TABLE IF NOT EXISTS ops.data_versions (
  layer       STRING NOT NULL,
  version     INT64 NOT NULL,
  changed_at  TIMESTAMP NOT NULL
);
${GOLD_BIGQUERY_DDL}`,
  },
  { version: '0002-bronze', sql: BRONZE_BIGQUERY_DDL },
  { version: '0003-ops', sql: OPS_BIGQUERY_DDL },
  { version: '0004-silver', sql: `${SILVER_BIGQUERY_DDL}\n${QUARANTINE_BIGQUERY_DDL}` },
  { version: '0005-alerts-ops', sql: `${ALERTS_BIGQUERY_DDL}\n${FETCH_QUEUE_BIGQUERY_DDL}` },
  { version: '0006-gold-seed', sql: GOLD_SEED_BIGQUERY_SQL },
];
