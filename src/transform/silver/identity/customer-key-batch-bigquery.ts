import type { SqlExecutor } from '../../../warehouse/warehouse.js';
import { CUSTOMER_KEYS_TABLE, IDENTITY_INPUT_COLUMNS, IDENTITY_INPUTS_TABLE, type CustomerKeys, type IdentityTuple } from './customer-key-batch.js';

/**
 * The customer-key batch steps of `customer-key-batch.ts` on BigQuery (VTEX orders', the customer
 * base's and the club's staging): the same inputs out and keys in, in BigQuery SQL. A tuple is one JSON
 * text (`TO_JSON_STRING` of the five inputs, NULLs included), which is also what a batch row
 * joins its key on: one equality, where DuckDB compares five columns NULL-safely. The tuples
 * come back as rows; the keys go in as JSON parameters of `KEYS_PER_STATEMENT` keys each (a
 * load job cannot fill a session's TEMP table, so `tx.append` cannot serve). The TEMP tables are
 * created unqualified, as BigQuery takes them in a transaction, and named `temp.x` elsewhere.
 */
/** Keys per INSERT: about 1.5 MB of parameter, well inside a request's 10 MB. */
const KEYS_PER_STATEMENT = 50_000;

/** The inputs of batch row `b` as one JSON text. */
function identitySql(b: string): string {
  return `TO_JSON_STRING(STRUCT(${IDENTITY_INPUT_COLUMNS.map((c) => `${b}.${c} AS ${c}`).join(', ')}))`;
}

/** `distinctIdentityInputs` on BigQuery. */
export async function distinctIdentityInputsBigQuery(tx: SqlExecutor, batchTable: string, where: string): Promise<IdentityTuple[]> {
  await tx.execute(
    `CREATE OR REPLACE TEMP TABLE ${IDENTITY_INPUTS_TABLE.replace('temp.', '')} AS
     SELECT row_number() OVER () AS n, identity FROM (SELECT DISTINCT ${identitySql('b')} AS identity FROM ${batchTable} b WHERE ${where}) x`,
  );
  const rows = await tx.query<{ identity: string }>(`SELECT identity FROM ${IDENTITY_INPUTS_TABLE} ORDER BY n`);
  return rows.map((r) => {
    const t = JSON.parse(r.identity) as Partial<Record<(typeof IDENTITY_INPUT_COLUMNS)[number], string | null>>;
    return [t.id_document ?? null, t.id_corporate_document ?? null, t.id_email ?? null, t.id_phone ?? null, t.id_profile ?? null];
  });
}

/** `storeCustomerKeys` on BigQuery: `CUSTOMER_KEYS_TABLE` as (identity, customer_key). */
export async function storeCustomerKeysBigQuery(tx: SqlExecutor, keys: CustomerKeys): Promise<void> {
  await tx.execute(`CREATE OR REPLACE TEMP TABLE ${CUSTOMER_KEYS_TABLE.replace('temp.', '')} (identity STRING, customer_key STRING)`);
  for (let start = 0; start < keys.length; start += KEYS_PER_STATEMENT) {
    await tx.execute(
      `INSERT INTO ${CUSTOMER_KEYS_TABLE} (identity, customer_key)
       WITH sent AS (SELECT JSON_QUERY_ARRAY(?, '$') AS keys, ? AS first_n)
       SELECT i.identity, JSON_VALUE(key_json, '$') FROM sent, UNNEST(sent.keys) AS key_json WITH OFFSET AS k
       JOIN ${IDENTITY_INPUTS_TABLE} i ON i.n = k + sent.first_n
       WHERE JSON_VALUE(key_json, '$') IS NOT NULL`,
      [JSON.stringify(keys.slice(start, start + KEYS_PER_STATEMENT)), start + 1],
    );
  }
  await tx.execute(`DROP TABLE ${IDENTITY_INPUTS_TABLE}`);
}

/** `customerKeyJoinSql` on BigQuery: batch row `b` to its key row `k`. */
export function customerKeyJoinSqlBigQuery(b: string, k: string): string {
  return `${k}.identity = ${identitySql(b)}`;
}
