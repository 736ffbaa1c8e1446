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
  await tx.execute(`
    INSERT INTO gold.dim_product (product_key, ${CATALOG_COLUMNS.join(', ')})
    SELECT p.sku_id, p.product_id, p.name, p.brand_name, p.category_ids, p.ref_id, p.ean, p.product_name, p.department,
           p.category, p.category_path, p.is_active, pr.base_price, pr.list_price, pr.cost_price, true
    FROM silver.products p
    LEFT JOIN silver.product_prices pr ON pr.source = p.source AND pr.sku_id = p.sku_id
    WHERE (p.source, p.sku_id) IN (${CHANGED_PRODUCTS_SQL})
    ON CONFLICT (product_key) DO UPDATE SET ${CATALOG_COLUMNS.map((c) => `${c} = excluded.${c}`).join(', ')}`);
}
