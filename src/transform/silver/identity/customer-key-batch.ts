import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { resolveCustomerKey } from './customer-key.js';
import type { SqlExecutor, WarehouseDialect } from '../../../warehouse/warehouse.js';
import { customerKeyJoinSqlBigQuery, distinctIdentityInputsBigQuery, storeCustomerKeysBigQuery } from './customer-key-batch-bigquery.js';

/**
 * Customer keys for a staged batch (VTEX orders, the customer base). The precedence (verified CPF/CNPJ, else a real email, else an
 * E.164 phone, else the profile id) is implemented once, in `resolveCustomerKey`; SQL only hands
 * it the distinct identity inputs of the batch and joins the answers back, so the cost follows
 * the number of shoppers, not of orders. Inputs travel as one JSON text each way: one query out,
 * one statement in, whatever the batch size. Only the keys come back, in the inputs' order: the
 * inputs stay in a numbered temp table, so the text DuckDB parses on one thread is a fifth as long.
 *
 * On BigQuery (`dialect` 'bigquery'; DuckDB is the default) the same steps run with BigQuery SQL
 * (`customer-key-batch-bigquery.ts`).
 */

/** The batch columns holding identity inputs, in `IdentityTuple` order. */
export const IDENTITY_INPUT_COLUMNS = ['id_document', 'id_corporate_document', 'id_email', 'id_phone', 'id_profile'] as const;

/** Temp table of (inputs…, customer_key) for the inputs that resolve to a key. */
export const CUSTOMER_KEYS_TABLE = 'temp.stage_customer_keys';

/** The batch's distinct inputs, numbered (`n`, 1-based) in the order `distinctIdentityInputs` returned them. */
export const IDENTITY_INPUTS_TABLE = 'temp.stage_identity_inputs';

/** document, corporate document (only when the client is corporate), email, phone, profile id. */
export type IdentityTuple = readonly [string | null, string | null, string | null, string | null, string | null];
/** The customer key of each tuple, in the tuples' order; null where the inputs identify nobody. */
export type CustomerKeys = readonly (string | null)[];

/** Resolving yields to the event loop this often, so a large batch does not stall request handling. */
const RESOLVE_SLICE = 10_000;

/**
 * The email as an identity input: NULL when it is a VTEX Conversation Tracker alias. OMS masks
 * shopper emails with a fresh alias per order, and `normalizeEmail` never accepts one (it ends in
 * `ct.vtex.com.br`), so dropping it before DISTINCT changes no key but keeps one tuple per
 * shopper instead of one per order. The test is narrower than `isMaskedVtexEmail` (no trimming),
 * so anything it lets through is still judged by the TypeScript rule.
 */
export function identityEmailSql(email: string): string {
  return `CASE WHEN ends_with(lower(${email}), '@ct.vtex.com.br') OR ends_with(lower(${email}), '.ct.vtex.com.br') THEN NULL ELSE ${email} END`;
}

/**
 * The distinct identity inputs of `batchTable` rows matching `where`, in the order
 * `storeCustomerKeys` expects their keys back.
 */
export async function distinctIdentityInputs(tx: SqlExecutor, batchTable: string, where: string, dialect: WarehouseDialect = 'duckdb'): Promise<IdentityTuple[]> {
  if (dialect === 'bigquery') return distinctIdentityInputsBigQuery(tx, batchTable, where);
  const cols = IDENTITY_INPUT_COLUMNS.join(', ');
  await tx.execute(
    `CREATE OR REPLACE TEMP TABLE ${IDENTITY_INPUTS_TABLE} AS
     SELECT row_number() OVER () AS n, * FROM (SELECT DISTINCT ${cols} FROM ${batchTable} WHERE ${where})`,
  );
  // Each tuple is encoded in parallel; only the concatenation is single-threaded.
  const [row] = await tx.query<{ tuples: string | null }>(
    `SELECT '[' || coalesce(string_agg(CAST(to_json([${cols}]) AS VARCHAR), ',' ORDER BY n), '') || ']' AS tuples
     FROM ${IDENTITY_INPUTS_TABLE}`,
  );
  return JSON.parse(row?.tuples ?? '[]') as IdentityTuple[];
}

/** The customer key of each tuple, in order. */
export async function resolveCustomerKeys(tuples: readonly IdentityTuple[]): Promise<CustomerKeys> {
  const keys: (string | null)[] = [];
  for (let n = 0; n < tuples.length; n++) {
    if (n > 0 && n % RESOLVE_SLICE === 0) await yieldToEventLoop();
    const t = tuples[n] as IdentityTuple;
    keys.push(resolveCustomerKey({ document: t[0], corporateDocument: t[1], email: t[2], phone: t[3], userProfileId: t[4] })?.key ?? null);
  }
  return keys;
}

/**
 * Fills `CUSTOMER_KEYS_TABLE` (created here) with the inputs that have a key, pairing each key with
 * the inputs `distinctIdentityInputs` numbered in the same transaction.
 */
export async function storeCustomerKeys(tx: SqlExecutor, keys: CustomerKeys, dialect: WarehouseDialect = 'duckdb'): Promise<void> {
  if (dialect === 'bigquery') return storeCustomerKeysBigQuery(tx, keys);
  await tx.execute(
    `CREATE OR REPLACE TEMP TABLE ${CUSTOMER_KEYS_TABLE} AS
     SELECT i.id_document AS document, i.id_corporate_document AS corporate_document, i.id_email AS email,
            i.id_phone AS phone, i.id_profile AS profile, k.customer_key
     FROM ${IDENTITY_INPUTS_TABLE} i
     JOIN (SELECT unnest(keys) AS customer_key, generate_subscripts(keys, 1) AS n
           FROM (SELECT from_json(?::VARCHAR, '["VARCHAR"]') AS keys)) k ON k.n = i.n
     WHERE k.customer_key IS NOT NULL`,
    [JSON.stringify(keys)],
  );
  await tx.execute(`DROP TABLE ${IDENTITY_INPUTS_TABLE}`);
}

/** Join condition from a batch row (`b`) to its key row (`k`); inputs are often NULL, and NULL matches NULL. */
export function customerKeyJoinSql(b: string, k: string, dialect: WarehouseDialect = 'duckdb'): string {
  if (dialect === 'bigquery') return customerKeyJoinSqlBigQuery(b, k);
  const keyCols = ['document', 'corporate_document', 'email', 'phone', 'profile'];
  return IDENTITY_INPUT_COLUMNS.map((c, n) => `${b}.${c} IS NOT DISTINCT FROM ${k}.${keyCols[n]}`).join(' AND ');
}
