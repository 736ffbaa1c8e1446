import { Writable } from 'node:stream';
import Fastify, { type FastifyInstance } from 'fastify';
import { Authenticator, parseAccessFile, type ApiKey, type JwtConfig } from '../../src/auth/index.js';
import { CUBE_API_BASE_PATH, registerCubeApi, type PendingAnswersOptions } from '../../src/cube-api/index.js';
import type { MetricsService } from '../../src/metrics/metrics-service.js';
import { createLogger } from '../../src/observability/logger.js';
import { ACCESS_POLICIES } from '../fixtures/access-policies.js';
import { BUSINESS_TZ } from '../metrics/gold-fixtures.js';

export const KEYS = {
  admin: 'cube-admin-key-0123456789abcdef',
  app: 'cube-app-key-0123456789abcdef',
  analyst: 'cube-analyst-key-0123456789abcdef',
  pos: 'cube-pos-key-0123456789abcdef',
  marketing: 'cube-marketing-key-0123456789abcdef',
} as const;

export const JWT_SECRET = 'cube-api-hs256-secret-0123456789abcdef';

/** A role that sees sales without coupons: the hidden member the tests ask for anyway. */
const MARKETING = parseAccessFile(
  `
roles:
  marketing:
    capabilities: [metrics]
    pii: false
    members:
      allow: ["sales.*"]
      deny: ["sales.coupon"]
`,
  'marketing.yml',
);

const API_KEYS: readonly ApiKey[] = Object.entries(KEYS).map(([role, key]) => ({ kind: 'plain', key, role }));

export interface CubeApiServer {
  readonly apiUrl: string;
  readonly origin: string;
  readonly logLines: string[];
  close(): Promise<void>;
}

/** Farol's Cube API alone on a real Fastify server on 127.0.0.1, with captured JSON logs. */
export async function startCubeApiServer(metrics: MetricsService, options: { readonly pending?: PendingAnswersOptions } = {}): Promise<CubeApiServer> {
  const logLines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logLines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  const jwt: JwtConfig = { secret: JWT_SECRET, jwksUrl: undefined, issuer: undefined, audience: undefined, roleClaim: 'role' };
  const authenticator = new Authenticator({ config: { apiKeys: API_KEYS, jwt, accessFile: undefined }, customRoles: [...MARKETING, ...ACCESS_POLICIES] });
  const app: FastifyInstance = Fastify({ logger: false, bodyLimit: 1024 * 1024 });
  await registerCubeApi(app, {
    metrics, authenticator, logger: createLogger({ level: 'info', destination }), timezone: BUSINESS_TZ, dbType: 'duckdb', pending: options.pending,
  });
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  const origin = `http://127.0.0.1:${new URL(address).port}`;
  return { apiUrl: `${origin}${CUBE_API_BASE_PATH}/v1`, origin, logLines, close: () => app.close() };
}
