import fastifyCors from '@fastify/cors';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Authenticator, SecurityContext } from '../auth/index.js';
import type { MetricsService } from '../metrics/metrics-service.js';
import type { Logger } from '../observability/logger.js';
import { cubeErrorAnswer, CubeApiRequestError } from './cube-api-errors.js';
import { CubeApiService, type CubeQueryParams } from './cube-api-service.js';
import { authenticateCubeCaller } from './cube-credentials.js';
import { cacheModeSchema } from './cube-query.js';
import { loadAnswerJson } from './load-response-json.js';
import type { PendingAnswersOptions } from './pending-answers.js';

/** Where Cube's clients expect the API: `apiUrl: http://host:port/cubejs-api/v1`. */
export const CUBE_API_BASE_PATH = '/cubejs-api';

/**
 * Request bodies: Cube's client POSTs only when a query's URL would pass 2,000 characters, and
 * the engine bounds every list, so a larger body is not a query.
 */
export const DEFAULT_CUBE_API_BODY_LIMIT = 256 * 1024;

export interface CubeApiDeps {
  readonly metrics: MetricsService;
  readonly authenticator: Pick<Authenticator, 'authenticate'>;
  readonly logger: Logger;
  /** The business timezone (`FAROL_TIMEZONE`): queries without `timezone` run in it. */
  readonly timezone: string;
  /** The warehouse's dialect, reported as Cube's `dbType`. */
  readonly dbType: string;
  /** Browser origins allowed to call the API (CORS); none when absent or empty. */
  readonly corsOrigins?: readonly string[];
  /** The `Continue wait` window and how many runs are kept for polling callers. */
  readonly pending?: PendingAnswersOptions;
}

const paramsSchema = z.object({
  query: z.unknown(),
  queryType: z.string().max(100).optional(),
  cache: cacheModeSchema.optional(),
});

/**
 * Mounts Cube's HTTP API (`/cubejs-api/v1/load`, `meta`, `sql`, `dry-run`, and `subscribe` as a
 * polled `load`) in a scope of its own, so its CORS policy, body limit and Cube-shaped errors
 * touch no other route. Every route authenticates first; nothing is answered without a key.
 */
export async function registerCubeApi(app: FastifyInstance, deps: CubeApiDeps): Promise<void> {
  const logger = deps.logger.child({ component: 'cube-api' });
  const service = new CubeApiService({ metrics: deps.metrics, timezone: deps.timezone, dbType: deps.dbType, pending: deps.pending });

  await app.register(
    async (scope) => {
      const origins = deps.corsOrigins ?? [];
      if (origins.length > 0) {
        await scope.register(fastifyCors, {
          origin: [...origins],
          methods: ['GET', 'POST'],
          allowedHeaders: ['authorization', 'content-type', 'x-request-id'],
          maxAge: 600,
          strictPreflight: true,
        });
      }
      scope.setErrorHandler((err, request, reply) => {
        const answer = cubeErrorAnswer(err);
        if (answer.internal) logger.error({ err, path: request.routeOptions.url }, 'Cube API request failed');
        return reply.code(answer.status).send(answer.body);
      });
      scope.setNotFoundHandler((request, reply) => reply.code(404).send({ error: `Not found: ${request.method} ${request.url.split('?')[0]}` }));

      const caller = (request: FastifyRequest): Promise<SecurityContext> => authenticateCubeCaller(deps.authenticator, request.headers.authorization);

      const load = async (request: FastifyRequest, reply: FastifyReply) => {
        const answer = await service.load(await caller(request), paramsOf(request));
        if (answer.kind === 'result') return reply.type('application/json; charset=utf-8').send(loadAnswerJson(answer.body));
        // Cube's protocol: HTTP 200, and the client asks again with the same request.
        return reply.send({ error: 'Continue wait', stage: 'Executing query', timeElapsed: answer.elapsedMs });
      };
      const method = ['GET', 'POST'];
      const bodyLimit = DEFAULT_CUBE_API_BODY_LIMIT;
      for (const url of ['/v1/load', '/v1/subscribe']) scope.route({ method, url, bodyLimit, handler: load });
      scope.route({ method, url: '/v1/sql', bodyLimit, handler: async (request) => service.sql(await caller(request), paramsOf(request)) });
      scope.route({ method, url: '/v1/dry-run', bodyLimit, handler: async (request) => service.dryRun(await caller(request), paramsOf(request)) });
      scope.get('/v1/meta', async (request) => service.meta(await caller(request)));
    },
    { prefix: CUBE_API_BASE_PATH },
  );
}

/** GET reads the query string, POST the JSON body; both carry `query`, `queryType` and `cache`. */
function paramsOf(request: FastifyRequest): CubeQueryParams {
  const source = request.method === 'GET' ? request.query : request.body;
  const parsed = paramsSchema.safeParse(source ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CubeApiRequestError(`${issue?.path.join('.') || (request.method === 'GET' ? 'query string' : 'body')}: ${issue?.message ?? 'expected { "query": ... }'}`);
  }
  return parsed.data;
}
