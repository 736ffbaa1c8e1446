import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { resolveCustomerKey } from './customer-key.js';
import type { SqlExecutor } from '../../../warehouse/warehouse.js';

/**
 * Customer keys for a staged batch (VTEX orders, the customer base). The precedence (verified CPF/CNPJ, else a real email, else an
 * E.164 phone, else the profile id) is implemented once, in `resolveCustomerKey`; SQL only hands
 * it the distinct identity inputs of the batch and joins the answers back, so the cost follows
 * the number of shoppers, not of orders. Inputs travel as one JSON text each way: one query out,
 * one statement in, whatever the batch size.
 */

/** The batch columns holding identity inputs, in `IdentityTuple` order. */
export const IDENTITY_INPUT_COLUMNS = ['id_document', 'id_corporate_document', 'id_email', 'id_phone', 'id_profile'] as const;

/** Temp table of (inputs…, customer_key) for the inputs that resolve to a key. */
export const CUSTOMER_KEYS_TABLE = 'temp.stage_customer_keys';

/** document, corporate document (only when the client is corporate), email, phone, profile id. */
export type IdentityTuple = readonly [string | null, string | null, string | null, string | null, string | null];
export type KeyedIdentity = readonly [...IdentityTuple, string];

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

/** The distinct identity inputs of `batchTable` rows matching `where`. */
export async function distinctIdentityInputs(tx: SqlExecutor, batchTable: string, where: string): Promise<IdentityTuple[]> {
  const cols = IDENTITY_INPUT_COLUMNS.join(', ');
  // Each tuple is encoded in parallel; only the concatenation is single-threaded.
  const [row] = await tx.query<{ tuples: string | null }>(
    `SELECT '[' || coalesce(string_agg(CAST(to_json([${cols}]) AS VARCHAR), ','), '') || ']' AS tuples
     FROM (SELECT DISTINCT ${cols} FROM ${batchTable} WHERE ${where})`,
  );
  return JSON.parse(row?.tuples ?? '[]') as IdentityTuple[];
}

/** The tuples that have a customer key, with it. */
export async function resolveCustomerKeys(tuples: readonly IdentityTuple[]): Promise<KeyedIdentity[]> {
  const keyed: KeyedIdentity[] = [];
  for (let n = 0; n < tuples.length; n++) {
    if (n > 0 && n % RESOLVE_SLICE === 0) await yieldToEventLoop();
    const t = tuples[n] as IdentityTuple;
    const key = resolveCustomerKey({ document: t[0], corporateDocument: t[1], email: t[2], phone: t[3], userProfileId: t[4] })?.key;
    if (key !== undefined) keyed.push([...t, key]);
  }
  return keyed;
}

/** Fills `CUSTOMER_KEYS_TABLE` (created or emptied here) with the keyed tuples. */
export async function storeCustomerKeys(tx: SqlExecutor, keyed: readonly KeyedIdentity[]): Promise<void> {
  await tx.execute(
    `CREATE OR REPLACE TEMP TABLE ${CUSTOMER_KEYS_TABLE} (document VARCHAR, corporate_document VARCHAR, email VARCHAR, phone VARCHAR, profile VARCHAR, customer_key VARCHAR NOT NULL)`,
  );
  if (keyed.length === 0) return;
  await tx.execute(
    `INSERT INTO ${CUSTOMER_KEYS_TABLE} SELECT t[1], t[2], t[3], t[4], t[5], t[6] FROM (SELECT unnest(from_json(?::VARCHAR, '[["VARCHAR"]]')) AS t)`,
    [JSON.stringify(keyed)],
  );
}

/** Join condition from a batch row (`b`) to its key row (`k`); inputs are often NULL, and NULL matches NULL. */
export function customerKeyJoinSql(b: string, k: string): string {
  const keyCols = ['document', 'corporate_document', 'email', 'phone', 'profile'];
  return IDENTITY_INPUT_COLUMNS.map((c, n) => `${b}.${c} IS NOT DISTINCT FROM ${k}.${keyCols[n]}`).join(' AND ');
}
