import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SourceModule } from '../../src/ingest/sources/source-module.js';
import { silentLogger } from '../../src/observability/logger.js';
import { SourceBusyError } from '../../src/pipeline/pipeline-runner.js';
import { listRuns } from '../../src/pipeline/run-log.js';
import { Scheduler } from '../../src/pipeline/scheduler.js';
import { generateOrders } from '../../src/sandbox/vtex/index.js';
import { tempPipeline, type TempPipeline } from '../fixtures/temp-pipeline.js';
import { waitFor } from '../fixtures/wait-for.js';

let p: TempPipeline | undefined;
let scheduler: Scheduler | undefined;
afterEach(async () => {
  await scheduler?.stop();
  await p?.cleanup();
  scheduler = undefined;
  p = undefined;
});

function bigTargets(file: string, rows: number): void {
  const lines = ['store,month,revenue_target'];
  for (let i = 0; i < rows; i++) lines.push(`s${i % 500},20${10 + Math.floor(i / 6000)}-${String((Math.floor(i / 500) % 12) + 1).padStart(2, '0')},${i}.00`);
  fs.writeFileSync(file, lines.join('\n'));
}

/** VTEX orders pulled page by page, as the List-orders backfill will: one generated order per page. */
function pulledVtexOrders(base: SourceModule): SourceModule {
  let next = 0;
  return {
    ...base,
    async *extract() {
      const [o] = [...generateOrders({ seed: 3, count: 1, from: new Date('2026-01-01'), to: new Date('2026-02-01'), startIndex: next++ })];
      if (o) yield { records: [{ entity: 'order', naturalKey: o.orderId, payload: JSON.stringify(o) }], cursor: String(next) };
    },
  };
}

describe('Scheduler', () => {
  it('never runs one source twice at once, however often it ticks or a command asks', async () => {
    const dir = fs.mkdtempSync(path.join((await import('node:os')).tmpdir(), 'farol-sched-'));
    const csv = path.join(dir, 'targets.csv');
    bigTargets(csv, 60_000);
    p = await tempPipeline({ dir, storeTargetsFile: csv });
    scheduler = new Scheduler({ runner: p.runner, warehouse: p.warehouse, every: { 'store-targets': 10 }, logger: silentLogger(), firstRunDelayMs: 0 });
    await scheduler.start();
    await waitFor('the first run to start', () => p!.runner.deps.locks.isHeld('store-targets'), 10_000, 1);
    // While it runs: more ticks join it, and a command is told the source is busy.
    const joined = [scheduler.tick('store-targets'), scheduler.tick('store-targets')];
    await expect(p.runner.run('store-targets', { trigger: 'cli' })).rejects.toBeInstanceOf(SourceBusyError);
    await Promise.all(joined);
    await waitFor('three runs', async () => (await listRuns(p!.warehouse, { source: 'store-targets' })).filter((r) => r.status === 'succeeded').length >= 3, 60_000, 20);
    await scheduler.stop();
    const runs = (await listRuns(p.warehouse, { source: 'store-targets', limit: 100 })).filter((r) => r.ended_at).reverse();
    for (let i = 1; i < runs.length; i++) {
      expect(Date.parse(runs[i]!.started_at)).toBeGreaterThanOrEqual(Date.parse(runs[i - 1]!.ended_at!));
    }
    // The first run landed the file; the next ones saw it unchanged and landed nothing.
    expect(runs[0]?.records_in).toBe(60_000);
    expect(runs.slice(1).every((r) => r.records_in === 0)).toBe(true);
  }, 120_000);

  it('stops a source that fails terminally, with its reason, while the others go on', async () => {
    p = await tempPipeline({
      storeTargetsFile: '/nonexistent/targets.csv',
      registry: (base) => ({ ...base, 'vtex-orders': pulledVtexOrders(base['vtex-orders']) }),
    });
    scheduler = new Scheduler({
      runner: p.runner, warehouse: p.warehouse, every: { 'store-targets': 20, 'vtex-orders': 20 }, logger: silentLogger(), firstRunDelayMs: 0,
    });
    await scheduler.start();
    await waitFor('vtex-orders to keep running', async () => (await listRuns(p!.warehouse, { source: 'vtex-orders' })).filter((r) => r.status === 'succeeded').length >= 5, 60_000, 20);
    const targets = await listRuns(p.warehouse, { source: 'store-targets' });
    expect(targets).toHaveLength(1);
    expect(targets[0]).toMatchObject({ status: 'failed', error: expect.stringContaining('file not found: /nonexistent/targets.csv') });
    expect(await p.warehouse.query("SELECT state, message FROM ops.source_status WHERE source = 'store-targets'")).toEqual([
      { state: 'stopped', message: expect.stringContaining('store-targets stopped: file not found') },
    ]);
    expect(Number((await p.warehouse.query<{ n: number }>('SELECT count(*) AS n FROM silver.orders'))[0]?.n)).toBeGreaterThanOrEqual(5);
  }, 120_000);

  it('retries a failed run with back-off until it succeeds', async () => {
    let calls = 0;
    p = await tempPipeline({
      registry: (base) => {
        const vtex = pulledVtexOrders(base['vtex-orders']);
        return {
          ...base,
          'vtex-orders': {
            ...vtex,
            async *extract(req) {
              if (++calls <= 2) throw new Error(`VTEX answered 503 (attempt ${calls})`);
              yield* vtex.extract!(req);
            },
          },
        };
      },
    });
    scheduler = new Scheduler({ runner: p.runner, warehouse: p.warehouse, every: { 'vtex-orders': 60_000 }, logger: silentLogger(), firstRunDelayMs: 0, retryBaseMs: 30 });
    await scheduler.start();
    await waitFor('a successful run', async () => (await listRuns(p!.warehouse, { source: 'vtex-orders' })).some((r) => r.status === 'succeeded'), 30_000, 10);
    const runs = (await listRuns(p.warehouse, { source: 'vtex-orders' })).reverse();
    expect(runs.map((r) => r.status)).toEqual(['failed', 'failed', 'succeeded']);
    expect(runs[0]?.error).toBe('VTEX answered 503 (attempt 1)');
  }, 60_000);

  it('is settled once every source has finished its first run and none is running', async () => {
    const dir = fs.mkdtempSync(path.join((await import('node:os')).tmpdir(), 'farol-sched-'));
    const csv = path.join(dir, 'targets.csv');
    bigTargets(csv, 20_000);
    p = await tempPipeline({ dir, storeTargetsFile: csv, registry: (base) => ({ ...base, 'vtex-orders': pulledVtexOrders(base['vtex-orders']) }) });
    scheduler = new Scheduler({ runner: p.runner, warehouse: p.warehouse, every: { 'store-targets': 60_000, 'vtex-orders': 60_000 }, logger: silentLogger(), firstRunDelayMs: 50 });
    await scheduler.start();
    await scheduler.settled();
    expect(p.runner.deps.locks.isHeld('store-targets')).toBe(false);
    const runs = await listRuns(p.warehouse);
    expect(new Set(runs.map((r) => r.source))).toEqual(new Set(['store-targets', 'vtex-orders']));
    expect(runs.every((r) => r.status !== 'running')).toBe(true);
  }, 60_000);
});
