import type { Logger } from 'pino';
import type { WarehouseConfig } from '../config.js';
import { DuckDbWarehouse } from './duckdb/duckdb-warehouse.js';
import type { Warehouse } from './warehouse.js';

/** Opens the configured warehouse and brings its schemas up to date. */
export async function openWarehouse(config: WarehouseConfig, logger?: Logger): Promise<Warehouse> {
  switch (config.kind) {
    case 'duckdb': {
      const wh = await DuckDbWarehouse.open({ path: config.path, ...(logger ? { logger } : {}) });
      await wh.migrate();
      return wh;
    }
    default: {
      const unhandled: never = config.kind;
      throw new Error(`unsupported warehouse kind: ${String(unhandled)}`);
    }
  }
}
