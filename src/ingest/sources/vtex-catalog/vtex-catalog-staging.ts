import { jsonObjectRecordsCtes } from '../json-object-records.js';
import type { BronzeRelation } from '../../bronze/bronze-store.js';
import { QUARANTINE_COLUMNS } from '../../../quarantine/quarantine-ddl.js';
import { SILVER_PRODUCT_COLUMNS, SILVER_PRODUCT_PRICE_COLUMNS } from '../../../transform/silver/merge-catalog.js';
import { ensureSilverStaging, STAGE } from '../../../transform/silver/silver-ddl.js';
import type { SqlExecutor } from '../../../warehouse/warehouse.js';
import type { StageContext, StageResult } from '../source-module.js';
import { VTEX_PRICE_ENTITY, VTEX_SKU_ENTITY } from './vtex-catalog-names.js';
import { stageVtexCatalogBigQuery } from './vtex-catalog-staging-bigquery.js';

/**
 * (Only numeric category ids are looked up: an id is spliced into a JSON path.)
 *
 * Catalog reads in bronze → temp.stage_products and temp.stage_product_prices, set-based.
 *
 * SKUs are VTEX's "SKU and context" documents (`/api/catalog_system/pvt/sku/stockkeepingunitbyid`):
 * the category names come from `ProductCategories` ({"id": "name"}) in the order of the
 * `ProductCategoryIds` path, department first. Prices are Pricing API documents, whose amounts
 * are reais (not cents, unlike OMS). A document that is not what these APIs send (not an object,
 * an id that is not the one it was fetched for, a flag or amount of the wrong type) goes to
 * quarantine with the field and the value.
 */
const SKUS = `
  WITH ${jsonObjectRecordsCtes('%BRONZE%', VTEX_SKU_ENTITY)},
  fields AS (
    SELECT seq, record_id, natural_key, payload, received_at, is_object, p,
      p->>'$.Id' AS id, json_type(p, '$.Id') AS id_type, json_type(p, '$.IsActive') AS active_type,
      p->>'$.ProductId' AS product_id, nullif(trim(p->>'$.NameComplete'), '') AS name,
      nullif(trim(p->>'$.ProductName'), '') AS product_name, nullif(trim(p->>'$.SkuName'), '') AS sku_name,
      nullif(trim(p->>'$.BrandId'), '') AS brand_id, nullif(trim(p->>'$.BrandName'), '') AS brand_name,
      nullif(trim(p->>'$.ProductCategoryIds'), '') AS category_ids,
      list_filter(
        list_transform(list_filter(string_split(coalesce(p->>'$.ProductCategoryIds', ''), '/'), lambda id: regexp_full_match(id, '[0-9]+')),
                       lambda id: nullif(trim(json_extract_string(p, '$.ProductCategories."' || id || '"')), '')),
        lambda n: n IS NOT NULL) AS names,
      nullif(trim(p->>'$.AlternateIds.RefId'), '') AS ref_id, nullif(trim(p->>'$.AlternateIds.Ean'), '') AS ean,
      p->>'$.IsActive' = 'true' AND coalesce(p->>'$.IsProductActive', 'true') = 'true' AS is_active
    FROM j
  ),
  checked AS (
    SELECT *, CASE
      WHEN NOT is_object THEN 'payload: expected a JSON object (a Catalog SKU document)'
      WHEN id_type IS NULL THEN 'Id: required'
      WHEN id_type NOT IN ('UBIGINT', 'BIGINT') THEN 'Id: expected an integer, received ' || id
      WHEN id <> natural_key THEN 'Id: ' || id || ' is not the SKU it was read for (' || natural_key || ')'
      WHEN active_type IS DISTINCT FROM 'BOOLEAN' THEN 'IsActive: expected true or false, received ' || coalesce(json_extract(p, '$.IsActive')::VARCHAR, 'nothing')
    END AS reason
    FROM fields
  )`;

const PRICES = `
  WITH ${jsonObjectRecordsCtes('%BRONZE%', VTEX_PRICE_ENTITY)},
  fields AS (
    SELECT seq, record_id, natural_key, payload, received_at, is_object, p->>'$.itemId' AS item_id,
      ${['basePrice', 'listPrice', 'costPrice', 'markup'].map((f) => `json_type(p, '$.${f}') AS ${f}_type, p->>'$.${f}' AS ${f}_text`).join(',\n      ')}
    FROM j
  ),
  checked AS (
    SELECT *, CASE
      WHEN NOT is_object THEN 'payload: expected a JSON object (a Pricing document)'
      WHEN item_id IS NULL THEN 'itemId: required'
      WHEN item_id <> natural_key THEN 'itemId: ' || item_id || ' is not the SKU it was read for (' || natural_key || ')'
      ${['basePrice', 'listPrice', 'costPrice', 'markup']
        .map((f) => `WHEN ${f}_type IS NOT NULL AND ${f}_type NOT IN ('NULL', 'UBIGINT', 'BIGINT', 'DOUBLE') THEN '${f}: expected a number, received ' || ${f}_text
      WHEN ${f}_type IN ('UBIGINT', 'BIGINT', 'DOUBLE') AND TRY_CAST(${f}_text AS DECIMAL(18,2)) IS NULL THEN '${f}: ' || ${f}_text || ' does not fit DECIMAL(18,2)'`)
        .join('\n      ')}
    END AS reason
    FROM fields
  )`;

/** Rounded to cents as Pricing's decimals are: half away from zero, as DuckDB casts. */
const amount = (f: string) => `TRY_CAST(${f}_text AS DECIMAL(18,2))`;

export async function stageVtexCatalog(tx: SqlExecutor, bronze: BronzeRelation, ctx: StageContext): Promise<StageResult> {
  if (ctx.dialect === 'bigquery') return stageVtexCatalogBigQuery(tx, bronze, ctx);
  await ensureSilverStaging(tx);
  await tx.execute(`CREATE OR REPLACE TEMP TABLE catalog_sku_checked AS ${SKUS.replace('%BRONZE%', bronze.sql)} SELECT * FROM checked`, bronze.params);
  await tx.execute(`CREATE OR REPLACE TEMP TABLE catalog_price_checked AS ${PRICES.replace('%BRONZE%', bronze.sql)} SELECT * FROM checked`, bronze.params);
  await tx.execute(
    `INSERT INTO ${STAGE.products} (${SILVER_PRODUCT_COLUMNS.join(', ')})
     SELECT ?, natural_key, product_id, coalesce(name, product_name), product_name, sku_name, brand_id, brand_name, category_ids,
            names[1], names[-1], nullif(array_to_string(names, ' > '), ''), ref_id, ean, is_active, received_at, md5(payload),
            record_id, seq, ?::TIMESTAMPTZ
     FROM catalog_sku_checked WHERE reason IS NULL`,
    [ctx.source, ctx.now],
  );
  await tx.execute(
    `INSERT INTO ${STAGE.productPrices} (${SILVER_PRODUCT_PRICE_COLUMNS.join(', ')})
     SELECT ?, natural_key, ${amount('basePrice')}, ${amount('listPrice')}, ${amount('costPrice')}, TRY_CAST(markup_text AS DECIMAL(18,4)),
            received_at, md5(payload), record_id, seq, ?::TIMESTAMPTZ
     FROM catalog_price_checked WHERE reason IS NULL`,
    [ctx.source, ctx.now],
  );
  for (const [table, entity] of [['catalog_sku_checked', VTEX_SKU_ENTITY], ['catalog_price_checked', VTEX_PRICE_ENTITY]] as const) {
    await tx.execute(
      `INSERT INTO ${STAGE.quarantine} (${QUARANTINE_COLUMNS})
       SELECT uuid()::VARCHAR, ?, ?, natural_key, reason, payload, record_id, ?::TIMESTAMPTZ, ? FROM ${table} WHERE reason IS NOT NULL`,
      [ctx.source, entity, ctx.now, ctx.runId],
    );
  }
  const [row] = await tx.query<{ staged: number; quarantined: number }>(
    `SELECT count(*) FILTER (WHERE reason IS NULL) AS staged, count(*) FILTER (WHERE reason IS NOT NULL) AS quarantined
     FROM (SELECT reason FROM catalog_sku_checked UNION ALL SELECT reason FROM catalog_price_checked)`,
  );
  await tx.execute('DROP TABLE catalog_sku_checked; DROP TABLE catalog_price_checked');
  return { staged: Number(row?.staged ?? 0), quarantined: Number(row?.quarantined ?? 0) };
}
