import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { loadOrCreateLocalApiKey } from './api-key-store.js';
import type { ApiKey, FarolConfig, VtexConfig } from './config.js';
import { OrderFetchWorker } from './ingest/sources/vtex/order-fetch-worker.js';
import { createVtexOmsClient, type VtexOmsClient } from './ingest/sources/vtex/vtex-oms-client.js';
import { queueDepth } from './ingest/state/fetch-queue.js';
import { OrderHookReceiver } from './ingest/webhooks/order-hook-receiver.js';
import { ORDER_HOOK_PATH, registerOrderHookRoute } from './ingest/webhooks/order-hook-route.js';
import { createSemanticEngine, type SemanticEngine } from './metrics/semantic-engine.js';
import { SANDBOX_CHANNEL_NAMES, createVtexSandbox, type VtexSandbox } from './sandbox/vtex/index.js';
import { registerGraphql } from './schema/index.js';
import { DataVersions } from './warehouse/data-version.js';
import { openWarehouse } from './warehouse/open-warehouse.js';
import type { Warehouse } from './warehouse/warehouse.js';

/** `cube/model` in the repository, wherever the code runs from (src/ via tsx or dist/ after build). */
export const DEFAULT_MODEL_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'cube', 'model');

/** Get-order pace against the bundled sandbox, which has no account-wide limit to share. */
const SANDBOX_REQUESTS_PER_SECOND = 1_000;

export interface FarolApp {
  readonly url: string;
  readonly apiKeys: readonly ApiKey[];
  /** Set when no FAROL_API_KEYS were configured and a local admin key is in use. */
  readonly localApiKey: ApiKey | undefined;
  readonly warehouse: Warehouse;
  readonly metrics: SemanticEngine;
  readonly sandbox: VtexSandbox | undefined;
  readonly worker: OrderFetchWorker;
  readonly hookUrl: string;
  close(): Promise<void>;
}

export interface StartOptions {
  readonly modelDir?: string;
  /** Start the fetch worker (default true); tests that drive batches by hand turn it off. */
  readonly startWorker?: boolean;
}

/**
 * The composition root: one process running ingestion (hook receiver + fetch worker), the
 * warehouse, the semantic engine and the API. DuckDB allows one writing process, so the
 * embedded default is exactly this process.
 */
export async function startFarol(config: FarolConfig, logger: Logger, options: StartOptions = {}): Promise<FarolApp> {
  const closers: (() => Promise<void>)[] = [];
  const closeAll = async () => {
    for (const c of closers.reverse()) {
      try {
        await c();
      } catch (err) {
        logger.error({ err }, 'error while shutting down');
      }
    }
  };
  try {
    const warehouse = await openWarehouse(config.warehouse, logger);
    closers.push(() => warehouse.close());
    const dataVersions = await DataVersions.load(warehouse);
    const metrics = await createSemanticEngine({
      warehouse, modelDir: options.modelDir ?? DEFAULT_MODEL_DIR, dataVersions, timezone: config.timezone, cache: config.cache, logger,
    });
    closers.push(() => metrics.close());

    const dataDir = path.dirname(path.resolve(config.warehouse.path));
    const local = config.apiKeys.length === 0 ? loadOrCreateLocalApiKey(dataDir).key : undefined;
    const apiKeys = local ? [local] : config.apiKeys;
    const hookToken = config.vtexHookToken ?? randomBytes(24).toString('base64url');

    // Per-request access logs would cost more than a cached metrics answer; errors are still logged.
    const app: FastifyInstance = Fastify({
      loggerInstance: logger as FastifyBaseLogger,
      logController: new LogController({ disableRequestLogging: true }),
      bodyLimit: 1024 * 1024,
    });
    closers.push(() => app.close());
    const receiver = new OrderHookReceiver(warehouse, logger);
    await registerOrderHookRoute(app, { receiver, hookToken, logger });
    await registerGraphql(app, { metrics, apiKeys, logger });
    app.get('/healthz', async () => ({
      status: 'ok',
      dataVersion: dataVersions.current(),
      pendingOrderFetches: await queueDepth(warehouse, 'vtex', 'order'),
    }));
    const address = await app.listen({ host: config.server.host, port: config.server.port });
    const port = new URL(address).port;
    const url = `http://127.0.0.1:${port}`;

    let sandbox: VtexSandbox | undefined;
    let vtex: VtexConfig | undefined = config.vtex;
    if (config.sandbox.enabled) {
      sandbox = createVtexSandbox({
        seed: config.sandbox.seed,
        port: config.sandbox.port,
        history: { orders: config.sandbox.historyOrders, days: config.sandbox.historyDays, endAt: sandboxAnchor(dataDir) },
        live: config.sandbox.ordersPerMinute > 0 ? { ordersPerMinute: config.sandbox.ordersPerMinute } : false,
        liveStartIndex: liveStartIndex(),
        // The history streams through the real hook; a quick pace fills the demo within seconds.
        publishIntervalMs: 0,
        logger: logger.child({ component: 'vtex-sandbox' }),
      });
      await sandbox.start();
      closers.push(() => (sandbox as VtexSandbox).close());
      vtex = { account: sandbox.account, appKey: sandbox.appKey, appToken: sandbox.appToken, baseUrl: sandbox.url };
    }
    if (!vtex) throw new Error('no VTEX account configured and the sandbox is off (FAROL_SANDBOX=off)');

    // The sandbox is local and unthrottled; a real account keeps VTEX's documented Get-order limit.
    const oms: VtexOmsClient = createVtexOmsClient(vtex, logger.child({ source: 'vtex' }), sandbox ? SANDBOX_REQUESTS_PER_SECOND : undefined);
    closers.push(() => oms.close());
    const worker = new OrderFetchWorker({
      warehouse, oms, dataVersions, gold: { timezone: config.timezone, channelNames: sandbox ? { ...SANDBOX_CHANNEL_NAMES, ...config.channelNames } : config.channelNames },
      logger, concurrency: config.worker.concurrency,
    });
    receiver.onEnqueued(() => worker.wake());
    if (options.startWorker !== false) worker.start();
    closers.push(() => worker.stop());

    const hookUrl = `${config.server.publicUrl ?? url}${ORDER_HOOK_PATH}`;
    try {
      await oms.configureOrderHook(hookUrl, hookToken);
      logger.info({ hookUrl, account: vtex.account }, 'VTEX order hook configured');
    } catch (err) {
      // Real VTEX must reach FAROL_PUBLIC_URL; serving goes on, and the operator sees why.
      if (sandbox) throw err;
      logger.error({ err, hookUrl }, 'could not configure the VTEX order hook; set FAROL_PUBLIC_URL to an address VTEX can reach');
    }

    return { url, apiKeys, localApiKey: local, warehouse, metrics, sandbox, worker, hookUrl, close: closeAll };
  } catch (err) {
    await closeAll();
    throw err;
  }
}

/**
 * Live sandbox order ids derive from their index; numbering live orders by wall-clock time (four
 * per second since 2026) keeps a restarted sandbox from reusing the ids of an earlier run's live
 * orders at any rate up to 240 orders per minute.
 */
function liveStartIndex(): number {
  return 200_000_000 + Math.floor((Date.now() - Date.UTC(2026, 0, 1)) / 250);
}

/**
 * The sandbox's history ends at the first start's time and stays there, so a restart replays the
 * same orders (harmless duplicates) instead of inventing a shifted past.
 */
function sandboxAnchor(dataDir: string): Date {
  const file = path.join(dataDir, 'sandbox-anchor.json');
  try {
    const { historyEndAt } = JSON.parse(fs.readFileSync(file, 'utf8')) as { historyEndAt: string };
    const d = new Date(historyEndAt);
    if (!Number.isNaN(d.getTime())) return d;
  } catch {
    // first start
  }
  const now = new Date();
  fs.mkdirSync(dataDir, { recursive: true });
  fs.writeFileSync(file, JSON.stringify({ historyEndAt: now.toISOString() }));
  return now;
}
