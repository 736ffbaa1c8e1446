import { randomBytes, timingSafeEqual, createHash } from 'node:crypto';
import Fastify, { LogController, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { alertsTestOperation, alertsTestRequestSchema, AlertsTestUsageError, type AlertsTestDeps } from '../alerts/alerts-test-operation.js';
import type { PipelineContext } from '../pipeline-context.js';
import { removeAdminFile, writeAdminFile } from './admin-file.js';
import {
  errorEvent, ingestOperation, ingestRequestSchema, parseRequest, rebuildOperation, rebuildRequestSchema, runsOperation,
  runsRequestSchema, sandboxLoadOperation, sandboxLoadRequestSchema, UsageError, type AdminEvent, type Emit,
} from './admin-operations.js';

export interface AdminServerOptions {
  readonly pipeline: PipelineContext;
  readonly dataDir: string;
  readonly logger: Logger;
  readonly channelNames?: Readonly<Record<string, string>>;
  /** For `farol alerts test` while the service runs: the rules in force and the engine they read. */
  readonly alerts?: Omit<AlertsTestDeps, 'warehouse'>;
}

export interface AdminServer {
  readonly url: string;
  close(): Promise<void>;
}

/**
 * The service's door for `farol` commands while it holds the warehouse (DuckDB allows one writing
 * process): listens on 127.0.0.1 only, on a port chosen at start, and requires the token written
 * to the admin file beside the warehouse. Long operations stream their progress as NDJSON.
 */
export async function startAdminServer(opts: AdminServerOptions): Promise<AdminServer> {
  const token = randomBytes(32).toString('base64url');
  const expected = createHash('sha256').update(token).digest();
  const app = Fastify({ logController: new LogController({ disableRequestLogging: true }), bodyLimit: 64 * 1024 });
  app.addHook('onRequest', async (req, reply) => {
    const given = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
    if (!timingSafeEqual(createHash('sha256').update(given).digest(), expected)) {
      opts.logger.warn({ path: req.url }, 'admin request without a valid token');
      return reply.code(401).send({ error: 'missing or invalid admin token' });
    }
  });
  const { pipeline } = opts;
  app.post('/admin/ingest', (req, reply) =>
    stream(req, reply, opts.logger, (emit, signal) => ingestOperation(pipeline, parseRequest(ingestRequestSchema, req.body), emit, signal)));
  app.post('/admin/rebuild', (req, reply) =>
    stream(req, reply, opts.logger, (emit) => rebuildOperation(pipeline, parseRequest(rebuildRequestSchema, req.body ?? {}), emit)));
  app.post('/admin/sandbox-load', (req, reply) =>
    stream(req, reply, opts.logger, (emit, signal) => sandboxLoadOperation(pipeline, parseRequest(sandboxLoadRequestSchema, req.body), emit, signal)));
  app.get('/admin/runs', async (req, reply) => {
    try {
      return await runsOperation(pipeline, parseRequest(runsRequestSchema, req.query));
    } catch (err) {
      return reply.code(err instanceof UsageError ? 400 : 500).send(errorEvent(err));
    }
  });
  app.get('/admin/alerts-test', async (req, reply) => {
    try {
      if (!opts.alerts) throw new UsageError('alerts are not running in this service');
      const request = parseRequest(alertsTestRequestSchema, req.query);
      return await alertsTestOperation({ ...opts.alerts, warehouse: pipeline.warehouse }, request);
    } catch (err) {
      const usage = err instanceof UsageError || err instanceof AlertsTestUsageError;
      return reply.code(usage ? 400 : 500).send(usage ? { type: 'error', message: (err as Error).message, usage: true } : errorEvent(err));
    }
  });
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  writeAdminFile(opts.dataDir, { pid: process.pid, url: address, token, warehouse: pipeline.warehouse.dialect });
  return {
    url: address,
    async close() {
      removeAdminFile(opts.dataDir);
      await app.close();
    },
  };
}

/**
 * Runs an operation, writing each event as one JSON line; the last line is `done` or `error`. When
 * the command goes away (Ctrl-C, a killed cron job), the operation is cancelled between pages, as
 * it would have been in the command's own process: what landed stays, the next run resumes.
 */
async function stream(
  req: FastifyRequest,
  reply: FastifyReply,
  logger: Logger,
  op: (emit: Emit, signal: AbortSignal) => Promise<void>,
): Promise<void> {
  reply.hijack();
  const res = reply.raw;
  const cancel = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) cancel.abort();
  });
  res.writeHead(200, { 'content-type': 'application/x-ndjson', 'cache-control': 'no-store' });
  let last = 0;
  const write = (e: AdminEvent) => res.write(`${JSON.stringify(e)}\n`);
  const emit: Emit = (e) => {
    // Progress is throttled; the terminal events always go out.
    if (e.type === 'progress' && Date.now() - last < 200 && e.phase !== 'done') return;
    last = Date.now();
    write(e);
  };
  try {
    await op(emit, cancel.signal);
  } catch (err) {
    if (!(err instanceof UsageError)) logger.error({ err, path: req.url }, 'admin operation failed');
    write(errorEvent(err));
  }
  res.end();
}
