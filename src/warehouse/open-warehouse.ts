import type { Logger } from 'pino';
import type { WarehouseConfig } from '../config.js';
import { DuckDbWarehouse } from './duckdb/duckdb-warehouse.js';
import type { Migration } from './migrations.js';
import type { Warehouse } from './warehouse.js';

/** Opens the configured warehouse and applies `migrations` (the caller's schemas) to it. */
export async function openWarehouse(config: WarehouseConfig, migrations: readonly Migration[], logger?: Logger): Promise<Warehouse> {
  switch (config.kind) {
    case 'duckdb': {
      const wh = await DuckDbWarehouse.open({ path: config.path, ...(logger ? { logger } : {}) });
      try {
        await wh.migrate(migrations);
      } catch (err) {
        await wh.close();
        throw err;
      }
      return wh;
    }
    default: {
      const unhandled: never = config.kind;
      throw new Error(`unsupported warehouse kind: ${String(unhandled)}`);
    }
  }
}
