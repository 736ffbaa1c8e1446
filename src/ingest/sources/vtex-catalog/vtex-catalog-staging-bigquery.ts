import { isIntegerText, jsonRaw, jsonText, jsonType } from '../json-bigquery-sql.js';
import { jsonObjectRecordsCtesBigQuery } from '../json-object-records-bigquery.js';
import type { BronzeRelation } from '../../bronze/bronze-store.js';
import { QUARANTINE_COLUMNS } from '../../../quarantine/quarantine-ddl.js';
import { SILVER_PRODUCT_COLUMNS, SILVER_PRODUCT_PRICE_COLUMNS } from '../../../transform/silver/merge-catalog.js';
import { ensureSilverStaging, STAGE } from '../../../transform/silver/silver-ddl.js';
import type { SqlExecutor } from '../../../warehouse/warehouse.js';
import type { StageContext, StageResult } from '../source-module.js';
import { VTEX_PRICE_ENTITY, VTEX_SKU_ENTITY } from './vtex-catalog-names.js';

/**
 * `stageVtexCatalog` on BigQuery: the same staged rows and quarantine reasons from BigQuery's
 * JSON functions (json-bigquery-sql.ts). A category name is looked up by id in the document's
 * `ProductCategories` object; BigQuery's JSON paths are constants, so the id's member is found
 * in the object's JSON text (`{"1":"Moda",…}`, ids digits only). First and last names and the
 * path come from the names in path order.
 */
const t = (path: string) => jsonText('p', path);
const trimmed = (path: string) => `NULLIF(TRIM(${t(path)}), '')`;

/**
 * The text of `ProductCategories.<id>`, `id` a column of digits: the member's value token is cut
 * out of the object's JSON text by a pattern naming the id (a string, or a scalar: a nested
 * value finds nothing) and read back as JSON (the object's keys are unique, so the greedy `.*`
 * finds the one member; no `?` in the pattern). REGEXP_REPLACE rather than REGEXP_EXTRACT: its
 * replacement is the group whatever engine runs it; without a match it leaves the object's text,
 * whose JSON_VALUE is NULL, as it is for a missing member or an object that is not one.
 */
const categoryName = `IF(JSON_TYPE(JSON_QUERY(p, '$.ProductCategories')) = 'object',
            JSON_VALUE(SAFE.PARSE_JSON(REGEXP_REPLACE(TO_JSON_STRING(JSON_QUERY(p, '$.ProductCategories')),
              CONCAT(r'^.*[{,]"', id, r'":("([^"\\\\]|\\\\.)*"|[^,}{\\[]+).*$'), r'\\1')), '$'),
            NULL)`;

const SKUS = `
  WITH ${jsonObjectRecordsCtesBigQuery('%BRONZE%', VTEX_SKU_ENTITY)},
  fields AS (
    SELECT seq, record_id, natural_key, payload, received_at, is_object, p,
      ${t('$.Id')} AS id, ${jsonType('p', '$.Id')} AS id_type, ${jsonType('p', '$.IsActive')} AS active_type,
      ${t('$.ProductId')} AS product_id, ${trimmed('$.NameComplete')} AS name,
      ${trimmed('$.ProductName')} AS product_name, ${trimmed('$.SkuName')} AS sku_name,
      ${trimmed('$.BrandId')} AS brand_id, ${trimmed('$.BrandName')} AS brand_name,
      ${trimmed('$.ProductCategoryIds')} AS category_ids,
      ARRAY(
        SELECT n FROM (
          SELECT NULLIF(TRIM(${categoryName}), '') AS n, o
          FROM UNNEST(SPLIT(IFNULL(${t('$.ProductCategoryIds')}, ''), '/')) AS id WITH OFFSET AS o
          WHERE REGEXP_CONTAINS(id, r'^[0-9]+$')
        ) x WHERE n IS NOT NULL ORDER BY o
      ) AS names,
      ${trimmed('$.AlternateIds.RefId')} AS ref_id, ${trimmed('$.AlternateIds.Ean')} AS ean,
      ${t('$.IsActive')} = 'true' AND IFNULL(${t('$.IsProductActive')}, 'true') = 'true' AS is_active
    FROM j
  ),
  checked AS (
    SELECT *, CASE
      WHEN NOT is_object THEN 'payload: expected a JSON object (a Catalog SKU document)'
      WHEN id_type IS NULL THEN 'Id: required'
      WHEN id_type <> 'number' OR NOT ${isIntegerText('id')} THEN 'Id: expected an integer, received ' || id
      WHEN id <> natural_key THEN 'Id: ' || id || ' is not the SKU it was read for (' || natural_key || ')'
      WHEN active_type IS DISTINCT FROM 'boolean' THEN 'IsActive: expected true or false, received ' || IFNULL(${jsonRaw('p', '$.IsActive')}, 'nothing')
    END AS reason
    FROM fields
  )`;

const PRICE_FIELDS = ['basePrice', 'listPrice', 'costPrice', 'markup'] as const;

const PRICES = `
  WITH ${jsonObjectRecordsCtesBigQuery('%BRONZE%', VTEX_PRICE_ENTITY)},
  fields AS (
    SELECT seq, record_id, natural_key, payload, received_at, is_object, ${t('$.itemId')} AS item_id,
      ${PRICE_FIELDS.map((f) => `${jsonType('p', `$.${f}`)} AS ${f}_type, ${t(`$.${f}`)} AS ${f}_text`).join(',\n      ')}
    FROM j
  ),
  checked AS (
    SELECT *, CASE
      WHEN NOT is_object THEN 'payload: expected a JSON object (a Pricing document)'
      WHEN item_id IS NULL THEN 'itemId: required'
      WHEN item_id <> natural_key THEN 'itemId: ' || item_id || ' is not the SKU it was read for (' || natural_key || ')'
      ${PRICE_FIELDS
        .map((f) => `WHEN ${f}_type IS NOT NULL AND ${f}_type NOT IN ('null', 'number') THEN '${f}: expected a number, received ' || ${f}_text
      WHEN ${f}_type = 'number' AND SAFE_CAST(${f}_text AS NUMERIC(18,2)) IS NULL THEN '${f}: ' || ${f}_text || ' does not fit DECIMAL(18,2)'`)
        .join('\n      ')}
    END AS reason
    FROM fields
  )`;

/** Rounded to cents half away from zero, as DuckDB's cast to DECIMAL(18,2) does. */
const amount = (f: string) => `SAFE_CAST(${f}_text AS NUMERIC(18,2))`;

export async function stageVtexCatalogBigQuery(tx: SqlExecutor, bronze: BronzeRelation, ctx: StageContext): Promise<StageResult> {
  await ensureSilverStaging(tx);
  await tx.execute(`CREATE OR REPLACE TEMP TABLE catalog_sku_checked AS ${SKUS.replace('%BRONZE%', bronze.sql)} SELECT * FROM checked`, bronze.params);
  await tx.execute(`CREATE OR REPLACE TEMP TABLE catalog_price_checked AS ${PRICES.replace('%BRONZE%', bronze.sql)} SELECT * FROM checked`, bronze.params);
  await tx.execute(
    `INSERT INTO ${STAGE.products} (${SILVER_PRODUCT_COLUMNS.join(', ')})
     SELECT ?, natural_key, product_id, COALESCE(name, product_name), product_name, sku_name, brand_id, brand_name, category_ids,
            (SELECT n FROM UNNEST(names) AS n WITH OFFSET AS o ORDER BY o LIMIT 1),
            (SELECT n FROM UNNEST(names) AS n WITH OFFSET AS o ORDER BY o DESC LIMIT 1),
            NULLIF(ARRAY_TO_STRING(names, ' > '), ''), ref_id, ean, is_active, received_at, TO_HEX(MD5(payload)),
            record_id, seq, CAST(? AS TIMESTAMP)
     FROM temp.catalog_sku_checked WHERE reason IS NULL`,
    [ctx.source, ctx.now],
  );
  await tx.execute(
    `INSERT INTO ${STAGE.productPrices} (${SILVER_PRODUCT_PRICE_COLUMNS.join(', ')})
     SELECT ?, natural_key, ${amount('basePrice')}, ${amount('listPrice')}, ${amount('costPrice')}, SAFE_CAST(markup_text AS NUMERIC(18,4)),
            received_at, TO_HEX(MD5(payload)), record_id, seq, CAST(? AS TIMESTAMP)
     FROM temp.catalog_price_checked WHERE reason IS NULL`,
    [ctx.source, ctx.now],
  );
  for (const [table, entity] of [['temp.catalog_sku_checked', VTEX_SKU_ENTITY], ['temp.catalog_price_checked', VTEX_PRICE_ENTITY]] as const) {
    await tx.execute(
      `INSERT INTO ${STAGE.quarantine} (${QUARANTINE_COLUMNS})
       SELECT GENERATE_UUID(), ?, ?, natural_key, reason, payload, record_id, CAST(? AS TIMESTAMP), ? FROM ${table} WHERE reason IS NOT NULL`,
      [ctx.source, entity, ctx.now, ctx.runId],
    );
  }
  const [row] = await tx.query<{ staged: number; quarantined: number }>(
    `SELECT COUNTIF(reason IS NULL) AS staged, COUNTIF(reason IS NOT NULL) AS quarantined
     FROM (SELECT reason FROM temp.catalog_sku_checked UNION ALL SELECT reason FROM temp.catalog_price_checked) x`,
  );
  await tx.execute('DROP TABLE temp.catalog_sku_checked');
  await tx.execute('DROP TABLE temp.catalog_price_checked');
  return { staged: Number(row?.staged ?? 0), quarantined: Number(row?.quarantined ?? 0) };
}
