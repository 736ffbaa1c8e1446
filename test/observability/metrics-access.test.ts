import os from 'node:os';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Authenticator, authConfigFrom, authEnvSchema } from '../../src/auth/index.js';
import { FarolMetrics, METRIC } from '../../src/observability/farol-metrics.js';
import { registerMetricsRoute } from '../../src/observability/metrics-route.js';
import { parseScrape } from '../fixtures/prometheus-text.js';

const ADMIN_KEY = 'access-admin-key-0123456789abcdef';
const ANALYST_KEY = 'access-analyst-key-0123456789abcd';
const TOKEN = 'access-metrics-token-0123456789';

/** An address of this machine other than loopback, so a request to it arrives from a non-loopback peer. */
const external = Object.values(os.networkInterfaces()).flat().find((i) => i && i.family === 'IPv4' && !i.internal)?.address;

const authenticator = new Authenticator({ config: authConfigFrom(authEnvSchema.parse({ FAROL_API_KEYS: `${ADMIN_KEY}:admin,${ANALYST_KEY}:analyst` })) });
const isAdmin = async (authorization: string) => (await authenticator.authenticate(authorization)).role === 'admin';

async function serve(token: string | undefined): Promise<{ app: FastifyInstance; port: number }> {
  const app = Fastify();
  await registerMetricsRoute(app, { metrics: new FarolMetrics(), token, isAdmin });
  // Every interface, so the same server is reachable over loopback and over the external address.
  await app.listen({ host: '0.0.0.0', port: 0 });
  return { app, port: (app.server.address() as { port: number }).port };
}

let open: { app: FastifyInstance; port: number };
let guarded: { app: FastifyInstance; port: number };
beforeAll(async () => {
  open = await serve(undefined);
  guarded = await serve(TOKEN);
});
afterAll(async () => {
  await open?.app.close();
  await guarded?.app.close();
});

const get = (host: string, port: number, headers: Record<string, string> = {}) => fetch(`http://${host}:${port}/metrics`, { headers });

describe('/metrics without FAROL_METRICS_TOKEN', () => {
  it('answers a loopback scraper with no credential, in Prometheus text', async () => {
    const res = await get('127.0.0.1', open.port);
    expect(res.status).toBe(200);
    const families = parseScrape(await res.text());
    expect(families.get(METRIC.recordsIngested)?.type).toBe('COUNTER');
    expect(families.get(METRIC.graphqlSeconds)?.type).toBe('HISTOGRAM');
  });

  it.skipIf(external === undefined)('refuses a non-loopback peer without a credential (401) or with a non-admin key (403); takes an admin key', async () => {
    const host = external as string;
    const none = await get(host, open.port);
    expect(none.status).toBe(401);
    expect(((await none.json()) as { message: string }).message).toMatch(/loopback/);
    // A forwarded-for header is the client's own text: it does not make a peer local.
    expect((await get(host, open.port, { 'x-forwarded-for': '127.0.0.1', 'x-real-ip': '127.0.0.1' })).status).toBe(401);
    expect((await get(host, open.port, { authorization: `Bearer ${ANALYST_KEY}` })).status).toBe(403);
    expect((await get(host, open.port, { authorization: `Bearer ${TOKEN}` })).status).toBe(403);
    expect((await get(host, open.port, { authorization: `Bearer ${ADMIN_KEY}` })).status).toBe(200);
  });

  it.skipIf(external === undefined)('answers hostile credentials with 403, not an error', async () => {
    const host = external as string;
    for (const authorization of ['Bearer ' + 'x'.repeat(8_000), "Bearer ' OR 1=1 --", 'Bearer ../../etc/passwd', 'Bearer eyJhbGciOiJub25lIn0.e30.', 'Bearer']) {
      expect((await get(host, open.port, { authorization })).status, authorization.slice(0, 40)).toBe(403);
    }
  });
});

describe('/metrics with FAROL_METRICS_TOKEN', () => {
  it('requires the token even from loopback; accepts it or an admin key from anywhere', async () => {
    expect((await get('127.0.0.1', guarded.port)).status).toBe(401);
    expect((await get('127.0.0.1', guarded.port, { authorization: `Bearer ${TOKEN.slice(0, -1)}` })).status).toBe(403);
    expect((await get('127.0.0.1', guarded.port, { authorization: `Bearer ${TOKEN}` })).status).toBe(200);
    expect((await get('127.0.0.1', guarded.port, { authorization: `Bearer ${ADMIN_KEY}` })).status).toBe(200);
    if (external) {
      expect((await get(external, guarded.port, { authorization: `Bearer ${TOKEN}` })).status).toBe(200);
      expect((await get(external, guarded.port)).status).toBe(401);
    }
  });
});
