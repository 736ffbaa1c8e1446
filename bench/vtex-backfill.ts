import Fastify from 'fastify';
import { BACKFILL_RETRY, createVtexOmsClient, OMS_REQUESTS_PER_SECOND } from '../src/ingest/sources/vtex-orders/vtex-oms-client.js';
import { createVtexOrdersSource } from '../src/ingest/sources/vtex-orders/vtex-orders-source.js';
import { silentLogger } from '../src/observability/logger.js';
import { createVtexSandbox, type VtexSandbox } from '../src/sandbox/vtex/index.js';
import { heldOrderChanges } from '../src/transform/silver/held-orders.js';
import { tempPipeline, type TempPipeline } from '../test/fixtures/temp-pipeline.js';

export interface VtexBackfillBench {
  /** Orders landed in silver by `farol ingest vtex-orders --since`, at VTEX's Get-order limit. */
  readonly backfillOrders: number;
  readonly backfillSeconds: number;
  readonly backfillOrdersPerSecond: number;
  readonly requestsPerSecondLimit: number;
  /** One scheduled run over the last 3 days of a store taking 10,000 orders a day, all held. */
  readonly reconcileOrders: number;
  readonly reconcileSeconds: number;
  readonly reconcileListCalls: number;
  readonly reconcileGetCalls: number;
}

/**
 * The VTEX orders backfill against the sandbox, with the client held to the same requests/s as
 * against a real account (80/s, under VTEX's 6,000 Get orders a minute), and a reconciliation
 * cycle over 3 days at 10,000 orders a day, when every order is already held (the usual case:
 * lists only, no Get order).
 */
export async function benchVtexBackfill(): Promise<VtexBackfillBench> {
  const day = 24 * 3_600_000;
  const small = await store({ seed: 21, history: { orders: 3_000, days: 5 } });
  const a = await pipelineOn(small.sandbox);
  const t0 = performance.now();
  await a.p.runner.run('vtex-orders', { trigger: 'cli', since: new Date(Date.now() - 6 * day) });
  const backfillSeconds = (performance.now() - t0) / 1000;
  const backfillOrders = await count(a.p);
  await a.close();
  await small.close();

  const big = await store({ seed: 22, history: { orders: 30_000, days: 3 } });
  const b = await pipelineOn(big.sandbox);
  // Filling the warehouse first is not what is measured: it goes unthrottled.
  b.unthrottled = true;
  await b.p.runner.run('vtex-orders', { trigger: 'cli', since: new Date(Date.now() - 4 * day) });
  b.unthrottled = false;
  const lists = b.calls.list;
  const gets = b.calls.get;
  const t1 = performance.now();
  await b.p.runner.run('vtex-orders', { trigger: 'schedule' });
  const reconcileSeconds = (performance.now() - t1) / 1000;
  const result = {
    backfillOrders, backfillSeconds, backfillOrdersPerSecond: backfillOrders / backfillSeconds, requestsPerSecondLimit: OMS_REQUESTS_PER_SECOND,
    reconcileOrders: await count(b.p), reconcileSeconds, reconcileListCalls: b.calls.list - lists, reconcileGetCalls: b.calls.get - gets,
  };
  await b.close();
  await big.close();
  return result;
}

async function store(options: { seed: number; history: { orders: number; days: number } }) {
  const sandbox = createVtexSandbox({ port: 0, publishIntervalMs: 0, duplicateRate: 0, ...options });
  await sandbox.start();
  // The sandbox publishes once a hook is configured; this one is not Farol's.
  const elsewhere = Fastify();
  elsewhere.post('/hook', async () => ({ ok: true }));
  const hookUrl = `${await elsewhere.listen({ host: '127.0.0.1', port: 0 })}/hook`;
  const admin = createVtexOmsClient({ account: sandbox.account, appKey: sandbox.appKey, appToken: sandbox.appToken, baseUrl: sandbox.url }, silentLogger());
  await admin.configureOrderHook(hookUrl, 'someone-elses-hook-token');
  await admin.close();
  await sandbox.whenAllDelivered(600_000);
  return { sandbox, close: async () => { await sandbox.close(); await elsewhere.close(); } };
}

async function pipelineOn(sandbox: VtexSandbox) {
  const account = { account: sandbox.account, appKey: sandbox.appKey, appToken: sandbox.appToken, baseUrl: sandbox.url };
  const client = createVtexOmsClient(account, silentLogger(), OMS_REQUESTS_PER_SECOND, BACKFILL_RETRY);
  const fast = createVtexOmsClient(account, silentLogger(), 100_000, BACKFILL_RETRY);
  const calls = { list: 0, get: 0 };
  const state = { unthrottled: false };
  const pick = () => (state.unthrottled ? fast : client);
  const p: TempPipeline = await tempPipeline({
    registry: (base) => ({
      ...base,
      'vtex-orders': createVtexOrdersSource({
        account: sandbox.account,
        backfill: {
          oms: { listOrders: (f, t, n) => (calls.list++, pick().listOrders(f, t, n)), getOrder: (id) => (calls.get++, pick().getOrder(id)) },
          known: (ids) => heldOrderChanges(p.warehouse, 'vtex-orders', ids), concurrency: 8, defaultDays: 90, reconcileDays: 3,
        },
      }),
    }),
  });
  return {
    p, calls,
    set unthrottled(v: boolean) { state.unthrottled = v; },
    close: async () => { await client.close(); await fast.close(); await p.cleanup(); },
  };
}

async function count(p: TempPipeline): Promise<number> {
  const [row] = await p.warehouse.query<{ n: number }>("SELECT count(*) AS n FROM silver.orders WHERE source = 'vtex-orders'");
  return Number(row?.n ?? 0);
}

if (process.argv[1]?.endsWith('vtex-backfill.ts')) {
  benchVtexBackfill().then((r) => console.log(JSON.stringify(r, null, 2)), (err: unknown) => { console.error(err); process.exit(1); });
}
