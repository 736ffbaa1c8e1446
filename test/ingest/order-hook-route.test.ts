import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compactBronze } from '../../src/ingest/bronze/bronze-compactor.js';
import { enqueueFetches } from '../../src/ingest/state/fetch-queue.js';
import { HookInbox } from '../../src/ingest/webhooks/hook-inbox.js';
import { InboxMover } from '../../src/ingest/webhooks/inbox-mover.js';
import { OrderHookReceiver } from '../../src/ingest/webhooks/order-hook-receiver.js';
import { ORDER_HOOK_PATH, registerOrderHookRoute } from '../../src/ingest/webhooks/order-hook-route.js';
import { silentLogger } from '../../src/observability/logger.js';
import { RefreshLoop } from '../../src/pipeline/refresh-loop.js';
import { StreamRuns } from '../../src/pipeline/stream-runs.js';
import { noopLineageSink } from '../../src/pipeline/lineage/lineage-types.js';
import type { DuckDbWarehouse } from '../../src/warehouse/duckdb/duckdb-warehouse.js';
import { tempPipeline, type TempPipeline } from '../fixtures/temp-pipeline.js';

const TOKEN = 'test-hook-token-0123456789';
let p: TempPipeline;
let wh: DuckDbWarehouse;
let inbox: HookInbox;
let mover: InboxMover;
let streams: StreamRuns;
let app: FastifyInstance;
let url: string;

beforeEach(async () => {
  p = await tempPipeline();
  wh = p.warehouse;
  inbox = await HookInbox.open(path.join(p.dir, 'farol.inbox.duckdb'), 0, silentLogger());
  streams = new StreamRuns({ warehouse: wh, registry: p.runner.deps.registry, lineage: noopLineageSink, warehouseNamespace: 'test', logger: silentLogger() });
  const landing = new RefreshLoop(p.runner, streams, silentLogger());
  mover = new InboxMover({
    inbox, warehouse: wh, bronze: p.bronze, landing, logger: silentLogger(),
    followUps: { 'vtex-orders': (tx, recs) => enqueueFetches(tx, recs.map((r) => ({ source: 'vtex-orders', entity: 'order', naturalKey: r.naturalKey }))) },
  });
  app = Fastify();
  await registerOrderHookRoute(app, { receiver: new OrderHookReceiver(inbox, wh, silentLogger()), hookToken: TOKEN, logger: silentLogger() });
  url = `${await app.listen({ host: '127.0.0.1', port: 0 })}${ORDER_HOOK_PATH}`;
});
afterEach(async () => {
  await app.close();
  await inbox.close().catch(() => undefined);
  await p.cleanup();
});

const notification = (orderId: string, state = 'payment-approved') => ({
  Domain: 'Marketplace', OrderId: orderId, State: state, LastState: 'payment-pending',
  LastChange: '2025-03-14T13:24:58.4411230Z', CurrentChange: '2025-03-14T13:25:40.9023311Z',
  Origin: { Account: 'lojaexemplo', Key: 'vtexappkey-lojaexemplo-KQZT7P' },
});

function post(body: string, token: string | null = TOKEN, contentType = 'application/json') {
  const headers: Record<string, string> = { 'content-type': contentType };
  if (token !== null) headers['x-farol-hook-token'] = token;
  return fetch(url, { method: 'POST', headers, body });
}

describe('POST /webhooks/vtex/orders', () => {
  it('answers the VTEX ping with 200 and stores nothing', async () => {
    const res = await post(JSON.stringify({ hookConfig: 'ping' }));
    expect(res.status).toBe(200);
    expect(await wh.query('SELECT count(*)::INT n FROM bronze.records')).toEqual([{ n: 0 }]);
  });

  it('rejects a missing or wrong hook token with 401', async () => {
    expect((await post(JSON.stringify(notification('1-01')), null)).status).toBe(401);
    const wrong = await post(JSON.stringify(notification('1-01')), 'not-the-token');
    expect(wrong.status).toBe(401);
    expect(((await wrong.json()) as { error: string }).error).toContain('x-farol-hook-token');
    expect(await wh.query('SELECT count(*)::INT n FROM bronze.records')).toEqual([{ n: 0 }]);
  });

  it('answers 400 with the reason for garbage and quarantines the body', async () => {
    const notJson = await post('{"OrderId": ', TOKEN);
    expect(notJson.status).toBe(400);
    expect(((await notJson.json()) as { error: string }).error).toMatch(/not JSON/);
    const wrongShape = await post(JSON.stringify({ OrderId: '', State: 42 }), TOKEN, 'text/plain');
    expect(wrongShape.status).toBe(400);
    const { error } = (await wrongShape.json()) as { error: string };
    expect(error).toContain('OrderId');
    expect(error).toContain('State');
    const q = await wh.query<{ entity: string; reason: string; payload: string }>(
      'SELECT entity, reason, payload FROM silver.quarantine ORDER BY quarantined_at',
    );
    expect(q).toHaveLength(2);
    expect(q[0]).toMatchObject({ entity: 'order_notification', payload: '{"OrderId": ' });
    expect(q[1]?.reason).toContain('State');
  });

  it('acknowledges only after the notification is durable, then moves it into bronze with its fetch enqueued', async () => {
    const body = JSON.stringify(notification('1412730598321-01'));
    const res = await post(body);
    expect(res.status).toBe(200);
    expect(await inbox.depth()).toBe(1);
    expect(await mover.moveOnce()).toBe(1);
    expect(await wh.query('SELECT source, entity, natural_key, payload FROM bronze.records')).toEqual([
      { source: 'vtex-orders', entity: 'order_notification', natural_key: '1412730598321-01', payload: body },
    ]);
    expect(await wh.query('SELECT natural_key, attempts FROM ops.fetch_queue')).toEqual([
      { natural_key: '1412730598321-01', attempts: 0 },
    ]);
    expect(await inbox.depth()).toBe(0);
    await streams.closeAll();
    expect(await wh.query("SELECT trigger, status, records_in::INT n FROM ops.runs WHERE source = 'vtex-orders'")).toEqual([
      { trigger: 'hook', status: 'succeeded', n: 1 },
    ]);
  });

  it('keeps the exact bytes of a body that is not valid UTF-8, in bronze and in its compacted segment', async () => {
    // A sender that writes Latin-1: "São" with 0xE3 for "ã", which is not UTF-8.
    const text = JSON.stringify({ ...notification('1412730598322-01'), Origin: { Account: 'lojaSXo', Key: 'k' } });
    const bytes = Buffer.from(text, 'latin1');
    bytes[bytes.indexOf('lojaSXo') + 5] = 0xe3;
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-farol-hook-token': TOKEN }, body: bytes });
    expect(res.status).toBe(200);
    // A valid UTF-8 body is kept as its text alone.
    expect((await post(JSON.stringify(notification('1412730598323-01')))).status).toBe(200);
    await mover.moveOnce();
    const rows = await wh.query<{ natural_key: string; payload: string; payload_base64: string | null }>(
      'SELECT natural_key, payload, payload_base64 FROM bronze.records ORDER BY seq',
    );
    expect(rows.map((r) => [r.natural_key, r.payload_base64 === null ? null : Buffer.from(r.payload_base64, 'base64')])).toEqual([
      ['1412730598322-01', bytes],
      ['1412730598323-01', null],
    ]);
    // Silver reads the text, where the byte that does not decode is U+FFFD.
    expect(rows[0]?.payload).toContain('lojaS\uFFFDo');

    await compactBronze(p.bronze, { retentionDays: 0 });
    const [segment] = await wh.query<{ path: string }>("SELECT path FROM bronze.segments WHERE source = 'vtex-orders'");
    expect(segment).toBeDefined();
    const [kept] = await wh.query<{ b: string }>(
      `SELECT payload_base64 AS b FROM read_parquet('${path.join(p.dir, 'farol.bronze', segment?.path ?? '')}') WHERE natural_key = '1412730598322-01'`,
    );
    expect(Buffer.from(kept?.b ?? '', 'base64')).toEqual(bytes);
  });

  it('groups concurrent notifications; every 200 is durable and duplicates share one fetch', async () => {
    let commits = 0;
    inbox.onWritten(() => commits++);
    const ids = Array.from({ length: 300 }, (_, i) => `${1000 + (i % 150)}-01`);
    const results = await Promise.all(ids.map((id) => post(JSON.stringify(notification(id)))));
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(await inbox.depth()).toBe(300);
    expect(commits).toBeLessThan(300);
    while ((await mover.moveOnce()) > 0);
    expect(await wh.query('SELECT count(*)::INT n FROM bronze.records')).toEqual([{ n: 300 }]);
    expect(await wh.query('SELECT count(*)::INT n FROM ops.fetch_queue')).toEqual([{ n: 150 }]);
  });

  it('moves each notification into bronze exactly once, even when the inbox still holds moved rows at a restart', async () => {
    for (const id of ['1-01', '2-01', '3-01']) expect((await post(JSON.stringify(notification(id)))).status).toBe(200);
    await mover.moveOnce();
    // Two more arrive, and the process dies before the moved rows could be dropped from the inbox.
    for (const id of ['4-01', '5-01']) expect((await post(JSON.stringify(notification(id)))).status).toBe(200);
    await inbox.close();
    inbox = await HookInbox.open(path.join(p.dir, 'farol.inbox.duckdb'), await InboxMover.movedUpTo(wh), silentLogger());
    expect((await inbox.waiting(0, 10)).map((r) => r.natural_key)).toEqual(['4-01', '5-01']);
  });

  it('answers 503 when the notification cannot be stored, so VTEX retries it', async () => {
    await inbox.close();
    const res = await post(JSON.stringify(notification('1-01')));
    expect(res.status).toBe(503);
    expect(((await res.json()) as { error: string }).error).toMatch(/retry/);
  });

  it('stores a notification that also says ping: it names an order', async () => {
    const res = await post(JSON.stringify({ ...notification('1412730598321-01'), hookConfig: 'ping' }));
    expect(res.status).toBe(200);
    expect(((await res.json()) as { ping?: boolean }).ping).toBeUndefined();
    expect(await inbox.depth()).toBe(1);
  });

  it('refuses an OrderId that is not a VTEX order id with 400, before it can reach a URL', async () => {
    for (const id of ['..', '.', '../../api/vtexid/pub/authenticated/user', 'a/b', '%2e%2e', 'x?y=1', ' 1-01', 'é-01', 'x'.repeat(101)]) {
      const res = await post(JSON.stringify(notification(id)));
      expect(res.status, id).toBe(400);
      expect(((await res.json()) as { error: string }).error).toMatch(/OrderId: expected a VTEX order id/);
    }
    expect(await inbox.depth()).toBe(0);
    expect(await wh.query('SELECT count(*)::INT n FROM silver.quarantine')).toEqual([{ n: 9 }]);
  });

  it('never echoes what the body held in its answer', async () => {
    const res = await post('{"OrderId": "1-01", "clientProfileData": {"email": "maria.silva@exemplo.com.br"');
    expect(res.status).toBe(400);
    const { error } = (await res.json()) as { error: string };
    expect(error).toMatch(/not JSON/);
    expect(error).not.toContain('maria');
    const wrong = await post(JSON.stringify({ ...notification('1-01'), State: { email: 'maria.silva@exemplo.com.br' } }));
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).not.toContain('maria');
  });

  it('answers 503, not 400, when a refused body cannot be quarantined, so VTEX sends it again', async () => {
    await wh.close();
    const res = await post('{"OrderId": ');
    expect(res.status).toBe(503);
    expect(((await res.json()) as { error: string }).error).toMatch(/retry/);
  });
});
