import type { BronzeRelation } from '../../bronze/bronze-store.js';
import type { SqlExecutor } from '../../../warehouse/warehouse.js';
import type { StageContext, StageResult } from '../source-module.js';
import { QUARANTINE_COLUMNS } from '../../../quarantine/quarantine-ddl.js';
import { STAGE } from '../../../transform/silver/silver-ddl.js';
import { STORE_TARGET_ENTITY } from './store-targets-file.js';
import { stageStoreTargetsBigQuery } from './store-target-staging-bigquery.js';

/**
 * bronze store-target rows → `STAGE.storeTargets` (bad rows to `STAGE.quarantine`), set-based. Cells arrive as text, as the
 * spreadsheet had them; here they are typed: the month as `YYYY-MM`, `YYYY-MM-DD` or `MM/YYYY`,
 * money with the file's decimal separator (thousands separators and `R$` tolerated). A row that
 * cannot be typed goes to quarantine with the field, the value and the line it came from.
 */
const TYPED = `
  WITH b AS (
    -- Text that is not JSON is read as an empty object, so the extraction below never throws.
    SELECT *, json_valid(payload) AS is_json, CASE WHEN json_valid(payload) THEN payload ELSE '{}' END AS pj
    FROM (%BRONZE%) x
  ),
  cells AS (
    SELECT seq, record_id, natural_key, payload, received_at, is_json,
           trim(pj->>'$.store') AS store, trim(pj->>'$.month') AS month_text,
           regexp_replace(trim(pj->>'$.revenue_target'), '^R\\$\\s*', '') AS revenue_text,
           trim(pj->>'$.orders_target') AS orders_text, pj->>'$.decimal' AS dec,
           pj->>'$.file' AS file, pj->>'$.line' AS line
    FROM b
  ),
  typed AS (
    SELECT *,
      coalesce(
        try_strptime(CASE WHEN regexp_full_match(month_text, '\\d{4}-\\d{2}') THEN month_text || '-01' END, '%Y-%m-%d'),
        try_strptime(CASE WHEN regexp_full_match(month_text, '\\d{4}-\\d{2}-\\d{2}') THEN month_text END, '%Y-%m-%d'),
        try_strptime(CASE WHEN regexp_full_match(month_text, '\\d{1,2}/\\d{4}') THEN '01/' || month_text END, '%d/%m/%Y')
      )::DATE AS month_day,
      TRY_CAST(CASE WHEN dec = ',' THEN replace(replace(revenue_text, '.', ''), ',', '.') ELSE replace(revenue_text, ',', '') END
               AS DECIMAL(18,2)) AS revenue,
      CASE WHEN orders_text IS NULL OR orders_text = '' THEN NULL ELSE TRY_CAST(orders_text AS INTEGER) END AS orders_n
    FROM cells
  ),
  checked AS (
    SELECT *, CASE
      WHEN NOT is_json THEN 'payload: not JSON'
      WHEN store IS NULL OR store = '' THEN 'store: required'
      WHEN month_day IS NULL THEN 'month: expected YYYY-MM, YYYY-MM-DD or MM/YYYY, got ' || coalesce('"' || month_text || '"', 'nothing')
      WHEN revenue IS NULL THEN 'revenue_target: expected a number, got ' || coalesce('"' || revenue_text || '"', 'nothing')
      WHEN orders_text IS NOT NULL AND orders_text <> '' AND (orders_n IS NULL OR orders_n < 0)
        THEN 'orders_target: expected a whole number ≥ 0, got "' || orders_text || '"'
    END AS reason
    FROM typed
  )`;

export async function stageStoreTargets(tx: SqlExecutor, bronze: BronzeRelation, ctx: StageContext): Promise<StageResult> {
  if (ctx.dialect === 'bigquery') return stageStoreTargetsBigQuery(tx, bronze, ctx);
  const withBronze = TYPED.replace('%BRONZE%', bronze.sql);
  await tx.execute(
    `CREATE OR REPLACE TEMP TABLE store_target_checked AS ${withBronze}
     SELECT seq, record_id, natural_key, payload, received_at, store, date_trunc('month', month_day)::DATE AS month,
            revenue, orders_n, reason, file, line FROM checked`,
    bronze.params,
  );
  {
    await tx.execute(
      `INSERT INTO ${STAGE.storeTargets}
       SELECT ?, store, month, revenue, orders_n, received_at, record_id, seq, ?::TIMESTAMPTZ
       FROM store_target_checked WHERE reason IS NULL`,
      [ctx.source, ctx.now],
    );
    await tx.execute(
      `INSERT INTO ${STAGE.quarantine} (${QUARANTINE_COLUMNS})
       SELECT uuid()::VARCHAR, ?, ?, natural_key, reason || coalesce(' (' || file || ', line ' || line || ')', ''), payload, record_id, ?::TIMESTAMPTZ, ?
       FROM store_target_checked WHERE reason IS NOT NULL`,
      [ctx.source, STORE_TARGET_ENTITY, ctx.now, ctx.runId],
    );
    const [row] = await tx.query<{ staged: number; quarantined: number }>(
      `SELECT count(*) FILTER (WHERE reason IS NULL) AS staged, count(*) FILTER (WHERE reason IS NOT NULL) AS quarantined FROM store_target_checked`,
    );
    // On failure the transaction rolls back, temp table included.
    await tx.execute('DROP TABLE store_target_checked');
    return { staged: Number(row?.staged ?? 0), quarantined: Number(row?.quarantined ?? 0) };
  }
}
