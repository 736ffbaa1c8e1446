import type { SqlExecutor } from '../../warehouse/warehouse.js';

/**
 * Who is who across sources: every source record (an order customer key, a Master Data document,
 * a club member) is given the customer it belongs to, in `gold.customer_identity`.
 *
 * A record carries identifiers, each a key in the form identity/customer-key.ts gives them:
 * - VTEX orders (one record per source and order customer key): that key, and `profile:<id>` for
 *   every userProfileId its orders carry;
 * - Master Data documents: their customer key, their real e-mail, `profile:<userId>`;
 * - club members: their customer key (else their verified document, e-mail or phone), their
 *   document (the registry says it verified when `document_type` is cpf/cnpj; punctuation is
 *   ignored), e-mail (lower-cased), phone (E.164).
 * A record starts as its own key. Then, in IDENTITY_ROUNDS rounds, each identifier takes the
 * strongest key among the records carrying it, and each record takes the strongest among its own
 * and its identifiers', keeping its own on a tie: strength is a verified CPF/CNPJ, then an e-mail,
 * then a phone, then a profile (ties broken by the key's text, so the answer is deterministic).
 * So a document reaches an order with a masked e-mail through the profile id Master Data shares
 * with it, and a Master Data e-mail that a club member ties to a CPF joins that CPF; two different
 * documents are never merged, since a record holding a document keeps it. `matched_by` is what
 * tied the record to its customer: its own key's kind, else the kind of the identifier it took
 * the customer through.
 *
 * Masked `@ct.vtex.com.br` aliases are never identifiers (the order keys never hold one, and
 * e-mails are filtered here).
 */

/** Chains of up to this many links are followed, e.g. order → (profile) Master Data → (e-mail) club member → (phone) ... */
export const IDENTITY_ROUNDS = 3;

/** Temp table of (source, source_id, own_key, identifier): the identifier graph. */
const LINKS = 'temp.c360_links';

const KEY_RANK = (k: string) =>
  `(CASE split_part(${k}, ':', 1) WHEN 'cpf' THEN 0 WHEN 'cnpj' THEN 0 WHEN 'email' THEN 1 WHEN 'phone' THEN 2 ELSE 3 END)`;
/** What a key (or identifier) is, as `matched_by` says it. */
export const KEY_MATCH_SQL = (k: string) =>
  `(CASE split_part(${k}, ':', 1) WHEN 'cpf' THEN 'document' WHEN 'cnpj' THEN 'document' WHEN 'email' THEN 'email' WHEN 'phone' THEN 'phone' ELSE 'profile' END)`;

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

const LINKS_SQL = `
CREATE OR REPLACE TEMP TABLE c360_links AS
SELECT DISTINCT source, source_id, own_key, identifier FROM (
  SELECT source, customer_key AS source_id, customer_key AS own_key, unnest([customer_key, ${PROFILE_SQL('user_profile_id')}]) AS identifier
  FROM (SELECT DISTINCT o.source, o.customer_key, o.user_profile_id FROM silver.orders o WHERE o.customer_key IS NOT NULL)
  UNION ALL
  SELECT c.source, c.customer_id, c.customer_key,
         unnest([c.customer_key, 'email:' || ${REAL_EMAIL_SQL('c.email')}, ${PROFILE_SQL('c.user_id')}])
  FROM silver.customers c WHERE c.customer_key IS NOT NULL
  UNION ALL
  SELECT source, member_id, own_key, unnest([own_key, doc, email, phone]) FROM (
    SELECT source, member_id, coalesce(customer_key, doc, email, phone) AS own_key, doc, email, phone FROM (
      SELECT m.source, m.member_id, m.customer_key, ${CLUB_DOCUMENT_SQL} AS doc,
             'email:' || ${REAL_EMAIL_SQL('m.email')} AS email, 'phone:' || ${E164_SQL('m.phone')} AS phone
      FROM silver.club_members m))
  WHERE own_key IS NOT NULL
) WHERE identifier IS NOT NULL`;

function propagationSql(rounds: number): string {
  const ctes = [`r0 AS MATERIALIZED (SELECT DISTINCT source, source_id, own_key AS k, ${KEY_MATCH_SQL('own_key')} AS via FROM ${LINKS})`];
  for (let n = 1; n <= rounds; n++) {
    // The strongest key among the records carrying each identifier, as rank digit + key.
    ctes.push(`i${n} AS MATERIALIZED (
      SELECT l.identifier, min(${KEY_RANK('r.k')}::VARCHAR || r.k) AS s
      FROM ${LINKS} l JOIN r${n - 1} r ON r.source = l.source AND r.source_id = l.source_id GROUP BY l.identifier)`);
    // Sort text: key rank, kept (0) before taken (1), link rank, key.
    ctes.push(`r${n} AS MATERIALIZED (
      SELECT source, source_id, b.k AS k, b.via AS via FROM (
        SELECT source, source_id, arg_min({k: k, via: via}, s) AS b FROM (
          SELECT source, source_id, k, via, ${KEY_RANK('k')}::VARCHAR || '00' || k AS s FROM r${n - 1}
          UNION ALL
          SELECT l.source, l.source_id, substr(i.s, 2), ${KEY_MATCH_SQL('l.identifier')},
                 substr(i.s, 1, 1) || '1' || ${KEY_RANK('l.identifier')}::VARCHAR || substr(i.s, 2)
          FROM ${LINKS} l JOIN i${n} i ON i.identifier = l.identifier)
        GROUP BY source, source_id))`);
  }
  return `WITH ${ctes.join(',\n')} SELECT source, source_id, k AS customer_id, via AS matched_by FROM r${rounds}`;
}

/** Temp table with the identity as silver says it now, in gold.customer_identity's columns. */
export const NEXT_IDENTITY = 'temp.c360_identity_next';

/**
 * Resolves every source record from all of silver into NEXT_IDENTITY. Whole, not per changed
 * record: one change can move records several links away (a document added to a Master Data
 * record pulls every order of its profile along), and only a whole pass gives a refresh the
 * answer a rebuild gives. It reads distinct (order key, profile) pairs, Master Data and the
 * club: a fixed number of set-based statements. The caller compares it with the stored identity
 * to know which customers to recompute.
 */
export async function resolveIdentity(tx: SqlExecutor): Promise<void> {
  await tx.execute(LINKS_SQL);
  await tx.execute(`CREATE OR REPLACE TEMP TABLE c360_identity_next AS ${propagationSql(IDENTITY_ROUNDS)}`);
  await tx.execute(`DROP TABLE ${LINKS}`);
}
