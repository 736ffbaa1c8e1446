import type { SqlExecutor } from '../../warehouse/warehouse.js';
import { insertRow, keyIn, onKeys, updateSet } from './merge-sql.js';

export const SILVER_PRODUCT_COLUMNS = [
  'source', 'sku_id', 'product_id', 'name', 'product_name', 'sku_name', 'brand_id', 'brand_name', 'category_ids',
  'department', 'category', 'category_path', 'ref_id', 'ean', 'is_active', 'changed_at', 'payload_hash',
  'bronze_record_id', 'bronze_seq', 'updated_at',
] as const;

export const SILVER_PRODUCT_PRICE_COLUMNS = [
  'source', 'sku_id', 'base_price', 'list_price', 'cost_price', 'markup', 'changed_at', 'payload_hash',
  'bronze_record_id', 'bronze_seq', 'updated_at',
] as const;

/** SKUs whose description or price changed, as a relation of (source, sku_id). */
export const CHANGED_PRODUCTS_SQL = 'SELECT source, sku_id FROM temp.stage_changed_products';

const KEYS = ['source', 'sku_id'] as const;

/**
 * Merges staged catalog reads into silver.products and silver.product_prices. The catalog has no
 * change date, so the latest read wins (`changed_at`, then landing order); a read identical to
 * what is stored (same payload hash) changes nothing, so a 6-hourly sweep of an unchanged catalog
 * refreshes no gold. Leaves the SKUs that changed in either table in temp.stage_changed_products.
 * One SQL text for both warehouses.
 */
export async function mergeCatalog(tx: SqlExecutor): Promise<number> {
  await mergeLatest(tx, 'products', 'temp.stage_products', SILVER_PRODUCT_COLUMNS);
  await mergeLatest(tx, 'product_prices', 'temp.stage_product_prices', SILVER_PRODUCT_PRICE_COLUMNS);
  const [row] = await tx.query<{ n: number }>('SELECT count(*) AS n FROM (SELECT DISTINCT source, sku_id FROM temp.stage_changed_products)');
  return Number(row?.n ?? 0);
}

/**
 * Prices merge after products, so a SKU whose description changed also takes its latest price
 * read (at least as new as silver's), even one with the same hash.
 */
async function mergeLatest(tx: SqlExecutor, table: string, stage: string, columns: readonly string[]): Promise<void> {
  const latest = (where: string) => `SELECT ${columns.join(', ')} FROM ${stage} s
      WHERE ${where}
      QUALIFY row_number() OVER (PARTITION BY source, sku_id ORDER BY changed_at DESC, bronze_seq DESC) = 1`;
  await tx.execute(`
    INSERT INTO temp.stage_changed_products (source, sku_id)
    SELECT s.source, s.sku_id FROM (${latest('TRUE')}) s
    LEFT JOIN silver.${table} t ON ${onKeys(KEYS)}
    WHERE t.sku_id IS NULL OR (s.changed_at >= t.changed_at AND s.payload_hash <> t.payload_hash)`);
  await tx.execute(`
    MERGE INTO silver.${table} AS t
    USING (${latest(keyIn('temp.stage_changed_products', KEYS, 's'))}) AS s
    ON ${onKeys(KEYS)}
    WHEN MATCHED AND s.changed_at >= t.changed_at THEN UPDATE SET ${updateSet(columns, KEYS)}
    WHEN NOT MATCHED THEN ${insertRow(columns)}`);
}

/** `WHERE TRUE`: BigQuery refuses a DELETE without a WHERE. */
export async function clearCatalogStaging(tx: SqlExecutor): Promise<void> {
  await tx.execute('DELETE FROM temp.stage_products WHERE TRUE');
  await tx.execute('DELETE FROM temp.stage_product_prices WHERE TRUE');
  await tx.execute('DELETE FROM temp.stage_changed_products WHERE TRUE');
}
