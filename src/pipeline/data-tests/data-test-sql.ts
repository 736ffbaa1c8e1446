/**
 * The SQL of each data test, for DuckDB or BigQuery (`dialect`; the spellings that differ are in
 * `SPELLING`, and the few statements built differently say so). Every statement is set-based: one statement per
 * test, never one per row or per key. Cost: a test is one scan of its table (`unique` adds a
 * grouped scan, plus one to find the scoped values in `changed` scope; `relationship` adds a
 * hash of the referenced table), so a refresh pays roughly one scan per test. In `changed` scope
 * the scope relation is joined with `EXISTS`, which DuckDB plans as a hash semi-join: the scans
 * stay, the work after them shrinks to the changed keys.
 *
 * Identifiers are quoted (DuckDB `"x"`, BigQuery `` `x` ``; a table stays `layer.table`, which the
 * BigQuery adapter qualifies); values are `?` parameters; the only SQL text taken as is comes from
 * code (`where`, the scope relation) and is checked by `assertSqlFragment`. On BigQuery a row
 * tuple is matched with EXISTS (it has no row-value IN) and a conditional aggregate is COUNTIF or
 * an ARRAY_AGG of IF(…) (it has no FILTER).
 */
import { placeholders, quoteIdent, type SqlValue, type WarehouseDialect } from '../../warehouse/warehouse.js';
import { assertSqlFragment, parseTableName, quoteTableName, scopeColumnsOf, validateDataTest, type DataTest } from './data-test.js';
import { EMAIL_SYNTAX } from './value-checks.js';

/** What each warehouse spells differently in a data test's statement. */
interface Spelling {
  readonly ident: (name: string) => string;
  readonly table: (name: string) => string;
  readonly text: string;
  readonly timestamp: string;
  readonly materialized: string;
  /** The sorted list of a column's values, `alias.sample_key` values in `from`. */
  readonly sortedList: (column: string) => string;
  readonly joinKeyParts: (parts: readonly string[]) => string;
  /** A whole-string match of `value` against the regular expression bound as a parameter. */
  readonly fullMatch: (value: string) => string;
  /** The values of the JSON array of strings bound as the one parameter, as a relation of one column. */
  readonly jsonStrings: string;
}

const SPELLING: Readonly<Record<WarehouseDialect, Spelling>> = {
  duckdb: {
    ident: quoteIdent,
    table: quoteTableName,
    text: 'VARCHAR',
    timestamp: 'TIMESTAMPTZ',
    materialized: ' MATERIALIZED',
    sortedList: (column) => `list(${column} ORDER BY ${column})`,
    joinKeyParts: (parts) => `concat_ws(':', ${parts.join(', ')})`,
    fullMatch: (value) => `regexp_full_match(${value}, ?)`,
    jsonStrings: `SELECT unnest(from_json(CAST(? AS VARCHAR), '["VARCHAR"]'))`,
  },
  bigquery: {
    ident: (name) => `\`${quoteIdent(name).slice(1, -1)}\``,
    // Validated, and left unquoted: the adapter turns `layer.table` into the dataset's table.
    table: (name) => {
      const ref = parseTableName(name);
      return `${ref.schema}.${ref.table}`;
    },
    text: 'STRING',
    timestamp: 'TIMESTAMP',
    materialized: '',
    sortedList: (column) => `ARRAY_AGG(${column} ORDER BY ${column})`,
    joinKeyParts: (parts) => `CONCAT(${parts.join(", ':', ")})`,
    // The bound expression is anchored at both ends (EMAIL_SYNTAX is), so CONTAINS is a full match.
    fullMatch: (value) => `REGEXP_CONTAINS(${value}, ?)`,
    jsonStrings: `SELECT v FROM UNNEST(JSON_VALUE_ARRAY(?, '$')) AS v`,
  },
};

export interface SqlStatement {
  readonly sql: string;
  readonly params: readonly SqlValue[];
}

/** How many failing keys a result carries. */
export const SAMPLE_KEY_LIMIT = 10;

/** Kinds whose rule is a SQL predicate over a row. */
export type SqlRowTest = Extract<DataTest, { kind: 'not_null' | 'unique' | 'accepted_values' | 'relationship' | 'range' | 'email' }>;
/** Kinds whose rule is checked in TypeScript over the column's distinct values (check digits SQL has no function for). */
export type ValueTest = Extract<DataTest, { kind: 'document' }>;
export type FreshnessTest = Extract<DataTest, { kind: 'freshness' }>;

/**
 * `failing_count` (BIGINT) and `sample_keys` (up to SAMPLE_KEY_LIMIT distinct keys, sorted;
 * NULL when nothing fails) of the rows breaking a row-level rule. `scopeSql` (a relation with
 * the test's scope columns) limits the rows looked at; undefined means the whole table.
 */
export function failingRowsStatement(test: SqlRowTest, scopeSql?: string, dialect: WarehouseDialect = 'duckdb'): SqlStatement {
  validateDataTest(test);
  const { predicate, params } = rowPredicate(test, scopeSql, SPELLING[dialect]);
  return failingStatement(test, scopeSql, predicate, params, SPELLING[dialect]);
}

/** Kinds `combinedFailingRowsStatement` can judge together: a predicate on the row alone, no subquery. */
export type CombinableTest = Extract<DataTest, { kind: 'not_null' | 'accepted_values' | 'range' | 'email' }>;
export const COMBINABLE_KINDS: ReadonlySet<DataTest['kind']> = new Set(['not_null', 'accepted_values', 'range', 'email']);

/**
 * Several row-level tests of one table in one scan: for the i-th test, `failing_count_i` and
 * `sample_keys_i` (its SAMPLE_KEY_LIMIT smallest failing keys, or NULL), each an aggregate
 * `FILTER`ed by that test's `where` and predicate. A rebuild then scans a table once for all of
 * them instead of once per test. Keys repeat only where the key itself is duplicated (the
 * `unique` test's finding); the caller drops the repeats. On BigQuery (no FILTER) each test's
 * condition is computed once per row in a subquery, then counted (COUNTIF) and sampled (an
 * ARRAY_AGG of the key where it holds, nulls last, so the LIMIT keeps failing keys).
 */
export function combinedFailingRowsStatement(table: string, tests: readonly CombinableTest[], dialect: WarehouseDialect = 'duckdb'): SqlStatement {
  const sp = SPELLING[dialect];
  const params: SqlValue[] = [];
  const conditions = tests.map((test) => {
    validateDataTest(test);
    const { predicate, params: p } = rowPredicate(test, undefined, sp);
    params.push(...p);
    return test.where === undefined ? `(${predicate})` : `(${test.where}) AND (${predicate})`;
  });
  if (dialect === 'bigquery') {
    const columns = conditions.map((_, i) => {
      const key = `IF(checked.failing_${i}, checked.sample_key_${i}, NULL)`;
      return (
        `COUNTIF(checked.failing_${i}) AS failing_count_${i}, ` +
        `ARRAY_AGG(${key} IGNORE NULLS ORDER BY ${key} IS NULL, ${key} LIMIT ${SAMPLE_KEY_LIMIT}) AS sample_keys_${i}`
      );
    });
    const checked = tests.map((test, i) => `${conditions[i]} AS failing_${i}, ${sampleKeyExpression(test.keyColumns, 't', dialect)} AS sample_key_${i}`);
    return {
      sql: `SELECT ${columns.join(',\n  ')}\nFROM (SELECT ${checked.join(',\n    ')}\n  FROM ${sp.table(table)} AS t) AS checked`,
      params,
    };
  }
  const duplicated: SqlValue[] = [];
  const columns = tests.map((test, i) => {
    const { params: p } = rowPredicate(test, undefined, sp);
    duplicated.push(...p, ...p);
    const cond = conditions[i] as string;
    return (
      `count(*) FILTER (WHERE ${cond}) AS failing_count_${i}, ` +
      `min(${sampleKeyExpression(test.keyColumns, 't')}, ${SAMPLE_KEY_LIMIT}) FILTER (WHERE ${cond}) AS sample_keys_${i}`
    );
  });
  return { sql: `SELECT ${columns.join(',\n  ')}\nFROM ${quoteTableName(table)} AS t`, params: duplicated };
}

/** `value` (VARCHAR): the distinct non-null values of the tested column, in scope. */
export function distinctValuesStatement(test: ValueTest, scopeSql?: string, dialect: WarehouseDialect = 'duckdb'): SqlStatement {
  validateDataTest(test);
  const sp = SPELLING[dialect];
  const col = `t.${sp.ident(test.column)}`;
  const conds = [`${col} IS NOT NULL`, ...commonConditions(test, 't', scopeSql, sp)];
  return {
    sql: `SELECT DISTINCT CAST(${col} AS ${sp.text}) AS value FROM ${sp.table(test.table)} AS t WHERE ${conds.join(' AND ')}`,
    params: [],
  };
}

/**
 * Count and sample keys of the rows holding one of `invalidValues` (found by a value check).
 * The values travel as one JSON parameter, so even thousands of them are one bound value.
 */
export function failingValuesStatement(test: ValueTest, invalidValues: readonly string[], scopeSql?: string, dialect: WarehouseDialect = 'duckdb'): SqlStatement {
  validateDataTest(test);
  const sp = SPELLING[dialect];
  const predicate = `CAST(t.${sp.ident(test.column)} AS ${sp.text}) IN (${sp.jsonStrings})`;
  return failingStatement(test, scopeSql, predicate, [JSON.stringify(invalidValues)], sp);
}

/**
 * `row_count`, `latest` (the column's max) and `stale` (latest < cutoff) over the whole table
 * (after `where`): freshness is a property of the table, not of the rows a refresh changed.
 */
export function freshnessStatement(test: FreshnessTest, cutoff: Date, dialect: WarehouseDialect = 'duckdb'): SqlStatement {
  validateDataTest(test);
  const sp = SPELLING[dialect];
  const col = `t.${sp.ident(test.column)}`;
  const where = test.where === undefined ? '' : ` WHERE (${test.where})`;
  return {
    sql:
      `SELECT count(${col}) AS row_count, max(${col}) AS latest, max(${col}) < CAST(? AS ${sp.timestamp}) AS stale ` +
      `FROM ${sp.table(test.table)} AS t${where}`,
    params: [cutoff.toISOString()],
  };
}

/** `key1:key2` of a row, `null` standing for a missing part so keys never collapse. */
export function sampleKeyExpression(keyColumns: readonly string[], alias: string, dialect: WarehouseDialect = 'duckdb'): string {
  const sp = SPELLING[dialect];
  const parts = keyColumns.map((c) => `coalesce(CAST(${alias}.${sp.ident(c)} AS ${sp.text}), 'null')`);
  return parts.length === 1 ? (parts[0] as string) : sp.joinKeyParts(parts);
}

/** `EXISTS` over the scope relation: planned as a hash semi-join, never one statement per key. */
export function scopeCondition(scopeColumns: readonly string[], alias: string, scopeSql: string, dialect: WarehouseDialect = 'duckdb'): string {
  assertSqlFragment(scopeSql, 'scope relation');
  const sp = SPELLING[dialect];
  const eq = scopeColumns.map((c) => `scope_keys.${sp.ident(c)} = ${alias}.${sp.ident(c)}`).join(' AND ');
  return `EXISTS (SELECT 1 FROM (${scopeSql}) AS scope_keys WHERE ${eq})`;
}

/** A table name as `dialect` writes it (validated either way). */
export function tableNameSql(name: string, dialect: WarehouseDialect): string {
  return SPELLING[dialect].table(name);
}

/** A column name as `dialect` quotes it. */
export function columnNameSql(name: string, dialect: WarehouseDialect): string {
  return SPELLING[dialect].ident(name);
}

const dialectOf = (sp: Spelling): WarehouseDialect => (sp === SPELLING.bigquery ? 'bigquery' : 'duckdb');

function failingStatement(test: DataTest, scopeSql: string | undefined, predicate: string, params: readonly SqlValue[], sp: Spelling): SqlStatement {
  const conds = [...commonConditions(test, 't', scopeSql, sp), `(${predicate})`];
  // MATERIALIZED (DuckDB): the failing rows are computed once and read twice (count, samples).
  const sql = `WITH failing AS${sp.materialized} (
  SELECT ${sampleKeyExpression(test.keyColumns, 't', dialectOf(sp))} AS sample_key
  FROM ${sp.table(test.table)} AS t
  WHERE ${conds.join('\n    AND ')}
)
SELECT (SELECT count(*) FROM failing) AS failing_count,
       (SELECT ${sp.sortedList('sample_key')}
          FROM (SELECT DISTINCT sample_key FROM failing ORDER BY sample_key LIMIT ${SAMPLE_KEY_LIMIT})${sp === SPELLING.bigquery ? ' AS samples' : ''}) AS sample_keys`;
  return { sql, params };
}

function commonConditions(test: DataTest, alias: string, scopeSql: string | undefined, sp: Spelling): string[] {
  const conds: string[] = [];
  if (scopeSql !== undefined) conds.push(scopeCondition(scopeColumnsOf(test), alias, scopeSql, dialectOf(sp)));
  if (test.where !== undefined) conds.push(`(${test.where})`);
  return conds;
}

function rowPredicate(test: SqlRowTest, scopeSql: string | undefined, sp: Spelling): { predicate: string; params: SqlValue[] } {
  switch (test.kind) {
    case 'not_null':
      return { predicate: `t.${sp.ident(test.column)} IS NULL`, params: [] };
    case 'accepted_values': {
      const col = `t.${sp.ident(test.column)}`;
      return { predicate: `${col} IS NOT NULL AND ${col} NOT IN (${placeholders(test.values.length)})`, params: [...test.values] };
    }
    case 'range': {
      const col = `t.${sp.ident(test.column)}`;
      const outside: string[] = [];
      const params: SqlValue[] = [];
      if (test.min !== undefined) {
        outside.push(`${col} < ?`);
        params.push(test.min);
      }
      if (test.max !== undefined) {
        outside.push(`${col} > ?`);
        params.push(test.max);
      }
      return { predicate: `${col} IS NOT NULL AND (${outside.join(' OR ')})`, params };
    }
    case 'relationship': {
      const notNull = test.columns.map((c) => `t.${sp.ident(c)} IS NOT NULL`);
      const match = test.columns
        .map((c, i) => `ref.${sp.ident(test.to.columns[i] as string)} = t.${sp.ident(c)}`)
        .join(' AND ');
      // NOT EXISTS is planned as a hash anti-join against the referenced table.
      const missing = `NOT EXISTS (SELECT 1 FROM ${sp.table(test.to.table)} AS ref WHERE ${match})`;
      return { predicate: [...notNull, missing].join(' AND '), params: [] };
    }
    case 'unique':
      return { predicate: duplicatePredicate(test, scopeSql, sp), params: [] };
    case 'email': {
      // The same rule as `normalizeEmail`'s syntax check, run by the warehouse's RE2: a column of
      // hundreds of thousands of addresses never has to travel to the process.
      const col = `t.${sp.ident(test.column)}`;
      return { predicate: `${col} IS NOT NULL AND NOT ${sp.fullMatch(`lower(trim(${col}))`)}`, params: [EMAIL_SYNTAX.source] };
    }
    default: {
      const _: never = test;
      return _;
    }
  }
}

/**
 * A row fails when another row of the whole table (after `where`) has the same values; rows with
 * a null among the columns are not compared. In `changed` scope only the values of rows in scope
 * are grouped, so a duplicate whose twin lies outside the scope is still found, without grouping
 * the whole table. BigQuery, which has no row-value IN, matches the tuples with EXISTS.
 */
function duplicatePredicate(test: Extract<DataTest, { kind: 'unique' }>, scopeSql: string | undefined, sp: Spelling): string {
  const list = (alias: string): string => test.columns.map((c) => `${alias}.${sp.ident(c)}`).join(', ');
  const same = (a: string, b: string): string => test.columns.map((c) => `${a}.${sp.ident(c)} = ${b}.${sp.ident(c)}`).join(' AND ');
  const table = sp.table(test.table);
  const conds = test.columns.map((c) => `dup.${sp.ident(c)} IS NOT NULL`);
  if (test.where !== undefined) conds.push(`(${test.where})`);
  const bigquery = sp === SPELLING.bigquery;
  if (scopeSql !== undefined) {
    const inScope = [scopeCondition(scopeColumnsOf(test), 'scoped', scopeSql, dialectOf(sp))];
    if (test.where !== undefined) inScope.push(`(${test.where})`);
    conds.push(
      bigquery
        ? `EXISTS (SELECT 1 FROM ${table} AS scoped WHERE ${inScope.join(' AND ')} AND ${same('scoped', 'dup')})`
        : `${tuple(test, 'dup', sp)} IN (SELECT ${list('scoped')} FROM ${table} AS scoped WHERE ${inScope.join(' AND ')})`,
    );
  }
  const duplicates = `SELECT ${list('dup')} FROM ${table} AS dup WHERE ${conds.join(' AND ')} GROUP BY ${list('dup')} HAVING count(*) > 1`;
  return bigquery
    ? `EXISTS (SELECT 1 FROM (${duplicates}) AS dups WHERE ${same('dups', 't')})`
    : `${tuple(test, 't', sp)} IN (${duplicates})`;
}

function tuple(test: Extract<DataTest, { kind: 'unique' }>, alias: string, sp: Spelling): string {
  const cols = test.columns.map((c) => `${alias}.${sp.ident(c)}`);
  return cols.length === 1 ? (cols[0] as string) : `(${cols.join(', ')})`;
}
