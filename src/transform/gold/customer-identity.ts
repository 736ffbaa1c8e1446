import type { SqlExecutor } from '../../warehouse/warehouse.js';
import { IDENTITY_LINKS, SEED_IDENTIFIERS } from './customer-identity-links.js';

/**
 * Who is who across sources: every source record (an order customer key, a Master Data document,
 * a club member) is given the customer it belongs to, in `gold.customer_identity`, from the
 * identifiers it carries (`customer-identity-links.ts`).
 *
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
 * Locality: call a record's neighbours the records sharing an identifier with it. After n rounds
 * a record's customer depends only on the links of the records within n neighbour steps of it.
 * So a change to some records' links can only move the records within IDENTITY_ROUNDS steps of
 * the identifiers they carried or carry (in the graph before or after the change), and those are
 * resolved exactly from the links of the records within IDENTITY_ROUNDS further steps. That is
 * what an incremental resolution reads; everything else keeps its stored identity.
 */

/** Chains of up to this many links are followed, e.g. order → (profile) Master Data → (e-mail) club member → (phone) ... */
export const IDENTITY_ROUNDS = 3;

const KEY_RANK = (k: string) =>
  `(CASE split_part(${k}, ':', 1) WHEN 'cpf' THEN 0 WHEN 'cnpj' THEN 0 WHEN 'email' THEN 1 WHEN 'phone' THEN 2 ELSE 3 END)`;
/** What a key (or identifier) is, as `matched_by` says it. */
export const KEY_MATCH_SQL = (k: string) =>
  `(CASE split_part(${k}, ':', 1) WHEN 'cpf' THEN 'document' WHEN 'cnpj' THEN 'document' WHEN 'email' THEN 'email' WHEN 'phone' THEN 'phone' ELSE 'profile' END)`;

/**
 * A record none of whose identifiers another record carries keeps its own key in every round (it
 * only ever sees itself), and no other record sees it: it is answered without propagating, and
 * the rounds run over the records that share an identifier (most order keys share nothing).
 */
function propagationSql(allLinks: string, rounds: number): string {
  const links = 'shared_links';
  const ctes = [
    `shared AS MATERIALIZED (SELECT identifier FROM ${allLinks} GROUP BY identifier HAVING count(*) > 1)`,
    `connected AS MATERIALIZED (SELECT DISTINCT source, source_id FROM ${allLinks} WHERE identifier IN (SELECT identifier FROM shared))`,
    `${links} AS MATERIALIZED (SELECT * FROM ${allLinks} WHERE (source, source_id) IN (SELECT source, source_id FROM connected))`,
    `r0 AS MATERIALIZED (SELECT DISTINCT source, source_id, own_key AS k, ${KEY_MATCH_SQL('own_key')} AS via FROM ${links})`,
  ];
  for (let n = 1; n <= rounds; n++) {
    // The strongest key among the records carrying each identifier, as rank digit + key.
    ctes.push(`i${n} AS MATERIALIZED (
      SELECT l.identifier, min(${KEY_RANK('r.k')}::VARCHAR || r.k) AS s
      FROM ${links} l JOIN r${n - 1} r ON r.source = l.source AND r.source_id = l.source_id GROUP BY l.identifier)`);
    // Sort text: key rank, kept (0) before taken (1), link rank, key.
    ctes.push(`r${n} AS MATERIALIZED (
      SELECT source, source_id, b.k AS k, b.via AS via FROM (
        SELECT source, source_id, arg_min({k: k, via: via}, s) AS b FROM (
          SELECT source, source_id, k, via, ${KEY_RANK('k')}::VARCHAR || '00' || k AS s FROM r${n - 1}
          UNION ALL
          SELECT l.source, l.source_id, substr(i.s, 2), ${KEY_MATCH_SQL('l.identifier')},
                 substr(i.s, 1, 1) || '1' || ${KEY_RANK('l.identifier')}::VARCHAR || substr(i.s, 2)
          FROM ${links} l JOIN i${n} i ON i.identifier = l.identifier)
        GROUP BY source, source_id))`);
  }
  return `WITH ${ctes.join(',\n')}
    SELECT source, source_id, k AS customer_id, via AS matched_by FROM r${rounds}
    UNION ALL
    SELECT DISTINCT source, source_id, own_key, ${KEY_MATCH_SQL('own_key')} FROM ${allLinks}
    WHERE (source, source_id) NOT IN (SELECT source, source_id FROM connected)`;
}

/** Temp table with the identity as silver says it now, in gold.customer_identity's columns, for the records resolved. */
export const NEXT_IDENTITY = 'temp.c360_identity_next';
/** Temp table of the `(source, source_id)` an incremental resolution resolved (NEXT_IDENTITY lacks those no longer linked). */
export const RESOLVED_RECORDS = 'temp.c360_resolved';

/**
 * Which records to resolve: every one, or those a change of the records in `changed` (a temp
 * table of `(source, source_id)`, whose links were replaced, the identifiers involved in
 * SEED_IDENTIFIERS) can move.
 */
export type IdentityScope = { readonly kind: 'all' } | { readonly kind: 'around'; readonly changed: string };

/**
 * Resolves the records of `scope` into NEXT_IDENTITY from the stored links: a fixed number of
 * set-based statements. For `around`, the records reachable within IDENTITY_ROUNDS neighbour
 * steps from the seed identifiers (and the changed records themselves) are listed in
 * RESOLVED_RECORDS and resolved over the links of the records IDENTITY_ROUNDS steps further,
 * which gives them exactly what a whole resolution gives (see Locality above). The caller
 * compares NEXT_IDENTITY with the stored identity to know which customers to recompute.
 */
export async function resolveIdentity(tx: SqlExecutor, scope: IdentityScope): Promise<void> {
  if (scope.kind === 'all') {
    await tx.execute(`CREATE OR REPLACE TEMP TABLE c360_identity_next AS ${propagationSql(IDENTITY_LINKS, IDENTITY_ROUNDS)}`);
    return;
  }
  await tx.execute(`
    CREATE OR REPLACE TEMP TABLE c360_reach_0 AS
    SELECT source, source_id FROM ${scope.changed}
    UNION SELECT source, source_id FROM ${IDENTITY_LINKS} WHERE identifier IN (SELECT identifier FROM ${SEED_IDENTIFIERS})`);
  const steps = 2 * IDENTITY_ROUNDS - 1;
  // reach[n]: the records within n steps. Each step scans the links twice, so once a step adds
  // nothing (the changed records' components are complete, the usual case) the rest are that set.
  const reach = ['temp.c360_reach_0'];
  let size = await countRows(tx, 'temp.c360_reach_0');
  for (let n = 1; n <= steps; n++) {
    const previous = reach[n - 1] as string;
    if (previous !== `temp.c360_reach_${n - 1}`) {
      reach.push(previous);
      continue;
    }
    await tx.execute(`
      CREATE OR REPLACE TEMP TABLE c360_reach_${n} AS
      SELECT source, source_id FROM ${previous}
      UNION SELECT source, source_id FROM ${IDENTITY_LINKS} WHERE identifier IN (
        SELECT identifier FROM ${IDENTITY_LINKS} WHERE (source, source_id) IN (SELECT source, source_id FROM ${previous}))`);
    const grown = await countRows(tx, `temp.c360_reach_${n}`);
    reach.push(grown === size ? previous : `temp.c360_reach_${n}`);
    size = grown;
  }
  await tx.execute(`CREATE OR REPLACE TEMP TABLE c360_resolved AS FROM ${reach[IDENTITY_ROUNDS - 1]}`);
  await tx.execute(`
    CREATE OR REPLACE TEMP TABLE c360_scope_links AS
    SELECT * FROM ${IDENTITY_LINKS} WHERE (source, source_id) IN (SELECT source, source_id FROM ${reach[steps]})`);
  await tx.execute(`
    CREATE OR REPLACE TEMP TABLE c360_identity_next AS
    SELECT * FROM (${propagationSql('temp.c360_scope_links', IDENTITY_ROUNDS)})
    WHERE (source, source_id) IN (SELECT source, source_id FROM ${RESOLVED_RECORDS})`);
  for (let n = 0; n <= steps; n++) await tx.execute(`DROP TABLE IF EXISTS temp.c360_reach_${n}`);
  await tx.execute('DROP TABLE temp.c360_scope_links');
}

async function countRows(tx: SqlExecutor, table: string): Promise<number> {
  const [row] = await tx.query<{ n: number }>(`SELECT count(*) AS n FROM ${table}`);
  return Number(row?.n ?? 0);
}
