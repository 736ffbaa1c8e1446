import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LandingPace } from '../../src/ingest/landing-pace.js';
import { OrderFetchWorker } from '../../src/ingest/sources/vtex-orders/order-fetch-worker.js';
import { createVtexOmsClient } from '../../src/ingest/sources/vtex-orders/vtex-oms-client.js';
import { enqueueFetches } from '../../src/ingest/state/fetch-queue.js';
import { HookInbox } from '../../src/ingest/webhooks/hook-inbox.js';
import { InboxMover } from '../../src/ingest/webhooks/inbox-mover.js';
import { silentLogger } from '../../src/observability/logger.js';
import { noopLineageSink } from '../../src/pipeline/lineage/lineage-types.js';
import { RefreshLoop } from '../../src/pipeline/refresh-loop.js';
import { StreamRuns } from '../../src/pipeline/stream-runs.js';
import { sampleVtexOrder } from '../fixtures/vtex-order.js';
import { tempPipeline, type TempPipeline } from '../fixtures/temp-pipeline.js';
import { waitFor } from '../fixtures/wait-for.js';

/**
 * The landing pace (BigQuery's load-job quota): with a minimum interval, records that arrive
 * while the last landing is recent wait durably (inbox, fetch queue) and land together in the
 * next landing; a stop lands what is waiting without waiting out the interval.
 *
 * No assertion depends on how fast the machine is: the interval (30 s) is far longer than
 * anything the test waits for, and what is checked is how many landings happened.
 */
const PACE_MS = 30_000;

let p: TempPipeline;
let refreshes: RefreshLoop;
let inbox: HookInbox;
const closers: (() => Promise<unknown>)[] = [];

beforeEach(async () => {
  p = await tempPipeline();
  const streams = new StreamRuns({ warehouse: p.warehouse, registry: p.runner.deps.registry, lineage: noopLineageSink, warehouseNamespace: 'test', logger: silentLogger() });
  refreshes = new RefreshLoop(p.runner, streams, silentLogger());
  closers.push(() => refreshes.stop());
  inbox = await HookInbox.open(path.join(p.dir, 'farol.inbox.duckdb'), 0, silentLogger());
  closers.push(() => inbox.close());
});
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
  await p.cleanup();
});

const notification = (orderId: string) => JSON.stringify({ Domain: 'Marketplace', OrderId: orderId, State: 'invoiced', LastState: 'handling' });
const bronzeCount = async () => Number((await p.warehouse.query<{ n: number }>('SELECT count(*) AS n FROM bronze.records'))[0]?.n);
const receive = (ids: readonly string[]) =>
  Promise.all(ids.map((id) => inbox.accept({ source: 'vtex-orders', entity: 'order_notification', naturalKey: id, payload: notification(id), receivedAt: new Date() })));

describe('landing pace', () => {
  it('holds the inbox mover to one landing per interval; what arrives meanwhile stays durable and lands together', async () => {
    const pace = new LandingPace(PACE_MS);
    let landings = 0;
    const mover = new InboxMover({
      inbox, warehouse: p.warehouse, bronze: p.bronze, landing: refreshes, logger: silentLogger(), followUps: {}, pace, pollMs: 20,
      onMoved: () => landings++,
    });
    await mover.start();
    await receive(['1-01']);
    await waitFor('the first notification to land', async () => (await bronzeCount()) === 1);
    expect(landings).toBe(1);

    // Five more, one by one, while the interval runs: each is durable in the inbox, none lands yet.
    for (const id of ['2-01', '3-01', '4-01', '5-01', '6-01']) {
      await receive([id]);
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(await inbox.depth()).toBe(5);
    expect(await bronzeCount()).toBe(1);
    expect(pace.remainingMs()).toBeGreaterThan(0);

    // A stop lands them all in one landing, without waiting the interval out.
    await mover.stop();
    expect(await bronzeCount()).toBe(6);
    expect(landings).toBe(2);
    expect(pace.remainingMs()).toBeGreaterThan(PACE_MS / 2);
  });

  it('lands at once when no landing is recent, and never paces with an interval of 0', async () => {
    let landings = 0;
    const mover = new InboxMover({
      inbox, warehouse: p.warehouse, bronze: p.bronze, landing: refreshes, logger: silentLogger(), followUps: {}, pace: new LandingPace(0), pollMs: 20,
      onMoved: () => landings++,
    });
    await mover.start();
    closers.push(() => mover.stop());
    await receive(['1-01']);
    await waitFor('the first notification to land', async () => (await bronzeCount()) === 1);
    await receive(['2-01']);
    await waitFor('the second notification to land on its own', async () => (await bronzeCount()) === 2);
    expect(landings).toBe(2);
  });

  it('shares one pace between the inbox mover and the order fetch worker', async () => {
    const server = http.createServer((req, res) => {
      const id = decodeURIComponent(req.url?.split('/').at(-1) ?? '');
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(sampleVtexOrder({ orderId: id, sequence: id.replace(/\D/g, '') })));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    closers.push(() => new Promise((r) => server.close(r)));
    const oms = createVtexOmsClient(
      { account: 'loja', appKey: 'k', appToken: 't', baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}` },
      silentLogger(),
    );
    closers.push(() => oms.close());

    const pace = new LandingPace(PACE_MS);
    let moves = 0;
    const mover = new InboxMover({
      inbox, warehouse: p.warehouse, bronze: p.bronze, landing: refreshes, logger: silentLogger(), followUps: {}, pace, pollMs: 20,
      onMoved: () => moves++,
    });
    const worker = new OrderFetchWorker({ warehouse: p.warehouse, bronze: p.bronze, landing: refreshes, oms, logger: silentLogger(), concurrency: 4, idlePollMs: 20, gatherMs: 20, pace });
    await mover.start();
    await receive(['1-01']);
    await waitFor('the notification to land', async () => (await bronzeCount()) === 1);

    // The mover just landed: the worker's first landing waits for the same interval.
    await p.warehouse.transaction((tx) => enqueueFetches(tx, [{ source: 'vtex-orders', entity: 'order', naturalKey: '1412730598321-01' }]));
    worker.start();
    await new Promise((r) => setTimeout(r, 300));
    expect(await bronzeCount()).toBe(1);
    expect(Number((await p.warehouse.query<{ n: number }>('SELECT count(*) AS n FROM ops.fetch_queue'))[0]?.n)).toBe(1);

    // Stopping releases the pace; the worker stops without landing, the queue keeps the request.
    await worker.stop();
    await mover.stop();
    expect(moves).toBe(1);
    const left = await p.warehouse.query<{ natural_key: string }>('SELECT natural_key FROM ops.fetch_queue');
    expect(left).toEqual([{ natural_key: '1412730598321-01' }]);
  });
});
