import type { Logger } from 'pino';
import type { WarehouseConfig } from '../config.js';
import { BigQueryWarehouse } from './bigquery/bigquery-warehouse.js';
import { DuckDbWarehouse } from './duckdb/duckdb-warehouse.js';
import type { Migration } from './migrations.js';
import type { Warehouse, WarehouseDialect } from './warehouse.js';

/** Each dialect's own ordered migration list: DDL is written per dialect (see `bigquery/bigquery-ddl.ts`). */
export type WarehouseMigrations = Readonly<Record<WarehouseDialect, readonly Migration[]>>;

/** Test seams for BigQuery that configuration never sets: an auth client for a local fake server. */
export interface OpenWarehouseOverrides {
  readonly bigQueryAuthClient?: unknown;
}

/** Opens the configured warehouse and applies its dialect's `migrations` (the caller's schemas) to it. */
export async function openWarehouse(
  config: WarehouseConfig,
  migrations: WarehouseMigrations,
  logger?: Logger,
  overrides: OpenWarehouseOverrides = {},
): Promise<Warehouse> {
  let wh: Warehouse;
  switch (config.kind) {
    case 'duckdb':
      wh = await DuckDbWarehouse.open({ path: config.path, ...(logger ? { logger } : {}) });
      break;
    case 'bigquery':
      wh = new BigQueryWarehouse({
        projectId: config.projectId,
        dataset: config.dataset,
        location: config.location,
        maximumBytesBilled: config.maximumBytesBilled,
        keyFilename: config.keyFilename,
        apiEndpoint: config.apiEndpoint,
        authClient: overrides.bigQueryAuthClient,
        logger,
      });
      break;
    default: {
      const unhandled: never = config;
      throw new Error(`unsupported warehouse kind: ${String((unhandled as { kind: unknown }).kind)}`);
    }
  }
  try {
    await wh.migrate(migrations[wh.dialect]);
  } catch (err) {
    await wh.close();
    throw err;
  }
  return wh;
}
