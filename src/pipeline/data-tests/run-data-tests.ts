import { z } from 'zod';
import type { SqlExecutor, WarehouseDialect } from '../../warehouse/warehouse.js';
import { quoteIdent } from '../../warehouse/warehouse.js';
import { dataTestColumns, parseTableName, scopeColumnsOf, type DataTest, type DataTestResult, type DataTestScope } from './data-test.js';
import { dataTestResult, type DataTestOutcome } from './data-test-result.js';
import {
  COMBINABLE_KINDS,
  combinedFailingRowsStatement,
  distinctValuesStatement,
  type CombinableTest,
  failingRowsStatement,
  failingValuesStatement,
  freshnessStatement,
  scopeCondition,
  type SqlStatement,
  tableNameSql,
  type ValueTest,
} from './data-test-sql.js';
import { isValidDocument } from './value-checks.js';

const HOUR_MS = 3_600_000;

/**
 * Runs `tests` in the caller's transaction and returns one result per test run, in order.
 * Reads only; recording the results and holding the refresh back on an error-level failure is
 * the caller's (see record-data-tests.ts).
 */
export async function runDataTests(
  tx: SqlExecutor,
  tests: readonly DataTest[],
  scope: DataTestScope,
  now: Date = new Date(),
  dialect: WarehouseDialect = 'duckdb',
): Promise<DataTestResult[]> {
  const scoped = new ScopedRows(tx, tests.filter(isScopeLocal), dialect);
  try {
    // Each test with the relation it reads: the whole table, the table narrowed by `scopeSql`, or
    // (a rule whose verdict on the changed rows depends only on them) the changed rows, copied
    // once per table, instead of scanning the whole table for every test.
    const planned: { test: DataTest; target: DataTest; scopeSql: string | undefined }[] = [];
    for (const test of tests) {
      const scopeSql = scopeFor(test, scope);
      if (scopeSql === null) continue;
      const local = scopeSql !== undefined && isScopeLocal(test) ? await scoped.table(test, scopeSql) : undefined;
      planned.push(local ? { test, target: { ...test, table: local } as DataTest, scopeSql: undefined } : { test, target: test, scopeSql });
    }
    // Row-level rules over the same relation share one scan.
    const combined = new Map<string, { index: number; test: CombinableTest }[]>();
    planned.forEach((p, index) => {
      if (p.scopeSql !== undefined || !COMBINABLE_KINDS.has(p.target.kind)) return;
      const group = combined.get(p.target.table) ?? [];
      group.push({ index, test: p.target as CombinableTest });
      combined.set(p.target.table, group);
    });
    const outcomes = new Map<number, DataTestOutcome>();
    for (const [table, group] of combined) {
      if (group.length < 2) continue;
      const statement = combinedFailingRowsStatement(table, group.map((g) => g.test), dialect);
      const [row] = await tx.query(statement.sql, statement.params);
      group.forEach((g, i) => {
        const failingCount = Number(row?.[`failing_count_${i}`] ?? 0);
        const keys = (row?.[`sample_keys_${i}`] as string[] | null | undefined) ?? [];
        outcomes.set(g.index, { kind: 'rows', failingCount, sampleKeys: [...new Set(keys)] });
      });
    }
    const results: DataTestResult[] = [];
    for (const [index, p] of planned.entries()) {
      const outcome = outcomes.get(index) ?? (await evaluate(tx, p.target, p.scopeSql, now, dialect));
      results.push(dataTestResult(p.test, outcome));
    }
    return results;
  } finally {
    await scoped.drop();
  }
}

/**
 * Kinds whose verdict on a row depends on that row (and, for relationships, the referenced
 * table), not on the other rows of its own table.
 */
const PER_ROW: ReadonlySet<DataTest['kind']> = new Set(['not_null', 'accepted_values', 'range', 'email', 'document', 'relationship']);

/**
 * Whether a test over the changed rows can be judged from those rows alone: a row-level rule, or
 * `unique` over columns that include every scope column (a twin of a changed row has the same
 * scope values, so it is among the changed rows too). A `unique` keyed otherwise, or narrowed by
 * a `where`, may have its twin outside them and reads the whole table.
 */
function isScopeLocal(test: DataTest): boolean {
  if (PER_ROW.has(test.kind)) return true;
  return test.kind === 'unique' && test.where === undefined && scopeColumnsOf(test).every((c) => test.columns.includes(c));
}

/**
 * The rows of a table in a `changed` scope, copied into a temporary table of the caller's
 * connection the first time a row-local test of that table (and scope columns) asks. Only the
 * columns some row-local test of the table reads are copied (its keys, scope and tested columns,
 * and any of the table's columns named in a `where`): a wide gold table's scan then reads a few
 * columns instead of all of them.
 */
class ScopedRows {
  private readonly tables = new Map<string, string>();

  constructor(
    private readonly tx: SqlExecutor,
    private readonly rowTests: readonly DataTest[],
    private readonly dialect: WarehouseDialect,
  ) {}

  async table(test: DataTest, scopeSql: string): Promise<string> {
    const key = `${test.table}|${scopeColumnsOf(test).join(',')}|${scopeSql}`;
    const existing = this.tables.get(key);
    if (existing) return existing;
    const name = `temp.data_test_scope_${this.tables.size}`;
    // BigQuery copies every column: its catalog is not `information_schema.columns`, and a copy of
    // the changed rows is small beside the scans it saves.
    const columns = this.dialect === 'bigquery' ? 't.*' : (await this.columnsFor(test)).map((c) => `t.${quoteIdent(c)}`).join(', ');
    await this.tx.execute(
      `CREATE OR REPLACE TEMP TABLE data_test_scope_${this.tables.size} AS SELECT ${columns} ` +
        `FROM ${tableNameSql(test.table, this.dialect)} AS t WHERE ${scopeCondition(scopeColumnsOf(test), 't', scopeSql, this.dialect)}`,
    );
    this.tables.set(key, name);
    return name;
  }

  /** The table's columns, in table order, that a row-local test of it reads. */
  private async columnsFor(test: DataTest): Promise<string[]> {
    const ref = parseTableName(test.table);
    const all = (
      await this.tx.query<{ name: string }>(
        'SELECT column_name AS name FROM information_schema.columns WHERE table_schema = ? AND table_name = ? ORDER BY ordinal_position',
        [ref.schema, ref.table],
      )
    ).map((r) => r.name);
    const needed = new Set<string>(scopeColumnsOf(test));
    const wheres: string[] = [];
    for (const t of this.rowTests) {
      if (t.table !== test.table) continue;
      for (const c of [...t.keyColumns, ...dataTestColumns(t)]) needed.add(c);
      if (t.where !== undefined) wheres.push(t.where);
    }
    const named = (c: string): boolean => wheres.some((w) => new RegExp(`(^|[^A-Za-z0-9_])${c}([^A-Za-z0-9_]|$)`, 'i').test(w));
    const columns = all.filter((c) => needed.has(c) || named(c));
    // A column the table lacks is left to the test itself, which reports it as it would unscoped.
    return columns.length > 0 && [...needed].every((c) => all.includes(c)) ? columns : all;
  }

  async drop(): Promise<void> {
    for (const name of this.tables.values()) await this.tx.execute(`DROP TABLE IF EXISTS ${name}`);
  }
}

/** undefined: the whole table; null: not in scope, omit the test. */
function scopeFor(test: DataTest, scope: DataTestScope): string | undefined | null {
  switch (scope.kind) {
    case 'all':
      return undefined;
    case 'changed': {
      const relation = Object.hasOwn(scope.keys, test.table) ? scope.keys[test.table] : undefined;
      if (relation === undefined) return null;
      return test.kind === 'freshness' ? undefined : relation;
    }
    default: {
      const _: never = scope;
      return _;
    }
  }
}

async function evaluate(tx: SqlExecutor, test: DataTest, scopeSql: string | undefined, now: Date, dialect: WarehouseDialect): Promise<DataTestOutcome> {
  switch (test.kind) {
    case 'not_null':
    case 'unique':
    case 'accepted_values':
    case 'relationship':
    case 'range':
    case 'email':
      return failingRows(tx, failingRowsStatement(test, scopeSql, dialect));
    case 'document':
      return valueCheck(tx, test, scopeSql, isValidDocument, dialect);
    case 'freshness': {
      const cutoff = new Date(now.getTime() - test.maxAgeHours * HOUR_MS);
      const [row] = await run(tx, freshnessStatement(test, cutoff, dialect), FRESHNESS_ROW);
      return { kind: 'freshness', latest: row?.latest ?? null, stale: row?.stale === true };
    }
    default: {
      const _: never = test;
      return _;
    }
  }
}

/**
 * A value check reads the distinct values in scope (one statement) and, only when some are
 * invalid, counts and samples their rows (a second statement with the bad values as one
 * parameter). Cost: the distinct values of the column travel to the process, so on a full
 * scope this is as large as the column's cardinality.
 */
async function valueCheck(
  tx: SqlExecutor,
  test: ValueTest,
  scopeSql: string | undefined,
  isValid: (value: string) => boolean,
  dialect: WarehouseDialect,
): Promise<DataTestOutcome> {
  const values = await run(tx, distinctValuesStatement(test, scopeSql, dialect), VALUE_ROW);
  const invalid = values.map((r) => r.value).filter((v) => !isValid(v));
  if (invalid.length === 0) return { kind: 'rows', failingCount: 0, sampleKeys: [] };
  return failingRows(tx, failingValuesStatement(test, invalid, scopeSql, dialect));
}

async function failingRows(tx: SqlExecutor, statement: SqlStatement): Promise<DataTestOutcome> {
  const [row] = await run(tx, statement, FAILING_ROW);
  return { kind: 'rows', failingCount: row?.failing_count ?? 0, sampleKeys: row?.sample_keys ?? [] };
}

async function run<T>(tx: SqlExecutor, statement: SqlStatement, schema: z.ZodType<T>): Promise<T[]> {
  const rows = await tx.query(statement.sql, statement.params);
  return rows.map((r) => schema.parse(r));
}

const FAILING_ROW = z.object({ failing_count: z.number(), sample_keys: z.array(z.string()).nullable() });
const VALUE_ROW = z.object({ value: z.string() });
const FRESHNESS_ROW = z.object({ latest: z.string().nullable(), stale: z.boolean().nullable() });
