import type { BronzeRelation } from '../../bronze/bronze-store.js';
import { QUARANTINE_COLUMNS } from '../../../quarantine/quarantine-ddl.js';
import { ensureSilverStaging, STAGE } from '../../../transform/silver/silver-ddl.js';
import type { SqlExecutor, WarehouseDialect, WriterSession } from '../../../warehouse/warehouse.js';
import {
  CUSTOMER_KEYS_TABLE,
  customerKeyJoinSql,
  distinctIdentityInputs,
  identityEmailSql,
  resolveCustomerKeys,
  storeCustomerKeys,
} from '../../../transform/silver/identity/customer-key-batch.js';
import { VTEX_ORDER_SHAPE } from './vtex-order-shape.js';
import { firstViolationSql, jsonStringValue, jsonTrimmedText, parsePayloadSql, sqlString } from './vtex-order-shape-sql.js';
import { stageVtexOrdersBigQuery } from './vtex-order-staging-bigquery.js';
import { VTEX_ORDER_ENTITY } from './vtex-orders-names.js';

export type { BronzeRelation } from '../../bronze/bronze-store.js';

export interface VtexOrderStageContext {
  /** The SourceKind written into every staged row (`vtex-orders`). */
  readonly source: string;
  /** Recorded on quarantine rows. */
  readonly runId: string;
  /** ISO instant: `updated_at` of staged rows and `quarantined_at`. */
  readonly now: string;
  /** The warehouse the staging SQL runs on. */
  readonly dialect: WarehouseDialect;
}

export interface VtexOrderStageResult {
  /** Rows added to `STAGE.orders`. */
  readonly staged: number;
  /** Rows added to `STAGE.orderItems`. */
  readonly items: number;
  /** Rows added to `STAGE.quarantine` (silver.quarantine's rows to be). */
  readonly quarantined: number;
  /** Distinct identity inputs resolved to customer keys (follows shoppers, not orders). */
  readonly identities: number;
}

/**
 * Get-order payloads in bronze → silver's staging tables (`STAGE.orders`, `STAGE.orderItems`), with
 * exactly the values of the reference mapping (test/fixtures/vtex-order-reference-mapper.ts),
 * set-based: DuckDB parses each payload once and a fixed number of statements runs whatever the
 * batch size. A payload that breaks `vtexOrderSchema` (or
 * that the warehouse could not store) goes to quarantine with the field path and the problem.
 * Runs in the caller's transaction; merging the staged rows is the caller's. On BigQuery the same
 * rows come from BigQuery's JSON functions (vtex-order-staging-bigquery.ts).
 */
export async function stageVtexOrders(tx: SqlExecutor, bronze: BronzeRelation, ctx: VtexOrderStageContext): Promise<VtexOrderStageResult> {
  if (ctx.dialect === 'bigquery') return stageVtexOrdersBigQuery(tx, bronze, ctx);
  await parseVtexOrderBatch(tx, bronze);
  return stageParsedVtexOrders(tx, ctx);
}

/**
 * `stageVtexOrders` as the pipeline runs it: the parse in one transaction, the rest in a second.
 * Rows a transaction wrote itself are scanned on one thread; once the parsed batch is committed
 * (temporary, so nothing durable changes), the item, identity and order statements read it on
 * every core. BigQuery has no such limit, so there it is one transaction (two jobs fewer).
 */
export async function stageVtexOrdersInSession(session: WriterSession, bronze: BronzeRelation, ctx: VtexOrderStageContext): Promise<VtexOrderStageResult> {
  if (ctx.dialect === 'bigquery') return session.transaction((tx) => stageVtexOrdersBigQuery(tx, bronze, ctx));
  await session.transaction((tx) => parseVtexOrderBatch(tx, bronze));
  try {
    return await session.transaction((tx) => stageParsedVtexOrders(tx, ctx));
  } catch (err) {
    // The committed batch would otherwise hold a batch's parsed copy in memory until the next run.
    await session.transaction((tx) => tx.execute(`DROP TABLE IF EXISTS ${BATCH_TABLE}`)).catch(() => undefined);
    throw err;
  }
}

/** Bronze rows parsed, checked and mapped into the batch table (created here). */
async function parseVtexOrderBatch(tx: SqlExecutor, bronze: BronzeRelation): Promise<void> {
  await ensureSilverStaging(tx);
  // Part by part (see BronzeRelation): each insert then parses on every core.
  for (const [n, part] of bronze.parts.entries()) {
    const into = n === 0 ? `CREATE OR REPLACE TEMP TABLE ${BATCH_TABLE} AS` : `INSERT INTO ${BATCH_TABLE}`;
    await tx.execute(`${into}\n${batchSelectSql(part.sql)}`, part.params);
  }
}

/** The parsed batch → staged items, customer keys, orders and quarantine; drops the batch table. */
async function stageParsedVtexOrders(tx: SqlExecutor, ctx: VtexOrderStageContext): Promise<VtexOrderStageResult> {
  const identities = await distinctIdentityInputs(tx, BATCH_TABLE, 'reason IS NULL');
  // Items need no customer key: DuckDB writes them while JavaScript resolves the keys.
  const [items, keyed] = await settledBoth(tx.execute(INSERT_ITEMS_SQL, [ctx.source]), resolveCustomerKeys(identities));
  await storeCustomerKeys(tx, keyed);
  const staged = await tx.execute(INSERT_ORDERS_SQL, [ctx.source, ctx.now]);
  const quarantined = await tx.execute(INSERT_QUARANTINE_SQL, [ctx.source, ctx.now, ctx.runId]);
  await tx.execute(`DROP TABLE ${BATCH_TABLE}; DROP TABLE ${CUSTOMER_KEYS_TABLE}`);
  return { staged, items, quarantined, identities: identities.length };
}

/**
 * Both results once both have settled. Unlike `Promise.all`, a failure never returns while the
 * statement is still running on the connection the caller is about to roll back.
 */
async function settledBoth<A, B>(a: Promise<A>, b: Promise<B>): Promise<[A, B]> {
  const [ra, rb] = await Promise.allSettled([a, b]);
  if (ra.status === 'rejected') throw ra.reason;
  if (rb.status === 'rejected') throw rb.reason;
  return [ra.value, rb.value];
}

/**
 * Parsed, checked and mapped bronze rows of one call. Temp tables are private to the writer's
 * connection and roll back with the caller's transaction; both are dropped before returning.
 */
const BATCH_TABLE = 'temp.vtex_order_stage_batch';

// ---- value helpers: `x` is a scalar as JSON text, as the parse leaves it -------------------------

/** A string as sent (ids and statuses are kept verbatim, as the mapper does). */
const str = (x: string) => jsonStringValue(x);
/** Trimmed text, NULL when empty: VTEX sends '' and null interchangeably for "absent". */
const text = (x: string) => jsonTrimmedText(x);
/** Integer cents → DECIMAL(18,2), in decimal arithmetic only (a DECIMAL division would go through DOUBLE). */
const money = (cents: string) => `TRY_CAST(${cents} * 0.01 AS DECIMAL(18,2))`;
const cents = (x: string) => `TRY_CAST(${x} AS DECIMAL(18,0))`;
/** DuckDB reads VTEX's 7 fractional digits and keeps 6 (truncating), as `normalizeTimestamp` does. */
const instant = (x: string) => `TRY_CAST(${str(x)} AS TIMESTAMPTZ)`;
const bool = (x: string) => `(${x} = 'true')`;
const int32 = (x: string) => `TRY_CAST(${x} AS INTEGER)`;
/** Sum of the totals with this id. `t.id` is JSON text as DuckDB writes it, so it is compared with the id's JSON. */
const total = (id: string) =>
  money(`coalesce(list_sum(list_transform(o.totals, lambda t: CASE WHEN t.id = ${sqlString(JSON.stringify(id))} THEN ${cents('t.value')} END)), 0)`);

const client = 'o.clientProfileData';
const payment = 'o.paymentData.transactions[1].payments[1]';
const address = 'o.shippingData.address';

/** Staged order columns from the parsed payload `o`, as the reference mapping fills them. */
const ORDER_COLUMNS: readonly (readonly [column: string, sql: string])[] = [
  ['order_id', str('o.orderId')],
  ['sequence', text('o.sequence')],
  ['order_group', text('o.orderGroup')],
  ['status', str('o.status')],
  ['origin', text('o.origin')],
  ['sales_channel', str('o.salesChannel')],
  ['affiliate_id', text('o.affiliateId')],
  ['seller_id', text('o.sellers[1].id')],
  ['seller_name', text('o.sellers[1].name')],
  ['hostname', text('o.hostname')],
  ['created_at', instant('o.creationDate')],
  ['last_change', instant('o.lastChange')],
  ['authorized_at', instant('o.authorizedDate')],
  ['invoiced_at', instant('o.invoicedDate')],
  // `o.status` is JSON text: '"canceled"' is the string canceled.
  ['canceled_at', `CASE WHEN o.status = '"canceled"' THEN ${instant('coalesce(o.cancellationData.CancellationDate, o.lastChange)')} END`],
  ['currency', `coalesce(${text('o.storePreferencesData.currencyCode')}, 'BRL')`],
  ['items_total', total('Items')],
  ['discounts_total', total('Discounts')],
  ['shipping_total', total('Shipping')],
  ['tax_total', total('Tax')],
  ['total', money(cents('o.value'))],
  ['customer_email', text(`${client}.email`)],
  ['user_profile_id', text(`${client}.userProfileId`)],
  ['document_type', text(`${client}.documentType`)],
  ['document', text(`${client}.document`)],
  ['first_name', text(`${client}.firstName`)],
  ['last_name', text(`${client}.lastName`)],
  ['phone', text(`${client}.phone`)],
  ['is_corporate', bool(`${client}.isCorporate`)],
  ['utm_source', text('o.marketingData.utmSource')],
  ['utm_medium', text('o.marketingData.utmMedium')],
  ['utm_campaign', text('o.marketingData.utmCampaign')],
  ['coupon', text('o.marketingData.coupon')],
  ['payment_group', text(`${payment}.group`)],
  ['payment_system', text(`${payment}.paymentSystemName`)],
  ['installments', int32(`${payment}.installments`)],
  ['ship_city', text(`${address}.city`)],
  ['ship_state', text(`${address}.state`)],
  ['ship_postal_code', text(`${address}.postalCode`)],
];

/** `resolveCustomerKey` inputs, raw as the mapper passes them (the corporate document only for a corporate client). */
const IDENTITY_COLUMNS: readonly (readonly [column: string, sql: string])[] = [
  ['id_document', str(`${client}.document`)],
  ['id_corporate_document', `CASE WHEN ${client}.isCorporate = 'true' THEN ${str(`${client}.corporateDocument`)} END`],
  ['id_email', identityEmailSql(str(`${client}.email`))],
  ['id_phone', str(`${client}.phone`)],
  ['id_profile', str(`${client}.userProfileId`)],
];

/**
 * Staged item columns from one element `e` of `o.items` at 1-based position `i`.
 * Mapped after UNNEST rather than in a lambda: flat vectors cost about half the CPU (the insert
 * runs on one thread while the batch fits one row group, 122,880 rows, and in parallel above).
 */
const ITEM_COLUMNS: readonly (readonly [column: string, sql: string])[] = [
  ['item_index', 'CAST(i - 1 AS INTEGER)'],
  ['sku_id', str('e.id')],
  ['product_id', text('e.productId')],
  ['ean', text('e.ean')],
  ['ref_id', text('e.refId')],
  ['name', text('e.name')],
  ['brand_name', text('e.additionalInfo.brandName')],
  ['category_ids', text('e.additionalInfo.categoriesIds')],
  ['seller_id', text('e.seller')],
  ['quantity', int32('e.quantity')],
  ['unit_price', money(cents('e.price'))],
  ['list_price', money(cents('e.listPrice'))],
  ['selling_price', money(cents('e.sellingPrice'))],
  ['cost_price', money(cents('e.costPrice'))],
  ['is_gift', `coalesce(${bool('e.isGift')}, false)`],
];

/**
 * Values the schema accepts but the warehouse's column types cannot hold (a timestamp with month
 * 13, a quantity beyond INTEGER). The old row-by-row path quarantined these with the database's
 * error; set-based, they must be caught before the insert or they would fail the whole batch.
 */
const STORAGE_VIOLATION_SQL = `CASE
  WHEN created_at IS NULL THEN 'creationDate: expected a valid instant, received ' || o.creationDate
  WHEN last_change IS NULL THEN 'lastChange: expected a valid instant, received ' || o.lastChange
  WHEN authorized_at IS NULL AND o.authorizedDate IS NOT NULL THEN 'authorizedDate: expected a valid instant, received ' || o.authorizedDate
  WHEN invoiced_at IS NULL AND o.invoicedDate IS NOT NULL THEN 'invoicedDate: expected a valid instant, received ' || o.invoicedDate
  WHEN canceled_at IS NULL AND status = 'canceled' THEN 'cancellationData.CancellationDate: expected a valid instant, received ' || o.cancellationData.CancellationDate
  WHEN installments IS NULL AND ${payment}.installments IS NOT NULL THEN 'paymentData.transactions.0.payments.0.installments: expected a 32-bit integer, received ' || ${payment}.installments
  WHEN items_total IS NULL OR discounts_total IS NULL OR shipping_total IS NULL OR tax_total IS NULL THEN 'totals: a sum does not fit DECIMAL(18,2)'
  ELSE list_any_value(list_transform(o.items, lambda e, i: CASE WHEN ${int32('e.quantity')} IS NULL THEN 'items.' || (i - 1) || '.quantity: expected a 32-bit integer, received ' || e.quantity END))
END`;

function batchSelectSql(bronze: string): string {
  const as = (cols: readonly (readonly [string, string])[]) => cols.map(([c, sql]) => `${sql} AS ${c}`).join(',\n    ');
  return `WITH parsed AS (
  SELECT b.seq, b.record_id, b.natural_key, b.payload, ${parsePayloadSql(VTEX_ORDER_SHAPE, 'b.payload')} AS o
  FROM (${bronze}) b
), checked AS (
  SELECT *, ${firstViolationSql(VTEX_ORDER_SHAPE, 'o', 'payload')} AS violation FROM parsed
), mapped AS (
  SELECT seq, record_id, natural_key, payload, violation, o,
    ${as(ORDER_COLUMNS)},
    ${as(IDENTITY_COLUMNS)},
    o.items AS items
  FROM checked
), judged AS (
  SELECT *, coalesce(violation, ${STORAGE_VIOLATION_SQL}) AS reason FROM mapped
)
SELECT * EXCLUDE (payload, violation, o), CASE WHEN reason IS NOT NULL THEN payload END AS rejected_payload FROM judged`;
}

const INSERT_ORDERS_SQL = `INSERT INTO ${STAGE.orders}
  (source, ${ORDER_COLUMNS.map(([c]) => c).join(', ')}, customer_key, bronze_record_id, bronze_seq, updated_at)
SELECT ?, ${ORDER_COLUMNS.map(([c]) => `b.${c}`).join(', ')}, k.customer_key, b.record_id, b.seq, CAST(? AS TIMESTAMPTZ)
FROM ${BATCH_TABLE} b LEFT JOIN ${CUSTOMER_KEYS_TABLE} k ON ${customerKeyJoinSql('b', 'k')}
WHERE b.reason IS NULL`;

const INSERT_ITEMS_SQL = `INSERT INTO ${STAGE.orderItems}
  (source, order_id, ${ITEM_COLUMNS.map(([c]) => c).join(', ')}, bronze_record_id)
SELECT ?, order_id, ${ITEM_COLUMNS.map(([c, sql]) => `${sql} AS ${c}`).join(', ')}, record_id
FROM (SELECT order_id, record_id, unnest(items) AS e, generate_subscripts(items, 1) AS i FROM ${BATCH_TABLE} WHERE reason IS NULL)`;

const INSERT_QUARANTINE_SQL = `INSERT INTO ${STAGE.quarantine} (${QUARANTINE_COLUMNS})
SELECT CAST(uuid() AS VARCHAR), ?, ${sqlString(VTEX_ORDER_ENTITY)}, natural_key, reason, rejected_payload, record_id, CAST(? AS TIMESTAMPTZ), ?
FROM ${BATCH_TABLE} WHERE reason IS NOT NULL`;
