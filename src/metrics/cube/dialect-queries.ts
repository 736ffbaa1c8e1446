import type { WarehouseDialect } from '../../warehouse/warehouse.js';
import { bigQueryQueryClass, cubeQueryBases } from './cube-modules.js';
import type { CubeQueryClass } from './cube-types.js';
import { defineDuckDbQuery } from './duckdb-query.js';
import { withWallClockTime } from './wall-clock-time.js';

/**
 * Cube's SQL generator per warehouse dialect. A `Record` over `WarehouseDialect`, so adding a
 * dialect to the warehouse port fails compilation here until it has a query class. Classes load
 * lazily: a DuckDB deployment never loads the BigQuery adapter and vice versa.
 */
const QUERY_CLASSES: Record<WarehouseDialect, () => CubeQueryClass> = {
  // Cube's DuckDB dialect, carried in duckdb-query.ts.
  duckdb: () => defineDuckDbQuery(cubeQueryBases()),
  // Cube's BigQuery dialect: `DATETIME(ts, tz)` conversions and backtick quoting; runs through
  // warehouse/bigquery, which qualifies table names into its dataset.
  bigquery: bigQueryQueryClass,
};

const loaded = new Map<WarehouseDialect, CubeQueryClass>();

export function queryClassFor(dialect: WarehouseDialect): CubeQueryClass {
  let cls = loaded.get(dialect);
  if (!cls) {
    const load = QUERY_CLASSES[dialect] as (() => CubeQueryClass) | undefined;
    if (!load) throw new Error(`no Cube query class for warehouse dialect "${String(dialect)}"`);
    // Every dialect honours the model's wall-clock marker (wall-clock-time.ts).
    cls = withWallClockTime(load());
    loaded.set(dialect, cls);
  }
  return cls;
}
