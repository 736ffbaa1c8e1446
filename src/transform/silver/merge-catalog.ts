import type { SqlExecutor } from '../../warehouse/warehouse.js';

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

/**
 * Merges staged catalog reads into silver.products and silver.product_prices. The catalog has no
 * change date, so the latest read wins (`changed_at`, then landing order); a read identical to
 * what is stored (same payload hash) changes nothing, so a 6-hourly sweep of an unchanged catalog
 * refreshes no gold. Leaves the SKUs that changed in either table in temp.stage_changed_products.
 */
export async function mergeCatalog(tx: SqlExecutor): Promise<number> {
  await mergeLatest(tx, 'products', 'temp.stage_products', SILVER_PRODUCT_COLUMNS);
  await mergeLatest(tx, 'product_prices', 'temp.stage_product_prices', SILVER_PRODUCT_PRICE_COLUMNS);
  const [row] = await tx.query<{ n: number }>('SELECT count(*) AS n FROM (SELECT DISTINCT source, sku_id FROM temp.stage_changed_products)');
  return Number(row?.n ?? 0);
}

async function mergeLatest(tx: SqlExecutor, table: string, stage: string, columns: readonly string[]): Promise<void> {
  const cols = columns.join(', ');
  const latest = `SELECT * FROM ${stage} QUALIFY row_number() OVER (PARTITION BY source, sku_id ORDER BY changed_at DESC, bronze_seq DESC) = 1`;
  await tx.execute(`
    INSERT INTO temp.stage_changed_products
    SELECT s.source, s.sku_id FROM (${latest}) s
    LEFT JOIN silver.${table} t ON t.source = s.source AND t.sku_id = s.sku_id
    WHERE t.sku_id IS NULL OR (s.changed_at >= t.changed_at AND s.payload_hash <> t.payload_hash)`);
  await tx.execute(`
    INSERT INTO silver.${table} (${cols})
    SELECT ${cols} FROM (${latest}) s
    WHERE (source, sku_id) IN (${CHANGED_PRODUCTS_SQL})
    ON CONFLICT (source, sku_id) DO UPDATE SET
      ${columns.filter((c) => c !== 'source' && c !== 'sku_id').map((c) => `${c} = excluded.${c}`).join(', ')}
    WHERE excluded.changed_at >= silver.${table}.changed_at`);
}

export async function clearCatalogStaging(tx: SqlExecutor): Promise<void> {
  await tx.execute('DELETE FROM temp.stage_products');
  await tx.execute('DELETE FROM temp.stage_product_prices');
  await tx.execute('DELETE FROM temp.stage_changed_products');
}
