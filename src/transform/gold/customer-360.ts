import type { SqlExecutor, WarehouseDialect } from '../../warehouse/warehouse.js';
import { GOLD_SQL, type GoldSqlDialect } from './gold-sql-dialect.js';
import { NEXT_IDENTITY, RESOLVED_RECORDS, resolveIdentity } from './customer-identity.js';
import { buildIdentityLinks, E164_SQL, REAL_EMAIL_SQL, SEED_IDENTIFIERS, updateIdentityLinks } from './customer-identity-links.js';
import type { GoldRefreshOptions } from './refresh-order-gold.js';
import { rfmSegmentSql } from './rfm-segment.js';

/**
 * gold.customer_360: one row per resolved customer (gold.customer_identity), refreshed with the
 * rest of gold, in the transaction that changed silver.
 *
 * Figures come from the customer's sales (gold.fct_orders rows with `is_sale`, through the order
 * customer keys identity maps to the customer); days are business-time-zone days. Attributes:
 * - document: the customer id's, when it is a CPF/CNPJ (a record holding a document is always
 *   keyed by it, so a customer without a document id has none);
 * - name, first name, e-mail, phone, newsletter opt-in: Master Data first (the shopper's own
 *   account), then the club registry, then orders (state and city always from the latest order);
 * - club columns: the member chosen as active first, then the latest change (`lsn`);
 * - ids per source: the latest order's userProfileId (else Master Data's userId), the most
 *   recently changed Master Data document, that club member.
 *
 * Time-relative columns (`days_since_last_order`, `orders_last_365d`, `segment`) are as of
 * `refreshed_on`, the business day of the refresh that last wrote the table; every row shares it.
 */

const CUSTOMER_360_COLUMNS = [
  'customer_id', 'key_type', 'vtex_user_profile_id', 'master_data_id', 'club_member_id', 'name', 'first_name', 'document',
  'document_type', 'email', 'phone', 'state', 'city', 'first_order_at', 'last_order_at', 'first_order_date', 'last_order_date',
  'orders', 'ltv', 'average_ticket', 'average_days_between_orders', 'orders_last_365d', 'days_since_last_order', 'is_returning',
  'segment', 'club_status', 'club_tier', 'marketing_opt_in', 'club_store', 'refreshed_on',
] as const;

/** Temp table of the customer ids a refresh recomputed: the scope of the incremental data tests. */
export const CHANGED_CUSTOMER_360 = 'temp.stage_changed_customer_360';

/** The business day `now` falls on in `timezone`, as YYYY-MM-DD. */
export function businessDay(now: Date, timezone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(now);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}

/** A DATE literal for a day this module computed (never user input). */
function dayLiteral(day: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new Error(`not a day: ${day}`);
  return `DATE '${day}'`;
}

/** The sale orders of each identity row: `ci` joins fct_orders through the order customer key. */
const SALES_OF = (ci: string) => `gold.fct_orders f ON f.source = ${ci}.source AND f.customer_key = ${ci}.source_id AND f.is_sale`;

/** Temp table of the changed source records, `(source, source_id)`. */
const CHANGED_RECORDS = 'temp.c360_changed';

/**
 * When more than this share of the stored identity rows changed, identity is resolved whole: past
 * it, the records within reach of the change are most of the graph and walking to them costs more
 * than it saves. Either way gives the same identity.
 */
export const WHOLE_RESOLUTION_SHARE = 0.2;

/**
 * Brings customer 360's source records in `changedSql` (a relation of identity `(source,
 * source_id)`: order customer keys, Master Data ids, club member ids, old or new) and everything
 * they touch up to date:
 * 1. if the business day moved since `refreshed_on`, the time-relative columns of every row move
 *    to today (one set-based UPDATE), so a customer nobody touched never shows a stale recency
 *    or segment, and every row keeps one `refreshed_on`;
 * 2. the changed records' links are brought up to date; if none changed, identity cannot have
 *    changed and only the changed records' customers are recomputed; otherwise the records the
 *    change can reach are resolved again (`resolveIdentity`), and the customers to recompute are
 *    those of the changed records (before and after) and of every record whose customer changed;
 * 3. those customers' rows are replaced (a customer no record maps to any more is dropped).
 * With gold.customer_identity empty (a rebuild, or a first refresh) every record's links are
 * written and resolved at once, and every customer is computed, so a rebuild on the same day
 * gives the table the refreshes built.
 */
export async function refreshCustomer360(
  tx: SqlExecutor,
  opts: GoldRefreshOptions,
  changedSql: string,
  dialect: WarehouseDialect = 'duckdb',
): Promise<void> {
  const d = GOLD_SQL[dialect];
  const today = dayLiteral(businessDay((opts.now ?? (() => new Date()))(), opts.timezone));
  await rollToDay(tx, today, d);
  if ((await tx.query('SELECT 1 AS one FROM gold.customer_identity LIMIT 1')).length === 0) {
    await buildCustomer360(tx, today, d);
    return;
  }
  await tx.execute(`
    CREATE OR REPLACE TEMP TABLE c360_changed AS
    SELECT DISTINCT source, source_id FROM (${changedSql}) AS changed_records WHERE source_id IS NOT NULL`);
  const links = await updateIdentityLinks(tx, CHANGED_RECORDS, dialect);
  const identityOf = (relation: string) => `SELECT ci.customer_id FROM ${relation} ci WHERE ${d.pairIn(['ci.source', 'ci.source_id'], CHANGED_RECORDS)}`;
  if (links.kind === 'unchanged') {
    await tx.execute(`
      CREATE OR REPLACE TEMP TABLE stage_changed_customer_360 AS
      SELECT DISTINCT customer_id FROM (${identityOf('gold.customer_identity')}) AS touched`);
  } else {
    const whole = links.kind === 'built' || (await changedShare(tx)) > WHOLE_RESOLUTION_SHARE;
    await resolveIdentity(tx, whole ? { kind: 'all' } : { kind: 'around', changed: CHANGED_RECORDS }, dialect);
    const stored = whole
      ? 'gold.customer_identity'
      : `(SELECT ci.* FROM gold.customer_identity ci WHERE ${d.pairIn(['ci.source', 'ci.source_id'], RESOLVED_RECORDS)})`;
    await tx.execute(`
      CREATE OR REPLACE TEMP TABLE c360_identity_diff AS
      SELECT coalesce(o.source, n.source) AS source, coalesce(o.source_id, n.source_id) AS source_id,
             o.customer_id AS old_customer_id, n.customer_id AS new_customer_id, n.matched_by AS new_matched_by
      FROM ${stored} o FULL JOIN ${NEXT_IDENTITY} n ON n.source = o.source AND n.source_id = o.source_id
      WHERE o.customer_id IS DISTINCT FROM n.customer_id OR o.matched_by IS DISTINCT FROM n.matched_by`);
    await tx.execute(`
      CREATE OR REPLACE TEMP TABLE stage_changed_customer_360 AS
      ${identityOf('gold.customer_identity')}
      ${d.union} ${identityOf(NEXT_IDENTITY)}
      ${d.union} SELECT old_customer_id FROM temp.c360_identity_diff WHERE old_customer_id IS NOT NULL
      ${d.union} SELECT new_customer_id FROM temp.c360_identity_diff WHERE new_customer_id IS NOT NULL`);
    await tx.execute(`DELETE FROM gold.customer_identity AS ci WHERE ${d.pairIn(['ci.source', 'ci.source_id'], 'temp.c360_identity_diff')}`);
    await tx.execute(`
      INSERT INTO gold.customer_identity (source, source_id, customer_id, matched_by)
      SELECT source, source_id, new_customer_id, new_matched_by FROM temp.c360_identity_diff WHERE new_customer_id IS NOT NULL`);
    await tx.execute('DROP TABLE temp.c360_identity_diff');
    await tx.execute(`DROP TABLE ${NEXT_IDENTITY}`);
    if (!whole) await tx.execute(`DROP TABLE ${RESOLVED_RECORDS}`);
    if (links.kind === 'changed') await tx.execute(`DROP TABLE ${SEED_IDENTIFIERS}`);
  }
  await tx.execute(`DROP TABLE ${CHANGED_RECORDS}`);
  await tx.execute(`DELETE FROM gold.customer_360 WHERE customer_id IN (SELECT customer_id FROM ${CHANGED_CUSTOMER_360})`);
  await tx.execute(insertCustomersSql(today, 'changed', d));
}

/** The changed records as a share of the stored identity rows. */
async function changedShare(tx: SqlExecutor): Promise<number> {
  const [row] = await tx.query<{ changed: number | bigint; stored: number | bigint }>(
    `SELECT (SELECT count(*) FROM ${CHANGED_RECORDS}) AS changed, (SELECT count(*) FROM gold.customer_identity) AS stored`,
  );
  return Number(row?.changed ?? 0) / Math.max(1, Number(row?.stored ?? 0));
}

/**
 * Identity and customer 360 from nothing: every record's links read from silver once, resolved
 * whole, written without comparing, and every customer computed.
 */
async function buildCustomer360(tx: SqlExecutor, today: string, d: GoldSqlDialect): Promise<void> {
  await buildIdentityLinks(tx, d.dialect);
  await resolveIdentity(tx, { kind: 'all' }, d.dialect);
  await tx.execute(`INSERT INTO gold.customer_identity (source, source_id, customer_id, matched_by) SELECT source, source_id, customer_id, matched_by FROM ${NEXT_IDENTITY}`);
  await tx.execute(`DROP TABLE ${NEXT_IDENTITY}`);
  await tx.execute('CREATE OR REPLACE TEMP TABLE stage_changed_customer_360 AS SELECT DISTINCT customer_id FROM gold.customer_identity');
  await tx.execute('DELETE FROM gold.customer_360 WHERE true');
  await tx.execute(insertCustomersSql(today, 'all', d));
}

/** The time-relative columns, from `orders`, `last_order_date` and the sales of the last 365 days. */
function timeRelativeSql(today: string, c: string, last365: string, d: GoldSqlDialect) {
  const days = d.daysBetween(today, `${c}.last_order_date`);
  return {
    days,
    ordersLast365d: d.integer(`coalesce(${last365}, 0)`),
    segment: rfmSegmentSql(`${c}.orders`, days),
  };
}

/** Sales of the 365 days ending on `today` (orders after it, only possible with a clock behind, count too). */
const LAST_365 = (today: string, d: GoldSqlDialect) => d.countIf(`f.order_date > ${d.daysBefore(today, 365)}`);

/**
 * The business day moved: every row's time-relative columns are recomputed as of `today` in one
 * statement (arithmetic on stored columns, plus one pass over the sales for the 365-day count).
 * Without this a customer whose records did not change would keep yesterday's recency and segment.
 */
async function rollToDay(tx: SqlExecutor, today: string, d: GoldSqlDialect): Promise<void> {
  // Most refreshes fall on the day the table is already at: one probe, no pass over the sales.
  const stale = await tx.query(`SELECT 1 AS stale FROM gold.customer_360 WHERE refreshed_on <> ${today} LIMIT 1`);
  if (stale.length === 0) return;
  const t = timeRelativeSql(today, 'c', 'r.n', d);
  await tx.execute(`
    UPDATE gold.customer_360 c
    SET refreshed_on = ${today}, days_since_last_order = ${t.days}, orders_last_365d = ${t.ordersLast365d}, segment = ${t.segment}
    FROM (
      SELECT c2.customer_id, r.n FROM gold.customer_360 c2
      LEFT JOIN (SELECT ci.customer_id, ${LAST_365(today, d)} AS n
                 FROM gold.customer_identity ci JOIN ${SALES_OF('ci')} GROUP BY ci.customer_id) r ON r.customer_id = c2.customer_id
      WHERE c2.refreshed_on <> ${today}
    ) r
    WHERE c.customer_id = r.customer_id`);
}

/**
 * The latest order, Master Data document and club member of each customer, one row each, as
 * structs (`lo.o` and `lo.profile`, `md.c`, `club.k`). DuckDB takes them with `arg_max` over a
 * GROUP BY; BigQuery, without it, with `row_number()` and STRUCT(…) of the columns read.
 */
function latestRecordsSql(d: GoldSqlDialect): string {
  if (d.dialect === 'duckdb') {
    return `
    latest_order AS (
      SELECT m.customer_id,
             arg_max({first_name: o.first_name, last_name: o.last_name, state: o.ship_state, city: o.ship_city},
                     (o.created_at, o.source, o.order_id)) AS o,
             arg_max(o.user_profile_id, (o.created_at, o.source, o.order_id)) FILTER (WHERE o.user_profile_id IS NOT NULL) AS profile
      FROM members m JOIN silver.orders o ON o.source = m.source AND o.customer_key = m.source_id GROUP BY m.customer_id
    ),
    master_data AS (
      SELECT m.customer_id, arg_max(c, (c.changed_at, c.customer_id)) AS c
      FROM members m JOIN silver.customers c ON c.source = m.source AND c.customer_id = m.source_id GROUP BY m.customer_id
    ),
    club AS (
      SELECT m.customer_id, arg_max(k, (k.club_status = 'active', k.lsn, k.member_id)) AS k
      FROM members m JOIN silver.club_members k ON k.source = m.source AND k.member_id = m.source_id GROUP BY m.customer_id
    ),`;
  }
  const latest = (columns: string, from: string, order: string) => `SELECT * FROM (
        SELECT m.customer_id, ${columns}, row_number() OVER (PARTITION BY m.customer_id ORDER BY ${order}) AS pick
        FROM members m JOIN ${from}) AS ranked
      WHERE pick = 1`;
  const orderOrder = 'o.created_at DESC, o.source DESC, o.order_id DESC';
  return `
    latest_order AS (
      SELECT lo.customer_id, STRUCT(lo.first_name AS first_name, lo.last_name AS last_name, lo.state AS state, lo.city AS city) AS o,
             lp.user_profile_id AS profile
      FROM (${latest('o.first_name, o.last_name, o.ship_state AS state, o.ship_city AS city',
        'silver.orders o ON o.source = m.source AND o.customer_key = m.source_id', orderOrder)}) AS lo
      LEFT JOIN (${latest('o.user_profile_id',
        'silver.orders o ON o.source = m.source AND o.customer_key = m.source_id AND o.user_profile_id IS NOT NULL', orderOrder)}) AS lp
        ON lp.customer_id = lo.customer_id
    ),
    master_data AS (
      SELECT md.customer_id,
             STRUCT(md.document_id AS customer_id, md.user_id AS user_id, md.first_name AS first_name, md.last_name AS last_name,
                    md.email AS email, md.phone AS phone, md.newsletter_opt_in AS newsletter_opt_in) AS c
      FROM (${latest('c.customer_id AS document_id, c.user_id, c.first_name, c.last_name, c.email, c.phone, c.newsletter_opt_in',
        'silver.customers c ON c.source = m.source AND c.customer_id = m.source_id', 'c.changed_at DESC, c.customer_id DESC')}) AS md
    ),
    club AS (
      SELECT km.customer_id,
             STRUCT(km.member_id AS member_id, km.name AS name, km.email AS email, km.phone AS phone, km.club_status AS club_status,
                    km.tier AS tier, km.marketing_opt_in AS marketing_opt_in, km.signup_store AS signup_store) AS k
      FROM (${latest('k.member_id, k.name, k.email, k.phone, k.club_status, k.tier, k.marketing_opt_in, k.signup_store',
        'silver.club_members k ON k.source = m.source AND k.member_id = m.source_id',
        "k.club_status = 'active' DESC, k.lsn DESC, k.member_id DESC")}) AS km
    ),`;
}

/** Computes the customers in CHANGED_CUSTOMER_360 (`changed`), or every customer identity names (`all`). */
function insertCustomersSql(today: string, which: 'changed' | 'all', d: GoldSqlDialect): string {
  const t = timeRelativeSql(today, 'c', 'c.last_365', d);
  const email = (col: string) => REAL_EMAIL_SQL(col, d.dialect);
  const phone = (col: string) => E164_SQL(col, d.dialect);
  const members = which === 'all'
    ? 'SELECT ci.* FROM gold.customer_identity ci'
    : `SELECT ci.* FROM gold.customer_identity ci WHERE ci.customer_id IN (SELECT customer_id FROM ${CHANGED_CUSTOMER_360})`;
  return `
    INSERT INTO gold.customer_360 (${CUSTOMER_360_COLUMNS.join(', ')})
    WITH members AS (${members}),
    sales AS (
      SELECT m.customer_id, ${d.integer('count(*)')} AS orders, sum(f.total) AS ltv, min(f.created_at) AS first_at, max(f.created_at) AS last_at,
             min(f.order_date) AS first_date, max(f.order_date) AS last_date, ${LAST_365(today, d)} AS last_365
      FROM members m JOIN ${SALES_OF('m')} GROUP BY m.customer_id
    ),${latestRecordsSql(d)}
    c AS (
      SELECT ids.customer_id, ${d.keyKind('ids.customer_id')} AS key_type,
             coalesce(s.orders, 0) AS orders, coalesce(s.ltv, 0) AS ltv, s.first_at, s.last_at, s.first_date AS first_order_date,
             s.last_date AS last_order_date, s.last_365, lo.o AS lo, lo.profile, md.c AS md, club.k AS club
      FROM (SELECT DISTINCT customer_id FROM members) ids
      LEFT JOIN sales s ON s.customer_id = ids.customer_id
      LEFT JOIN latest_order lo ON lo.customer_id = ids.customer_id
      LEFT JOIN master_data md ON md.customer_id = ids.customer_id
      LEFT JOIN club ON club.customer_id = ids.customer_id
    )
    SELECT
      c.customer_id, c.key_type,
      coalesce(c.profile, nullif(trim(c.md.user_id), '')),
      c.md.customer_id, c.club.member_id,
      coalesce(nullif(trim(${d.joinNonNull(' ', ['c.md.first_name', 'c.md.last_name'])}), ''), nullif(trim(c.club.name), ''),
               nullif(trim(${d.joinNonNull(' ', ['c.lo.first_name', 'c.lo.last_name'])}), '')),
      coalesce(nullif(trim(c.md.first_name), ''), nullif(${d.firstWord('trim(c.club.name)')}, ''), nullif(trim(c.lo.first_name), '')),
      CASE WHEN c.key_type IN ('cpf', 'cnpj') THEN substr(c.customer_id, length(c.key_type) + 2) END,
      CASE WHEN c.key_type IN ('cpf', 'cnpj') THEN c.key_type END,
      coalesce(${email('c.md.email')}, ${email('c.club.email')},
               CASE WHEN c.key_type = 'email' THEN substr(c.customer_id, 7) END),
      coalesce(${phone('c.club.phone')}, ${phone('c.md.phone')}, CASE WHEN c.key_type = 'phone' THEN substr(c.customer_id, 7) END),
      c.lo.state, c.lo.city,
      c.first_at, c.last_at, c.first_order_date, c.last_order_date,
      c.orders, c.ltv,
      CASE WHEN c.orders > 0 THEN round(c.ltv / c.orders, 2) END,
      CASE WHEN c.orders >= 2 THEN ${d.double(d.daysBetween('c.last_order_date', 'c.first_order_date'))} / (c.orders - 1) END,
      ${t.ordersLast365d}, ${t.days}, c.orders >= 2, ${t.segment},
      c.club.club_status, c.club.tier, coalesce(c.club.marketing_opt_in, c.md.newsletter_opt_in), c.club.signup_store,
      ${today}
    FROM c`;
}

/** Temp table of the order customer keys of the changed orders, as gold had them and as silver has them now. */
const CHANGED_ORDER_CUSTOMERS = 'temp.stage_changed_order_customers';

/**
 * The customers of the changed orders as gold knew them, kept before order gold replaces the
 * facts: an order whose customer key changed leaves a customer who must be recomputed too.
 */
export async function keepChangedOrderCustomers(tx: SqlExecutor, changedOrdersSql: string, dialect: WarehouseDialect = 'duckdb'): Promise<void> {
  await tx.execute(`
    CREATE OR REPLACE TEMP TABLE stage_changed_order_customers AS
    SELECT DISTINCT f.source, f.customer_key AS source_id FROM gold.fct_orders f
    WHERE ${changedOrder('f', changedOrdersSql, GOLD_SQL[dialect])} AND f.customer_key IS NOT NULL`);
}

/** `alias` (source, order_id) is one of the changed orders. */
const changedOrder = (alias: string, changedOrdersSql: string, d: GoldSqlDialect) =>
  d.dialect === 'duckdb'
    ? `(${alias}.source, ${alias}.order_id) IN (${changedOrdersSql})`
    : d.pairIn([`${alias}.source`, `${alias}.order_id`], `(${changedOrdersSql})`, ['source', 'order_id']);

/** Customer 360 after order gold was refreshed for the changed orders (their old keys kept by `keepChangedOrderCustomers`). */
export async function refreshOrderCustomer360(
  tx: SqlExecutor,
  opts: GoldRefreshOptions,
  changedOrdersSql: string,
  dialect: WarehouseDialect = 'duckdb',
): Promise<void> {
  const d = GOLD_SQL[dialect];
  await refreshCustomer360(tx, opts, `
    SELECT source, source_id FROM ${CHANGED_ORDER_CUSTOMERS}
    ${d.union} SELECT o.source, o.customer_key FROM silver.orders o WHERE ${changedOrder('o', changedOrdersSql, d)}`, dialect);
  await tx.execute(`DROP TABLE ${CHANGED_ORDER_CUSTOMERS}`);
}
