import { toBigQueryDdl } from '../../warehouse/bigquery/bigquery-ddl.js';
import { FETCH_QUEUE_DDL } from './fetch-queue-ddl.js';

/**
 * `ops.fetch_queue` and its staging table on BigQuery: `FETCH_QUEUE_DDL` translated, so a column
 * is declared once. The key (source, entity, natural_key) is not enforced: enqueueing is a MERGE
 * on it, so a key keeps one row.
 */
export const FETCH_QUEUE_BIGQUERY_DDL = toBigQueryDdl(FETCH_QUEUE_DDL);
