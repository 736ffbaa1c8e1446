import cliProgress from 'cli-progress';
import type { Logger } from 'pino';
import type { FarolConfig } from './config.js';
import { loadVtexOrders } from './ingest/sources/vtex/bulk-order-loader.js';
import { generateOrders } from './sandbox/vtex/index.js';
import { DataVersions } from './warehouse/data-version.js';
import { openWarehouse } from './warehouse/open-warehouse.js';

const DAY_MS = 86_400_000;

/** `farol sandbox load`: generated orders through the normal bronze → silver → gold path, with a progress bar. */
export async function runSandboxLoad(
  cfg: FarolConfig,
  logger: Logger,
  opts: { orders: number; seed: number; days: number; batch: number },
): Promise<void> {
  const warehouse = await openWarehouse(cfg.warehouse, logger);
  try {
    const dataVersions = await DataVersions.load(warehouse);
    const to = new Date();
    const from = new Date(to.getTime() - opts.days * DAY_MS);
    const bar = new cliProgress.SingleBar(
      { format: 'orders {bar} {percentage}% | {value}/{total} | {rate}/s | ETA {eta_formatted}', hideCursor: true },
      cliProgress.Presets.shades_classic,
    );
    const started = Date.now();
    bar.start(opts.orders, 0, { rate: 0 });
    const result = await loadVtexOrders(generateOrders({ seed: opts.seed, count: opts.orders, from, to }), {
      warehouse,
      dataVersions,
      gold: { timezone: cfg.timezone, channelNames: cfg.channelNames },
      batchSize: opts.batch,
      onProgress: (p) => bar.update(p.loaded, { rate: Math.round(p.loaded / Math.max(0.001, (Date.now() - started) / 1000)) }),
    });
    bar.stop();
    const [items] = await warehouse.query<{ n: number }>('SELECT count(*) AS n FROM gold.fct_sales');
    process.stdout.write(
      `loaded ${result.loaded} orders (${result.changed} new or changed, ${result.quarantined} quarantined) in ` +
        `${((Date.now() - started) / 1000).toFixed(1)} s; gold.fct_sales now has ${items?.n ?? 0} order items\n`,
    );
  } finally {
    await warehouse.close();
  }
}
