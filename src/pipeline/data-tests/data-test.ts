/**
 * Declarative data tests: rules a refreshed table must keep, checked after every refresh of
 * silver and gold (see run-data-tests.ts). Declarations live next to the tables they test
 * (`transform/silver/silver-data-tests.ts`, `transform/gold/gold-data-tests.ts`).
 *
 * Everything here is written in code, never taken from users: table and column names are still
 * validated as identifiers (a typo fails loudly instead of becoming SQL), `where` is a SQL
 * fragment trusted as code, and every value (accepted values, bounds) is bound as a parameter.
 */
import { quoteIdent, type TableRef } from '../../warehouse/warehouse.js';

export const DATA_TEST_KINDS = [
  'not_null', 'unique', 'accepted_values', 'relationship', 'range', 'document', 'email', 'freshness',
] as const;
export type DataTestKind = (typeof DATA_TEST_KINDS)[number];

/** `error` holds the refresh back (its transaction is rolled back); `warn` is only recorded. */
export type DataTestSeverity = 'error' | 'warn';

interface DataTestBase {
  /** `schema.table`. */
  readonly table: string;
  readonly severity: DataTestSeverity;
  /** The table's key: failing rows are reported by these values (`sampleKeys`). */
  readonly keyColumns: readonly string[];
  /**
   * The columns a `changed` scope relation gives for this table; defaults to `keyColumns`.
   * A prefix such as `(source, order_id)` for `silver.order_items` lets one changed-orders
   * relation scope an order's items too.
   */
  readonly scopeColumns?: readonly string[];
  /**
   * SQL condition (code, never user input) limiting the rows tested, e.g.
   * `document_type IS NULL OR lower(document_type) IN ('cpf', 'cnpj')`. Unqualified columns
   * refer to the tested table. Must hold no `?` parameters and no `;`.
   */
  readonly where?: string;
}

export type DataTest =
  | (DataTestBase & { readonly kind: 'not_null'; readonly column: string })
  | (DataTestBase & { readonly kind: 'unique'; readonly columns: readonly string[] })
  | (DataTestBase & {
      readonly kind: 'accepted_values';
      readonly column: string;
      readonly values: readonly (string | number | boolean)[];
    })
  | (DataTestBase & {
      readonly kind: 'relationship';
      /** The referencing columns; a row with any of them null is not checked (that is not_null's job). */
      readonly columns: readonly string[];
      /** The referenced table and its columns, position by position. */
      readonly to: { readonly table: string; readonly columns: readonly string[] };
    })
  | (DataTestBase & {
      readonly kind: 'range';
      readonly column: string;
      /** Inclusive bounds; at least one is required. Nulls are not checked. */
      readonly min?: number;
      readonly max?: number;
    })
  | (DataTestBase & {
      /** A valid CPF or CNPJ (check digits verified); evaluated in TypeScript over distinct values. */
      readonly kind: 'document';
      readonly column: string;
    })
  | (DataTestBase & {
      /** A syntactically valid email address; evaluated in TypeScript over distinct values. */
      readonly kind: 'email';
      readonly column: string;
    })
  | (DataTestBase & {
      readonly kind: 'freshness';
      /** A TIMESTAMPTZ (or TIMESTAMP in UTC) column: its max must be within `maxAgeHours` of now. */
      readonly column: string;
      readonly maxAgeHours: number;
      /**
       * What an empty table (after `where`) means. Default `pass`: a refresh that produced
       * nothing yet (a new install, a source with no data) is not stale data.
       */
      readonly whenEmpty?: 'pass' | 'fail';
    });

/** The tested column(s), comma-joined: `currency`, `source,order_id`. */
export function dataTestColumns(test: DataTest): readonly string[] {
  switch (test.kind) {
    case 'unique':
    case 'relationship':
      return test.columns;
    case 'not_null':
    case 'accepted_values':
    case 'range':
    case 'document':
    case 'email':
    case 'freshness':
      return [test.column];
    default: {
      const _: never = test;
      return _;
    }
  }
}

export function dataTestColumnLabel(test: DataTest): string {
  return dataTestColumns(test).join(',');
}

/** Stable id: `<schema>.<table>.<column(s)>.<kind>`, e.g. `silver.orders.currency.accepted_values`. */
export function dataTestId(test: DataTest): string {
  return `${test.table}.${dataTestColumnLabel(test)}.${test.kind}`;
}

export function scopeColumnsOf(test: DataTest): readonly string[] {
  return test.scopeColumns ?? test.keyColumns;
}

/** `silver.orders` → `{ schema: 'silver', table: 'orders' }`; throws unless both parts are identifiers. */
export function parseTableName(name: string): TableRef {
  const parts = name.split('.');
  if (parts.length !== 2) throw new Error(`data test table must be schema.table: ${JSON.stringify(name)}`);
  const [schema, table] = parts as [string, string];
  quoteIdent(schema);
  quoteIdent(table);
  return { schema, table };
}

/** `"silver"."orders"` for a validated `schema.table`. */
export function quoteTableName(name: string): string {
  const ref = parseTableName(name);
  return `${quoteIdent(ref.schema)}.${quoteIdent(ref.table)}`;
}

/**
 * Throws on a malformed declaration (bad identifier, empty column list, missing bounds, ...),
 * naming the test. The catalog calls it at load, so a typo fails at start-up and in unit tests.
 */
export function validateDataTest(test: DataTest): void {
  try {
    checkDeclaration(test);
  } catch (err) {
    throw new Error(`data test ${dataTestId(test)}: ${(err as Error).message}`);
  }
}

function checkDeclaration(test: DataTest): void {
  parseTableName(test.table);
  for (const c of [...dataTestColumns(test), ...test.keyColumns, ...scopeColumnsOf(test)]) quoteIdent(c);
  if (test.keyColumns.length === 0) throw new Error('keyColumns is empty');
  if (scopeColumnsOf(test).length === 0) throw new Error('scopeColumns is empty');
  if (dataTestColumns(test).length === 0) throw new Error('no column to test');
  if (test.where !== undefined) assertSqlFragment(test.where, 'where');
  switch (test.kind) {
    case 'accepted_values':
      if (test.values.length === 0) throw new Error('accepted_values needs at least one value');
      return;
    case 'relationship':
      parseTableName(test.to.table);
      for (const c of test.to.columns) quoteIdent(c);
      if (test.to.columns.length !== test.columns.length) throw new Error('relationship needs as many target columns as columns');
      return;
    case 'range':
      if (test.min === undefined && test.max === undefined) throw new Error('range needs min and/or max');
      if ([test.min, test.max].some((b) => b !== undefined && !Number.isFinite(b))) throw new Error('range bounds must be finite');
      if (test.min !== undefined && test.max !== undefined && test.min > test.max) throw new Error('range min is above max');
      return;
    case 'freshness':
      if (!(test.maxAgeHours > 0)) throw new Error('freshness maxAgeHours must be positive');
      return;
    case 'not_null':
    case 'unique':
    case 'document':
    case 'email':
      return;
    default: {
      const _: never = test;
      return _;
    }
  }
}

/**
 * Code-written SQL (a `where`, a scope relation) is trusted, but `?` would shift the bound
 * parameters and `;` would start another statement: both are refused.
 */
export function assertSqlFragment(sql: string, what: string): void {
  if (sql.trim() === '') throw new Error(`${what} is empty`);
  if (/[?;]/.test(sql)) throw new Error(`${what} must not contain '?' or ';': ${JSON.stringify(sql)}`);
}

/**
 * Which rows the tests look at.
 * - `all`: every row of every tested table (a rebuild, the CLI).
 * - `changed`: per `schema.table`, SQL of a relation holding the test's scope columns (by default
 *   the table's `keyColumns`; extra columns are ignored) of the rows a refresh changed, e.g.
 *   `SELECT source, order_id FROM silver.stage_changed_orders`. Code, never user input.
 *   Tests on a table without an entry are omitted from the results (the refresh did not touch
 *   it); `freshness` on a table with an entry looks at the whole table.
 */
export type DataTestScope =
  | { readonly kind: 'all' }
  | { readonly kind: 'changed'; readonly keys: Readonly<Record<string, string>> };

export type DataTestStatus = 'passed' | 'failed';

export interface DataTestResult {
  /** e.g. `silver.orders.currency.accepted_values`. */
  readonly testId: string;
  /** `schema.table`. */
  readonly table: string;
  /** The tested column(s), comma-joined. */
  readonly column: string;
  readonly kind: DataTestKind;
  readonly severity: DataTestSeverity;
  readonly status: DataTestStatus;
  /** Rows breaking the rule; for freshness 1 when the table is stale, else 0. */
  readonly failingCount: number;
  /** Up to SAMPLE_KEY_LIMIT distinct failing keys (`keyColumns` values joined by `:`), sorted. */
  readonly sampleKeys: readonly string[];
  /**
   * One line naming the table, column, rule and count, e.g.
   * `silver.orders.currency: 1 row not in (BRL) — e.g. vtex-orders:1234-01`.
   */
  readonly message: string;
}
