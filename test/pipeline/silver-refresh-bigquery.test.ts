import { describe, expect, it } from 'vitest';
import { emptyDerivedTables } from '../../src/pipeline/rebuild.js';
import { isRecordFault } from '../../src/pipeline/silver-refresh.js';
import { GOLD_DERIVED_TABLES } from '../../src/transform/gold/gold-ddl.js';
import { SILVER_TABLES } from '../../src/transform/silver/silver-ddl.js';
import { BigQueryWarehouse } from '../../src/warehouse/bigquery/bigquery-warehouse.js';
import { expectBigQuerySql, expectOneTransaction } from '../fixtures/bigquery-sql-checks.js';
import { FAKE_TOKEN, type FakeBigQuery } from '../fixtures/fake-bigquery.js';
import { fakeBigQueryPerFile } from '../fixtures/fake-bigquery-per-file.js';

/**
 * Which warehouse errors make a refresh bisect its range for the refused record: a value the
 * warehouse cannot convert, on DuckDB and on BigQuery (as the adapter surfaces BigQuery's job
 * error, against the fake REST server), and nothing that says the warehouse itself failed. And
 * how a rebuild empties the derived tables on BigQuery.
 */
const authClient = { getRequestHeaders: async () => new Headers({ authorization: `Bearer ${FAKE_TOKEN}` }) };
let fake: FakeBigQuery;
fakeBigQueryPerFile((f) => (fake = f));

async function bigQueryError(message: string, reason = 'invalidQuery'): Promise<unknown> {
  fake.answer(() => ({ error: { reason, message } }));
  const wh = new BigQueryWarehouse({ projectId: 'farol-test', dataset: 'analytics', location: 'southamerica-east1', apiEndpoint: fake.url, authClient, pollMs: 1 });
  return wh.execute('INSERT INTO silver.orders (source) SELECT source FROM temp.stage_orders').then(() => undefined, (err: unknown) => err);
}

describe('a record fault', () => {
  it('is a conversion or constraint error on DuckDB', () => {
    expect(isRecordFault(new Error('Conversion Error: Could not convert string \'abc\' to INT64'))).toBe(true);
    expect(isRecordFault(new Error('Constraint Error: NOT NULL constraint failed: orders.status'))).toBe(true);
    expect(isRecordFault(new Error('IO Error: could not read file'))).toBe(false);
  });

  it('is a value BigQuery cannot convert, as the adapter reports the failed job', async () => {
    for (const message of ['Bad int64 value: 12x', 'Invalid NUMERIC value: 1,5', "Invalid timestamp: '2025-13-01T00:00:00Z'", 'Query error: Bad int64 value: abc at [3:5]']) {
      const err = await bigQueryError(message);
      expect(err, message).toBeInstanceOf(Error);
      expect((err as Error).message, message).toContain(message);
      expect(isRecordFault(err), message).toBe(true);
    }
  });

  it('is not a BigQuery error about the query or the service', async () => {
    for (const [message, reason] of [
      ['Not found: Table farol-test:analytics.silver_orders', 'notFound'],
      ['Syntax error: Unexpected keyword QUALIFY at [1:1]', 'invalidQuery'],
      ['Access Denied: Table farol-test:analytics.silver_orders: User does not have permission', 'accessDenied'],
    ] as const) {
      expect(isRecordFault(await bigQueryError(message, reason)), message).toBe(false);
    }
  });
});

describe('a rebuild on BigQuery', () => {
  it('empties silver and derived gold with TRUNCATE TABLE, inside its transaction (where BigQuery runs no DDL)', async () => {
    const wh = new BigQueryWarehouse({ projectId: 'farol-test', dataset: 'analytics', location: 'southamerica-east1', apiEndpoint: fake.url, authClient, pollMs: 1 });
    await wh.transaction((tx) => emptyDerivedTables(tx, wh.dialect));
    const inside = expectOneTransaction(fake.jobs.filter((j) => j.kind === 'query'));
    expectBigQuerySql(inside, []);
    expect(inside.map((j) => j.sql)).toEqual([
      ...SILVER_TABLES.map((t) => `TRUNCATE TABLE \`farol-test.analytics.silver_${t}\``),
      ...GOLD_DERIVED_TABLES.map((t) => `TRUNCATE TABLE \`farol-test.analytics.gold_${t}\``),
    ]);
  });
});
