import fs from 'node:fs';
import { Writable } from 'node:stream';
import pg from 'pg';
import { Authenticator, type ApiKey, type JwtConfig } from '../../src/auth/index.js';
import type { MetricsService } from '../../src/metrics/metrics-service.js';
import { createSemanticEngine, type SemanticEngine } from '../../src/metrics/semantic-engine.js';
import { createLogger } from '../../src/observability/logger.js';
import { startSqlApiServer, type SqlApiServer } from '../../src/sql-api/index.js';
import { ACCESS_POLICIES } from '../fixtures/access-policies.js';
import { withCustomerSalesView } from '../metrics/customer-sales-view.js';
import { BUSINESS_TZ, openGoldFixture, type GoldFixture } from '../metrics/gold-fixtures.js';

export const KEYS = {
  admin: 'sql-admin-key-0123456789abcdef',
  analyst: 'sql-analyst-key-0123456789abcdef',
  app: 'sql-app-key-0123456789abcdef',
  pos: 'sql-pos-key-0123456789abcdef',
} as const;

export const JWT_SECRET = 'sql-api-hs256-secret-0123456789abcdef';

const API_KEYS: readonly ApiKey[] = Object.entries(KEYS).map(([role, key]) => ({ kind: 'plain', key, role }));

export interface SqlApiHarness {
  readonly fixture: GoldFixture;
  readonly engine: SemanticEngine;
  readonly server: SqlApiServer;
  readonly authenticator: Authenticator;
  readonly logLines: string[];
  /** A connected node-postgres client; closed by `close()`. */
  client(password: string, options?: Partial<pg.ClientConfig>): Promise<pg.Client>;
  close(): Promise<void>;
}

/**
 * Farol's SQL API on a real TCP port on 127.0.0.1 over the gold fixture (real DuckDB file, real
 * model plus the personal-data `customer_sales` view), with the test access file's roles.
 * `wrap` puts a test's hand between the server and the real engine (to hold a query in flight);
 * `seed` adds rows before the engine starts.
 */
export async function startSqlApiHarness(
  options: { readonly wrap?: (engine: SemanticEngine) => MetricsService; readonly seed?: (fixture: GoldFixture) => Promise<void> } = {},
): Promise<SqlApiHarness> {
  const fixture = await openGoldFixture();
  const modelDir = await withCustomerSalesView(fixture, 'farol-sql-api-model-');
  await options.seed?.(fixture);
  const engine = await createSemanticEngine({
    warehouse: fixture.warehouse, modelDir, dataVersions: fixture.dataVersions, timezone: BUSINESS_TZ, cache: { maxEntries: 1_000, ttlMs: 60_000 },
  });
  const jwt: JwtConfig = { secret: JWT_SECRET, jwksUrl: undefined, issuer: undefined, audience: undefined, roleClaim: 'role' };
  const authenticator = new Authenticator({ config: { apiKeys: API_KEYS, jwt, accessFile: undefined }, customRoles: ACCESS_POLICIES });
  const logLines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logLines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  const server = await startSqlApiServer({
    host: '127.0.0.1',
    port: 0,
    metrics: options.wrap ? options.wrap(engine) : engine,
    views: engine.modelViews,
    authenticator,
    timezone: BUSINESS_TZ,
    logger: createLogger({ level: 'info', destination }),
  });
  const clients: pg.Client[] = [];
  return {
    fixture,
    engine,
    server,
    authenticator,
    logLines,
    async client(password, config = {}) {
      const c = new pg.Client({ host: '127.0.0.1', port: server.port, user: 'bi', database: 'farol', password, ...config });
      c.on('error', () => undefined);
      await c.connect();
      clients.push(c);
      return c;
    },
    async close() {
      await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
      await server.close();
      await engine.close();
      await fixture.cleanup();
      fs.rmSync(modelDir, { recursive: true, force: true });
    },
  };
}

/** The SQLSTATE a failed query rejected with (pg's DatabaseError.code). */
export async function sqlState(promise: Promise<unknown>): Promise<{ code: string; message: string; position?: string }> {
  try {
    await promise;
  } catch (err) {
    const e = err as { code?: string; message: string; position?: string };
    return { code: e.code ?? '', message: e.message, ...(e.position ? { position: e.position } : {}) };
  }
  throw new Error('expected the query to fail');
}
