import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { silentLogger } from '../../src/observability/logger.js';
import { openPipelineContext, type PipelineContext } from '../../src/pipeline-context.js';
import { rebuild } from '../../src/pipeline/rebuild.js';
import { listRuns } from '../../src/pipeline/run-log.js';
import { createVtexSandbox, generateOrders, type SandboxOrder, type VtexSandbox } from '../../src/sandbox/vtex/index.js';
import { GOLD_TABLES } from '../../src/transform/gold/gold-ddl.js';
import type { Warehouse } from '../../src/warehouse/warehouse.js';
import { startExecutingBigQuery, type ExecutingBigQuery } from '../fixtures/executing-bigquery.js';
import { sandboxAccount } from '../fixtures/vtex-store.js';

/**
 * The whole pipeline on its BigQuery code path: `openPipelineContext` with configuration only
 * (`FAROL_WAREHOUSE=bigquery:…`, the API endpoint, a credentials file) against the executing fake BigQuery server (every job's BigQuery
 * SQL translated and run on DuckDB; see test/fixtures/bigquery-on-duckdb.ts for what that does
 * and does not prove), and beside it the same pipeline on the embedded DuckDB warehouse. Both get
 * the same inputs — VTEX orders out of order and repeated, one that breaks the Get-order rules,
 * the sandbox store's catalog and Master Data customers, a store-targets file twice — and must
 * end with the same silver, quarantine and gold, row for row. Then a rebuild from bronze on
 * BigQuery must give that gold again.
 */
const FROM = new Date('2026-03-01T00:00:00Z');
const TO = new Date('2026-04-01T00:00:00Z');
/** Customer 360's time-relative columns are as of one instant, the same for both warehouses. */
const NOW = new Date('2026-04-02T15:00:00Z');

let bq: ExecutingBigQuery;
let sandbox: VtexSandbox;
let dir: string;
let onBigQuery: PipelineContext;
let onDuckDb: PipelineContext;

function earlier(o: SandboxOrder): SandboxOrder {
  return { ...o, status: 'payment-pending', lastChange: new Date(Date.parse(o.creationDate) + 60_000).toISOString() };
}

async function open(env: Record<string, string>): Promise<PipelineContext> {
  const cfg = loadConfig({ FAROL_SANDBOX: 'off', ...env });
  const ctx = await openPipelineContext(cfg, silentLogger(), {
    vtexAccount: sandbox.account,
    gold: { timezone: 'America/Sao_Paulo', now: () => NOW },
  });
  ctx.vtexStore.connect(sandboxAccount(sandbox), sandbox.pricingUrl, 10_000);
  return ctx;
}

/** The same inputs, in the same order, into one pipeline. */
async function feed(ctx: PipelineContext, orders: readonly SandboxOrder[]): Promise<void> {
  const land = (batch: readonly { naturalKey: string; payload: string }[]) =>
    ctx.runner.ingest('vtex-orders', async function* () {
      yield { records: batch.map((r) => ({ entity: 'order', ...r })) };
    }, { trigger: 'cli' });
  const asRecord = (o: SandboxOrder) => ({ naturalKey: o.orderId, payload: JSON.stringify(o) });
  await land(orders.slice(0, 120).map(asRecord));
  await land([...orders.slice(120), ...orders.slice(0, 40).map(earlier)].map(asRecord));
  // Breaks the Get-order rules (a total that is not an integer number of cents): quarantined, the batch goes on.
  const broken = { ...orders[0], orderId: '9999999999999-01', value: '12.5' } as unknown as SandboxOrder;
  await land([...orders.slice(30, 60), broken].map(asRecord));
  await ctx.runner.run('vtex-catalog', { trigger: 'cli' });
  await ctx.runner.run('vtex-customers', { trigger: 'cli' });
  const csv = path.join(dir, 'targets.csv');
  fs.writeFileSync(csv, 'store,month,revenue_target\n1,2026-03,500000\n1,2026-04,520000\n');
  await ctx.runner.run('store-targets', { trigger: 'cli', file: csv });
  fs.writeFileSync(csv, 'store,month,revenue_target\n1,2026-03,510000\n1,2026-04,520000\n');
  await ctx.runner.run('store-targets', { trigger: 'cli', file: csv });
}

/** The rows only one side has (at most 3 each): what a failed comparison prints. */
function difference(a: readonly string[], b: readonly string[]): { onlyBigQuery: string[]; onlyDuckDb: string[] } {
  const inB = new Set(b);
  const inA = new Set(a);
  return { onlyBigQuery: a.filter((r) => !inB.has(r)).slice(0, 3), onlyDuckDb: b.filter((r) => !inA.has(r)).slice(0, 3) };
}

/** Every row of a table, as the adapter returns it, in a stable order (numbers to 6 places: NUMERIC and DECIMAL print alike). */
async function rowsOf(wh: Warehouse, table: string, drop: readonly string[] = []): Promise<string[]> {
  const rows = await wh.query(`SELECT * FROM ${table}`);
  return rows
    .map((r) => JSON.stringify(Object.fromEntries(
      Object.entries(r).filter(([k]) => !drop.includes(k)).sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => [k, typeof v === 'number' ? Number(v.toFixed(6)) : v]),
    )))
    .sort();
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'farol-bq-pipeline-'));
  bq = await startExecutingBigQuery({ dir: path.join(dir, 'bigquery') });
  sandbox = createVtexSandbox({ port: 0, seed: 12, history: { orders: 0, days: 1 }, publishIntervalMs: 0 });
  await sandbox.start();
  onBigQuery = await open({ ...bq.env, FAROL_DATA_DIR: path.join(dir, 'bq-data') });
  onDuckDb = await open({ FAROL_WAREHOUSE: `duckdb:${path.join(dir, 'farol.duckdb')}` });
  const orders = [...generateOrders({ seed: 31, count: 200, from: FROM, to: TO })];
  await feed(onDuckDb, orders);
  await feed(onBigQuery, orders);
}, 600_000);

afterAll(async () => {
  await onBigQuery?.close();
  await onDuckDb?.close();
  await sandbox?.close();
  await bq?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('the pipeline on BigQuery', () => {
  it('runs every source on the BigQuery warehouse, and every run succeeds', async () => {
    expect(onBigQuery.warehouse.dialect).toBe('bigquery');
    const runs = await listRuns(onBigQuery.warehouse, { limit: 50 });
    expect(runs.length).toBeGreaterThanOrEqual(7);
    for (const r of runs) expect(r.status, `${r.source} ${r.run_id}: ${r.error ?? ''}`).toBe('succeeded');
    // Jobs went to the BigQuery REST API, none of them DuckDB SQL.
    expect(bq.fake.jobs.filter((j) => /^MERGE\b/.test(j.sql ?? '')).map((j) => /`farol-test\.analytics\.(\w+)`/.exec(j.sql ?? '')?.[1])).toContain('silver_orders');
  });

  it('leaves the same silver and quarantine as the embedded warehouse', async () => {
    for (const table of ['silver.orders', 'silver.order_items', 'silver.products', 'silver.product_prices', 'silver.customers', 'silver.store_targets']) {
      // The catalog and the targets file carry no change date: `changed_at` is when each pipeline read them.
      const readTime = table.startsWith('silver.product') || table === 'silver.store_targets';
      const drop = ['updated_at', 'bronze_record_id', ...(readTime ? ['changed_at'] : [])];
      const [a, b] = [await rowsOf(onBigQuery.warehouse, table, drop), await rowsOf(onDuckDb.warehouse, table, drop)];
      expect(difference(a, b), table).toEqual({ onlyBigQuery: [], onlyDuckDb: [] });
      expect(a.length, table).toBe(b.length);
    }
    const quarantine = 'SELECT source, entity, natural_key, reason FROM silver.quarantine ORDER BY natural_key, reason';
    const q = await onBigQuery.warehouse.query(quarantine);
    expect(q).toEqual(await onDuckDb.warehouse.query(quarantine));
    expect(q.map((r) => r.natural_key)).toContain('9999999999999-01');
  });

  it('builds the same gold, table for table and row for row', async () => {
    for (const t of GOLD_TABLES) {
      const bqRows = await rowsOf(onBigQuery.warehouse, `gold.${t}`, ['refreshed_at', 'updated_at']);
      const duckRows = await rowsOf(onDuckDb.warehouse, `gold.${t}`, ['refreshed_at', 'updated_at']);
      expect(difference(bqRows, duckRows), `gold.${t}`).toEqual({ onlyBigQuery: [], onlyDuckDb: [] });
      expect(bqRows.length, `gold.${t}`).toBe(duckRows.length);
    }
    const [n] = await onBigQuery.warehouse.query<{ n: number }>('SELECT count(*) AS n FROM gold.fct_orders');
    expect(n?.n).toBe(200);
  });

  it('rebuilds gold from bronze on BigQuery to the same rows', async () => {
    const before: Record<string, string[]> = {};
    for (const t of GOLD_TABLES) before[t] = await rowsOf(onBigQuery.warehouse, `gold.${t}`, ['refreshed_at', 'updated_at']);
    const version = onBigQuery.dataVersions.current();
    const r = await rebuild(onBigQuery.runner);
    expect(r.dataVersion).toBeGreaterThan(version);
    for (const t of GOLD_TABLES) expect(await rowsOf(onBigQuery.warehouse, `gold.${t}`, ['refreshed_at', 'updated_at']), `gold.${t}`).toEqual(before[t]);
  }, 300_000);
});
