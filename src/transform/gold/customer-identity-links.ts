import type { SqlExecutor, WarehouseDialect } from '../../warehouse/warehouse.js';
import { GOLD_SQL, type GoldSqlDialect } from './gold-sql-dialect.js';

/**
 * The identifier graph of customer identity, kept in `gold.customer_identity_links`: one row per
 * (source record, identifier) as silver says it now, with the record's own key. It is what
 * resolution reads, and it keeps what a changed record carried before its change, so a refresh
 * knows which links a change removed as well as which it added (silver only holds the new rows).
 *
 * A record's identifiers, each a key in the form identity/customer-key.ts gives them:
 * - VTEX orders (one record per source and order customer key): that key, and `profile:<id>` for
 *   every userProfileId its orders carry;
 * - Master Data documents: their customer key, their real e-mail, `profile:<userId>`;
 * - club members: their customer key (else their verified document, e-mail or phone), their
 *   document (the registry says it verified when `document_type` is cpf/cnpj; punctuation is
 *   ignored), e-mail (lower-cased), phone (E.164).
 * Masked `@ct.vtex.com.br` aliases are never identifiers (the order keys never hold one, and
 * e-mails are filtered here).
 */
export const IDENTITY_LINKS = 'gold.customer_identity_links';

/** `email:<address>` for a syntactically valid, unmasked address; NULL otherwise. */
export const REAL_EMAIL_SQL = (col: string, dialect: WarehouseDialect = 'duckdb') => {
  const d = GOLD_SQL[dialect];
  return `(CASE WHEN ${d.fullMatch(`lower(trim(${col}))`, '[^\\s@]+@[^\\s@]+\\.[^\\s@]+')}
  AND NOT ends_with(lower(trim(${col})), '@ct.vtex.com.br') AND NOT ends_with(lower(trim(${col})), '.ct.vtex.com.br')
  THEN lower(trim(${col})) END)`;
};
/** An E.164 number as sent (`+<8 to 15 digits>`, separators ignored); NULL otherwise. */
export const E164_SQL = (col: string, dialect: WarehouseDialect = 'duckdb') => {
  const d = GOLD_SQL[dialect];
  return `(CASE WHEN starts_with(trim(${col}), '+') AND length(${d.digitsOf(col)}) BETWEEN 8 AND 15
    THEN '+' || ${d.digitsOf(col)} END)`;
};
const PROFILE_SQL = (col: string) => `(CASE WHEN nullif(trim(${col}), '') IS NOT NULL THEN 'profile:' || lower(trim(${col})) END)`;
const CLUB_DOCUMENT_SQL = (d: GoldSqlDialect) => `(CASE WHEN lower(m.document_type) IN ('cpf', 'cnpj') AND ${d.digitsOf('m.document')} <> ''
  THEN lower(m.document_type) || ':' || ${d.digitsOf('m.document')} END)`;

/**
 * The links of every record, or only of the records in `records` (a relation of `(source,
 * source_id)`), read from silver. A record's identifiers are a list unnested into rows: in the
 * select list on DuckDB, a CROSS JOIN UNNEST on BigQuery.
 */
function linksSql(d: GoldSqlDialect, records?: string): string {
  const only = (source: string, id: string) => (records ? `AND ${d.pairIn([source, id], records)}` : '');
  const email = (col: string) => REAL_EMAIL_SQL(col, d.dialect);
  const phone = (col: string) => E164_SQL(col, d.dialect);
  const orders = `SELECT DISTINCT o.source, o.customer_key, o.user_profile_id FROM silver.orders o
        WHERE o.customer_key IS NOT NULL ${only('o.source', 'o.customer_key')}`;
  const members = `SELECT source, member_id, coalesce(customer_key, doc, email, phone) AS own_key, doc, email, phone FROM (
      SELECT m.source, m.member_id, m.customer_key, ${CLUB_DOCUMENT_SQL(d)} AS doc,
             'email:' || ${email('m.email')} AS email, 'phone:' || ${phone('m.phone')} AS phone
      FROM silver.club_members m WHERE true ${only('m.source', 'm.member_id')}) AS keyed`;
  if (d.dialect === 'bigquery') {
    return `
SELECT DISTINCT source, source_id, own_key, identifier FROM (
  SELECT o.source, o.customer_key AS source_id, o.customer_key AS own_key, identifier
  FROM (${orders}) AS o CROSS JOIN UNNEST([o.customer_key, ${PROFILE_SQL('o.user_profile_id')}]) AS identifier
  UNION ALL
  SELECT c.source, c.customer_id, c.customer_key, identifier
  FROM silver.customers c CROSS JOIN UNNEST([c.customer_key, 'email:' || ${email('c.email')}, ${PROFILE_SQL('c.user_id')}]) AS identifier
  WHERE c.customer_key IS NOT NULL ${only('c.source', 'c.customer_id')}
  UNION ALL
  SELECT k.source, k.member_id, k.own_key, identifier
  FROM (${members}) AS k CROSS JOIN UNNEST([k.own_key, k.doc, k.email, k.phone]) AS identifier
  WHERE k.own_key IS NOT NULL
) AS links WHERE identifier IS NOT NULL`;
  }
  return `
SELECT DISTINCT source, source_id, own_key, identifier FROM (
  SELECT source, customer_key AS source_id, customer_key AS own_key, unnest([customer_key, ${PROFILE_SQL('user_profile_id')}]) AS identifier
  FROM (${orders})
  UNION ALL
  SELECT c.source, c.customer_id, c.customer_key,
         unnest([c.customer_key, 'email:' || ${email('c.email')}, ${PROFILE_SQL('c.user_id')}])
  FROM silver.customers c WHERE c.customer_key IS NOT NULL ${only('c.source', 'c.customer_id')}
  UNION ALL
  SELECT source, member_id, own_key, unnest([own_key, doc, email, phone]) FROM (
    ${members})
  WHERE own_key IS NOT NULL
) WHERE identifier IS NOT NULL`;
}

/** Temp table of the identifiers the changed records carried before or carry now: where a change can reach. */
export const SEED_IDENTIFIERS = 'temp.c360_seed_identifiers';

/** Every record's links, read from silver in one pass over each source table. */
export async function buildIdentityLinks(tx: SqlExecutor, dialect: WarehouseDialect = 'duckdb'): Promise<void> {
  await tx.execute(`DELETE FROM ${IDENTITY_LINKS} WHERE true`);
  await tx.execute(`INSERT INTO ${IDENTITY_LINKS} (source, source_id, own_key, identifier) ${linksSql(GOLD_SQL[dialect])}`);
}

/** What bringing the links of some records up to date found. */
export type LinksUpdate =
  /** The table was empty (a rebuild, or the first refresh): every record's links were written. */
  | { readonly kind: 'built' }
  /** The records' links are as stored: identity cannot have changed. */
  | { readonly kind: 'unchanged' }
  /** Some links were added or removed; SEED_IDENTIFIERS holds the identifiers involved. */
  | { readonly kind: 'changed' };

/**
 * Brings the stored links of the records in `records` (a temp table of `(source, source_id)`)
 * to what silver says now, or, when the table is empty, writes every record's links at once.
 */
export async function updateIdentityLinks(tx: SqlExecutor, records: string, dialect: WarehouseDialect = 'duckdb'): Promise<LinksUpdate> {
  const d = GOLD_SQL[dialect];
  const empty = await tx.query(`SELECT 1 AS one FROM ${IDENTITY_LINKS} LIMIT 1`);
  if (empty.length === 0) {
    await buildIdentityLinks(tx, dialect);
    return { kind: 'built' };
  }
  await tx.execute(`CREATE OR REPLACE TEMP TABLE c360_links_now AS ${linksSql(d, records)}`);
  await tx.execute(`
    CREATE OR REPLACE TEMP TABLE c360_links_before AS
    SELECT l.source, l.source_id, l.own_key, l.identifier FROM ${IDENTITY_LINKS} l WHERE ${d.pairIn(['l.source', 'l.source_id'], records)}`);
  const differs = await tx.query(`
    SELECT 1 AS one FROM ((${d.all('temp.c360_links_now')} ${d.except} ${d.all('temp.c360_links_before')})
                          UNION ALL (${d.all('temp.c360_links_before')} ${d.except} ${d.all('temp.c360_links_now')})) AS differences LIMIT 1`);
  if (differs.length > 0) {
    await tx.execute(`
      CREATE OR REPLACE TEMP TABLE c360_seed_identifiers AS
      SELECT identifier FROM temp.c360_links_now ${d.union} SELECT identifier FROM temp.c360_links_before`);
    await tx.execute(`DELETE FROM ${IDENTITY_LINKS} AS l WHERE ${d.pairIn(['l.source', 'l.source_id'], 'temp.c360_links_before')}`);
    await tx.execute(`INSERT INTO ${IDENTITY_LINKS} (source, source_id, own_key, identifier) ${d.all('temp.c360_links_now')}`);
  }
  await tx.execute('DROP TABLE temp.c360_links_now');
  await tx.execute('DROP TABLE temp.c360_links_before');
  return { kind: differs.length > 0 ? 'changed' : 'unchanged' };
}
