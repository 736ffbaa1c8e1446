import { toBigQueryDdl, type TableLayout } from '../../warehouse/bigquery/bigquery-ddl.js';
import { SILVER_DDL } from './silver-ddl.js';

/**
 * Silver on BigQuery: the same tables as `SILVER_DDL` (their current shapes: a BigQuery warehouse
 * starts at them, with no history to replay), translated, so a column is declared once. Keys are
 * not enforced there; the merges keep them unique.
 *
 * Every merge joins staging to its table on the key (`source` first), so each table is
 * clustered by its key columns: a MERGE or DELETE on a batch of keys reads only the blocks
 * holding them. None is partitioned: a merge has no date bound (a change may touch an order of
 * any day), so partitions would not prune it, and they would split a table into small ones that
 * cluster worse. `silver.quarantine` is the quarantine module's (quarantine-ddl-bigquery.ts).
 */
export const SILVER_BIGQUERY_LAYOUT: Readonly<Record<string, TableLayout>> = Object.freeze({
  'silver.orders': { clusterBy: ['source', 'order_id'] },
  'silver.order_items': { clusterBy: ['source', 'order_id', 'item_index'] },
  'silver.store_targets': { clusterBy: ['source', 'store_key', 'month'] },
  'silver.products': { clusterBy: ['source', 'sku_id'] },
  'silver.product_prices': { clusterBy: ['source', 'sku_id'] },
  'silver.customers': { clusterBy: ['source', 'customer_id'] },
  'silver.club_members': { clusterBy: ['source', 'member_id'] },
});

export const SILVER_BIGQUERY_DDL = toBigQueryDdl(SILVER_DDL, SILVER_BIGQUERY_LAYOUT);
