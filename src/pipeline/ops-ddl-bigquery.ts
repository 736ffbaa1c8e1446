import { toBigQueryDdl } from '../warehouse/bigquery/bigquery-ddl.js';
import { OPS_DDL } from './ops-ddl.js';

/**
 * The pipeline's ops tables on BigQuery (runs, cursors, source status, data-test results, data
 * versions): the same shapes as `OPS_DDL`, translated, so a column is declared once. Primary keys
 * are not enforced there: the writers upsert with MERGE on the key, so a key never gets a second
 * row. `ops.data_versions` already exists from the serving migration; its statement here is a
 * no-op. No partitioning or clustering: these tables stay small (a row per run, per test result),
 * under the 10 MB BigQuery bills a query for each table it reads anyway.
 */
export const OPS_BIGQUERY_DDL = toBigQueryDdl(OPS_DDL);
