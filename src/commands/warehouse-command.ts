import { describeWarehouse, type FarolConfig } from '../config.js';
import { createLogger } from '../observability/logger.js';
import { readAdminFile } from '../admin/admin-file.js';
import { callAdminStream, closeAdminClient } from '../admin/admin-client.js';
import { errorEvent, type AdminEvent, type Emit } from '../admin/admin-operations.js';
import type { PipelineContext } from '../pipeline-context.js';
import { ProgressRenderer } from './progress-renderer.js';

export interface WarehouseCommand {
  readonly title: string;
  /** The admin endpoint and body that run this operation inside a running service. */
  readonly remote: { readonly path: string; readonly body: unknown };
  /** The same operation in this process, when no service holds the warehouse. */
  readonly local: (ctx: PipelineContext, emit: Emit) => Promise<void>;
}

/**
 * Runs a command that writes the warehouse, wherever the warehouse can be written: DuckDB allows
 * one writing process, so when the service holds the file the command asks it (local admin
 * endpoint, token from the admin file) and streams its progress; otherwise it opens the warehouse
 * itself. Returns the exit code.
 */
export async function runWarehouseCommand(cfg: FarolConfig, cmd: WarehouseCommand): Promise<number> {
  const renderer = new ProgressRenderer(cmd.title);
  const endpoint = readAdminFile(dataDirOf(cfg));
  if (endpoint) {
    try {
      return renderer.finish(await callAdminStream(endpoint, cmd.remote.path, cmd.remote.body, renderer.onEvent));
    } catch (err) {
      return renderer.finish({ type: 'error', message: `could not reach the running service at ${endpoint.url}: ${(err as Error).message}` });
    } finally {
      await closeAdminClient();
    }
  }
  const logger = createLogger({ level: cfg.logLevel === 'info' ? 'warn' : cfg.logLevel });
  let ctx: PipelineContext;
  try {
    ctx = await openLocally(cfg, logger);
  } catch (err) {
    return renderer.finish({ type: 'error', message: lockMessage(err, cfg) });
  }
  let last: AdminEvent = { type: 'error', message: 'no result' };
  try {
    await cmd.local(ctx, (e) => {
      last = e;
      renderer.onEvent(e);
    });
  } catch (err) {
    last = errorEvent(err);
  } finally {
    await ctx.close();
  }
  return renderer.finish(last);
}

export async function runMigrateCommand(cfg: FarolConfig): Promise<number> {
  if (readAdminFile(dataDirOf(cfg))) {
    process.stdout.write(`warehouse ${describeWarehouse(cfg.warehouse)} is held by the running service, which keeps it migrated\n`);
    return 0;
  }
  try {
    const ctx = await openLocally(cfg, createLogger({ level: 'warn' }));
    await ctx.close();
  } catch (err) {
    process.stderr.write(`farol migrate: ${lockMessage(err, cfg)}\n`);
    return 1;
  }
  process.stdout.write(`warehouse ${describeWarehouse(cfg.warehouse)} is up to date\n`);
  return 0;
}

async function openLocally(cfg: FarolConfig, logger: ReturnType<typeof createLogger>): Promise<PipelineContext> {
  const { openPipelineContext, pipelineOptionsFor } = await import('../pipeline-context.js');
  return openPipelineContext(cfg, logger, pipelineOptionsFor(cfg));
}

export function dataDirOf(cfg: FarolConfig): string {
  return cfg.storage.dataDir;
}

/** DuckDB's lock error, in words: another process holds the file and is not a service we can ask. */
function lockMessage(err: unknown, cfg: FarolConfig): string {
  const msg = err instanceof Error ? err.message : String(err);
  const pid = /PID (\d+)/.exec(msg)?.[1];
  if (/lock/i.test(msg)) {
    return `the warehouse ${describeWarehouse(cfg.warehouse)} is in use by another process${pid ? ` (pid ${pid})` : ''} that offers no admin endpoint; stop it or wait for it to finish`;
  }
  return msg.replace(/\s+/g, ' ');
}
