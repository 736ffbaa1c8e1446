import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OrderFetchWorker } from '../../src/ingest/sources/vtex-orders/order-fetch-worker.js';
import { createVtexOmsClient, type VtexOmsClient } from '../../src/ingest/sources/vtex-orders/vtex-oms-client.js';
import { enqueueFetches } from '../../src/ingest/state/fetch-queue.js';
import { silentLogger } from '../../src/observability/logger.js';
import { noopLineageSink } from '../../src/pipeline/lineage/lineage-types.js';
import { RefreshLoop } from '../../src/pipeline/refresh-loop.js';
import { StreamRuns } from '../../src/pipeline/stream-runs.js';
import { createVtexSandbox, type VtexSandbox } from '../../src/sandbox/vtex/index.js';
import type { DuckDbWarehouse } from '../../src/warehouse/duckdb/duckdb-warehouse.js';
import { sampleVtexOrder } from '../fixtures/vtex-order.js';
import { tempPipeline, type TempPipeline } from '../fixtures/temp-pipeline.js';
import { waitFor } from '../fixtures/wait-for.js';

let p: TempPipeline;
let wh: DuckDbWarehouse;
let refreshes: RefreshLoop;
const closers: (() => Promise<unknown>)[] = [];

beforeEach(async () => {
  p = await tempPipeline();
  wh = p.warehouse;
  const streams = new StreamRuns({ warehouse: wh, registry: p.runner.deps.registry, lineage: noopLineageSink, warehouseNamespace: 'test', logger: silentLogger() });
  refreshes = new RefreshLoop(p.runner, streams, silentLogger());
  closers.push(() => refreshes.stop());
});
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
  await p.cleanup();
});

function worker(oms: Pick<VtexOmsClient, 'getOrder'>) {
  return new OrderFetchWorker({
    warehouse: wh, bronze: p.bronze, landing: refreshes, oms,
    logger: silentLogger(), concurrency: 8, idlePollMs: 50, backoff: { baseMs: 100, maxMs: 2_000 },
  });
}

/** A local HTTP server answering Get order with `handler`, and a VTEX client pointed at it. */
async function omsStandIn(handler: http.RequestListener): Promise<VtexOmsClient> {
  const server = http.createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  closers.push(() => new Promise((r) => server.close(r)));
  const oms = createVtexOmsClient(
    { account: 'loja', appKey: 'k', appToken: 't', baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}` },
    silentLogger(),
  );
  closers.push(() => oms.close());
  return oms;
}

const enqueue = (ids: string[]) =>
  wh.transaction((tx) => enqueueFetches(tx, ids.map((naturalKey) => ({ source: 'vtex-orders', entity: 'order', naturalKey }))));
const queued = async () => Number((await wh.query<{ n: number }>('SELECT count(*) AS n FROM ops.fetch_queue'))[0]?.n);

describe('order fetch worker', () => {
  it('gets every order through 5xx, 429 with Retry-After and slow answers, retrying from the queue', async () => {
    const sandbox: VtexSandbox = createVtexSandbox({
      port: 0, seed: 5, history: { orders: 30, days: 2 }, publishIntervalMs: 0,
      faults: { failureRate: 0.45, throttleRate: 0.15, retryAfterSeconds: 1, latencyMs: 20 },
    });
    await sandbox.start();
    closers.push(() => sandbox.close());
    // The sandbox publishes orders once a hook is configured; a bare receiver acknowledges the stream.
    const receiver: FastifyInstance = Fastify();
    receiver.post('/hook', async () => ({ ok: true }));
    const hookUrl = `${await receiver.listen({ host: '127.0.0.1', port: 0 })}/hook`;
    closers.push(() => receiver.close());
    const oms = createVtexOmsClient(
      { account: sandbox.account, appKey: sandbox.appKey, appToken: sandbox.appToken, baseUrl: sandbox.url },
      silentLogger(),
    );
    closers.push(() => oms.close());
    await oms.configureOrderHook(hookUrl, 'hook-token-0123456789abcdef');
    await sandbox.whenAllDelivered(30_000);

    const ids = sandbox.orders().map((o) => o.orderId);
    await enqueue(ids);
    const w = worker(oms);
    let failures = 0;
    await waitFor('every order fetched', async () => {
      failures += (await w.runOnce()).failed;
      return (await queued()) === 0;
    }, 90_000, 50);
    await refreshes.idle();
    expect(failures).toBeGreaterThan(0); // some fetches failed past the client's own retries…
    expect(sandbox.stats().faultsInjected).toBeGreaterThan(0);
    const silver = await wh.query<{ order_id: string; status: string }>('SELECT order_id, status FROM silver.orders');
    expect(silver).toHaveLength(ids.length); // …and still nothing was dropped
    const final = new Map(sandbox.orders().map((o) => [o.orderId, o.status]));
    for (const r of silver) expect(r.status).toBe(final.get(r.order_id));
  }, 120_000);

  it('isolates an order the warehouse refuses: the rest of the batch lands, it goes to bronze and quarantine', async () => {
    const good = sampleVtexOrder();
    // Passes validation (digits in the right places) but no calendar has month 13: the warehouse refuses it.
    const poison = sampleVtexOrder({ orderId: 'poison-01', creationDate: '2025-13-45T10:00:00.0000000+00:00' });
    const oms = await omsStandIn((req, res) => {
      const id = decodeURIComponent(req.url?.split('/').pop() ?? '');
      const body = id === 'poison-01' ? poison : id === good.orderId ? good : undefined;
      res.writeHead(body ? 200 : 404, { 'content-type': 'application/json' }).end(JSON.stringify(body ?? { error: 'not found' }));
    });
    await enqueue(['poison-01', String(good.orderId)]);
    const r = await worker(oms).runOnce();
    expect(r).toMatchObject({ claimed: 2, fetched: 2, failed: 0 });
    await refreshes.idle();
    expect(await wh.query('SELECT order_id FROM silver.orders')).toEqual([{ order_id: good.orderId }]);
    const [q] = await wh.query<{ natural_key: string; reason: string; payload: string; bronze_record_id: string }>('SELECT * FROM silver.quarantine');
    expect(q?.natural_key).toBe('poison-01');
    expect(q?.reason).toMatch(/creationDate|2025-13-45/);
    expect(JSON.parse(q?.payload ?? '{}').orderId).toBe('poison-01');
    expect(await wh.query('SELECT natural_key FROM bronze.records WHERE record_id = ?', [q?.bronze_record_id ?? ''])).toEqual([
      { natural_key: 'poison-01' },
    ]);
    expect(await queued()).toBe(0); // quarantined, not silently retried forever; a new notification re-queues it
  });

  it('quarantines an order OMS keeps answering 404 for after a bounded number of tries, and never requests an id that is not one', async () => {
    const requested: string[] = [];
    const oms = await omsStandIn((req, res) => {
      requested.push(req.url ?? '');
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'Order not found' } }));
    });
    // Ids queued before the hook checked them, or by anything else that enqueues: none may reach a URL.
    await enqueue(['gone-01', '..', '../../api/vtexid/pub/authenticated/user', 'a/b', '%2e%2e']);
    const w = new OrderFetchWorker({
      warehouse: wh, bronze: p.bronze, landing: refreshes, oms, logger: silentLogger(), concurrency: 4,
      backoff: { baseMs: 1, maxMs: 1 }, maxNotFoundAttempts: 3,
    });
    const first = await w.runOnce();
    expect(first).toMatchObject({ claimed: 5, fetched: 0, failed: 1, givenUp: 4 });
    expect(requested).toEqual(['/api/oms/pvt/orders/gone-01']);
    expect((await wh.query<{ attempts: number }>('SELECT attempts FROM ops.fetch_queue')).map((r) => r.attempts)).toEqual([1]);
    for (let i = 0; i < 2; i++) {
      await new Promise((r) => setTimeout(r, 20));
      await w.runOnce();
    }
    expect(requested).toHaveLength(3);
    expect(await queued()).toBe(0);
    const q = await wh.query<{ natural_key: string; entity: string; reason: string; run_id: string | null }>(
      'SELECT natural_key, entity, reason, run_id FROM silver.quarantine ORDER BY natural_key',
    );
    expect(q.map((r) => r.natural_key)).toEqual(['%2e%2e', '..', '../../api/vtexid/pub/authenticated/user', 'a/b', 'gone-01']);
    expect(q.every((r) => r.entity === 'order' && r.run_id !== null)).toBe(true);
    expect(q.find((r) => r.natural_key === 'gone-01')?.reason).toMatch(/404.*3 tries/);
    expect(q.find((r) => r.natural_key === '..')?.reason).toMatch(/not a VTEX order id/);
    // A hook naming it again starts over: a new request is a new chance.
    await enqueue(['gone-01']);
    expect(await queued()).toBe(1);
  });
});
