import type { DuckDBValue } from '@duckdb/node-api';
import type { SqlValue } from '../warehouse.js';

/** Maps port parameter values onto what the DuckDB binding binds. Dates travel as ISO strings. */
export function toDuckDbParams(params: readonly SqlValue[] | undefined): DuckDBValue[] | undefined {
  if (!params || params.length === 0) return undefined;
  return params.map((p) => (p instanceof Date ? p.toISOString() : p));
}
