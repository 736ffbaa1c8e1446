import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { startAdminServer } from './admin/admin-server.js';
import { createAlertsService } from './alerts/alerts-runtime.js';
import type { AlertsService } from './alerts/alerts-service.js';
import { loadOrCreateLocalApiKey } from './api-key-store.js';
import { GracefulHttpClose } from './graceful-http-close.js';
import { AccessFileError, Authenticator, loadAccessFile, type ApiKey, type PlainApiKey, type RolePolicy } from './auth/index.js';
import type { FarolConfig, VtexConfig } from './config.js';
import { compactBronze } from './ingest/bronze/bronze-compactor.js';
import { SOURCE_KINDS, type SourceKind } from './ingest/sources/source-kind.js';
import { OrderFetchWorker } from './ingest/sources/vtex-orders/order-fetch-worker.js';
import { createVtexOmsClient, type VtexOmsClient } from './ingest/sources/vtex-orders/vtex-oms-client.js';
import { OrderFeedReader } from './ingest/sources/vtex-orders/order-feed-reader.js';
import { enqueueOrderFetches } from './ingest/sources/vtex-orders/enqueue-order-fetches.js';
import { VTEX_ORDER_ENTITY, VTEX_ORDERS } from './ingest/sources/vtex-orders/vtex-orders-names.js';
import { queueDepth } from './ingest/state/fetch-queue.js';
import { HookInbox } from './ingest/webhooks/hook-inbox.js';
import { InboxMover } from './ingest/webhooks/inbox-mover.js';
import { LandingPace } from './ingest/landing-pace.js';
import { OrderHookReceiver } from './ingest/webhooks/order-hook-receiver.js';
import { ORDER_HOOK_PATH, registerOrderHookRoute } from './ingest/webhooks/order-hook-route.js';
import { createSemanticEngine, type SemanticEngine } from './metrics/semantic-engine.js';
import { openPipelineContext, pipelineOptionsFor, type PipelineContext } from './pipeline-context.js';
import { latestDataTestResults } from './pipeline/data-tests/record-data-tests.js';
import { freshnessSlaSeconds } from './pipeline/freshness-sla.js';
import { tableLineage } from './pipeline/pipeline-lineage.js';
import { RefreshLoop } from './pipeline/refresh-loop.js';
import { listRuns, sourceHealth } from './pipeline/run-log.js';
import { Scheduler } from './pipeline/scheduler.js';
import { StreamRuns } from './pipeline/stream-runs.js';
import { writeSandboxStoreTargets } from './sandbox/store-targets/sandbox-store-targets.js';
import { createVtexSandbox, type VtexSandbox } from './sandbox/vtex/index.js';
import { ClubMemberIndex, Customer360Service } from './customers/index.js';
import { registerCubeApi } from './cube-api/index.js';
import { registerPosRoute } from './pos/index.js';
import { registerGraphql } from './schema/index.js';
import { startSqlApiServer, type SqlApiServer } from './sql-api/index.js';
import { FarolMetrics } from './observability/farol-metrics.js';
import { registerMetricsRoute } from './observability/metrics-route.js';
import { checkReadiness } from './observability/readiness.js';
import { echoRequestId, requestIdFor } from './observability/request-id.js';
import { logResponses } from './observability/response-log.js';
import type { Warehouse } from './warehouse/warehouse.js';
import type { OperationsService } from './schema/operations-service.js';
import { registerWebPage } from './web-page/register-web-page.js';

/** `cube/model` in the repository, wherever the code runs from (src/ via tsx or dist/ after build). */
export const DEFAULT_MODEL_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'cube', 'model');

/** The built page (`npm run build` writes it), beside `src/` or `dist/`, wherever the code runs from. */
export const DEFAULT_WEB_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'web');

/** Get-order pace against the bundled sandbox, which has no account-wide limit to share. */
const SANDBOX_REQUESTS_PER_SECOND = 1_000;

export interface FarolApp {
  readonly url: string;
  readonly apiKeys: readonly ApiKey[];
  /** Set when no FAROL_API_KEYS were configured and a local admin key is in use. */
  readonly localApiKey: PlainApiKey | undefined;
  readonly authenticator: Authenticator;
  readonly pipeline: PipelineContext;
  readonly metrics: SemanticEngine;
  /** Prometheus metrics served at `/metrics`; the alerts module reports deliveries to it (`alertSent`/`alertFailed`), the SQL API statements (`sqlStatement`). */
  readonly prometheus: FarolMetrics;
  readonly sandbox: VtexSandbox | undefined;
  readonly worker: OrderFetchWorker;
  readonly refreshes: RefreshLoop;
  readonly scheduler: Scheduler;
  readonly alerts: AlertsService;
  readonly hookUrl: string;
  /** The PostgreSQL-protocol endpoint; undefined when `FAROL_SQL_PORT` is 0 or off. */
  readonly sqlApi: SqlApiServer | undefined;
  /** The local admin endpoint `farol` commands use while the service holds the warehouse. */
  readonly adminUrl: string;
  close(): Promise<void>;
}

export interface StartOptions {
  readonly modelDir?: string;
  /** Start the fetch worker and the inbox mover (default true); tests that drive batches by hand turn it off. */
  readonly startWorker?: boolean;
  /** The built web page served at `/`; `DEFAULT_WEB_DIR` by default. */
  readonly webDir?: string;
}

/**
 * The composition root: one process running ingestion (hook inbox, mover, fetch worker,
 * scheduled pulls), the pipeline, the warehouse, the semantic engine and the API. DuckDB allows
 * one writing process, so the embedded default is exactly this process; `farol` commands reach it
 * through the local admin endpoint.
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
    const dataDir = config.storage.dataDir;
    const sandbox = config.sandbox.enabled
      ? createVtexSandbox({
          seed: config.sandbox.seed,
          port: config.sandbox.port,
          history: { orders: config.sandbox.historyOrders, days: config.sandbox.historyDays, endAt: sandboxAnchor(dataDir) },
          live: config.sandbox.ordersPerMinute > 0 ? { ordersPerMinute: config.sandbox.ordersPerMinute } : false,
          liveStartIndex: liveStartIndex(),
          // The history streams through the real hook; a quick pace fills the demo within seconds.
          publishIntervalMs: 0,
          logger: logger.child({ component: 'vtex-sandbox' }),
        })
      : undefined;
    // With the sandbox, a store-targets spreadsheet for its stores feeds the second source.
    if (sandbox && !config.storeTargetsFile) writeSandboxStoreTargets(path.join(dataDir, 'sandbox', 'store-targets.csv'), config.sandbox.seed);
    // Freshness is read from the warehouse at scrape time; until it is open there is none to report.
    const opened: { warehouse?: Warehouse } = {};
    const prometheus = new FarolMetrics({
      freshness: async () => (opened.warehouse ? (await sourceHealth(opened.warehouse, SOURCE_KINDS)).map((h) => ({ source: h.source, secondsSinceSuccess: h.lagSeconds })) : []),
    });
    const httpAttempt = (source: string, attempt: number) => prometheus.httpAttempt({ source, attempt });
    const pipelineOptions = { ...pipelineOptionsFor(config), observer: prometheus, onHttpAttempt: httpAttempt };
    const channelNames = pipelineOptions.gold.channelNames;
    const pipeline = await openPipelineContext(config, logger, pipelineOptions);
    closers.push(() => pipeline.close());
    const { warehouse, bronze, dataVersions, runner, registry } = pipeline;
    opened.warehouse = warehouse;
    const lineage = tableLineage(Object.values(registry));
    const metrics = await createSemanticEngine({
      warehouse, modelDir: options.modelDir ?? DEFAULT_MODEL_DIR, dataVersions, timezone: config.timezone, cache: config.cache, logger,
      queryTimeoutMs: config.queryTimeoutMs,
      preAggregations: config.preAggregations,
      lineage: (table) => lineage.get(table),
      onCacheLookup: (hit) => prometheus.cacheLookup(hit),
    });
    closers.push(() => metrics.close());

    const streams = new StreamRuns({ warehouse, registry, lineage: pipeline.lineage, warehouseNamespace: runner.deps.warehouseNamespace, logger, observer: prometheus });
    closers.push(() => streams.closeAll());
    const refreshes = new RefreshLoop(runner, streams, logger.child({ component: 'refresh' }));
    closers.push(() => refreshes.stop());

    const local = config.auth.apiKeys.length === 0 ? loadOrCreateLocalApiKey(dataDir).key : undefined;
    const apiKeys: readonly ApiKey[] = local ? [local] : config.auth.apiKeys;
    const authenticator = new Authenticator({ config: { ...config.auth, apiKeys }, customRoles: loadCustomRoles(config.auth.accessFile, metrics) });
    const hookToken = config.vtexHookToken ?? randomBytes(24).toString('base64url');

    const inbox = await HookInbox.open(config.storage.inboxPath, await InboxMover.movedUpTo(warehouse), logger.child({ component: 'inbox' }));
    closers.push(() => inbox.close());

    // Per-request access logs would cost more than a cached metrics answer; errors are still logged.
    const app: FastifyInstance = Fastify({
      loggerInstance: logger as FastifyBaseLogger,
      logController: new LogController({ disableRequestLogging: true }),
      bodyLimit: 1024 * 1024,
      // Every log line of a request carries its id (`reqId`), echoed to the caller in x-request-id.
      genReqId: requestIdFor,
    });
    echoRequestId(app);
    logResponses(app);
    const graceful = new GracefulHttpClose(app);
    graceful.attach();
    const closeApp = () => graceful.close();
    closers.push(closeApp);
    const receiver = new OrderHookReceiver(inbox, warehouse, logger);
    await registerOrderHookRoute(app, { receiver, hookToken, logger, onAcknowledged: (s) => prometheus.hookAcknowledged(s) });
    const customers = new Customer360Service(warehouse, dataVersions);
    const clubIndex = new ClubMemberIndex(warehouse, dataVersions, { onError: (err) => logger.error({ err }, 'club member index refresh failed; the previous index keeps answering') });
    closers.push(async () => clubIndex.stop());
    // Loaded before listening, so a till's first question is answered from memory.
    await clubIndex.whenCurrent();
    // Scheduled pulls (the club registry only when its database is configured) and the order hook; anything else is idle here.
    const runningSources = new Set<string>([...Object.keys(pipeline.schedules), VTEX_ORDERS]);
    // Built before the API (which reads its history) and started once everything it watches runs.
    const alerts = await createAlertsService({
      config: config.alerts, warehouse, metrics, dataVersions, timezone: config.timezone,
      configuredSources: SOURCE_KINDS.filter((k) => runningSources.has(k)), logger: logger.child({ component: 'alerts' }),
    });
    await registerGraphql(app, {
      metrics, views: metrics.modelViews, customers, clubIndex, authenticator, logger, corsOrigins: config.server.corsOrigins, maxResponseBytes: config.graphql.maxResponseBytes,
      operations: operationsService(pipeline, runningSources),
      alerts,
      onOperation: (name, seconds) => prometheus.graphqlOperation(name, seconds),
    });
    await registerPosRoute(app, { clubIndex, authenticator, logger });
    await registerWebPage(app, { root: options.webDir ?? DEFAULT_WEB_DIR, logger: logger.child({ component: 'web-page' }) });
    await registerCubeApi(app, { metrics, authenticator, logger, timezone: config.timezone, dbType: warehouse.dialect, corsOrigins: config.server.corsOrigins });
    app.get('/healthz', async () => ({
      status: 'ok',
      dataVersion: dataVersions.current(),
      hookInbox: await inbox.depth(),
      pendingOrderFetches: await queueDepth(warehouse, VTEX_ORDERS, VTEX_ORDER_ENTITY),
      sources: await sourceHealth(warehouse, SOURCE_KINDS, { running: runningSources }),
    }));
    app.get('/readyz', async (_req, reply) => {
      const readiness = await checkReadiness({
        warehouse: () => warehouse.query('SELECT 1 AS ok'),
        sources: () => sourceHealth(warehouse, SOURCE_KINDS, { running: runningSources }),
      });
      return reply.code(readiness.ready ? 200 : 503).send({ status: readiness.ready ? 'ready' : 'not ready', reasons: readiness.reasons });
    });
    await registerMetricsRoute(app, {
      metrics: prometheus,
      token: config.observability.metricsToken,
      // Custom roles cannot take a built-in name, so "admin" is the built-in admin role.
      isAdmin: async (authorization) => (await authenticator.authenticate(authorization)).role === 'admin',
    });
    const address = await app.listen({ host: config.server.host, port: config.server.port });
    const sqlApi = config.sqlApi
      ? await startSqlApiServer({
          host: config.sqlApi.host,
          port: config.sqlApi.port,
          tls: config.sqlApi.tls && { cert: fs.readFileSync(config.sqlApi.tls.certFile), key: fs.readFileSync(config.sqlApi.tls.keyFile) },
          metrics, views: metrics.modelViews, authenticator, timezone: config.timezone, logger,
          onStatement: (kind, seconds) => prometheus.sqlStatement(kind, seconds),
        })
      : undefined;
    // Stops before the engine and the warehouse close: sessions are told and their queries end first.
    if (sqlApi) closers.push(() => sqlApi.close());
    const url = `http://127.0.0.1:${new URL(address).port}`;

    if (sandbox) {
      await sandbox.start();
      closers.push(() => sandbox.close());
    }
    const vtex: VtexConfig | undefined = sandbox
      ? { account: sandbox.account, appKey: sandbox.appKey, appToken: sandbox.appToken, baseUrl: sandbox.url }
      : config.vtex;
    if (!vtex) throw new Error('no VTEX account configured and the sandbox is off (FAROL_SANDBOX=off)');
    if (sandbox) pipeline.vtexStore.connect(vtex, sandbox.pricingUrl, SANDBOX_REQUESTS_PER_SECOND);

    // The sandbox is local and unthrottled; a real account keeps VTEX's documented Get-order limit.
    const oms: VtexOmsClient = createVtexOmsClient(
      vtex, logger.child({ source: VTEX_ORDERS }), sandbox ? SANDBOX_REQUESTS_PER_SECOND : undefined, undefined, (e) => httpAttempt(VTEX_ORDERS, e.attempt),
    );
    closers.push(() => oms.close());
    // One pace for both landing loops: the load-job quota it protects is the project's.
    const pace = new LandingPace(config.worker.minLandingIntervalMs);
    const worker = new OrderFetchWorker({ warehouse, bronze, landing: refreshes, oms, logger, concurrency: config.worker.concurrency, pace });
    const mover = new InboxMover({
      pace,
      inbox, warehouse, bronze, landing: refreshes, logger: logger.child({ component: 'inbox-mover' }),
      followUps: {
        [VTEX_ORDERS]: enqueueOrderFetches,
      },
      onMoved: () => worker.wake(),
    });
    if (options.startWorker !== false) {
      await mover.start();
      worker.start();
    }
    closers.push(() => worker.stop());
    closers.push(() => mover.stop());
    if (config.vtexFeed) {
      // Saved before reading: the feed holds only changes made after it exists.
      await oms.configureOrderFeed().catch((err: unknown) => logger.error({ err }, 'could not configure the VTEX order feed; reading it anyway'));
      const feed = new OrderFeedReader({
        oms, warehouse, bronze, landing: refreshes, logger: logger.child({ component: 'order-feed' }), onLanded: () => worker.wake(), pace,
      });
      if (options.startWorker !== false) feed.start();
      closers.push(() => feed.stop());
    }

    const scheduler = new Scheduler({ runner, warehouse, every: pipeline.schedules, logger: logger.child({ component: 'scheduler' }) });
    await scheduler.start();
    closers.push(() => scheduler.stop());

    const compactor = startCompactor(pipeline, config, logger);
    closers.push(() => compactor.stop());
    // Whatever landed but was not refreshed before a stop (or before an upgrade) is taken up now:
    // pushed sources by their stream, pulled ones by a run of their own.
    for (const h of await sourceHealth(warehouse, SOURCE_KINDS)) {
      if (h.unappliedRecords === 0) continue;
      const kind = h.source as SourceKind;
      if (registry[kind].extract) {
        void runner.refreshRun(kind, 'startup').catch((err: unknown) => logger.error({ err, source: kind }, 'catch-up refresh failed'));
      } else refreshes.requestRefresh(kind);
    }

    alerts.start();
    closers.push(() => alerts.stop());

    const admin = await startAdminServer({ pipeline, dataDir, logger: logger.child({ component: 'admin' }), channelNames, alerts: { rules: alerts.rules, metrics, timezone: config.timezone, linkBase: config.alerts.linkBase } });
    closers.push(() => admin.close());
    // On the way out, the HTTP server stops first: no new notification may arrive while the inbox
    // mover drains what was acknowledged.
    closers.push(closeApp);

    const hookUrl = `${config.server.publicUrl ?? url}${ORDER_HOOK_PATH}`;
    try {
      await oms.configureOrderHook(hookUrl, hookToken);
      logger.info({ hookUrl, account: vtex.account }, 'VTEX order hook configured');
    } catch (err) {
      // Real VTEX must reach FAROL_PUBLIC_URL; serving goes on, and the operator sees why.
      if (sandbox) throw err;
      logger.error({ err, hookUrl }, 'could not configure the VTEX order hook; set FAROL_PUBLIC_URL to an address VTEX can reach');
    }

    return {
      url, apiKeys, localApiKey: local, authenticator, pipeline, metrics, prometheus, sandbox, worker, refreshes, scheduler, alerts, hookUrl, sqlApi, adminUrl: admin.url,
      close: closeAll,
    };
  } catch (err) {
    await closeAll();
    throw err;
  }
}

/**
 * The GraphQL schema's view of the pipeline (the schema may not import it): source health with
 * each source's freshness SLA, runs, and the latest data test results.
 */
function operationsService(pipeline: PipelineContext, running: ReadonlySet<string>): OperationsService {
  const { warehouse, registry } = pipeline;
  return {
    sourceNames: SOURCE_KINDS,
    async sources() {
      const health = await sourceHealth(warehouse, SOURCE_KINDS, { running });
      return health.map((h) => {
        const kind = h.source as SourceKind;
        const sla = freshnessSlaSeconds(kind) ?? null;
        return {
          source: h.source, title: registry[kind].title, state: h.state, lastSuccessAt: h.lastSuccessAt, lagSeconds: h.lagSeconds,
          slaSeconds: sla, withinSla: sla === null ? null : h.lagSeconds !== null && h.lagSeconds <= sla,
          lastRunStatus: h.lastRunStatus, lastError: h.lastError,
        };
      });
    },
    async runs({ source, limit }) {
      return (await listRuns(warehouse, { source, limit })).map((r) => ({
        id: r.run_id, source: r.source, entity: r.entity, trigger: r.trigger, status: r.status, startedAt: r.started_at, endedAt: r.ended_at,
        recordsIn: r.records_in, upserted: r.upserted, quarantined: r.quarantined, error: r.error,
      }));
    },
    async dataTests({ failedOnly, limit }) {
      // Failures come first, so keeping only them after the limit loses none that fit in it.
      const rows = await latestDataTestResults(warehouse, { limit });
      return rows.filter((t) => !failedOnly || t.status === 'failed').map((t) => ({
        table: t.table, test: t.testId, severity: t.severity, status: t.status, failingCount: t.failingCount, sampleKeys: t.sampleKeys,
        message: t.message === '' ? null : t.message, ranAt: t.checkedAt,
      }));
    },
  };
}

/** Compacts bronze on a timer, one pass at a time; a failed pass is logged and tried next time. */
function startCompactor(pipeline: PipelineContext, config: FarolConfig, logger: Logger): { stop(): Promise<void> } {
  let running: Promise<unknown> | undefined;
  const timer = setInterval(() => {
    if (running) return;
    running = compactBronze(pipeline.bronze, { retentionDays: config.storage.bronzeRetentionDays, logger })
      .catch((err: unknown) => logger.error({ err }, 'bronze compaction failed; will try again'))
      .finally(() => (running = undefined));
  }, config.storage.compactEveryMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
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

/** The access file's roles, with their row rules checked against the compiled model. */
function loadCustomRoles(file: string | undefined, metrics: SemanticEngine): readonly RolePolicy[] {
  if (file === undefined) return [];
  const roles = loadAccessFile(file);
  const problems = roles.flatMap((role) =>
    role.rowFilters.flatMap((rule, i) =>
      metrics.unknownRowFilterMembers([rule.member]).map((m) => `roles.${role.name}.rows[${i}].member: "${m}" is not a dimension of any cube in the model`),
    ),
  );
  if (problems.length > 0) throw new AccessFileError(file, problems);
  return roles;
}
