import type { SqlExecutor } from '../../warehouse/warehouse.js';
import { CHANGED_PRODUCTS_SQL } from '../silver/merge-catalog.js';

/** gold.dim_product columns the catalog owns once it has described a SKU. */
const CATALOG_COLUMNS = [
  'product_id', 'name', 'brand_name', 'category_ids', 'ref_id', 'ean', 'product_name', 'department', 'category',
  'category_path', 'is_active', 'base_price', 'list_price', 'cost_price', 'in_catalog',
] as const;

/**
 * Writes the catalog's description and current price of the changed SKUs into gold.dim_product.
 * The catalog is the authority on names, brand and category: its values replace what order items
 * said, and later orders leave them alone (refresh-order-gold.ts), so gold does not depend on
 * which source refreshed first. A SKU the catalog has but nobody bought yet gets its row too.
 * `version_key` (which order item last described the SKU) stays the orders' business.
 */
export async function refreshCatalogGold(tx: SqlExecutor): Promise<void> {
  // One text for both warehouses: the catalog's changed SKUs are a small batch, and MERGE is what
  // BigQuery has for an upsert (DuckDB runs it as fast as the ON CONFLICT it replaces).
  await tx.execute(`
    MERGE INTO gold.dim_product AS t
    USING (
      SELECT p.sku_id AS product_key, p.product_id, p.name, p.brand_name, p.category_ids, p.ref_id, p.ean, p.product_name, p.department,
             p.category, p.category_path, p.is_active, pr.base_price, pr.list_price, pr.cost_price, true AS in_catalog
      FROM silver.products p
      LEFT JOIN silver.product_prices pr ON pr.source = p.source AND pr.sku_id = p.sku_id
      WHERE EXISTS (SELECT 1 FROM (${CHANGED_PRODUCTS_SQL}) c WHERE c.source = p.source AND c.sku_id = p.sku_id)) AS s
    ON t.product_key = s.product_key
    WHEN MATCHED THEN UPDATE SET ${CATALOG_COLUMNS.map((c) => `${c} = s.${c}`).join(', ')}
    WHEN NOT MATCHED THEN INSERT (product_key, ${CATALOG_COLUMNS.join(', ')})
      VALUES (s.product_key, ${CATALOG_COLUMNS.map((c) => `s.${c}`).join(', ')})`);
}
