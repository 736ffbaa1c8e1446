import { describe, expect, it } from 'vitest';
import {
  CUSTOMER_KEYS_TABLE, customerKeyJoinSql, distinctIdentityInputs, resolveCustomerKeys, storeCustomerKeys,
} from '../../src/transform/silver/identity/customer-key-batch.js';
import type { SqlExecutor, SqlValue, WarehouseDialect } from '../../src/warehouse/warehouse.js';
import { bigQueryOnDuckDb, installBigQueryJsonSubset } from '../fixtures/bigquery-json-subset-on-duckdb.js';
import { tempWarehouse } from '../fixtures/temp-warehouse.js';

/**
 * The customer keys' BigQuery form (`dialect` 'bigquery'), run on DuckDB through the rewrite of its
 * JSON functions, against the DuckDB form on the same batch: every row gets the same key. The batch
 * has more distinct shoppers than one INSERT carries, so the keys go back in several slices.
 */
const ROWS = 80_000;

function batchRow(n: number): SqlValue[] {
  return [
    n,
    n % 11 === 0 ? '529.982.247-25' : n % 17 === 0 ? '' : null,
    n % 23 === 0 ? '11.222.333/0001-81' : null,
    n % 13 === 0 ? `Cliente${n % 500}@Exemplo.com ` : n % 5 === 0 ? `${n}@ct.vtex.com.br` : null,
    n % 7 === 0 ? '(11) 98765-4321' : null,
    n % 3 === 0 ? null : `P-${n % 79_000}`,
    n % 97 === 0 ? 'rejected' : null,
  ];
}

async function keysOf(dialect: WarehouseDialect): Promise<{ keys: unknown[]; identities: number; statements: string[] }> {
  const { warehouse, cleanup } = await tempWarehouse();
  try {
    return await warehouse.transaction(async (tx) => {
      await tx.execute(`CREATE TABLE batch (row_id BIGINT, id_document VARCHAR, id_corporate_document VARCHAR, id_email VARCHAR,
        id_phone VARCHAR, id_profile VARCHAR, reason VARCHAR)`);
      await tx.append({ schema: 'main', table: 'batch' }, ['row_id', 'id_document', 'id_corporate_document', 'id_email', 'id_phone', 'id_profile', 'reason'],
        Array.from({ length: ROWS }, (_, n) => batchRow(n)));
      const statements: string[] = [];
      let ex: SqlExecutor = tx;
      if (dialect === 'bigquery') {
        await installBigQueryJsonSubset(tx);
        const inner = bigQueryOnDuckDb(tx);
        ex = {
          query: (sql, params) => (statements.push(sql), inner.query(sql, params)),
          execute: (sql, params) => (statements.push(sql), inner.execute(sql, params)),
          append: inner.append,
        };
      }
      const tuples = await distinctIdentityInputs(ex, 'batch', 'reason IS NULL', dialect);
      await storeCustomerKeys(ex, await resolveCustomerKeys(tuples), dialect);
      const keys = await ex.query(`SELECT b.row_id, k.customer_key FROM batch b LEFT JOIN ${CUSTOMER_KEYS_TABLE} k ON ${customerKeyJoinSql('b', 'k', dialect)}
        WHERE b.reason IS NULL ORDER BY b.row_id`);
      return { keys, identities: tuples.length, statements };
    });
  } finally {
    await cleanup();
  }
}

describe('customer keys on BigQuery (run on DuckDB through a rewrite of its JSON functions)', () => {
  it('gives every row the key the DuckDB form gives it, the keys sent back in slices', async () => {
    const bigquery = await keysOf('bigquery');
    const duckdb = await keysOf('duckdb');
    expect(bigquery.identities).toBe(duckdb.identities);
    expect(bigquery.identities).toBeGreaterThan(50_000);
    expect(bigquery.keys).toEqual(duckdb.keys);
    const kinds = new Set(bigquery.keys.map((r) => String((r as { customer_key: unknown }).customer_key).split(':')[0]));
    expect(kinds).toEqual(new Set(['cpf', 'cnpj', 'email', 'phone', 'profile', 'null']));
    expect(bigquery.statements.filter((s) => s.startsWith(`INSERT INTO ${CUSTOMER_KEYS_TABLE}`))).toHaveLength(2);
  });
});
