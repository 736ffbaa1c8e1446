import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import pg from 'pg';
import { Authenticator } from '../../src/auth/index.js';
import { createSemanticEngine, type SemanticEngine } from '../../src/metrics/semantic-engine.js';
import { createLogger } from '../../src/observability/logger.js';
import { startSqlApiServer, type SqlApiServer } from '../../src/sql-api/index.js';
import { BUSINESS_TZ, MODEL_DIR, openGoldFixture, type GoldFixture } from '../metrics/gold-fixtures.js';
import { sqlState } from './sql-api-harness.js';

/** TLS with a throw-away self-signed certificate (openssl), and the extended protocol's Describe over it. */
const KEY = 'tls-analyst-key-0123456789abcdef';
let dir: string;
let fixture: GoldFixture;
let engine: SemanticEngine;
let server: SqlApiServer;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'farol-sql-tls-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=127.0.0.1'], { stdio: 'ignore' });
  fixture = await openGoldFixture();
  engine = await createSemanticEngine({ warehouse: fixture.warehouse, modelDir: MODEL_DIR, dataVersions: fixture.dataVersions, timezone: BUSINESS_TZ, cache: { maxEntries: 10, ttlMs: 60_000 } });
  server = await startSqlApiServer({
    host: '127.0.0.1', port: 0, metrics: engine, views: engine.modelViews, timezone: BUSINESS_TZ, logger: createLogger({ level: 'silent' }),
    authenticator: new Authenticator({ config: { apiKeys: [{ kind: 'plain', key: KEY, role: 'analyst' }], jwt: undefined, accessFile: undefined } }),
    tls: { cert: fs.readFileSync(path.join(dir, 'cert.pem')), key: fs.readFileSync(path.join(dir, 'key.pem')) },
  });
}, 60_000);
afterAll(async () => {
  await server?.close();
  await engine?.close();
  await fixture?.cleanup();
  fs.rmSync(dir, { recursive: true, force: true });
});

it('answers SSLRequest with S and serves the session over TLS', async () => {
  const c = new pg.Client({ host: '127.0.0.1', port: server.port, user: 'bi', password: KEY, database: 'farol', ssl: { rejectUnauthorized: false } });
  await c.connect();
  expect(((c as unknown as { connection: { stream: { encrypted?: boolean } } }).connection.stream.encrypted)).toBe(true);
  expect((await c.query('SELECT MEASURE(orders) FROM sales WHERE channel = $1', ['Site'])).rows).toEqual([{ measure: '4' }]);
  expect((await sqlState(c.query('SELECT * FROM gold.fct_orders'))).code).toBe('42P01');
  await c.end();
});
