#!/usr/bin/env node
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { ConfigError, loadConfig, type FarolConfig } from './config.js';
import { isSourceKind, SOURCE_KINDS } from './ingest/sources/source-kind.js';
import { createLogger } from './observability/logger.js';

/**
 * `farol`: start the service, pull a source, list runs, rebuild silver and gold, load generated
 * orders, run the VTEX sandbox. Heavy modules load lazily so `farol --help` is instant.
 *
 * Exit codes: 0 success; 1 a run or operation failed (one line on stderr says why); 2 bad usage
 * or configuration.
 */
// Libraries read NODE_ENV once, as they load: outside production graphql-js checks every failed
// instanceof for a second copy of itself, a millisecond per 2,000-row typed answer. The
// service runs as production unless told otherwise; the modules that care load lazily, below.
process.env.NODE_ENV ??= 'production';

const program = new Command()
  .name('farol')
  .description('Governed e-commerce numbers: VTEX and friends → bronze/silver/gold → Cube model → GraphQL')
  .exitOverride()
  .showHelpAfterError('(run with --help for usage)');

function nonNegativeInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`expected a non-negative integer, got "${v}"`);
  return n;
}

function sourceArg(v: string): string {
  if (!isSourceKind(v)) throw new InvalidArgumentError(`unknown source "${v}"; sources: ${SOURCE_KINDS.join(', ')}`);
  return v;
}

function dateArg(v: string): string {
  if (!/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(v) || Number.isNaN(Date.parse(v))) {
    throw new InvalidArgumentError(`expected a date such as 2025-01-01, got "${v}"`);
  }
  return v;
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
  .description('run ingestion, the pipeline, the warehouse and the GraphQL API (with the VTEX sandbox when no VTEX credentials are set)')
  .action(async () => {
    const cfg = config();
    const logger = createLogger({ level: cfg.logLevel, pretty: process.stdout.isTTY === true });
    const { startFarol } = await import('./main.js');
    const { printBanner } = await import('./banner.js');
    const app = await startFarol(cfg, logger);
    printBanner(app, cfg);
    let stopping = false;
    const shutdown = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      logger.info({ signal }, 'shutting down');
      await app.close();
      process.exit(0);
    };
    process.on('SIGINT', () => void shutdown('SIGINT'));
    process.on('SIGTERM', () => void shutdown('SIGTERM'));
  });

program
  .command('ingest')
  .description('run one source now: land what is new in bronze and refresh silver and gold (what cron or Airflow calls)')
  .argument('<source>', `one of ${SOURCE_KINDS.join(', ')}`, sourceArg)
  .option('--since <date>', 'only records changed since this date (sources that support it)', dateArg)
  .option('--full', 'ignore the cursor and take everything the source has', false)
  .option('--file <path>', 'for file sources: the file to read instead of the configured one')
  .action(async (source: string, opts: { since?: string; full: boolean; file?: string }) => {
    const { runWarehouseCommand } = await import('./commands/warehouse-command.js');
    process.exitCode = await runWarehouseCommand(config(), {
      title: `ingest ${source}`,
      remote: { path: '/admin/ingest', body: { source, since: opts.since, full: opts.full, file: opts.file } },
      local: async (ctx, emit) => {
        const { ingestOperation, ingestRequestSchema, parseRequest } = await import('./admin/admin-operations.js');
        await ingestOperation(ctx, parseRequest(ingestRequestSchema, { source, since: opts.since, full: opts.full, file: opts.file }), emit);
      },
    });
  });

program
  .command('runs')
  .description('recent pipeline runs, each source\'s last success and lag, and failing data tests')
  .addOption(new Option('--source <source>', 'only this source').argParser(sourceArg))
  .option('--limit <n>', 'how many runs', nonNegativeInt, 20)
  .option('--json', 'print JSON instead of a table', false)
  .action(async (opts: { source?: string; limit: number; json: boolean }) => {
    const { runRunsCommand } = await import('./commands/runs-command.js');
    process.exitCode = await runRunsCommand(config(), opts);
  });

const alerts = program.command('alerts').description('alert rules (FAROL_ALERTS_FILE, or the defaults with SLACK_WEBHOOK_URL / TEAMS_WEBHOOK_URL)');

alerts
  .command('test')
  .description('replay a rule over history and print what it would have sent (nothing is stored or sent)')
  .argument('<rule>', 'the rule name')
  .option('--from <date>', 'start of the replay (default: 7 days before --to)', dateArg)
  .option('--to <date>', 'end of the replay (default: now)', dateArg)
  .option('--json', 'print JSON instead of text', false)
  .action(async (rule: string, opts: { from?: string; to?: string; json: boolean }) => {
    const { runAlertsTestCommand } = await import('./commands/alerts-command.js');
    process.exitCode = await runAlertsTestCommand(config(), { rule, ...opts });
  });

program
  .command('rebuild')
  .description('replay all of bronze into silver and gold from scratch, in one transaction (readers keep the old gold until it commits)')
  .option('--force', 'rebuild even though bronze retention has removed partitions (their rows leave silver and gold)', false)
  .action(async (opts: { force: boolean }) => {
    const { runWarehouseCommand } = await import('./commands/warehouse-command.js');
    process.exitCode = await runWarehouseCommand(config(), {
      title: 'rebuild',
      remote: { path: '/admin/rebuild', body: { force: opts.force } },
      local: async (ctx, emit) => {
        const { rebuildOperation } = await import('./admin/admin-operations.js');
        await rebuildOperation(ctx, { force: opts.force }, emit);
      },
    });
  });

program
  .command('migrate')
  .description('create or upgrade the warehouse schemas (bronze, silver, gold, ops); the service does this on start')
  .action(async () => {
    const cfg = config();
    const { runMigrateCommand } = await import('./commands/warehouse-command.js');
    process.exitCode = await runMigrateCommand(cfg);
  });

const sandbox = program.command('sandbox').description('the bundled VTEX-compatible sandbox');

sandbox
  .command('vtex')
  .description('serve the VTEX OMS sandbox API on its own (Get order, List orders, hook config, hook notifications)')
  .option('--port <n>', 'port on 127.0.0.1', nonNegativeInt, 4100)
  .option('--seed <n>', 'random seed', nonNegativeInt, 42)
  .option('--history-orders <n>', 'orders created in the past before start', nonNegativeInt, 500)
  .option('--history-days <n>', 'days the history spans', nonNegativeInt, 30)
  .option('--orders-per-minute <n>', 'new orders per minute while running (0 = none)', nonNegativeInt, 30)
  .action(async (opts: { port: number; seed: number; historyOrders: number; historyDays: number; ordersPerMinute: number }) => {
    const cfg = config();
    const logger = createLogger({ level: cfg.logLevel });
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
  .description('generate N sandbox orders and take them through bronze → silver → gold (for trying Farol at scale)')
  .requiredOption('--orders <n>', 'number of orders to generate', nonNegativeInt)
  .option('--seed <n>', 'random seed', nonNegativeInt, 7)
  .option('--days <n>', 'days the orders span, ending now', nonNegativeInt, 365)
  .option('--batch <n>', 'orders per landed page', nonNegativeInt, 50_000)
  .action(async (opts: { orders: number; seed: number; days: number; batch: number }) => {
    const { runWarehouseCommand } = await import('./commands/warehouse-command.js');
    process.exitCode = await runWarehouseCommand(config(), {
      title: 'sandbox load',
      remote: { path: '/admin/sandbox-load', body: opts },
      local: async (ctx, emit) => {
        const { parseRequest, sandboxLoadOperation, sandboxLoadRequestSchema } = await import('./admin/admin-operations.js');
        await sandboxLoadOperation(ctx, parseRequest(sandboxLoadRequestSchema, opts), emit);
      },
    });
  });

program.parseAsync(process.argv).catch((err: unknown) => {
  if (err instanceof CommanderError) {
    // Help and version are successes; anything else commander refuses is a usage mistake.
    process.exit(err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help' ? 0 : 2);
  }
  process.stderr.write(`farol: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
