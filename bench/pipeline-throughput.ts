import fs from 'node:fs';
import { rebuild } from '../src/pipeline/rebuild.js';
import type { PipelineContext } from '../src/pipeline-context.js';
import { generateOrders } from '../src/sandbox/vtex/index.js';
import { BENCH_DB, BENCH_FROM, BENCH_SEED, BENCH_TO } from './bench-dataset.js';

export interface PipelineThroughput {
  readonly orders: number;
  readonly items: number;
  /** `farol rebuild`: all of bronze replayed into silver and gold in one transaction. */
  readonly rebuildSeconds: number;
  readonly rebuildOrdersPerSecond: number;
  /** 1% of the orders landed as a new page (half updates of existing orders, half new) … */
  readonly incrementalOrders: number;
  readonly incrementalLandSeconds: number;
  /** … and refreshed into silver and gold. */
  readonly incrementalRefreshSeconds: number;
  /** The checkpoint that folds the refresh's WAL into the file, run on its own after it (the service runs it once writes pause). */
  readonly checkpointAfterRefreshSeconds: number;
  readonly bronzeBytes: number;
  readonly bronzeBytesPerOrder: number;
  readonly warehouseFileBytes: number;
  readonly warehouseBytesPerOrder: number;
  readonly goldEqualAfterRebuild: boolean;
}

/**
 * The pipeline at scale on the bench warehouse: a full rebuild from bronze (the Parquet segments
 * are in the OS page cache after the first run, which is the usual state of a running service),
 * then a 1% incremental page of updated and new orders, landed and refreshed separately.
 */
export async function benchPipeline(ctx: PipelineContext, orders: number, items: number): Promise<PipelineThroughput> {
  const checksums = () =>
    ctx.warehouse.query<{ t: string; n: number; h: string }>(
      `SELECT 'fct_orders' t, count(*) n, sum(hash(f))::VARCHAR h FROM gold.fct_orders f
       UNION ALL SELECT 'fct_sales', count(*), sum(hash(f))::VARCHAR FROM gold.fct_sales f
       UNION ALL SELECT 'dim_customer', count(*), sum(hash(f))::VARCHAR FROM gold.dim_customer f
       UNION ALL SELECT 'dim_product', count(*), sum(hash(f))::VARCHAR FROM gold.dim_product f ORDER BY 1`,
    );
  const before = await checksums();
  const r = await rebuild(ctx.runner, {});
  const after = await checksums();

  // 1%: half are later versions of existing orders (canceled after the fact), half are new.
  const half = Math.max(1, Math.round(orders / 200));
  const updates = [...generateOrders({ seed: BENCH_SEED, count: half, from: BENCH_FROM, to: BENCH_TO, startIndex: 0 })].map((o) => ({
    ...o, status: 'canceled', lastChange: new Date(BENCH_TO.getTime() + 86_400_000).toISOString(),
  }));
  const fresh = [...generateOrders({ seed: BENCH_SEED + 1, count: half, from: BENCH_FROM, to: BENCH_TO, startIndex: 50_000_000 + orders })];
  const records = [...updates, ...fresh].map((o) => ({ entity: 'order', naturalKey: o.orderId, payload: JSON.stringify(o) }));
  let refreshStartedAt = 0;
  const t0 = performance.now();
  await ctx.runner.ingest('vtex-orders', async function* () {
    yield { records };
  }, { trigger: 'cli', onProgress: (p) => { if (p.phase === 'refresh' && refreshStartedAt === 0) refreshStartedAt = performance.now(); } });
  const t1 = performance.now();

  const [bronze] = await ctx.warehouse.query<{ bytes: number; records: number }>(
    "SELECT coalesce(sum(bytes), 0) AS bytes, coalesce(sum(records), 0) AS records FROM bronze.segments WHERE source = 'vtex-orders'",
  );
  const c0 = performance.now();
  await ctx.warehouse.execute('CHECKPOINT');
  const checkpointAfterRefreshSeconds = (performance.now() - c0) / 1000;
  const fileBytes = fs.statSync(BENCH_DB).size + (fs.existsSync(`${BENCH_DB}.wal`) ? fs.statSync(`${BENCH_DB}.wal`).size : 0);
  const bronzeRecords = Number(bronze?.records ?? 0);
  return {
    orders, items,
    rebuildSeconds: r.seconds, rebuildOrdersPerSecond: orders / r.seconds,
    incrementalOrders: records.length,
    incrementalLandSeconds: (refreshStartedAt - t0) / 1000,
    incrementalRefreshSeconds: (t1 - refreshStartedAt) / 1000,
    checkpointAfterRefreshSeconds,
    bronzeBytes: Number(bronze?.bytes ?? 0),
    bronzeBytesPerOrder: Number(bronze?.bytes ?? 0) / Math.max(1, bronzeRecords),
    warehouseFileBytes: fileBytes,
    warehouseBytesPerOrder: fileBytes / Math.max(1, orders),
    goldEqualAfterRebuild: JSON.stringify(before) === JSON.stringify(after),
  };
}

