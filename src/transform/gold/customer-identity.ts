import type { SqlExecutor, WarehouseDialect } from '../../warehouse/warehouse.js';
import { GOLD_SQL, type GoldSqlDialect } from './gold-sql-dialect.js';
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

const KEY_RANK = (k: string, d: GoldSqlDialect = GOLD_SQL.duckdb) =>
  `(CASE ${d.keyKind(k)} WHEN 'cpf' THEN 0 WHEN 'cnpj' THEN 0 WHEN 'email' THEN 1 WHEN 'phone' THEN 2 ELSE 3 END)`;
/** What a key (or identifier) is, as `matched_by` says it. */
export const KEY_MATCH_SQL = (k: string, d: GoldSqlDialect = GOLD_SQL.duckdb) =>
  `(CASE ${d.keyKind(k)} WHEN 'cpf' THEN 'document' WHEN 'cnpj' THEN 'document' WHEN 'email' THEN 'email' WHEN 'phone' THEN 'phone' ELSE 'profile' END)`;

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

/**
 * The same resolution on BigQuery, as statements: each CTE of `propagationSql` becomes a session
 * temporary table (BigQuery has no MATERIALIZED hint, and each round reads the previous one
 * twice), `arg_min` a `row_number()` over the same sort text (equal texts carry the same key and
 * match), and the last statement writes `into`, limited to the records of `only` when given.
 */
function propagationStatements(allLinks: string, rounds: number, into: string, only?: string): { statements: string[]; temps: string[] } {
  const d = GOLD_SQL.bigquery;
  const t = (name: string) => `temp.c360_p_${name}`;
  const create = (name: string, sql: string) => `CREATE OR REPLACE TEMP TABLE c360_p_${name} AS\n    ${sql}`;
  const statements = [
    create('shared', `SELECT identifier FROM ${allLinks} GROUP BY identifier HAVING count(*) > 1`),
    create('connected', `SELECT DISTINCT l.source, l.source_id FROM ${allLinks} l WHERE l.identifier IN (SELECT identifier FROM ${t('shared')})`),
    create('links', `SELECT l.* FROM ${allLinks} l WHERE ${d.pairIn(['l.source', 'l.source_id'], t('connected'))}`),
    create('r0', `SELECT DISTINCT source, source_id, own_key AS k, ${KEY_MATCH_SQL('own_key', d)} AS via FROM ${t('links')}`),
  ];
  const temps = ['shared', 'connected', 'links', 'r0'];
  for (let n = 1; n <= rounds; n++) {
    statements.push(create(`i${n}`, `SELECT l.identifier, min(${d.text(KEY_RANK('r.k', d))} || r.k) AS s
    FROM ${t('links')} l JOIN ${t(`r${n - 1}`)} r ON r.source = l.source AND r.source_id = l.source_id GROUP BY l.identifier`));
    statements.push(create(`r${n}`, `SELECT source, source_id, k, via FROM (
      SELECT source, source_id, k, via, row_number() OVER (PARTITION BY source, source_id ORDER BY s) AS pick FROM (
        SELECT source, source_id, k, via, ${d.text(KEY_RANK('k', d))} || '00' || k AS s FROM ${t(`r${n - 1}`)}
        UNION ALL
        SELECT l.source, l.source_id, substr(i.s, 2), ${KEY_MATCH_SQL('l.identifier', d)},
               substr(i.s, 1, 1) || '1' || ${d.text(KEY_RANK('l.identifier', d))} || substr(i.s, 2)
        FROM ${t('links')} l JOIN ${t(`i${n}`)} i ON i.identifier = l.identifier) AS candidates) AS ranked
    WHERE pick = 1`));
    temps.push(`i${n}`, `r${n}`);
  }
  statements.push(`CREATE OR REPLACE TEMP TABLE ${into.replace(/^temp\./, '')} AS
    SELECT * FROM (
      SELECT source, source_id, k AS customer_id, via AS matched_by FROM ${t(`r${rounds}`)}
      UNION ALL
      SELECT DISTINCT a.source, a.source_id, a.own_key, ${KEY_MATCH_SQL('a.own_key', d)} FROM ${allLinks} a
      WHERE NOT ${d.pairIn(['a.source', 'a.source_id'], t('connected'))}) AS resolved
    WHERE ${only ? d.pairIn(['resolved.source', 'resolved.source_id'], only) : 'true'}`);
  return { statements, temps: temps.map(t) };
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
export async function resolveIdentity(tx: SqlExecutor, scope: IdentityScope, dialect: WarehouseDialect = 'duckdb'): Promise<void> {
  const d = GOLD_SQL[dialect];
  /** Resolves the records of `only` (all when undefined) over `links` into NEXT_IDENTITY. */
  const propagate = async (links: string, only?: string) => {
    if (dialect === 'bigquery') {
      const { statements, temps } = propagationStatements(links, IDENTITY_ROUNDS, NEXT_IDENTITY, only);
      for (const sql of statements) await tx.execute(sql);
      for (const name of temps) await tx.execute(`DROP TABLE ${name}`);
      return;
    }
    await tx.execute(only === undefined
      ? `CREATE OR REPLACE TEMP TABLE c360_identity_next AS ${propagationSql(links, IDENTITY_ROUNDS)}`
      : `
    CREATE OR REPLACE TEMP TABLE c360_identity_next AS
    SELECT * FROM (${propagationSql(links, IDENTITY_ROUNDS)})
    WHERE (source, source_id) IN (SELECT source, source_id FROM ${only})`);
  };
  if (scope.kind === 'all') {
    await propagate(IDENTITY_LINKS);
    return;
  }
  await tx.execute(`
    CREATE OR REPLACE TEMP TABLE c360_reach_0 AS
    SELECT source, source_id FROM ${scope.changed}
    ${d.union} SELECT source, source_id FROM ${IDENTITY_LINKS} WHERE identifier IN (SELECT identifier FROM ${SEED_IDENTIFIERS})`);
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
      ${d.union} SELECT source, source_id FROM ${IDENTITY_LINKS} WHERE identifier IN (
        SELECT l.identifier FROM ${IDENTITY_LINKS} l WHERE ${d.pairIn(['l.source', 'l.source_id'], previous)})`);
    const grown = await countRows(tx, `temp.c360_reach_${n}`);
    reach.push(grown === size ? previous : `temp.c360_reach_${n}`);
    size = grown;
  }
  await tx.execute(`CREATE OR REPLACE TEMP TABLE c360_resolved AS ${d.all(reach[IDENTITY_ROUNDS - 1] as string)}`);
  await tx.execute(`
    CREATE OR REPLACE TEMP TABLE c360_scope_links AS
    SELECT l.* FROM ${IDENTITY_LINKS} l WHERE ${d.pairIn(['l.source', 'l.source_id'], reach[steps] as string)}`);
  await propagate('temp.c360_scope_links', RESOLVED_RECORDS);
  for (let n = 0; n <= steps; n++) await tx.execute(`DROP TABLE IF EXISTS temp.c360_reach_${n}`);
  await tx.execute('DROP TABLE temp.c360_scope_links');
}

async function countRows(tx: SqlExecutor, table: string): Promise<number> {
  const [row] = await tx.query<{ n: number }>(`SELECT count(*) AS n FROM ${table}`);
  return Number(row?.n ?? 0);
}
