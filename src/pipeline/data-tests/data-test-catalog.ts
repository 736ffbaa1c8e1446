/**
 * Every declared data test, by the table it tests, so a runner picks the tests of the tables a
 * source refreshes. Declarations live with their tables; this file only gathers them.
 */
import { goldDataTests, type GoldDataTestOptions } from './gold-data-tests.js';
import { SILVER_DATA_TESTS } from './silver-data-tests.js';
import { dataTestId, validateDataTest, type DataTest } from './data-test.js';

export type DataTestsByTable = Readonly<Record<string, readonly DataTest[]>>;

export type DataTestCatalogOptions = GoldDataTestOptions;

/**
 * Groups `tests` by `schema.table`, validating each and refusing two tests with one id (the id
 * is what ops.data_tests history is kept by).
 */
export function groupDataTestsByTable(tests: readonly DataTest[]): DataTestsByTable {
  const ids = new Set<string>();
  const byTable: Record<string, DataTest[]> = {};
  for (const test of tests) {
    validateDataTest(test);
    const id = dataTestId(test);
    if (ids.has(id)) throw new Error(`two data tests share the id ${id}`);
    ids.add(id);
    (byTable[test.table] ??= []).push(test);
  }
  return Object.freeze(Object.fromEntries(Object.entries(byTable).map(([t, list]) => [t, Object.freeze(list)])));
}

export function dataTestCatalog(options: DataTestCatalogOptions = {}): DataTestsByTable {
  return groupDataTestsByTable([...SILVER_DATA_TESTS, ...goldDataTests(options)]);
}

/** The catalog with default options (orders freshness after DEFAULT_ORDERS_FRESHNESS_HOURS). */
export const DATA_TESTS_BY_TABLE: DataTestsByTable = dataTestCatalog();

/**
 * The tests of `tables`, in the order given (a table without tests contributes none): what a
 * refresh runs over the tables it touched.
 */
export function dataTestsFor(tables: readonly string[], options?: DataTestCatalogOptions): DataTest[] {
  const byTable = options === undefined ? DATA_TESTS_BY_TABLE : dataTestCatalog(options);
  return tables.flatMap((t) => (Object.hasOwn(byTable, t) ? (byTable[t] ?? []) : []));
}
