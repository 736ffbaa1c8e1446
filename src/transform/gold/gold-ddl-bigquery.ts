import { toBigQueryDdl, type TableLayout } from '../../warehouse/bigquery/bigquery-ddl.js';
import { GOLD_DDL } from './gold-ddl.js';

/**
 * Gold on BigQuery: the same tables as `GOLD_DDL`, translated, with the facts laid out for the
 * queries the Cube model sends. Cube filters orders and sales on `created_at` (a TIMESTAMP), so
 * the facts are partitioned by its UTC day, and a date range reads only its days; the business-
 * timezone `order_date` would not prune Cube's filters. Clustering by channel and store serves
 * the most common breakdowns and the row-level rules written on them.
 */
export const GOLD_BIGQUERY_LAYOUT: Readonly<Record<string, TableLayout>> = Object.freeze({
  'gold.fct_orders': { partitionBy: 'DATE(created_at)', clusterBy: ['channel_key', 'store_key'] },
  'gold.fct_sales': { partitionBy: 'DATE(created_at)', clusterBy: ['channel_key', 'store_key'] },
});

export const GOLD_BIGQUERY_DDL = toBigQueryDdl(GOLD_DDL, GOLD_BIGQUERY_LAYOUT);
