import { toBigQueryDdl, type TableLayout } from '../warehouse/bigquery/bigquery-ddl.js';
import { QUARANTINE_DDL } from './quarantine-ddl.js';

/**
 * `silver.quarantine` on BigQuery: `QUARANTINE_DDL` translated. It is append-only and read by
 * recent days (alerts, audits), so it is partitioned by the day a row was quarantined and
 * clustered by source and entity, the columns those reads filter on.
 */
export const QUARANTINE_BIGQUERY_LAYOUT: Readonly<Record<string, TableLayout>> = Object.freeze({
  'silver.quarantine': { partitionBy: 'DATE(quarantined_at)', clusterBy: ['source', 'entity'] },
});

export const QUARANTINE_BIGQUERY_DDL = toBigQueryDdl(QUARANTINE_DDL, QUARANTINE_BIGQUERY_LAYOUT);
