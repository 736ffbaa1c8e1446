import type { BronzeRelation } from '../../bronze/bronze-store.js';
import type { SqlExecutor } from '../../../warehouse/warehouse.js';
import type { StageContext, StageResult } from '../source-module.js';
import { jsonText, parsePayloadJson } from '../json-bigquery-sql.js';
import { QUARANTINE_COLUMNS } from '../../../quarantine/quarantine-ddl.js';
import { SILVER_STORE_TARGET_COLUMNS } from '../../../transform/silver/merge-store-targets.js';
import { STAGE } from '../../../transform/silver/silver-ddl.js';
import { STORE_TARGET_ENTITY } from './store-targets-file.js';

/**
 * `stageStoreTargets` on BigQuery: the same typing and quarantine reasons. A month becomes an ISO
 * date text (`YYYY-MM` + `-01`, `YYYY-MM-DD`, or `MM/YYYY` rearranged) cast to DATE, which, like
 * DuckDB's strptime, refuses a day or month that does not exist; money is cast to NUMERIC(18,2),
 * rounding half away from zero and refusing what does not fit, as DuckDB's DECIMAL(18,2) cast;
 * an orders target is a whole number that fits DuckDB's INTEGER, a decimal text rounded as
 * DuckDB rounds it.
 */
const cell = (name: string) => jsonText('pj', `$.${name}`);

const TYPED = `
  WITH b AS (
    -- Text that is not JSON is read as an empty object, so the extraction below never throws.
    SELECT *, ${parsePayloadJson('payload')} IS NOT NULL AS is_json, IFNULL(${parsePayloadJson('payload')}, PARSE_JSON('{}')) AS pj
    FROM (%BRONZE%) x
  ),
  cells AS (
    SELECT seq, record_id, natural_key, payload, received_at, is_json,
           TRIM(${cell('store')}) AS store, TRIM(${cell('month')}) AS month_text,
           REGEXP_REPLACE(TRIM(${cell('revenue_target')}), r'^R\\$\\s*', '') AS revenue_text,
           TRIM(${cell('orders_target')}) AS orders_text, ${cell('decimal')} AS dec,
           ${cell('file')} AS file, ${cell('line')} AS line
    FROM b
  ),
  typed AS (
    SELECT *,
      SAFE_CAST(CASE
        WHEN REGEXP_CONTAINS(month_text, r'^\\d{4}-\\d{2}$') THEN month_text || '-01'
        WHEN REGEXP_CONTAINS(month_text, r'^\\d{4}-\\d{2}-\\d{2}$') THEN month_text
        WHEN REGEXP_CONTAINS(month_text, r'^\\d{1,2}/\\d{4}$') THEN REGEXP_REPLACE(month_text, r'^(\\d{1,2})/(\\d{4})$', r'\\2-\\1-01')
      END AS DATE) AS month_day,
      SAFE_CAST(CASE WHEN dec = ',' THEN REGEXP_REPLACE(REGEXP_REPLACE(revenue_text, r'\\.', ''), ',', '.') ELSE REGEXP_REPLACE(revenue_text, ',', '') END
               AS NUMERIC(18,2)) AS revenue,
      CASE WHEN orders_text IS NULL OR orders_text = '' THEN NULL
           ELSE (SELECT IF(n BETWEEN -2147483648 AND 2147483647, n, NULL) FROM (SELECT SAFE_CAST(SAFE_CAST(orders_text AS NUMERIC) AS INT64) AS n) x) END AS orders_n
    FROM cells
  ),
  checked AS (
    SELECT *, CASE
      WHEN NOT is_json THEN 'payload: not JSON'
      WHEN store IS NULL OR store = '' THEN 'store: required'
      WHEN month_day IS NULL THEN 'month: expected YYYY-MM, YYYY-MM-DD or MM/YYYY, got ' || IFNULL('"' || month_text || '"', 'nothing')
      WHEN revenue IS NULL THEN 'revenue_target: expected a number, got ' || IFNULL('"' || revenue_text || '"', 'nothing')
      WHEN orders_text IS NOT NULL AND orders_text <> '' AND (orders_n IS NULL OR orders_n < 0)
        THEN 'orders_target: expected a whole number ≥ 0, got "' || orders_text || '"'
    END AS reason
    FROM typed
  )`;

export async function stageStoreTargetsBigQuery(tx: SqlExecutor, bronze: BronzeRelation, ctx: StageContext): Promise<StageResult> {
  await tx.execute(
    `CREATE OR REPLACE TEMP TABLE store_target_checked AS ${TYPED.replace('%BRONZE%', bronze.sql)}
     SELECT seq, record_id, natural_key, payload, received_at, store, DATE_TRUNC(month_day, MONTH) AS month,
            revenue, orders_n, reason, file, line FROM checked`,
    bronze.params,
  );
  await tx.execute(
    `INSERT INTO ${STAGE.storeTargets} (${SILVER_STORE_TARGET_COLUMNS.join(', ')})
     SELECT ?, store, month, revenue, orders_n, received_at, record_id, seq, CAST(? AS TIMESTAMP)
     FROM temp.store_target_checked WHERE reason IS NULL`,
    [ctx.source, ctx.now],
  );
  await tx.execute(
    `INSERT INTO ${STAGE.quarantine} (${QUARANTINE_COLUMNS})
     SELECT GENERATE_UUID(), ?, ?, natural_key, reason || IFNULL(' (' || file || ', line ' || line || ')', ''), payload, record_id, CAST(? AS TIMESTAMP), ?
     FROM temp.store_target_checked WHERE reason IS NOT NULL`,
    [ctx.source, STORE_TARGET_ENTITY, ctx.now, ctx.runId],
  );
  const [row] = await tx.query<{ staged: number; quarantined: number }>(
    'SELECT COUNTIF(reason IS NULL) AS staged, COUNTIF(reason IS NOT NULL) AS quarantined FROM temp.store_target_checked',
  );
  await tx.execute('DROP TABLE temp.store_target_checked');
  return { staged: Number(row?.staged ?? 0), quarantined: Number(row?.quarantined ?? 0) };
}
