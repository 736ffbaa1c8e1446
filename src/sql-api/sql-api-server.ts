import net, { type Socket } from 'node:net';
import { PostgresConnection, type TlsOptions } from 'pg-gateway';
import type { Logger } from 'pino';
import type { Authenticator } from '../auth/index.js';
import type { MetricsService } from '../metrics/metrics-service.js';
import type { ModelView } from '../metrics/model-views.js';
import { PgliteCatalogResponder } from './catalog/pglite-catalog-responder.js';
import { CATALOG_SERVER_VERSION } from './catalog/server-version.js';
import { CancelKeys } from './cancel-keys.js';
import type { CatalogResponder } from './catalog-responder.js';
import { SQLSTATE } from './sql-error.js';
import { loadSqlParser } from './sql-parser.js';
import { SqlSession } from './sql-session.js';
import { sqlTablesFor } from './sql-tables.js';
import { StatementExecutor, type StatementExecutorDeps } from './statement-executor.js';

/** What clients see as the server's version: a PostgreSQL 14 dialect, answered by Farol. */
/**
 * The version the SQL API reports: the embedded catalog engine's (see catalog/server-version.ts),
 * because clients choose their catalog queries by it and those queries run in that engine.
 */
export const SERVER_VERSION = CATALOG_SERVER_VERSION;
/** Open connections; one more is refused with 53300. */
export const DEFAULT_MAX_CONNECTIONS = 256;
/** From TCP connect to authenticated; PostgreSQL's `authentication_timeout` is 60 s. */
export const AUTH_TIMEOUT_MS = 30_000;
/** Bytes a client may send before its start-up message is complete (TLS handshake included). */
const MAX_STARTUP_BYTES = 64 * 1024;
/** Sessions get this long to close after a shutdown notice before their sockets are destroyed. */
const CLOSE_GRACE_MS = 2_000;

const CANCEL_REQUEST_CODE = 80877102;
const GSSENC_REQUEST_CODE = 80877104;

export interface SqlApiOptions {
  readonly host: string;
  /** 0 picks a free port (tests). */
  readonly port: number;
  readonly tls?: TlsOptions | undefined;
  readonly metrics: MetricsService;
  /** Every public view of the model (`SemanticEngine.modelViews`). */
  readonly views: readonly ModelView[];
  readonly authenticator: Pick<Authenticator, 'authenticate'>;
  /** The business timezone, reported as TimeZone. */
  readonly timezone: string;
  readonly logger: Logger;
  /**
   * System/catalog statements; by default an embedded PostgreSQL (`PgliteCatalogResponder`) the
   * server starts on the first connection and closes with itself.
   */
  readonly catalog?: CatalogResponder;
  /** Told of each statement's kind and duration (the service passes its Prometheus metrics). */
  readonly onStatement?: StatementExecutorDeps['onStatement'];
  readonly maxConnections?: number;
}

export interface SqlApiServer {
  readonly port: number;
  readonly host: string;
  /** Stops listening, tells every session the server is shutting down (57P01) and waits for them. */
  close(): Promise<void>;
}

/**
 * The PostgreSQL wire-protocol endpoint. pg-gateway answers SSLRequest (upgrading to TLS when a
 * certificate is configured) and parses the start-up message; from there each connection is a
 * `SqlSession`. Cleartext passwords travel only over TLS or on loopback.
 */
export async function startSqlApiServer(options: SqlApiOptions): Promise<SqlApiServer> {
  await loadSqlParser();
  const logger = options.logger.child({ component: 'sql-api' });
  const ownCatalog = options.catalog === undefined ? new PgliteCatalogResponder() : undefined;
  const catalog = options.catalog ?? (ownCatalog as PgliteCatalogResponder);
  let catalogStarted = false;
  let closing = false;
  // The engine takes seconds and about 600 MB to start: not before someone connects, then in the
  // background, so a BI tool's first catalog query does not wait for all of it.
  const warmCatalog = () => {
    if (!ownCatalog || catalogStarted) return;
    catalogStarted = true;
    ownCatalog.start().catch((err: unknown) => {
      // A start cut short by shutdown (the engine's worker is stopped) is not a failure to report.
      if (closing) logger.debug({ err }, 'the SQL catalog start was abandoned at shutdown');
      else logger.warn({ err }, 'the SQL catalog failed to start; it will retry on the next catalog statement');
    });
  };
  const executor = new StatementExecutor({
    metrics: options.metrics, views: new Map(options.views.map((v) => [v.name, v])), catalog, ...(options.onStatement ? { onStatement: options.onStatement } : {}),
  });
  const cancelKeys = new CancelKeys();
  const sessions = new Set<SqlSession>();
  const sockets = new Set<Socket>();
  const withSession = new WeakSet<Socket>();
  const maxConnections = options.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
  const serverParameters = {
    server_version: SERVER_VERSION,
    server_encoding: 'UTF8',
    client_encoding: 'UTF8',
    DateStyle: 'ISO, MDY',
    IntervalStyle: 'postgres',
    TimeZone: options.timezone,
    integer_datetimes: 'on',
    standard_conforming_strings: 'on',
    is_superuser: 'off',
    application_name: '',
  };

  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    const deadline = setTimeout(() => socket.destroy(), AUTH_TIMEOUT_MS);
    deadline.unref();
    let startupBytes = 0;
    const countStartup = (chunk: Buffer) => {
      startupBytes += chunk.length;
      if (startupBytes > MAX_STARTUP_BYTES) socket.destroy();
    };
    socket.on('data', countStartup);

    const connection: PostgresConnection = new PostgresConnection(socket, {
      tls: options.tls,
      onMessage(bytes, state) {
        if (state.hasStarted || bytes.length < 8) return false;
        const data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
        const code = data.readInt32BE(4);
        if (code === CANCEL_REQUEST_CODE && data.length === 16) {
          cancelKeys.cancel(data.readInt32BE(8), data.readInt32BE(12));
          socket.end();
          return true;
        }
        if (code === GSSENC_REQUEST_CODE) {
          // No GSSAPI encryption: 'N', and the client goes on with SSLRequest or its start-up.
          // pg-gateway marks the connection started when a hook takes a message; undo that
          // before the client's next message can arrive (it waits for our answer).
          connection.socket.write('N');
          setImmediate(() => (connection.hasStarted = false));
          return true;
        }
        return false;
      },
      onStartup(state) {
        const s = connection.detach();
        socket.off('data', countStartup);
        const tls = connection.secureSocket !== undefined;
        const parameters = state.clientInfo?.parameters ?? { user: '' };
        const session: SqlSession = new SqlSession(
          s,
          parameters,
          {
            executor,
            authenticate: (password) => options.authenticator.authenticate(`Bearer ${password}`),
            tablesFor: async (ctx) => sqlTablesFor(await options.metrics.catalog(ctx)),
            cancelKeys,
            serverParameters,
            logger,
          },
          {
            onReady: () => {
              clearTimeout(deadline);
              warmCatalog();
            },
            onClose: () => {
              sessions.delete(session);
              clearTimeout(deadline);
            },
          },
        );
        sessions.add(session);
        withSession.add(socket);
        session.start();
        if (sessions.size > maxConnections) {
          session.refuse(SQLSTATE.tooManyConnections, `sorry, too many clients already (Farol's SQL API serves ${maxConnections} connections)`);
        } else if (!tls && !isLoopback(socket.remoteAddress)) {
          session.refuse(
            SQLSTATE.invalidAuthorization,
            'password authentication over an unencrypted connection is only accepted on loopback',
            options.tls ? 'connect with sslmode=require' : 'the server has no TLS certificate: set FAROL_SQL_TLS_CERT and FAROL_SQL_TLS_KEY',
          );
        }
        return true;
      },
    });
  });
  server.maxConnections = maxConnections * 2;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  logger.info({ host: options.host, port, tls: options.tls !== undefined }, 'SQL API listening');

  return {
    port,
    host: options.host,
    async close() {
      closing = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const session of sessions) session.terminate();
      const grace = setTimeout(() => {
        for (const s of sockets) s.destroy();
      }, CLOSE_GRACE_MS);
      grace.unref();
      // Connections still negotiating (TLS, start-up) have no session to tell.
      for (const s of sockets) if (!withSession.has(s)) s.destroy();
      await closed;
      clearTimeout(grace);
      await ownCatalog?.close();
    },
  };
}

function isLoopback(address: string | undefined): boolean {
  return address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1' || (address?.startsWith('127.') ?? false);
}
