import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVtexSandbox, type SandboxOrder } from '../../src/sandbox/vtex/index.js';
import { freePort, startFarolProcess, type FarolProcess } from '../fixtures/farol-process.js';
import { startExecutingBigQuery, type ExecutingBigQuery } from '../fixtures/executing-bigquery.js';
import { graphql } from '../fixtures/graphql-client.js';
import { expectedRevenueByDay } from '../fixtures/sale-statuses.js';
import { waitFor } from '../fixtures/wait-for.js';

/**
 * `farol start` as a user runs it, a separate process configured by environment only, on
 * BigQuery: the executing fake BigQuery server (test/fixtures/executing-bigquery.ts; every job's
 * BigQuery SQL run on DuckDB) with the credentials file and API endpoint that point at it, the
 * bundled VTEX sandbox on with a small history, and an API key. The service must come up ready,
 * take a hook through bronze, the fetch, silver and gold, answer GraphQL from BigQuery with the
 * numbers a hand-written query over the emulator's gold gives, survive hostile hook bodies, stop
 * on SIGTERM with exit 0 keeping every acknowledged hook, keep only its hook inbox on local disk,
 * and, left at BigQuery's default landing interval, space its landing load jobs.
 */
/** `FAROL_E2E_BUILT=1` runs dist/cli.js (after `npm run build`) instead of src/cli.ts through tsx. */
const BUILT = process.env.FAROL_E2E_BUILT === '1';
const API_KEY = 'bq-start-api-key-0123456789abcdef';
const HOOK_TOKEN = 'bq-start-hook-token-0123456789';
const TZ = 'America/Sao_Paulo';
const HISTORY_ORDERS = 30;
/** The sandbox's history ends here (its anchor file, written before the first start), so the test knows its orders. */
const HISTORY_END = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 60_000);

let dir: string;
let dataDir: string;
let bq: ExecutingBigQuery;
let farol: FarolProcess | undefined;
let url: string;
/** The sandbox's orders in their final state, as its Get order serves them. */
let truth: SandboxOrder[];
/** Every hook body that got a 200, over every process. */
const acknowledged: string[] = [];

function env(extra: Record<string, string> = {}): Record<string, string> {
  return {
    ...bq.env,
    FAROL_DATA_DIR: dataDir,
    FAROL_HOST: '127.0.0.1',
    FAROL_API_KEYS: `${API_KEY}:admin`,
    VTEX_HOOK_TOKEN: HOOK_TOKEN,
    FAROL_SANDBOX_PORT: '0',
    FAROL_SANDBOX_HISTORY_ORDERS: String(HISTORY_ORDERS),
    FAROL_SANDBOX_HISTORY_DAYS: '2',
    FAROL_SANDBOX_ORDERS_PER_MINUTE: '0',
    FAROL_LOG_LEVEL: 'warn',
    ...extra,
  };
}

async function start(extra: Record<string, string> = {}): Promise<void> {
  const port = await freePort();
  farol = await startFarolProcess(env({ FAROL_PORT: String(port), ...extra }), 120_000, { built: BUILT });
  url = `http://127.0.0.1:${port}`;
}

/** Reads the emulator's DuckDB file (the BigQuery dataset's tables), outside any session. */
function read<T = Record<string, unknown>>(sql: string): Promise<T[]> {
  return bq.fake.engine!.read(sql) as Promise<T[]>;
}

function notification(orderId: string, key: string): string {
  return JSON.stringify({
    Domain: 'Marketplace', OrderId: orderId, State: 'invoiced', LastState: 'ready-for-handling',
    LastChange: '2026-11-30T10:00:00.0000000Z', CurrentChange: new Date().toISOString(), Origin: { Account: 'farolsandbox', Key: key },
  });
}

function postHook(body: string | Buffer, headers: Record<string, string> = { 'x-farol-hook-token': HOOK_TOKEN }): Promise<Response> {
  return fetch(`${url}/webhooks/vtex/orders`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
}

interface Health {
  hookInbox: number;
  pendingOrderFetches: number;
  sources: { source: string; unappliedRecords: number; lastRunStatus: string | null }[];
}

async function health(): Promise<Health> {
  return (await (await fetch(`${url}/healthz`)).json()) as Health;
}

/** Nothing waits: the inbox is empty, no fetch is queued but `except`, every landed record is refreshed, no pull is running. */
async function whenSettled(what: string, except: readonly string[] = [], timeoutMs = 120_000): Promise<void> {
  let last: unknown;
  await waitFor(what, async () => {
    const h = await health();
    const queued = await read<{ natural_key: string }>('SELECT natural_key FROM ops.fetch_queue');
    // The hook's stream run stays open while the service runs; scheduled and startup runs end.
    const running = await read<{ source: string; trigger: string }>("SELECT source, trigger FROM ops.runs WHERE status = 'running' AND trigger <> 'hook'");
    last = { h, queued, running };
    if (h.hookInbox !== 0 || h.sources.some((s) => s.unappliedRecords !== 0)) return false;
    if (queued.some((q) => !except.includes(q.natural_key))) return false;
    return running.length === 0;
  }, timeoutMs, 250).catch((err: Error) => {
    throw new Error(`${err.message}: ${JSON.stringify(last)}`);
  });
}

async function notificationsInBronze(): Promise<Set<string>> {
  const rows = await read<{ payload: string }>("SELECT payload FROM bronze.records WHERE source = 'vtex-orders' AND entity = 'order_notification'");
  return new Set(rows.map((r) => r.payload));
}

/** Landings of the order hook's records and their fetches: load jobs whose rows are vtex-orders bronze records. */
function landingLoads(fromJob: number, toJob?: number): number {
  return bq.fake.jobs.slice(fromJob, toJob).filter((j) => j.kind === 'load' && /"record_id":.*"source":"vtex-orders"/.test(j.data ?? '')).length;
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'farol-start-bq-'));
  dataDir = path.join(dir, 'data');
  fs.mkdirSync(dataDir);
  fs.writeFileSync(path.join(dataDir, 'sandbox-anchor.json'), JSON.stringify({ historyEndAt: HISTORY_END.toISOString() }));
  const twin = createVtexSandbox({ seed: 42, history: { orders: HISTORY_ORDERS, days: 2, endAt: HISTORY_END }, live: false });
  truth = twin.orders();
  await twin.close().catch(() => undefined);
  bq = await startExecutingBigQuery({ dir: path.join(dir, 'bigquery') });
});

afterAll(async () => {
  farol?.child.kill('SIGKILL');
  await farol?.exited;
  await bq?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('farol start on BigQuery', () => {
  it('comes up ready on the BigQuery warehouse and puts the sandbox history in gold', async () => {
    await start({ FAROL_LANDING_MIN_INTERVAL: '200ms' });
    expect(farol!.output()).toContain('warehouse:   bigquery:farol-test.analytics');
    const ready = await fetch(`${url}/readyz`);
    expect([ready.status, await ready.json()]).toEqual([200, { status: 'ready', reasons: [] }]);

    await waitFor('the sandbox history in gold', async () => {
      const [n] = await read<{ n: number }>('SELECT count(*)::INT n FROM gold.fct_orders');
      return n?.n === HISTORY_ORDERS;
    }, 120_000, 500);
    await whenSettled('the first start to settle');
    const gold = await read<{ order_id: string; status: string; total: number }>('SELECT order_id, status, CAST(total AS DOUBLE) total FROM gold.fct_orders');
    const byId = new Map(gold.map((r) => [r.order_id, r]));
    for (const o of truth) expect(byId.get(o.orderId), o.orderId).toMatchObject({ status: o.status, total: o.value / 100 });
    // Every job went to the BigQuery API; none failed.
    const runs = await read<{ source: string; status: string; error: string | null }>('SELECT source, status, error FROM ops.runs');
    expect(runs.filter((r) => r.status !== 'succeeded' && r.status !== 'running')).toEqual([]);
  }, 240_000);

  it('acknowledges a VTEX order hook and takes it through bronze, the fetch, silver and gold on BigQuery', async () => {
    const order = truth.find((o) => o.status === 'invoiced') ?? truth[0]!;
    const fetchedBefore = await read<{ n: number }>(
      `SELECT count(*)::INT n FROM bronze.records WHERE source = 'vtex-orders' AND entity = 'order' AND natural_key = '${order.orderId}'`,
    );
    const body = notification(order.orderId, 'bq-start-hook-1');
    const res = await postHook(body);
    expect([res.status, await res.json()]).toEqual([200, { ok: true }]);
    acknowledged.push(body);

    // Bronze: the body exactly as sent; then the Get order it caused, landed after it.
    await waitFor('the notification and its fetch in bronze', async () => {
      const [n] = await read<{ n: number }>(
        `SELECT count(*)::INT n FROM bronze.records WHERE source = 'vtex-orders' AND entity = 'order' AND natural_key = '${order.orderId}'`,
      );
      return (await notificationsInBronze()).has(body) && (n?.n ?? 0) > (fetchedBefore[0]?.n ?? 0);
    }, 60_000, 250);
    const [seqs] = await read<{ hook: number; fetched: number }>(
      `SELECT max(seq) FILTER (WHERE entity = 'order_notification' AND payload = '${body.replace(/'/g, "''")}')::BIGINT hook,
              max(seq) FILTER (WHERE entity = 'order')::BIGINT fetched
         FROM bronze.records WHERE source = 'vtex-orders' AND natural_key = '${order.orderId}'`,
    );
    expect(Number(seqs!.fetched)).toBeGreaterThan(Number(seqs!.hook));
    await whenSettled('the hook to be refreshed into silver and gold');
    const [silver] = await read<{ status: string; total: number }>(`SELECT status, CAST(total AS DOUBLE) total FROM silver.orders WHERE order_id = '${order.orderId}'`);
    expect(silver).toEqual({ status: order.status, total: order.value / 100 });
    const [gold] = await read<{ status: string; total: number }>(`SELECT status, CAST(total AS DOUBLE) total FROM gold.fct_orders WHERE order_id = '${order.orderId}'`);
    expect(gold).toEqual({ status: order.status, total: order.value / 100 });
    const hookRuns = await read<{ status: string; records_in: string }>("SELECT status, records_in FROM ops.runs WHERE source = 'vtex-orders' AND trigger = 'hook'");
    expect(hookRuns.map((r) => r.status)).toEqual(['running']);
    expect(Number(hookRuns[0]!.records_in)).toBeGreaterThan(HISTORY_ORDERS);
  }, 120_000);

  it('answers GraphQL metrics and the typed sales view from BigQuery with the numbers of a hand-written query over its gold', async () => {
    const handWritten = await read<{ day: string; channel: string; orders: number; revenue: number; gmv: number; placed: number }>(`
      SELECT strftime(timezone('${TZ}', f.created_at), '%Y-%m-%d') AS day, c.channel_name AS channel,
             count(*) FILTER (WHERE f.is_sale)::INT AS orders, CAST(coalesce(sum(f.total) FILTER (WHERE f.is_sale), 0) AS DOUBLE) AS revenue,
             CAST(sum(f.total) AS DOUBLE) AS gmv, count(*)::INT AS placed
        FROM gold.fct_orders f JOIN gold.dim_channel c ON c.channel_key = f.channel_key
       GROUP BY 1, 2 ORDER BY 1, 2`);
    expect(handWritten.length).toBeGreaterThan(1);
    const key = (day: string, channel: string) => `${day.slice(0, 10)} ${channel}`;
    const expected = new Map(handWritten.map((r) => [key(r.day, r.channel), { orders: r.orders, revenue: r.revenue, gmv: r.gmv, placed: r.placed }]));

    const res = await graphql<{ metrics: { rows: Record<string, unknown>[] } }>(url, API_KEY,
      `query Q($q: MetricsQueryInput!) { metrics(query: $q) { rows } }`, {
        q: {
          measures: ['sales.orders', 'sales.revenue', 'sales.gmv', 'sales.placed_orders'],
          dimensions: ['sales.channel'],
          timeDimensions: [{ dimension: 'sales.order_date', granularity: 'day' }],
          order: [{ member: 'sales.order_date', direction: 'ASC' }, { member: 'sales.channel', direction: 'ASC' }],
          timezone: TZ,
          renewQuery: true,
        },
      });
    expect(res.errors).toBeUndefined();
    const got = new Map(res.data!.metrics.rows.map((r) => [
      key(String(r['sales.order_date.day']), String(r['sales.channel'])),
      { orders: Number(r['sales.orders']), revenue: Number(r['sales.revenue'] ?? 0), gmv: Number(r['sales.gmv']), placed: Number(r['sales.placed_orders']) },
    ]));
    expect(Object.fromEntries(got)).toEqual(Object.fromEntries(expected));

    const typed = await graphql<{ sales: { rows: { orders: number; revenue: number | null; channel: string; orderDate: { day: string } }[]; servedFrom: string } }>(
      url, API_KEY, '{ sales(orderBy: [{ dimension: ORDER_DATE }, { dimension: CHANNEL }], renewQuery: true) { rows { orders revenue channel orderDate { day } } servedFrom } }',
    );
    expect(typed.errors).toBeUndefined();
    const typedRows = typed.data!.sales.rows.filter((r) => r.orders > 0);
    expect(Object.fromEntries(typedRows.map((r) => [key(r.orderDate.day, r.channel), { orders: r.orders, revenue: r.revenue }]))).toEqual(
      Object.fromEntries([...expected].filter(([, v]) => v.orders > 0).map(([k, v]) => [k, { orders: v.orders, revenue: v.revenue }])),
    );
    expect(typed.data!.sales.servedFrom).not.toBe('CACHE');
    // The model's rollups were built on BigQuery too (CREATE TABLE preagg_… AS Cube's BigQuery SQL).
    const rollups = await read("SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' AND starts_with(table_name, 'preagg_')");
    expect(rollups.length).toBeGreaterThan(0);

    // And gold is the store's truth: revenue per São Paulo day summed from the sandbox's orders.
    const truthByDay = expectedRevenueByDay(truth, TZ);
    const goldByDay = new Map<string, { revenue: number; orders: number }>();
    for (const r of handWritten.filter((x) => x.orders > 0)) {
      const d = goldByDay.get(r.day) ?? { revenue: 0, orders: 0 };
      goldByDay.set(r.day, { revenue: Math.round((d.revenue + r.revenue) * 100) / 100, orders: d.orders + r.orders });
    }
    expect(Object.fromEntries(goldByDay)).toEqual(Object.fromEntries([...truthByDay].map(([d, v]) => [d, { revenue: Math.round(v.revenue * 100) / 100, orders: v.orders }])));
  }, 120_000);

  it('refuses hostile hook calls with the right status, keeps what it refused, and stays ready', async () => {
    const malformed = '{"OrderId": "1234567890123-01", "State": ';
    const sqlish = JSON.stringify({ OrderId: "1'); DROP TABLE bronze.records; --", State: 'invoiced' });
    const pathish = JSON.stringify({ OrderId: '../../api/oms/pvt/orders/1234567890123-01', State: 'invoiced' });
    const quoteInState = JSON.stringify({ OrderId: '1234567890123-02', State: "x' OR '1'='1" });
    expect((await postHook(malformed)).status).toBe(400);
    expect((await postHook(sqlish)).status).toBe(400);
    expect((await postHook(pathish)).status).toBe(400);
    expect((await postHook(Buffer.from([0xff, 0xfe, 0x7b]))).status).toBe(400);
    expect((await postHook(JSON.stringify({ OrderId: 'x-01', State: 'a'.repeat(70_000) }))).status).toBe(413);
    expect((await postHook(notification(truth[0]!.orderId, 'no-token'), {})).status).toBe(401);
    expect((await postHook(notification(truth[0]!.orderId, 'bad-token'), { 'x-farol-hook-token': 'x'.repeat(30) })).status).toBe(401);
    // A well-formed id the store does not have, with a quote in its state: acknowledged, kept as sent.
    const res = await postHook(quoteInState);
    expect(res.status).toBe(200);
    acknowledged.push(quoteInState);

    // Refused bodies are in BigQuery's quarantine, byte for byte (parameters, not SQL text).
    await waitFor('the refused bodies in quarantine', async () => {
      const rows = await read<{ payload: string }>("SELECT payload FROM silver.quarantine WHERE source = 'vtex-orders' AND entity = 'order_notification'");
      const kept = new Set(rows.map((r) => r.payload));
      return [malformed, sqlish, pathish].every((b) => kept.has(b));
    }, 30_000, 250);
    const reasons = await read<{ reason: string }>("SELECT reason FROM silver.quarantine WHERE source = 'vtex-orders' AND entity = 'order_notification'");
    // Reasons name the rule, never the value sent.
    expect(reasons.map((r) => r.reason).join('\n')).not.toContain('DROP TABLE');
    await waitFor('the unknown order in bronze and asked for', async () => {
      const [q] = await read<{ attempts: number }>("SELECT attempts FROM ops.fetch_queue WHERE natural_key = '1234567890123-02'");
      return (await notificationsInBronze()).has(quoteInState) && (q?.attempts ?? 0) >= 1;
    }, 60_000, 250);
    const [queued] = await read<{ last_error: string }>("SELECT last_error FROM ops.fetch_queue WHERE natural_key = '1234567890123-02'");
    expect(queued?.last_error).toMatch(/404/);
    expect(await read("SELECT order_id FROM silver.orders WHERE order_id = '1234567890123-02'")).toEqual([]);
    const [bronze] = await read<{ n: number }>('SELECT count(*)::INT n FROM bronze.records');
    expect(bronze!.n).toBeGreaterThan(HISTORY_ORDERS);
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
  }, 120_000);

  it('stops on SIGTERM during a burst of hooks with exit 0; every acknowledged hook is in bronze after a restart', async () => {
    const ids = truth.map((o) => o.orderId);
    let firing = true;
    let sent = 0;
    const burst: string[] = [];
    const fire = async () => {
      while (firing) {
        const n = sent++;
        const body = notification(ids[n % ids.length]!, `bq-start-burst-${n}`);
        try {
          const r = await postHook(body);
          if (r.status === 200) burst.push(body);
          else await r.arrayBuffer();
        } catch {
          await new Promise((r) => setTimeout(r, 5));
        }
      }
    };
    const firers = Array.from({ length: 8 }, fire);
    await waitFor('80 acknowledged notifications', () => burst.length >= 80, 60_000, 5);
    farol!.child.kill('SIGTERM');
    const code = await farol!.exited;
    firing = false;
    await Promise.all(firers);
    farol = undefined;
    expect(code).toBe(0);
    acknowledged.push(...burst);
    expect(sent).toBeGreaterThan(burst.length);

    // The local disk holds the hook inbox (and the sandbox's files), never a warehouse.
    const files = fs.readdirSync(dataDir);
    expect(files).toContain('farol.inbox.duckdb');
    expect(files.filter((f) => /\.duckdb$/.test(f))).toEqual(['farol.inbox.duckdb']);
    expect(files.filter((f) => /bronze|parquet/.test(f))).toEqual([]);

    // Restarted at BigQuery's default landing interval (10 s).
    await start();
    await whenSettled('the restart to land what the inbox kept', ['1234567890123-02']);
    const inBronze = await notificationsInBronze();
    expect(acknowledged.filter((b) => !inBronze.has(b))).toEqual([]);
  }, 240_000);

  it("paces landings at BigQuery's default interval: a burst of hooks is acknowledged at once and lands in few load jobs", async () => {
    const firstJob = bq.fake.jobs.length;
    // When each landing's load job reached the server (the fake runs in this process), by loop:
    // the inbox mover lands notifications, the fetch worker orders.
    const landedAt: Record<string, number[]> = { order_notification: [], order: [] };
    let seen = firstJob;
    const watch = setInterval(() => {
      for (; seen < bq.fake.jobs.length; seen++) {
        if (landingLoads(seen, seen + 1) === 0) continue;
        const entity = /"entity":"(\w+)"/.exec(bq.fake.jobs[seen]!.data ?? '')?.[1] ?? '';
        (landedAt[entity] ??= []).push(performance.now());
      }
    }, 20);
    const bodies: string[] = [];
    try {
      // 24 hooks over about 6 s, one at a time: each is acknowledged from the local inbox.
      for (let n = 0; n < 24; n++) {
        const body = notification(truth[n % truth.length]!.orderId, `bq-start-paced-${n}`);
        const r = await postHook(body);
        expect(r.status).toBe(200);
        bodies.push(body);
        await new Promise((res) => setTimeout(res, 250));
      }
      acknowledged.push(...bodies);
      await waitFor('the paced hooks and their fetches in bronze', async () => {
        const inBronze = await notificationsInBronze();
        return bodies.every((b) => inBronze.has(b)) && (await health()).pendingOrderFetches <= 1;
      }, 120_000, 500);
    } finally {
      clearInterval(watch);
    }
    // 24 notifications and their fetches: a handful of landings, not one per hook ...
    const all = Object.values(landedAt).flat();
    expect(landedAt.order_notification!.length).toBeGreaterThanOrEqual(1);
    expect(landedAt.order!.length).toBeGreaterThanOrEqual(1);
    expect(all.length).toBeLessThanOrEqual(6);
    // ... and each loop lands at least the interval after the last landing it saw. (The two loops
    // share the pace but do not take turns: both may land when the same interval runs out.)
    for (const [entity, times] of Object.entries(landedAt)) {
      for (let k = 1; k < times.length; k++) expect(times[k]! - times[k - 1]!, entity).toBeGreaterThanOrEqual(9_900);
    }

    farol!.child.kill('SIGTERM');
    expect(await farol!.exited).toBe(0);
    farol = undefined;
    const inBronze = await notificationsInBronze();
    expect(acknowledged.filter((b) => !inBronze.has(b))).toEqual([]);
  }, 240_000);
});
