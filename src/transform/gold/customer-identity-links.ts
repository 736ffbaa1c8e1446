import type { SqlExecutor } from '../../warehouse/warehouse.js';

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
export const REAL_EMAIL_SQL = (col: string) => `(CASE WHEN regexp_full_match(lower(trim(${col})), '[^\\s@]+@[^\\s@]+\\.[^\\s@]+')
  AND NOT ends_with(lower(trim(${col})), '@ct.vtex.com.br') AND NOT ends_with(lower(trim(${col})), '.ct.vtex.com.br')
  THEN lower(trim(${col})) END)`;
/** An E.164 number as sent (`+<8 to 15 digits>`, separators ignored); NULL otherwise. */
export const E164_SQL = (col: string) =>
  `(CASE WHEN starts_with(trim(${col}), '+') AND length(regexp_replace(${col}, '\\D', '', 'g')) BETWEEN 8 AND 15
    THEN '+' || regexp_replace(${col}, '\\D', '', 'g') END)`;
const PROFILE_SQL = (col: string) => `(CASE WHEN nullif(trim(${col}), '') IS NOT NULL THEN 'profile:' || lower(trim(${col})) END)`;
const CLUB_DOCUMENT_SQL = `(CASE WHEN lower(m.document_type) IN ('cpf', 'cnpj') AND regexp_replace(m.document, '\\D', '', 'g') <> ''
  THEN lower(m.document_type) || ':' || regexp_replace(m.document, '\\D', '', 'g') END)`;

/**
 * The links of every record, or only of the records in `records` (a relation of `(source,
 * source_id)`), read from silver.
 */
function linksSql(records?: string): string {
  const only = (source: string, id: string) => (records ? `AND (${source}, ${id}) IN (SELECT source, source_id FROM ${records})` : '');
  return `
SELECT DISTINCT source, source_id, own_key, identifier FROM (
  SELECT source, customer_key AS source_id, customer_key AS own_key, unnest([customer_key, ${PROFILE_SQL('user_profile_id')}]) AS identifier
  FROM (SELECT DISTINCT o.source, o.customer_key, o.user_profile_id FROM silver.orders o
        WHERE o.customer_key IS NOT NULL ${only('o.source', 'o.customer_key')})
  UNION ALL
  SELECT c.source, c.customer_id, c.customer_key,
         unnest([c.customer_key, 'email:' || ${REAL_EMAIL_SQL('c.email')}, ${PROFILE_SQL('c.user_id')}])
  FROM silver.customers c WHERE c.customer_key IS NOT NULL ${only('c.source', 'c.customer_id')}
  UNION ALL
  SELECT source, member_id, own_key, unnest([own_key, doc, email, phone]) FROM (
    SELECT source, member_id, coalesce(customer_key, doc, email, phone) AS own_key, doc, email, phone FROM (
      SELECT m.source, m.member_id, m.customer_key, ${CLUB_DOCUMENT_SQL} AS doc,
             'email:' || ${REAL_EMAIL_SQL('m.email')} AS email, 'phone:' || ${E164_SQL('m.phone')} AS phone
      FROM silver.club_members m WHERE true ${only('m.source', 'm.member_id')}))
  WHERE own_key IS NOT NULL
) WHERE identifier IS NOT NULL`;
}

/** Temp table of the identifiers the changed records carried before or carry now: where a change can reach. */
export const SEED_IDENTIFIERS = 'temp.c360_seed_identifiers';

/** Every record's links, read from silver in one pass over each source table. */
export async function buildIdentityLinks(tx: SqlExecutor): Promise<void> {
  await tx.execute(`DELETE FROM ${IDENTITY_LINKS}`);
  await tx.execute(`INSERT INTO ${IDENTITY_LINKS} (source, source_id, own_key, identifier) ${linksSql()}`);
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
export async function updateIdentityLinks(tx: SqlExecutor, records: string): Promise<LinksUpdate> {
  const empty = await tx.query(`SELECT 1 AS one FROM ${IDENTITY_LINKS} LIMIT 1`);
  if (empty.length === 0) {
    await buildIdentityLinks(tx);
    return { kind: 'built' };
  }
  await tx.execute(`CREATE OR REPLACE TEMP TABLE c360_links_now AS ${linksSql(records)}`);
  await tx.execute(`
    CREATE OR REPLACE TEMP TABLE c360_links_before AS
    SELECT source, source_id, own_key, identifier FROM ${IDENTITY_LINKS} WHERE (source, source_id) IN (SELECT source, source_id FROM ${records})`);
  const differs = await tx.query(`
    SELECT 1 AS one FROM ((FROM temp.c360_links_now EXCEPT FROM temp.c360_links_before)
                          UNION ALL (FROM temp.c360_links_before EXCEPT FROM temp.c360_links_now)) LIMIT 1`);
  if (differs.length > 0) {
    await tx.execute(`
      CREATE OR REPLACE TEMP TABLE c360_seed_identifiers AS
      SELECT identifier FROM temp.c360_links_now UNION SELECT identifier FROM temp.c360_links_before`);
    await tx.execute(`DELETE FROM ${IDENTITY_LINKS} WHERE (source, source_id) IN (SELECT source, source_id FROM temp.c360_links_before)`);
    await tx.execute(`INSERT INTO ${IDENTITY_LINKS} (source, source_id, own_key, identifier) FROM temp.c360_links_now`);
  }
  await tx.execute('DROP TABLE temp.c360_links_now');
  await tx.execute('DROP TABLE temp.c360_links_before');
  return { kind: differs.length > 0 ? 'changed' : 'unchanged' };
}
