import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Fastify from 'fastify';
import { OrderFetchWorker } from '../src/ingest/sources/vtex-orders/order-fetch-worker.js';
import { createVtexOmsClient } from '../src/ingest/sources/vtex-orders/vtex-oms-client.js';
import { enqueueFetches } from '../src/ingest/state/fetch-queue.js';
import { HookInbox } from '../src/ingest/webhooks/hook-inbox.js';
import { InboxMover } from '../src/ingest/webhooks/inbox-mover.js';
import { OrderHookReceiver } from '../src/ingest/webhooks/order-hook-receiver.js';
import { ORDER_HOOK_PATH, registerOrderHookRoute } from '../src/ingest/webhooks/order-hook-route.js';
import { silentLogger } from '../src/observability/logger.js';
import { noopLineageSink } from '../src/pipeline/lineage/lineage-types.js';
import { RefreshLoop } from '../src/pipeline/refresh-loop.js';
import { StreamRuns } from '../src/pipeline/stream-runs.js';
import { createVtexSandbox } from '../src/sandbox/vtex/index.js';
import { tempPipeline } from '../test/fixtures/temp-pipeline.js';
import { postLoad } from './post-load.js';
import { median, quantile } from './stats.js';

const TOKEN = 'bench-hook-token-0123456789';

export interface HookThroughput {
  readonly notifications: number;
  readonly concurrency: number;
  readonly seconds: number;
  readonly ackPerSecond: number;
  readonly latencyP50Ms: number;
  readonly latencyP99Ms: number;
  /** Orders the fetch worker landed in bronze while the load ran. */
  readonly ordersFetchedDuringLoad: number;
  readonly allInBronze: boolean;
}

/**
 * Acknowledged-and-durable hook notifications per second, with the whole ingestion path running
 * as in the service: real HTTP on loopback into the receiver (each 200 only after the inbox
 * committed), the mover taking them into bronze with their fetches, and the fetch worker getting
 * the orders from a VTEX sandbox and the pipeline refreshing silver and gold at the same time.
 */
export async function benchHookThroughput(total = 20_000, concurrency = 64): Promise<HookThroughput> {
  const p = await tempPipeline({ dir: fs.mkdtempSync(path.join(os.tmpdir(), 'farol-bench-hook-')) });
  const logger = silentLogger();
  const sandbox = createVtexSandbox({ port: 0, seed: 11, history: { orders: 5_000, days: 30 }, live: false, publishIntervalMs: 0 });
  await sandbox.start();
  const sink = Fastify();
  sink.post('/hook', async () => ({ ok: true }));
  const sinkUrl = `${await sink.listen({ host: '127.0.0.1', port: 0 })}/hook`;
  const oms = createVtexOmsClient({ account: sandbox.account, appKey: sandbox.appKey, appToken: sandbox.appToken, baseUrl: sandbox.url }, logger, 1_000);
  // The sandbox publishes its orders once a hook exists; a bare receiver takes its own stream.
  await oms.configureOrderHook(sinkUrl, 'bench-sink-token-0123456789');
  await sandbox.whenAllDelivered(120_000);

  const streams = new StreamRuns({ warehouse: p.warehouse, registry: p.runner.deps.registry, lineage: noopLineageSink, warehouseNamespace: 'bench', logger });
  const refreshes = new RefreshLoop(p.runner, streams, logger);
  const inbox = await HookInbox.open(path.join(p.dir, 'farol.inbox.duckdb'), 0, logger);
  const worker = new OrderFetchWorker({ warehouse: p.warehouse, bronze: p.bronze, landing: refreshes, oms, logger, concurrency: 8 });
  const mover = new InboxMover({
    inbox, warehouse: p.warehouse, bronze: p.bronze, landing: refreshes, logger, onMoved: () => worker.wake(),
    followUps: { 'vtex-orders': (tx, recs) => enqueueFetches(tx, recs.map((r) => ({ source: 'vtex-orders', entity: 'order', naturalKey: r.naturalKey }))) },
  });
  await mover.start();
  worker.start();
  const app = Fastify();
  await registerOrderHookRoute(app, { receiver: new OrderHookReceiver(inbox, p.warehouse, logger), hookToken: TOKEN, logger });
  const base = await app.listen({ host: '127.0.0.1', port: 0 });

  const countOrders = async () =>
    Number((await p.warehouse.query<{ n: number }>("SELECT count(*) AS n FROM bronze.records WHERE entity = 'order'"))[0]?.n ?? 0) +
    Number((await p.warehouse.query<{ n: number }>("SELECT coalesce(sum(records), 0) AS n FROM bronze.segments"))[0]?.n ?? 0);
  const ordersBefore = await countOrders();
  const orderIds = sandbox.orders().map((o) => o.orderId);
  const started = Date.now();
  const bodies = Array.from({ length: total }, (_, n) => JSON.stringify({
    Domain: 'Marketplace', OrderId: orderIds[n % orderIds.length], State: 'payment-approved',
    LastState: 'payment-pending', LastChange: '2025-03-14T13:24:58.4411230Z', CurrentChange: new Date(started + n).toISOString(),
    Origin: { Account: 'lojaexemplo', Key: 'vtexappkey-lojaexemplo-BENCH' },
  }));
  const { seconds, ok: acked, latencies } = await postLoad({ base, path: ORDER_HOOK_PATH, headers: { 'x-farol-hook-token': TOKEN }, bodies, total, concurrency });
  const ordersFetchedDuringLoad = (await countOrders()) - ordersBefore;

  await app.close();
  await mover.stop();
  await worker.stop();
  await refreshes.stop();
  await streams.closeAll();
  const [row] = await p.warehouse.query<{ n: number }>("SELECT count(*) AS n FROM bronze.records WHERE entity = 'order_notification'");
  await inbox.close();
  await oms.close();
  await sink.close();
  await sandbox.close();
  await p.cleanup();
  return {
    notifications: total, concurrency, seconds, ackPerSecond: acked / seconds, latencyP50Ms: median(latencies),
    latencyP99Ms: quantile(latencies, 0.99), ordersFetchedDuringLoad, allInBronze: Number(row?.n) === acked && acked === total,
  };
}
