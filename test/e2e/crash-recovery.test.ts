import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVtexSandbox, type VtexSandbox } from '../../src/sandbox/vtex/index.js';
import { BronzeStore } from '../../src/ingest/bronze/bronze-store.js';
import { DuckDbWarehouse } from '../../src/warehouse/duckdb/duckdb-warehouse.js';
import { freePort, startFarolProcess, type FarolProcess } from '../fixtures/farol-process.js';
import { waitFor } from '../fixtures/wait-for.js';

const HOOK_TOKEN = 'crash-test-hook-token-0123456789';
const API_KEY = 'crash-test-api-key-0123456789';
let dir: string;
let sandbox: VtexSandbox;
let farol: FarolProcess | undefined;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'farol-crash-'));
  sandbox = createVtexSandbox({ port: 0, seed: 99, history: { orders: 200, days: 3 }, live: false, publishIntervalMs: 2 });
  await sandbox.start();
});

afterAll(async () => {
  farol?.child.kill('SIGKILL');
  await sandbox?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('a SIGKILL while notifications arrive', () => {
  it('loses no acknowledged notification and every order still reaches silver', async () => {
    const port = await freePort();
    const env = {
      FAROL_HOST: '127.0.0.1',
      FAROL_PORT: String(port),
      FAROL_WAREHOUSE: `duckdb:${path.join(dir, 'farol.duckdb')}`,
      FAROL_API_KEYS: `${API_KEY}:admin`,
      FAROL_SANDBOX: 'off',
      FAROL_LOG_LEVEL: 'warn',
      VTEX_ACCOUNT: sandbox.account,
      VTEX_APP_KEY: sandbox.appKey,
      VTEX_APP_TOKEN: sandbox.appToken,
      VTEX_BASE_URL: sandbox.url,
      VTEX_HOOK_TOKEN: HOOK_TOKEN,
    };
    farol = await startFarolProcess(env);
    const hookUrl = `http://127.0.0.1:${port}/webhooks/vtex/orders`;
    const orderIds = sandbox.orders().map((o) => o.orderId);

    // Our own notifications on top of the sandbox's stream, each unique, so we know exactly which got a 200.
    const acknowledged: string[] = [];
    let sent = 0;
    let firing = true;
    const fire = async () => {
      while (firing) {
        const n = sent++;
        const body = JSON.stringify({
          Domain: 'Marketplace', OrderId: orderIds[n % orderIds.length], State: 'payment-approved', LastState: 'payment-pending',
          LastChange: '2025-03-14T13:24:58.4411230Z', CurrentChange: new Date().toISOString(),
          Origin: { Account: sandbox.account, Key: `crash-test-${n}` },
        });
        try {
          const res = await fetch(hookUrl, { method: 'POST', headers: { 'content-type': 'application/json', 'x-farol-hook-token': HOOK_TOKEN }, body });
          if (res.status === 200) acknowledged.push(body);
        } catch {
          // the process is gone: this one was never acknowledged
          await new Promise((r) => setTimeout(r, 5));
        }
      }
    };
    const firers = Array.from({ length: 12 }, fire);
    await waitFor('300 acknowledged notifications', () => acknowledged.length >= 300, 30_000, 5);
    farol.child.kill('SIGKILL');
    await farol.exited;
    await new Promise((r) => setTimeout(r, 100));
    firing = false;
    await Promise.all(firers);
    expect(acknowledged.length).toBeGreaterThanOrEqual(300);
    expect(sent).toBeGreaterThan(acknowledged.length); // some were in flight or refused when it died

    farol = await startFarolProcess(env);
    await sandbox.whenAllDelivered(120_000);
    await waitFor(
      'the restarted process to drain its fetch queue',
      async () => {
        const health = (await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()) as {
          pendingOrderFetches: number; hookInbox: number; sources: { unappliedRecords: number }[];
        };
        return health.pendingOrderFetches === 0 && health.hookInbox === 0 && health.sources.every((s) => s.unappliedRecords === 0);
      },
      120_000,
      200,
    );
    farol.child.kill('SIGTERM');
    await farol.exited;
    farol = undefined;

    const wh = await DuckDbWarehouse.open({ path: path.join(dir, 'farol.duckdb') });
    try {
      // Bronze is the write-ahead table plus its compacted segments: read it the way the pipeline does.
      const store = await BronzeStore.open(wh, path.join(dir, 'farol.bronze'));
      const bronze = await wh.transaction(async (tx) => {
        const rel = await store.relation(tx, 'vtex-orders', ['order_notification'], 0, store.readableUpTo('vtex-orders'));
        return tx.query<{ payload: string }>(`SELECT payload FROM (${rel.sql}) b`, rel.params);
      });
      const stored = new Set(bronze.map((r) => r.payload));
      const lost = acknowledged.filter((b) => !stored.has(b));
      expect(lost).toEqual([]);
      const silver = await wh.query<{ order_id: string; status: string }>('SELECT order_id, status FROM silver.orders');
      const byId = new Map(silver.map((r) => [r.order_id, r.status]));
      for (const o of sandbox.orders()) expect(byId.get(o.orderId), o.orderId).toBe(o.status);
    } finally {
      await wh.close();
    }
  }, 300_000);
});

describe('a SIGTERM while notifications arrive', () => {
  it('stops accepting, keeps every acknowledged notification, and exits 0 instead of draining forever', async () => {
    const port = await freePort();
    const termDir = fs.mkdtempSync(path.join(os.tmpdir(), 'farol-term-'));
    const env = {
      FAROL_HOST: '127.0.0.1', FAROL_PORT: String(port), FAROL_WAREHOUSE: `duckdb:${path.join(termDir, 'farol.duckdb')}`,
      FAROL_API_KEYS: `${API_KEY}:admin`, FAROL_SANDBOX: 'off', FAROL_LOG_LEVEL: 'error',
      VTEX_ACCOUNT: sandbox.account, VTEX_APP_KEY: sandbox.appKey, VTEX_APP_TOKEN: sandbox.appToken, VTEX_BASE_URL: sandbox.url,
      VTEX_HOOK_TOKEN: HOOK_TOKEN,
    };
    const proc = await startFarolProcess(env);
    const acknowledged: string[] = [];
    let firing = true;
    let n = 0;
    const fire = async () => {
      while (firing) {
        const body = JSON.stringify({ OrderId: `term-${n++}`, State: 'payment-approved' });
        try {
          const res = await fetch(`http://127.0.0.1:${port}/webhooks/vtex/orders`, {
            method: 'POST', headers: { 'content-type': 'application/json', 'x-farol-hook-token': HOOK_TOKEN }, body,
          });
          if (res.status === 200) acknowledged.push(body);
        } catch {
          await new Promise((r) => setTimeout(r, 5));
        }
      }
    };
    const firers = Array.from({ length: 12 }, fire);
    await waitFor('200 acknowledged notifications', () => acknowledged.length >= 200, 30_000, 5);
    proc.child.kill('SIGTERM');
    expect(await proc.exited).toBe(0);
    firing = false;
    await Promise.all(firers);

    // Acknowledged means durable: each is in bronze, or still in the inbox for the next start.
    const wh = await DuckDbWarehouse.open({ path: path.join(termDir, 'farol.duckdb') });
    const inbox = await DuckDbWarehouse.open({ path: path.join(termDir, 'farol.inbox.duckdb') });
    try {
      const store = await BronzeStore.open(wh, path.join(termDir, 'farol.bronze'));
      const inBronze = await wh.transaction(async (tx) => {
        const rel = await store.relation(tx, 'vtex-orders', ['order_notification'], 0, store.readableUpTo('vtex-orders'));
        return tx.query<{ payload: string }>(`SELECT payload FROM (${rel.sql}) b`, rel.params);
      });
      const waiting = await inbox.query<{ payload: string }>('SELECT payload FROM inbox.notifications');
      const kept = new Set([...inBronze, ...waiting].map((r) => r.payload));
      expect(acknowledged.filter((b) => !kept.has(b))).toEqual([]);
    } finally {
      await inbox.close();
      await wh.close();
      fs.rmSync(termDir, { recursive: true, force: true });
    }
  }, 180_000);
});
