import fs from 'node:fs';
import path from 'node:path';
import { ensureBenchDataset } from './bench-dataset.js';
import { benchHookThroughput } from './hook-throughput.js';
import { benchMetricsLatency } from './metrics-latency.js';
import { benchOrderGeneration } from './order-generation.js';

/**
 * `npm run bench`: the figures Farol promises, each next to the raw warehouse query it wraps.
 * Targets: metrics uncached ≤ 1.3× the direct DuckDB query; cached median under 1 ms.
 */
const TARGET_UNCACHED_RATIO = 1.3;
const TARGET_CACHED_MEDIAN_MS = 1;

async function main() {
  process.env.METADATA_SERVER_DETECTION ??= 'none';
  const hook = await benchHookThroughput();
  const generation = benchOrderGeneration();
  const ds = await ensureBenchDataset(1_000_000);
  const metrics = await benchMetricsLatency(ds.warehouse, ds.dataVersions);
  await ds.warehouse.close();

  const f = (n: number, d = 2) => n.toFixed(d);
  const table = [
    ['measure', 'value', 'reference', 'ratio / target'],
    ['hook notifications acknowledged (durable)', `${f(hook.ackPerSecond, 0)}/s`, `${hook.concurrency} concurrent clients`, `p50 ${f(hook.latencyP50Ms)} ms, p99 ${f(hook.latencyP99Ms)} ms`],
    ['metrics over GraphQL/HTTP, uncached (median)', `${f(metrics.uncachedMedianMs)} ms`, `direct DuckDB ${f(metrics.directMedianMs)} ms`, `${f(metrics.uncachedRatio)}x (target ≤ ${TARGET_UNCACHED_RATIO}x)`],
    ['metrics over GraphQL/HTTP, cached (median)', `${f(metrics.cachedMedianMs, 3)} ms`, `direct DuckDB ${f(metrics.directMedianMs)} ms`, `${f(metrics.cachedRatio, 4)}x (target < ${TARGET_CACHED_MEDIAN_MS} ms)`],
    ['metrics over GraphQL/HTTP, cached (p99)', `${f(metrics.cachedP99Ms, 3)} ms`, '', ''],
    ['peak memory of the bench process (RSS)', `${f(process.resourceUsage().maxRSS / 1024, 0)} MiB`, 'DuckDB included', ''],
    ['sandbox order generation', `${f(generation.ordersPerSecond, 0)} orders/s`, `${generation.orders} orders`, `${f(1_000_000 / generation.ordersPerSecond, 1)} s per million`],
  ];
  const widths = table[0]!.map((_, c) => Math.max(...table.map((r) => r[c]!.length)));
  const print = (r: string[]) => r.map((cell, c) => cell.padEnd(widths[c]!)).join('  ');
  process.stdout.write(`\nDataset: ${ds.items} order items in ${ds.orders} orders (${path.relative(process.cwd(), '.')}data/bench)${ds.loadSeconds ? `, loaded in ${f(ds.loadSeconds, 1)} s` : ''}\n`);
  process.stdout.write(`Query: item revenue and units by channel and month (${metrics.rows} rows)\n\n`);
  process.stdout.write(table.map(print).join('\n') + '\n\n');

  const results = {
    date: new Date().toISOString(),
    machine: { cpus: (await import('node:os')).cpus().length, node: process.version },
    dataset: { orderItems: ds.items, orders: ds.orders, loadSeconds: ds.loadSeconds },
    hook,
    generation,
    peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
    metrics,
    targets: {
      uncachedRatio: { target: TARGET_UNCACHED_RATIO, met: metrics.uncachedRatio <= TARGET_UNCACHED_RATIO },
      cachedMedianMs: { target: TARGET_CACHED_MEDIAN_MS, met: metrics.cachedMedianMs < TARGET_CACHED_MEDIAN_MS },
    },
  };
  fs.writeFileSync(path.join('bench', 'results.json'), JSON.stringify(results, null, 2) + '\n');
  process.stdout.write('written to bench/results.json\n');
}

main().catch((err) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
