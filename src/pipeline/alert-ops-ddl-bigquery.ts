import { toBigQueryDdl } from '../warehouse/bigquery/bigquery-ddl.js';
import { ALERTS_DDL } from './alert-ops-ddl.js';

/**
 * The alerts' own tables on BigQuery (alerts, deliveries, silences): `ALERTS_DDL` translated, so a
 * column is declared once. Keys are not enforced there; ids are random UUIDs made in TypeScript,
 * so no writer relies on the key to refuse a duplicate. No partitioning or clustering: a row per
 * alert event and per message stays far below the 10 MB BigQuery bills for reading a table anyway.
 */
export const ALERTS_BIGQUERY_DDL = toBigQueryDdl(ALERTS_DDL);
