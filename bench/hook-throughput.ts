import fs from 'node:fs';
import { WAREHOUSE_MIGRATIONS } from '../src/pipeline/warehouse-migrations.js';
import os from 'node:os';
import path from 'node:path';
import Fastify from 'fastify';
import { Worker } from 'node:worker_threads';
import { OrderHookReceiver } from '../src/ingest/webhooks/order-hook-receiver.js';
import { ORDER_HOOK_PATH, registerOrderHookRoute } from '../src/ingest/webhooks/order-hook-route.js';
import { silentLogger } from '../src/observability/logger.js';
import { DuckDbWarehouse } from '../src/warehouse/duckdb/duckdb-warehouse.js';
import { median, quantile } from './stats.js';

const TOKEN = 'bench-hook-token-0123456789';

export interface HookThroughput {
  readonly notifications: number;
  readonly concurrency: number;
  readonly seconds: number;
  readonly ackPerSecond: number;
  readonly latencyP50Ms: number;
  readonly latencyP99Ms: number;
  readonly allInBronze: boolean;
}

/**
 * Acknowledged-and-durable hook notifications per second: real HTTP on loopback into the
 * receiver, each 200 sent only after its bronze row and fetch request committed to a DuckDB file.
 */
export async function benchHookThroughput(total = 20_000, concurrency = 64): Promise<HookThroughput> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'farol-bench-hook-'));
  const wh = await DuckDbWarehouse.open({ path: path.join(dir, 'farol.duckdb') });
  await wh.migrate(WAREHOUSE_MIGRATIONS);
  const app = Fastify();
  await registerOrderHookRoute(app, { receiver: new OrderHookReceiver(wh, silentLogger()), hookToken: TOKEN, logger: silentLogger() });
  const base = await app.listen({ host: '127.0.0.1', port: 0 });
  const client = new Worker(new URL('./hook-load-client.mjs', import.meta.url), {
    workerData: { base, path: ORDER_HOOK_PATH, token: TOKEN, total, concurrency },
  });
  const { seconds, acked, latencies } = await new Promise<{ seconds: number; acked: number; latencies: number[] }>((resolve, reject) => {
    client.once('message', resolve);
    client.once('error', reject);
  });
  await client.terminate();
  const [row] = await wh.query<{ n: number }>("SELECT count(*) AS n FROM bronze.records WHERE entity = 'order_notification'");
  await app.close();
  await wh.close();
  fs.rmSync(dir, { recursive: true, force: true });
  return {
    notifications: total, concurrency, seconds, ackPerSecond: acked / seconds,
    latencyP50Ms: median(latencies), latencyP99Ms: quantile(latencies, 0.99), allInBronze: row?.n === acked && acked === total,
  };
}
