import { parsePayloadJson } from '../json-bigquery-sql.js';
import type { BronzeRelation } from '../../bronze/bronze-store.js';
import { QUARANTINE_COLUMNS } from '../../../quarantine/quarantine-ddl.js';
import { ensureSilverStaging, STAGE } from '../../../transform/silver/silver-ddl.js';
import {
  CUSTOMER_KEYS_TABLE,
  customerKeyJoinSql,
  distinctIdentityInputs,
  identityEmailSql,
  resolveCustomerKeys,
  storeCustomerKeys,
} from '../../../transform/silver/identity/customer-key-batch.js';
import type { SqlExecutor } from '../../../warehouse/warehouse.js';
import { VTEX_ORDER_SHAPE } from './vtex-order-shape.js';
import { bqJsonQuery, bqJsonValue, bqString, bqTrimmedText, firstViolationSqlBigQuery } from './vtex-order-shape-sql-bigquery.js';
import type { VtexOrderStageContext, VtexOrderStageResult } from './vtex-order-staging.js';
import { VTEX_ORDER_ENTITY } from './vtex-orders-names.js';

/**
 * `stageVtexOrders` on BigQuery: the same rows, values and reasons as the DuckDB SQL, written with
 * BigQuery's JSON functions. Each payload is parsed once (`SAFE.PARSE_JSON` into a session TEMP
 * table), checked against `VTEX_ORDER_SHAPE`, and mapped from the parsed JSON of valid payloads
 * only (`o`, NULL for a rejected one), so no mapping expression meets a value the schema refuses.
 * A fixed number of statements runs whatever the batch size (plus one per 50,000 shoppers for the
 * customer keys). Times and ids are parameters or `GENERATE_UUID()`; runs in the caller's transaction.
 */
export async function stageVtexOrdersBigQuery(tx: SqlExecutor, bronze: BronzeRelation, ctx: VtexOrderStageContext): Promise<VtexOrderStageResult> {
  await ensureSilverStaging(tx);
  for (const [n, part] of bronze.parts.entries()) {
    const into = n === 0 ? `CREATE TEMP TABLE ${created(PARSED_TABLE)} AS` : `INSERT INTO ${PARSED_TABLE} (seq, record_id, natural_key, payload, j)`;
    await tx.execute(`${into}\nSELECT b.seq, b.record_id, b.natural_key, b.payload, ${parsePayloadJson('b.payload')} AS j FROM (${part.sql}) b`, part.params);
  }
  await tx.execute(`CREATE TEMP TABLE ${created(BATCH_TABLE)} AS\n${BATCH_SELECT_SQL}`);
  await tx.execute(`DROP TABLE ${PARSED_TABLE}`);
  const identities = await distinctIdentityInputs(tx, BATCH_TABLE, 'reason IS NULL', 'bigquery');
  const items = await tx.execute(INSERT_ITEMS_SQL, [ctx.source]);
  await storeCustomerKeys(tx, await resolveCustomerKeys(identities), 'bigquery');
  // The clock as a TIMESTAMP parameter (a Date), as the runner's bookkeeping sends it.
  const now = new Date(ctx.now);
  const staged = await tx.execute(INSERT_ORDERS_SQL, [ctx.source, now]);
  const quarantined = await tx.execute(INSERT_QUARANTINE_SQL, [ctx.source, now, ctx.runId]);
  await tx.execute(`DROP TABLE ${BATCH_TABLE}`);
  await tx.execute(`DROP TABLE ${CUSTOMER_KEYS_TABLE}`);
  return { staged, items, quarantined, identities: identities.length };
}

/**
 * A TEMP table's name as CREATE TEMP TABLE takes it: unqualified, as `ensureSilverStaging` writes
 * them (BigQuery creates it in the session; other statements name it `temp.x`, sent as `_SESSION.x`).
 * Transactions accept CREATE TEMP TABLE and DROP TABLE of a TEMP table, so each is dropped at the end.
 */
function created(table: string): string {
  if (!/^temp\.\w+$/.test(table)) throw new Error(`not a temp table: ${table}`);
  return table.slice('temp.'.length);
}

/** Bronze rows with their payload parsed once: (seq, record_id, natural_key, payload, j JSON). */
const PARSED_TABLE = 'temp.vtex_order_parsed';
/** Parsed, checked and mapped rows; `o` is the parsed payload of a valid row, for its items. */
const BATCH_TABLE = 'temp.vtex_order_stage_batch';

// ---- value helpers: `path` is a dotted JSON path (`sellers[0].id`) in the valid payload `o`, or in an item `e` ----

const at = (path: string) => path.split('.');
/** A string as sent (ids and statuses are kept verbatim, as the mapper does). */
const str = (path: string, base = 'o') => bqJsonValue(base, at(path));
/** Trimmed text, NULL when empty: VTEX sends '' and null interchangeably for "absent". */
const text = (path: string, base = 'o') => bqTrimmedText(str(path, base));
/** A JSON text as shown in a storage reason. */
const jsonText = (path: string, base = 'o') => `TO_JSON_STRING(${bqJsonQuery(base, at(path))})`;
/**
 * A valid integer (a safe integer to zod) as INT64: through FLOAT64, which holds every safe
 * integer exactly and reads any JSON spelling of one (`25980.0`, `2.598e4`).
 */
const int64 = (x: string) => `SAFE_CAST(SAFE_CAST(${x} AS FLOAT64) AS INT64)`;
/** Integer cents → NUMERIC units, exact (NUMERIC division keeps 9 decimals). */
const money = (cents: string) => `CAST(${cents} AS NUMERIC) / 100`;
/** A NUMERIC(18,2) column holds |units| < 10^16: a sum beyond that is NULL, and quarantined. */
const fitsMoney = (cents: string) => `IF(${cents} BETWEEN -999999999999999999 AND 999999999999999999, ${money(cents)}, NULL)`;
/** A 32-bit column's value, NULL beyond its range (quarantined, as DuckDB's INTEGER cast is). */
const int32 = (x: string) => `IF(${int64(x)} BETWEEN -2147483648 AND 2147483647, ${int64(x)}, NULL)`;
/**
 * A VTEX timestamp (validated: `…T hh:mm:ss[.f{1,7}](Z|±hh[:]mm)`) as TIMESTAMP: fraction cut to
 * 6 digits (truncating, as DuckDB and `normalizeTimestamp` do), zone written `±hh:mm`. NULL for a
 * date that does not exist (month 13), which is quarantined.
 */
const instant = (s: string) =>
  `SAFE.PARSE_TIMESTAMP('%Y-%m-%dT%H:%M:%E*S%Ez', REGEXP_REPLACE(REGEXP_REPLACE(REGEXP_REPLACE(${s}, r'^(.{19}\\.\\d{6})\\d+', r'\\1'), r'Z$', '+00:00'), r'([+-]\\d{2}):{0,1}(\\d{2})$', r'\\1:\\2'))`;
/** Sum of the totals with this id, in cents (0 when none). */
const totalCents = (id: string) =>
  `IFNULL((SELECT SUM(CAST(${int64(bqJsonValue('t', ['value']))} AS NUMERIC)) FROM UNNEST(JSON_QUERY_ARRAY(o, '$.totals')) AS t WHERE ${bqJsonValue('t', ['id'])} = ${bqString(id)}), 0)`;

const client = 'clientProfileData';
const payment = 'paymentData.transactions[0].payments[0]';
const address = 'shippingData.address';

/** Staged order columns from the valid payload `o`, as the reference mapping fills them (same order as DuckDB's). */
const ORDER_COLUMNS: readonly (readonly [column: string, sql: string])[] = [
  ['order_id', str('orderId')],
  ['sequence', text('sequence')],
  ['order_group', text('orderGroup')],
  ['status', str('status')],
  ['origin', text('origin')],
  ['sales_channel', str('salesChannel')],
  ['affiliate_id', text('affiliateId')],
  ['seller_id', text('sellers[0].id')],
  ['seller_name', text('sellers[0].name')],
  ['hostname', text('hostname')],
  ['created_at', instant(str('creationDate'))],
  ['last_change', instant(str('lastChange'))],
  ['authorized_at', instant(str('authorizedDate'))],
  ['invoiced_at', instant(str('invoicedDate'))],
  ['canceled_at', `CASE WHEN ${str('status')} = 'canceled' THEN ${instant(`COALESCE(${str('cancellationData.CancellationDate')}, ${str('lastChange')})`)} END`],
  ['currency', `COALESCE(${text('storePreferencesData.currencyCode')}, 'BRL')`],
  ['items_total', fitsMoney('items_cents')],
  ['discounts_total', fitsMoney('discounts_cents')],
  ['shipping_total', fitsMoney('shipping_cents')],
  ['tax_total', fitsMoney('tax_cents')],
  ['total', money(int64(str('value')))],
  ['customer_email', text(`${client}.email`)],
  ['user_profile_id', text(`${client}.userProfileId`)],
  ['document_type', text(`${client}.documentType`)],
  ['document', text(`${client}.document`)],
  ['first_name', text(`${client}.firstName`)],
  ['last_name', text(`${client}.lastName`)],
  ['phone', text(`${client}.phone`)],
  ['is_corporate', `(${str(`${client}.isCorporate`)} = 'true')`],
  ['utm_source', text('marketingData.utmSource')],
  ['utm_medium', text('marketingData.utmMedium')],
  ['utm_campaign', text('marketingData.utmCampaign')],
  ['coupon', text('marketingData.coupon')],
  ['payment_group', text(`${payment}.group`)],
  ['payment_system', text(`${payment}.paymentSystemName`)],
  ['installments', int32(str(`${payment}.installments`))],
  ['ship_city', text(`${address}.city`)],
  ['ship_state', text(`${address}.state`)],
  ['ship_postal_code', text(`${address}.postalCode`)],
];

/** `resolveCustomerKey` inputs, raw as the mapper passes them (the corporate document only for a corporate client). */
const IDENTITY_COLUMNS: readonly (readonly [column: string, sql: string])[] = [
  ['id_document', str(`${client}.document`)],
  ['id_corporate_document', `CASE WHEN ${str(`${client}.isCorporate`)} = 'true' THEN ${str(`${client}.corporateDocument`)} END`],
  ['id_email', identityEmailSql(str(`${client}.email`))],
  ['id_phone', str(`${client}.phone`)],
  ['id_profile', str(`${client}.userProfileId`)],
];

/** Staged item columns from one element `e` of `o.items` at 0-based offset `i`. */
const ITEM_COLUMNS: readonly (readonly [column: string, sql: string])[] = [
  ['item_index', 'i'],
  ['sku_id', str('id', 'e')],
  ['product_id', text('productId', 'e')],
  ['ean', text('ean', 'e')],
  ['ref_id', text('refId', 'e')],
  ['name', text('name', 'e')],
  ['brand_name', text('additionalInfo.brandName', 'e')],
  ['category_ids', text('additionalInfo.categoriesIds', 'e')],
  ['seller_id', text('seller', 'e')],
  ['quantity', int64(str('quantity', 'e'))],
  ['unit_price', money(int64(str('price', 'e')))],
  ['list_price', money(int64(str('listPrice', 'e')))],
  ['selling_price', money(int64(str('sellingPrice', 'e')))],
  ['cost_price', money(int64(str('costPrice', 'e')))],
  ['is_gift', `IFNULL(${str('isGift', 'e')} = 'true', false)`],
];

/** Values the schema accepts but the columns cannot hold, with DuckDB's reasons (see vtex-order-staging.ts). */
const STORAGE_VIOLATION_SQL = `CASE
  WHEN created_at IS NULL THEN 'creationDate: expected a valid instant, received ' || ${jsonText('creationDate')}
  WHEN last_change IS NULL THEN 'lastChange: expected a valid instant, received ' || ${jsonText('lastChange')}
  WHEN authorized_at IS NULL AND ${str('authorizedDate')} IS NOT NULL THEN 'authorizedDate: expected a valid instant, received ' || ${jsonText('authorizedDate')}
  WHEN invoiced_at IS NULL AND ${str('invoicedDate')} IS NOT NULL THEN 'invoicedDate: expected a valid instant, received ' || ${jsonText('invoicedDate')}
  WHEN canceled_at IS NULL AND status = 'canceled' THEN 'cancellationData.CancellationDate: expected a valid instant, received ' || ${jsonText('cancellationData.CancellationDate')}
  WHEN installments IS NULL AND ${str(`${payment}.installments`)} IS NOT NULL THEN 'paymentData.transactions.0.payments.0.installments: expected a 32-bit integer, received ' || ${jsonText(`${payment}.installments`)}
  WHEN items_total IS NULL OR discounts_total IS NULL OR shipping_total IS NULL OR tax_total IS NULL THEN 'totals: a sum does not fit DECIMAL(18,2)'
  ELSE (SELECT 'items.' || CAST(i AS STRING) || '.quantity: expected a 32-bit integer, received ' || ${jsonText('quantity', 'e')}
        FROM UNNEST(JSON_QUERY_ARRAY(o, '$.items')) AS e WITH OFFSET AS i
        WHERE ${int32(str('quantity', 'e'))} IS NULL ORDER BY i LIMIT 1)
END`;

const as = (cols: readonly (readonly [string, string])[]) => cols.map(([c, sql]) => `${sql} AS ${c}`).join(',\n    ');
const names = (cols: readonly (readonly [string, string])[]) => cols.map(([c]) => c).join(', ');

/** Checked, then mapped from `o` (the payload when it is valid, else NULL; totals summed first), then judged for storage. */
const BATCH_SELECT_SQL = `WITH checked AS (
  SELECT seq, record_id, natural_key, payload, j, ${firstViolationSqlBigQuery(VTEX_ORDER_SHAPE, 'j', 'payload')} AS violation
  FROM ${PARSED_TABLE}
), valid AS (
  SELECT seq, record_id, natural_key, payload, violation, IF(violation IS NULL, j, NULL) AS o FROM checked
), summed AS (
  SELECT *, ${totalCents('Items')} AS items_cents, ${totalCents('Discounts')} AS discounts_cents,
    ${totalCents('Shipping')} AS shipping_cents, ${totalCents('Tax')} AS tax_cents
  FROM valid
), mapped AS (
  SELECT seq, record_id, natural_key, payload, violation, o,
    ${as(ORDER_COLUMNS)},
    ${as(IDENTITY_COLUMNS)}
  FROM summed
), judged AS (
  SELECT *, COALESCE(violation, ${STORAGE_VIOLATION_SQL}) AS reason FROM mapped
)
SELECT seq, record_id, natural_key, reason, IF(reason IS NULL, o, NULL) AS o, IF(reason IS NOT NULL, payload, NULL) AS rejected_payload,
  ${names(ORDER_COLUMNS)}, ${names(IDENTITY_COLUMNS)}
FROM judged`;

const INSERT_ORDERS_SQL = `INSERT INTO ${STAGE.orders}
  (source, ${names(ORDER_COLUMNS)}, customer_key, bronze_record_id, bronze_seq, updated_at)
SELECT ?, ${ORDER_COLUMNS.map(([c]) => `b.${c}`).join(', ')}, k.customer_key, b.record_id, b.seq, ?
FROM ${BATCH_TABLE} b LEFT JOIN ${CUSTOMER_KEYS_TABLE} k ON ${customerKeyJoinSql('b', 'k', 'bigquery')}
WHERE b.reason IS NULL`;

const INSERT_ITEMS_SQL = `INSERT INTO ${STAGE.orderItems}
  (source, order_id, ${names(ITEM_COLUMNS)}, bronze_record_id)
SELECT ?, b.order_id, ${as(ITEM_COLUMNS)}, b.record_id
FROM ${BATCH_TABLE} b CROSS JOIN UNNEST(JSON_QUERY_ARRAY(b.o, '$.items')) AS e WITH OFFSET AS i
WHERE b.reason IS NULL`;

const INSERT_QUARANTINE_SQL = `INSERT INTO ${STAGE.quarantine} (${QUARANTINE_COLUMNS})
SELECT GENERATE_UUID(), ?, ${bqString(VTEX_ORDER_ENTITY)}, natural_key, reason, rejected_payload, record_id, ?, ?
FROM ${BATCH_TABLE} WHERE reason IS NOT NULL`;
