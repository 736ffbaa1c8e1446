import { Writable } from 'node:stream';
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { Pool } from 'undici';
import { z } from 'zod';
import { Authenticator, type ApiKey, type AuthConfig, type RolePolicy } from '../../src/auth/index.js';
import type { MetricsService } from '../../src/metrics/metrics-service.js';
import { createLogger } from '../../src/observability/logger.js';
import { GRAPHQL_PATH, registerGraphql, type GraphqlDeps } from '../../src/schema/index.js';
import { ClubMemberIndex, Customer360Service } from '../../src/customers/index.js';
import { DataVersions } from '../../src/warehouse/data-version.js';
import { DuckDbWarehouse } from '../../src/warehouse/duckdb/duckdb-warehouse.js';
import { FakeMetricsService } from './fake-metrics-service.js';

export const ANALYST_KEY = 'analyst-key-0123456789abcdef';
export const POS_KEY = 'pos-till-key-0123456789abcdef';
export const API_KEYS: readonly ApiKey[] = [
  { kind: 'plain', key: ANALYST_KEY, role: 'analyst' },
  { kind: 'plain', key: POS_KEY, role: 'pos' },
];

export interface GraphqlTestServerOptions {
  readonly introspection?: boolean;
  /** Replaces the default auth (API_KEYS, no JWT). */
  readonly auth?: Partial<AuthConfig>;
  readonly customRoles?: readonly RolePolicy[];
  /** A real engine instead of the fake one (`metrics` then stays unused). */
  readonly engine?: MetricsService;
  /** The model's views, for the typed fields (`SemanticEngine.modelViews`); none by default. */
  readonly views?: GraphqlDeps['views'];
  readonly budgets?: GraphqlDeps['budgets'];
  readonly maxResponseBytes?: number;
  readonly corsOrigins?: readonly string[];
  readonly graphiql?: boolean;
  readonly compiledExecution?: GraphqlDeps['compiledExecution'];
}

const responseSchema = z.object({
  data: z.any().optional(),
  errors: z
    .array(
      z.object({
        message: z.string(),
        path: z.array(z.union([z.string(), z.number()])).optional(),
        locations: z.array(z.object({ line: z.number(), column: z.number() })).optional(),
        extensions: z.record(z.string(), z.unknown()).optional(),
      }),
    )
    .optional(),
});
export type GraphqlResponse = z.infer<typeof responseSchema>;

export interface HttpResult {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly text: string;
  readonly body: GraphqlResponse;
}

/** A real Fastify server on 127.0.0.1 with the GraphQL API, a fake engine and captured JSON logs. */
export class GraphqlTestServer {
  readonly metrics = new FakeMetricsService();
  readonly logLines: string[] = [];
  #app: FastifyInstance | undefined;
  #pool: Pool | undefined;
  #warehouse: DuckDbWarehouse | undefined;

  constructor(private readonly options: GraphqlTestServerOptions = {}) {}

  async start(): Promise<void> {
    const lines = this.logLines;
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
        done();
      },
    });
    const app = Fastify({ logger: false });
    const authenticator = new Authenticator({
      config: { apiKeys: API_KEYS, jwt: undefined, accessFile: undefined, ...this.options.auth },
      customRoles: this.options.customRoles,
    });
    // Customer 360 over an empty in-memory warehouse: these tests exercise the API around it.
    this.#warehouse = await DuckDbWarehouse.open({ path: ':memory:' });
    const versions = new DataVersions();
    await registerGraphql(app, {
      metrics: this.options.engine ?? this.metrics,
      ...(this.options.views === undefined ? {} : { views: this.options.views }),
      customers: new Customer360Service(this.#warehouse, versions),
      clubIndex: new ClubMemberIndex(this.#warehouse, versions),
      authenticator,
      logger: createLogger({ level: 'info', destination }),
      ...(this.options.introspection === undefined ? {} : { introspection: this.options.introspection }),
      ...(this.options.budgets === undefined ? {} : { budgets: this.options.budgets }),
      ...(this.options.maxResponseBytes === undefined ? {} : { maxResponseBytes: this.options.maxResponseBytes }),
      ...(this.options.corsOrigins === undefined ? {} : { corsOrigins: this.options.corsOrigins }),
      ...(this.options.graphiql === undefined ? {} : { graphiql: this.options.graphiql }),
      ...(this.options.compiledExecution === undefined ? {} : { compiledExecution: this.options.compiledExecution }),
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = app.server.address() as AddressInfo;
    this.#app = app;
    // One keep-alive connection: sequential calls measure the server, not connection set-up.
    this.#pool = new Pool(`http://127.0.0.1:${port}`, { connections: 1 });
  }

  async stop(): Promise<void> {
    await this.#pool?.close();
    await this.#app?.close();
    await this.#warehouse?.close();
  }

  logs(): Record<string, unknown>[] {
    return this.logLines.map((l) => JSON.parse(l) as Record<string, unknown>);
  }

  post(body: unknown, key: string | null = ANALYST_KEY, extraHeaders: Record<string, string> = {}): Promise<HttpResult> {
    return this.send('POST', GRAPHQL_PATH, key, { 'content-type': 'application/json', ...extraHeaders }, JSON.stringify(body));
  }

  get(params: Record<string, string>, key: string | null = ANALYST_KEY): Promise<HttpResult> {
    return this.send('GET', `${GRAPHQL_PATH}?${new URLSearchParams(params).toString()}`, key, {}, undefined);
  }

  /** One request with the body drained, as fast as the client allows; for latency measurement. */
  async postRaw(payload: string): Promise<number> {
    const res = await this.pool.request({
      path: GRAPHQL_PATH,
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ANALYST_KEY}` },
      body: payload,
    });
    await res.body.text();
    return res.statusCode;
  }

  /** A raw request whose body may not be JSON at all; the answer's body is returned as text. */
  async raw(
    method: 'GET' | 'POST' | 'OPTIONS',
    path: string,
    headers: Record<string, string>,
    body?: string,
  ): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; text: string }> {
    const res = await this.pool.request({ path, method, headers, body });
    return { status: res.statusCode, headers: res.headers, text: await res.body.text() };
  }

  private async send(
    method: 'GET' | 'POST',
    path: string,
    key: string | null,
    headers: Record<string, string>,
    body: string | undefined,
  ): Promise<HttpResult> {
    const res = await this.pool.request({
      path,
      method,
      headers: { accept: 'application/json', ...headers, ...(key === null ? {} : { authorization: `Bearer ${key}` }) },
      body,
    });
    const text = await res.body.text();
    return { status: res.statusCode, headers: res.headers, text, body: responseSchema.parse(JSON.parse(text)) };
  }

  private get pool(): Pool {
    if (!this.#pool) throw new Error('server not started');
    return this.#pool;
  }
}
