#!/usr/bin/env node
import { Command, InvalidArgumentError } from 'commander';
import { ConfigError, loadConfig, type FarolConfig } from './config.js';
import { createLogger } from './observability/logger.js';

/**
 * `farol`: start the service, run the VTEX sandbox on its own, load generated orders at scale,
 * migrate the warehouse. Heavy modules load lazily so `farol --help` is instant.
 */
const program = new Command()
  .name('farol')
  .description('Governed e-commerce numbers: VTEX and friends → bronze/silver/gold → Cube model → GraphQL');

function positiveInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`expected a non-negative integer, got "${v}"`);
  return n;
}

function config(): FarolConfig {
  try {
    return loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`farol: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
}

program
  .command('start', { isDefault: true })
  .description('run ingestion, the warehouse and the GraphQL API (with the VTEX sandbox when no VTEX credentials are set)')
  .action(async () => {
    const cfg = config();
    const logger = createLogger({ level: cfg.logLevel, pretty: process.stdout.isTTY === true });
    const { startFarol } = await import('./main.js');
    const { printBanner } = await import('./banner.js');
    const app = await startFarol(cfg, logger);
    printBanner(app, cfg);
    const shutdown = async (signal: string) => {
      logger.info({ signal }, 'shutting down');
      await app.close();
      process.exit(0);
    };
    process.once('SIGINT', () => void shutdown('SIGINT'));
    process.once('SIGTERM', () => void shutdown('SIGTERM'));
  });

program
  .command('migrate')
  .description('create or upgrade the warehouse schemas (bronze, silver, gold, ops)')
  .action(async () => {
    const cfg = config();
    const logger = createLogger({ level: cfg.logLevel });
    const { openWarehouse } = await import('./warehouse/open-warehouse.js');
    const wh = await openWarehouse(cfg.warehouse, logger);
    await wh.close();
    process.stdout.write(`warehouse ${cfg.warehouse.path} is up to date\n`);
  });

const sandbox = program.command('sandbox').description('the bundled VTEX-compatible sandbox');

sandbox
  .command('vtex')
  .description('serve the VTEX OMS sandbox API on its own (Get order, List orders, hook config, hook notifications)')
  .option('--port <n>', 'port on 127.0.0.1', positiveInt, 4100)
  .option('--seed <n>', 'random seed', positiveInt, 42)
  .option('--history-orders <n>', 'orders created in the past before start', positiveInt, 500)
  .option('--history-days <n>', 'days the history spans', positiveInt, 30)
  .option('--orders-per-minute <n>', 'new orders per minute while running (0 = none)', positiveInt, 30)
  .action(async (opts: { port: number; seed: number; historyOrders: number; historyDays: number; ordersPerMinute: number }) => {
    const logger = createLogger({ level: process.env.FAROL_LOG_LEVEL ?? 'info' });
    const { createVtexSandbox } = await import('./sandbox/vtex/index.js');
    const sb = createVtexSandbox({
      port: opts.port,
      seed: opts.seed,
      history: { orders: opts.historyOrders, days: opts.historyDays },
      live: opts.ordersPerMinute > 0 ? { ordersPerMinute: opts.ordersPerMinute } : false,
      logger,
    });
    await sb.start();
    process.stdout.write(
      `VTEX sandbox for account "${sb.account}" at ${sb.url}\n` +
        `  X-VTEX-API-AppKey: ${sb.appKey}\n  X-VTEX-API-AppToken: ${sb.appToken}\n` +
        `  try: curl -H 'X-VTEX-API-AppKey: ${sb.appKey}' -H 'X-VTEX-API-AppToken: ${sb.appToken}' '${sb.url}/api/oms/pvt/orders?per_page=5'\n`,
    );
    process.once('SIGINT', () => void sb.close().then(() => process.exit(0)));
    process.once('SIGTERM', () => void sb.close().then(() => process.exit(0)));
  });

sandbox
  .command('load')
  .description('generate N sandbox orders and load them through bronze → silver → gold (for trying Farol at scale)')
  .requiredOption('--orders <n>', 'number of orders to generate', positiveInt)
  .option('--seed <n>', 'random seed', positiveInt, 7)
  .option('--days <n>', 'days the orders span, ending now', positiveInt, 365)
  .option('--batch <n>', 'orders per transaction', positiveInt, 10_000)
  .action(async (opts: { orders: number; seed: number; days: number; batch: number }) => {
    const cfg = config();
    const logger = createLogger({ level: cfg.logLevel === 'info' ? 'warn' : cfg.logLevel });
    const { runSandboxLoad } = await import('./sandbox-load-command.js');
    await runSandboxLoad(cfg, logger, opts);
  });

program.parseAsync(process.argv).catch((err: unknown) => {
  process.stderr.write(`farol: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});

