import { BACKFILL_RETRY, createVtexOmsClient, OMS_REQUESTS_PER_SECOND } from '../src/ingest/sources/vtex-orders/vtex-oms-client.js';
import { silentLogger } from '../src/observability/logger.js';
import type { VtexSandbox } from '../src/sandbox/vtex/index.js';
import type { TempPipeline } from '../test/fixtures/temp-pipeline.js';
import { backfillPipeline, sandboxAccount, storeWithHistory } from '../test/fixtures/vtex-store.js';

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
  const small = await storeWithHistory({ seed: 21, history: { orders: 3_000, days: 5 } });
  const a = await pipelineOn(small.sandbox);
  const t0 = performance.now();
  await a.p.runner.run('vtex-orders', { trigger: 'cli', since: new Date(Date.now() - 6 * day) });
  const backfillSeconds = (performance.now() - t0) / 1000;
  const backfillOrders = await count(a.p);
  await a.close();
  await small.close();

  const big = await storeWithHistory({ seed: 22, history: { orders: 30_000, days: 3 } });
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

/** A pipeline over the sandbox whose client runs at the real account's rate, or unthrottled while `unthrottled`. */
async function pipelineOn(sandbox: VtexSandbox) {
  const client = createVtexOmsClient(sandboxAccount(sandbox), silentLogger(), OMS_REQUESTS_PER_SECOND, BACKFILL_RETRY);
  const fast = createVtexOmsClient(sandboxAccount(sandbox), silentLogger(), 100_000, BACKFILL_RETRY);
  const state = { unthrottled: false };
  const pick = () => (state.unthrottled ? fast : client);
  const { p, calls } = await backfillPipeline(sandbox, { listOrders: (f, t, n) => pick().listOrders(f, t, n), getOrder: (id) => pick().getOrder(id) });
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
