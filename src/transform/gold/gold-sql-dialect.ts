import type { WarehouseDialect } from '../../warehouse/warehouse.js';

/**
 * What customer 360's SQL spells differently per warehouse, so each statement is written once
 * with these in place. The DuckDB spellings are the ones the statements always had (the embedded
 * rebuild is benchmarked on them); the BigQuery ones keep to the functions the BigQuery SQL of
 * this code base is limited to (see warehouse/bigquery/CONTEXT.md).
 */
export interface GoldSqlDialect {
  readonly dialect: WarehouseDialect;
  /** `AS MATERIALIZED` on DuckDB (a CTE computed once); BigQuery has no such hint. */
  readonly materialized: string;
  /** A set union without duplicates. */
  readonly union: string;
  readonly except: string;
  readonly text: (expr: string) => string;
  readonly integer: (expr: string) => string;
  readonly double: (expr: string) => string;
  /**
   * The pair `left` (two column expressions) is a row of `relation` (a table, or a parenthesised
   * query), compared with its columns `right`: a row-value IN on DuckDB, EXISTS on BigQuery.
   */
  readonly pairIn: (left: readonly [string, string], relation: string, right?: readonly [string, string]) => string;
  /** The text before the first `:` of a key (`cpf`, `email`, …). */
  readonly keyKind: (key: string) => string;
  /** The text before the first space. */
  readonly firstWord: (expr: string) => string;
  /** Whole days from `earlier` to `later`, two DATEs. */
  readonly daysBetween: (later: string, earlier: string) => string;
  readonly daysBefore: (day: string, days: number) => string;
  /** How many rows of the group satisfy `cond`. */
  readonly countIf: (cond: string) => string;
  /** Whether all of `expr` matches `re` (RE2 syntax, written as code, without quotes). */
  readonly fullMatch: (expr: string, re: string) => string;
  /** `expr` without its non-digits. */
  readonly digitsOf: (expr: string) => string;
  /** The non-null parts joined by `sep` (a literal), as concat_ws does. */
  readonly joinNonNull: (sep: string, parts: readonly string[]) => string;
  /** `SELECT * FROM x`, which DuckDB may shorten to `FROM x`. */
  readonly all: (table: string) => string;
}

const DUCKDB: GoldSqlDialect = {
  dialect: 'duckdb',
  materialized: ' MATERIALIZED',
  union: 'UNION',
  except: 'EXCEPT',
  text: (e) => `${e}::VARCHAR`,
  integer: (e) => `${e}::INTEGER`,
  double: (e) => `${e}::DOUBLE`,
  pairIn: ([a, b], relation, [x, y] = ['source', 'source_id']) => `(${a}, ${b}) IN (SELECT ${x}, ${y} FROM ${relation})`,
  keyKind: (k) => `split_part(${k}, ':', 1)`,
  firstWord: (e) => `split_part(${e}, ' ', 1)`,
  daysBetween: (later, earlier) => `(${later} - ${earlier})`,
  daysBefore: (day, days) => `${day} - ${days}`,
  countIf: (cond) => `count(*) FILTER (WHERE ${cond})`,
  fullMatch: (e, re) => `regexp_full_match(${e}, '${re}')`,
  digitsOf: (e) => `regexp_replace(${e}, '\\D', '', 'g')`,
  joinNonNull: (sep, parts) => `concat_ws('${sep}', ${parts.join(', ')})`,
  all: (t) => `FROM ${t}`,
};

const BIGQUERY: GoldSqlDialect = {
  dialect: 'bigquery',
  materialized: '',
  union: 'UNION DISTINCT',
  except: 'EXCEPT DISTINCT',
  text: (e) => `CAST(${e} AS STRING)`,
  integer: (e) => `CAST(${e} AS INT64)`,
  double: (e) => `CAST(${e} AS FLOAT64)`,
  // No row-value IN: a correlated EXISTS (a semi-join).
  pairIn: ([a, b], relation, [x, y] = ['source', 'source_id']) =>
    `EXISTS (SELECT 1 FROM ${relation} AS rec WHERE rec.${x} = ${a} AND rec.${y} = ${b})`,
  keyKind: (k) => `REGEXP_EXTRACT(${k}, '^[^:]*')`,
  firstWord: (e) => `REGEXP_EXTRACT(${e}, '^[^ ]*')`,
  daysBetween: (later, earlier) => `DATE_DIFF(${later}, ${earlier}, DAY)`,
  daysBefore: (day, days) => `DATE_SUB(${day}, INTERVAL ${days} DAY)`,
  countIf: (cond) => `COUNTIF(${cond})`,
  // A raw string: BigQuery reads backslashes in a plain one as escapes.
  fullMatch: (e, re) => `REGEXP_CONTAINS(${e}, r'^(${re})$')`,
  digitsOf: (e) => `REGEXP_REPLACE(${e}, r'\\D', '')`,
  // ARRAY_TO_STRING leaves out NULL elements, as concat_ws does.
  joinNonNull: (sep, parts) => `ARRAY_TO_STRING([${parts.join(', ')}], '${sep}')`,
  all: (t) => `SELECT * FROM ${t}`,
};

export const GOLD_SQL: Readonly<Record<WarehouseDialect, GoldSqlDialect>> = { duckdb: DUCKDB, bigquery: BIGQUERY };
