/**
 * The SQL of each data test (DuckDB dialect). Every statement is set-based: one statement per
 * test, never one per row or per key. Cost: a test is one scan of its table (`unique` adds a
 * grouped scan, plus one to find the scoped values in `changed` scope; `relationship` adds a
 * hash of the referenced table), so a refresh pays roughly one scan per test. In `changed` scope
 * the scope relation is joined with `EXISTS`, which DuckDB plans as a hash semi-join: the scans
 * stay, the work after them shrinks to the changed keys.
 *
 * Identifiers are quoted through `quoteIdent`; values are `?` parameters; the only SQL text taken
 * as is comes from code (`where`, the scope relation) and is checked by `assertSqlFragment`.
 */
import { placeholders, quoteIdent, type SqlValue } from '../../warehouse/warehouse.js';
import { assertSqlFragment, quoteTableName, scopeColumnsOf, validateDataTest, type DataTest } from './data-test.js';
import { EMAIL_SYNTAX } from './value-checks.js';

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
export function failingRowsStatement(test: SqlRowTest, scopeSql?: string): SqlStatement {
  validateDataTest(test);
  const { predicate, params } = rowPredicate(test, scopeSql);
  return failingStatement(test, scopeSql, predicate, params);
}

/** Kinds `combinedFailingRowsStatement` can judge together: a predicate on the row alone, no subquery. */
export type CombinableTest = Extract<DataTest, { kind: 'not_null' | 'accepted_values' | 'range' | 'email' }>;
export const COMBINABLE_KINDS: ReadonlySet<DataTest['kind']> = new Set(['not_null', 'accepted_values', 'range', 'email']);

/**
 * Several row-level tests of one table in one scan: for the i-th test, `failing_count_i` and
 * `sample_keys_i` (its SAMPLE_KEY_LIMIT smallest failing keys, or NULL), each an aggregate
 * `FILTER`ed by that test's `where` and predicate. A rebuild then scans a table once for all of
 * them instead of once per test. Keys repeat only where the key itself is duplicated (the
 * `unique` test's finding); the caller drops the repeats.
 */
export function combinedFailingRowsStatement(table: string, tests: readonly CombinableTest[]): SqlStatement {
  const params: SqlValue[] = [];
  const columns = tests.map((test, i) => {
    validateDataTest(test);
    const { predicate, params: p } = rowPredicate(test, undefined);
    params.push(...p, ...p);
    const cond = test.where === undefined ? `(${predicate})` : `(${test.where}) AND (${predicate})`;
    return (
      `count(*) FILTER (WHERE ${cond}) AS failing_count_${i}, ` +
      `min(${sampleKeyExpression(test.keyColumns, 't')}, ${SAMPLE_KEY_LIMIT}) FILTER (WHERE ${cond}) AS sample_keys_${i}`
    );
  });
  return { sql: `SELECT ${columns.join(',\n  ')}\nFROM ${quoteTableName(table)} AS t`, params };
}

/** `value` (VARCHAR): the distinct non-null values of the tested column, in scope. */
export function distinctValuesStatement(test: ValueTest, scopeSql?: string): SqlStatement {
  validateDataTest(test);
  const col = `t.${quoteIdent(test.column)}`;
  const conds = [`${col} IS NOT NULL`, ...commonConditions(test, 't', scopeSql)];
  return {
    sql: `SELECT DISTINCT CAST(${col} AS VARCHAR) AS value FROM ${quoteTableName(test.table)} AS t WHERE ${conds.join(' AND ')}`,
    params: [],
  };
}

/**
 * Count and sample keys of the rows holding one of `invalidValues` (found by a value check).
 * The values travel as one JSON parameter, so even thousands of them are one bound value.
 */
export function failingValuesStatement(test: ValueTest, invalidValues: readonly string[], scopeSql?: string): SqlStatement {
  validateDataTest(test);
  const predicate =
    `CAST(t.${quoteIdent(test.column)} AS VARCHAR) IN ` +
    `(SELECT unnest(from_json(CAST(? AS VARCHAR), '["VARCHAR"]')))`;
  return failingStatement(test, scopeSql, predicate, [JSON.stringify(invalidValues)]);
}

/**
 * `row_count`, `latest` (the column's max) and `stale` (latest < cutoff) over the whole table
 * (after `where`): freshness is a property of the table, not of the rows a refresh changed.
 */
export function freshnessStatement(test: FreshnessTest, cutoff: Date): SqlStatement {
  validateDataTest(test);
  const col = `t.${quoteIdent(test.column)}`;
  const where = test.where === undefined ? '' : ` WHERE (${test.where})`;
  return {
    sql:
      `SELECT count(${col}) AS row_count, max(${col}) AS latest, max(${col}) < CAST(? AS TIMESTAMPTZ) AS stale ` +
      `FROM ${quoteTableName(test.table)} AS t${where}`,
    params: [cutoff.toISOString()],
  };
}

/** `key1:key2` of a row, `null` standing for a missing part so keys never collapse. */
export function sampleKeyExpression(keyColumns: readonly string[], alias: string): string {
  const parts = keyColumns.map((c) => `coalesce(CAST(${alias}.${quoteIdent(c)} AS VARCHAR), 'null')`);
  return parts.length === 1 ? (parts[0] as string) : `concat_ws(':', ${parts.join(', ')})`;
}

/** `EXISTS` over the scope relation: planned as a hash semi-join, never one statement per key. */
export function scopeCondition(scopeColumns: readonly string[], alias: string, scopeSql: string): string {
  assertSqlFragment(scopeSql, 'scope relation');
  const eq = scopeColumns.map((c) => `scope_keys.${quoteIdent(c)} = ${alias}.${quoteIdent(c)}`).join(' AND ');
  return `EXISTS (SELECT 1 FROM (${scopeSql}) AS scope_keys WHERE ${eq})`;
}

function failingStatement(test: DataTest, scopeSql: string | undefined, predicate: string, params: readonly SqlValue[]): SqlStatement {
  const conds = [...commonConditions(test, 't', scopeSql), `(${predicate})`];
  // MATERIALIZED: the failing rows are computed once and read twice (count, samples).
  const sql = `WITH failing AS MATERIALIZED (
  SELECT ${sampleKeyExpression(test.keyColumns, 't')} AS sample_key
  FROM ${quoteTableName(test.table)} AS t
  WHERE ${conds.join('\n    AND ')}
)
SELECT (SELECT count(*) FROM failing) AS failing_count,
       (SELECT list(sample_key ORDER BY sample_key)
          FROM (SELECT DISTINCT sample_key FROM failing ORDER BY sample_key LIMIT ${SAMPLE_KEY_LIMIT})) AS sample_keys`;
  return { sql, params };
}

function commonConditions(test: DataTest, alias: string, scopeSql: string | undefined): string[] {
  const conds: string[] = [];
  if (scopeSql !== undefined) conds.push(scopeCondition(scopeColumnsOf(test), alias, scopeSql));
  if (test.where !== undefined) conds.push(`(${test.where})`);
  return conds;
}

function rowPredicate(test: SqlRowTest, scopeSql: string | undefined): { predicate: string; params: SqlValue[] } {
  switch (test.kind) {
    case 'not_null':
      return { predicate: `t.${quoteIdent(test.column)} IS NULL`, params: [] };
    case 'accepted_values': {
      const col = `t.${quoteIdent(test.column)}`;
      return { predicate: `${col} IS NOT NULL AND ${col} NOT IN (${placeholders(test.values.length)})`, params: [...test.values] };
    }
    case 'range': {
      const col = `t.${quoteIdent(test.column)}`;
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
      const notNull = test.columns.map((c) => `t.${quoteIdent(c)} IS NOT NULL`);
      const match = test.columns
        .map((c, i) => `ref.${quoteIdent(test.to.columns[i] as string)} = t.${quoteIdent(c)}`)
        .join(' AND ');
      // NOT EXISTS is planned as a hash anti-join against the referenced table.
      const missing = `NOT EXISTS (SELECT 1 FROM ${quoteTableName(test.to.table)} AS ref WHERE ${match})`;
      return { predicate: [...notNull, missing].join(' AND '), params: [] };
    }
    case 'unique':
      return { predicate: duplicatePredicate(test, scopeSql), params: [] };
    case 'email': {
      // The same rule as `normalizeEmail`'s syntax check, run by DuckDB's RE2: a column of
      // hundreds of thousands of addresses never has to travel to the process.
      const col = `t.${quoteIdent(test.column)}`;
      return { predicate: `${col} IS NOT NULL AND NOT regexp_full_match(lower(trim(${col})), ?)`, params: [EMAIL_SYNTAX.source] };
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
 * the whole table.
 */
function duplicatePredicate(test: Extract<DataTest, { kind: 'unique' }>, scopeSql: string | undefined): string {
  const tuple = (alias: string): string => {
    const cols = test.columns.map((c) => `${alias}.${quoteIdent(c)}`);
    return cols.length === 1 ? (cols[0] as string) : `(${cols.join(', ')})`;
  };
  const list = (alias: string): string => test.columns.map((c) => `${alias}.${quoteIdent(c)}`).join(', ');
  const table = quoteTableName(test.table);
  const conds = test.columns.map((c) => `dup.${quoteIdent(c)} IS NOT NULL`);
  if (test.where !== undefined) conds.push(`(${test.where})`);
  if (scopeSql !== undefined) {
    const inScope = [scopeCondition(scopeColumnsOf(test), 'scoped', scopeSql)];
    if (test.where !== undefined) inScope.push(`(${test.where})`);
    conds.push(`${tuple('dup')} IN (SELECT ${list('scoped')} FROM ${table} AS scoped WHERE ${inScope.join(' AND ')})`);
  }
  return (
    `${tuple('t')} IN (SELECT ${list('dup')} FROM ${table} AS dup WHERE ${conds.join(' AND ')} ` +
    `GROUP BY ${list('dup')} HAVING count(*) > 1)`
  );
}
