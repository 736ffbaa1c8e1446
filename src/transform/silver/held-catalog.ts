import { placeholders, type SqlExecutor } from '../../warehouse/warehouse.js';

export interface HeldCatalogDocuments {
  /** md5 of the SKU document silver holds. */
  readonly sku?: string;
  /** md5 of the price document silver holds. */
  readonly price?: string;
}

/**
 * For each SKU id, the hashes of the catalog documents silver holds for `source`: a sweep lands
 * only documents that differ, so an unchanged catalog costs API calls but no bronze. One SQL text
 * for both warehouses (`hash` is a reserved word in BigQuery, so the column keeps its name).
 */
export async function heldCatalogDocuments(ex: SqlExecutor, source: string, skuIds: readonly string[]): Promise<Map<string, HeldCatalogDocuments>> {
  const held = new Map<string, { sku?: string; price?: string }>();
  for (let i = 0; i < skuIds.length; i += 1_000) {
    const ids = skuIds.slice(i, i + 1_000);
    const rows = await ex.query<{ sku_id: string; kind: 'sku' | 'price'; payload_hash: string }>(
      `SELECT sku_id, 'sku' AS kind, payload_hash FROM silver.products WHERE source = ? AND sku_id IN (${placeholders(ids.length)})
       UNION ALL
       SELECT sku_id, 'price', payload_hash FROM silver.product_prices WHERE source = ? AND sku_id IN (${placeholders(ids.length)})`,
      [source, ...ids, source, ...ids],
    );
    for (const r of rows) held.set(r.sku_id, { ...held.get(r.sku_id), [r.kind]: r.payload_hash });
  }
  return held;
}
