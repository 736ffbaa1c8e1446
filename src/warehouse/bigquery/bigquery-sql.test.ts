import { describe, expect, it } from 'vitest';
import { toBigQueryDdl } from './bigquery-ddl.js';
import { BigQueryTableNames } from './bigquery-table-names.js';
import { parseBigQueryTarget } from './bigquery-target.js';

const names = new BigQueryTableNames('acme-data', 'farol');

describe('BigQueryTableNames.qualifyTables', () => {
  it('qualifies layer tables and leaves everything else alone', () => {
    expect(names.qualifyTables('SELECT o.x FROM gold.fct_orders o JOIN ops.data_versions v ON TRUE')).toBe(
      'SELECT o.x FROM `acme-data.farol.gold_fct_orders` o JOIN `acme-data.farol.ops_data_versions` v ON TRUE',
    );
    // Already qualified, quoted, in literals or comments, a column of an alias, or a longer word: untouched.
    for (const sql of [
      'SELECT * FROM other.gold.fct_orders', "SELECT 'gold.fct_orders'", 'SELECT `gold`.x', 'SELECT "gold.x"', '-- gold.x', '# gold.x', '/* gold.x */',
      'SELECT golden.x, mygold.y', "SELECT 'it''s gold.x'", "SELECT 'a\\' gold.x'",
    ]) expect(names.qualifyTables(sql), sql).toBe(sql);
    expect(names.qualifyTables('SELECT GOLD.fct_orders.total FROM gold.fct_orders')).toBe('SELECT GOLD.fct_orders.total FROM `acme-data.farol.gold_fct_orders`');
  });

  it('names a temporary table in the session, as DuckDB\'s `temp.` prefix does', () => {
    expect(names.qualifyTables('DELETE FROM temp.stage_orders WHERE bronze_record_id NOT IN (SELECT bronze_record_id FROM TEMP.stage_changed_orders)')).toBe(
      'DELETE FROM _SESSION.stage_orders WHERE bronze_record_id NOT IN (SELECT bronze_record_id FROM _SESSION.stage_changed_orders)',
    );
    for (const sql of ["SELECT 'temp.x'", 'SELECT a.temp.x', 'SELECT attempt.x', '-- temp.x']) expect(names.qualifyTables(sql), sql).toBe(sql);
  });

  it('refuses table names that are not identifiers', () => {
    expect(() => names.sql({ schema: 'gold', table: 'x`; DROP' })).toThrow('invalid table name');
  });
});

describe('parseBigQueryTarget', () => {
  it('splits on the last dot, so domain-scoped projects work', () => {
    expect(parseBigQueryTarget('example.com:acme-data.farol')).toEqual({ projectId: 'example.com:acme-data', dataset: 'farol' });
    expect(parseBigQueryTarget('a.b')).toHaveProperty('problem');
    expect(parseBigQueryTarget('x'.repeat(5000))).toHaveProperty('problem');
  });
});

describe('toBigQueryDdl', () => {
  it('translates types, keys and defaults (before NOT NULL, as BigQuery requires), and lays out the named tables', () => {
    const ddl = toBigQueryDdl(
      `CREATE SCHEMA IF NOT EXISTS gold;
CREATE TABLE IF NOT EXISTS gold.f (
  k VARCHAR PRIMARY KEY, -- key (with parentheses)
  n INTEGER NOT NULL, b BIGINT, d DECIMAL(18,2), t TIMESTAMPTZ, ok BOOLEAN DEFAULT false, x DOUBLE,
  channel_key VARCHAR, store_key VARCHAR,
  c BIGINT NOT NULL DEFAULT 0, f BOOLEAN NOT NULL DEFAULT false, s VARCHAR NOT NULL DEFAULT 'a b', at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp()
);
CREATE TABLE IF NOT EXISTS gold.g (a VARCHAR, b VARCHAR, PRIMARY KEY (a, b));`,
      { 'gold.f': { partitionBy: 'DATE(t)', clusterBy: ['channel_key', 'store_key'] } },
    );
    expect(ddl).toBe(`CREATE TABLE IF NOT EXISTS gold.f (
  k STRING PRIMARY KEY NOT ENFORCED, -- key (with parentheses)
  n INT64 NOT NULL, b INT64, d NUMERIC(18,2), t TIMESTAMP, ok BOOL DEFAULT false, x FLOAT64,
  channel_key STRING, store_key STRING,
  c INT64 DEFAULT 0 NOT NULL, f BOOL DEFAULT false NOT NULL, s STRING DEFAULT 'a b' NOT NULL, at TIMESTAMP DEFAULT current_timestamp() NOT NULL
)
PARTITION BY DATE(t)
CLUSTER BY channel_key, store_key;
CREATE TABLE IF NOT EXISTS gold.g (a STRING, b STRING, PRIMARY KEY (a, b) NOT ENFORCED);`);
    expect(() => toBigQueryDdl('CREATE TABLE IF NOT EXISTS gold.a (x INTEGER);', { 'gold.b': { partitionBy: 'x' } })).toThrow('no CREATE TABLE for gold.b');
  });

  it('leaves comments as written: prose that names a type or a key is not translated', () => {
    expect(toBigQueryDdl(`CREATE TABLE IF NOT EXISTS silver.m (
  member_id VARCHAR NOT NULL, -- the registry row's primary key, as text
  note VARCHAR DEFAULT '-- not a comment' NOT NULL, payload VARCHAR -- raw text: BIGINT, DOUBLE
);`)).toBe(`CREATE TABLE IF NOT EXISTS silver.m (
  member_id STRING NOT NULL, -- the registry row's primary key, as text
  note STRING DEFAULT '-- not a comment' NOT NULL, payload STRING -- raw text: BIGINT, DOUBLE
);`);
  });
});
