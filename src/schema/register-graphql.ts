import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
  ApolloServerPluginSchemaReportingDisabled,
  ApolloServerPluginUsageReportingDisabled,
} from '@apollo/server/plugin/disabled';
import fastifyApollo from '@as-integrations/fastify';
import fastifyCors from '@fastify/cors';
import type { FastifyInstance } from 'fastify';
import type { Authenticator } from '../auth/index.js';
import type { ClubMemberIndex, Customer360Service } from '../customers/index.js';
import type { MetricsService } from '../metrics/metrics-service.js';
import type { ModelView } from '../metrics/model-views.js';
import type { Logger } from '../observability/logger.js';
import type { AlertsApi } from './alerts-api.js';
import { buildGraphqlSchema } from './build-schema.js';
import { compiledExecutionGateway, type CompiledExecutionOptions } from './compiled-execution.js';
import { createContextFactory, type GraphqlContext } from './context.js';
import { registerGraphiql } from './graphiql/graphiql-route.js';
import { createErrorFormatter } from './mask-error.js';
import { DEFAULT_QUERY_BUDGETS, type QueryBudgets } from './query-budgets.js';
import { queryCostPlugin } from './query-cost-plugin.js';
import { DEFAULT_MAX_INPUT_DEPTH, DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_MAX_TOKENS } from './graphql-limits.js';
import { inputDepthGuard } from './input-depth.js';
import { operationTimingPlugin, type OperationTimingObserver } from './operation-timing-plugin.js';
import type { OperationsService } from './operations-service.js';

export const GRAPHQL_PATH = '/graphql';

/**
 * Introspection is on unless turned off: every request already needs an API key, the SDL is
 * published in the repository, and client code generation needs it.
 */
export const DEFAULT_INTROSPECTION = true;

export interface GraphqlDeps {
  readonly metrics: MetricsService;
  /**
   * The model's public views (`SemanticEngine.modelViews`): one typed root field each, beside
   * `metrics`. None when absent.
   */
  readonly views?: readonly ModelView[];
  /** When a document is compiled (graphql-jit) and what to tell; see compiled-execution.ts. */
  readonly compiledExecution?: CompiledExecutionOptions;
  readonly customers: Customer360Service;
  readonly clubIndex: ClubMemberIndex;
  /** Runs, sources and data tests (`main.ts` adapts the pipeline); those fields answer SERVICE_UNAVAILABLE without it. */
  readonly operations?: OperationsService;
  /** The running alerts (src/alerts' `AlertsService`); the alert fields answer SERVICE_UNAVAILABLE without it. */
  readonly alerts?: AlertsApi | undefined;
  /** src/auth's authenticator: API keys and JWTs to a `SecurityContext`. */
  readonly authenticator: Authenticator;
  readonly logger: Logger;
  readonly introspection?: boolean;
  /** Cost, depth and field budgets by role; `DEFAULT_QUERY_BUDGETS` when absent. */
  readonly budgets?: QueryBudgets;
  /** Cap on the rows one response carries, in bytes of JSON; `DEFAULT_MAX_RESPONSE_BYTES` when absent. */
  readonly maxResponseBytes?: number;
  /** Browser origins allowed to call the API (CORS); none when absent or empty. */
  readonly corsOrigins?: readonly string[];
  /** Serve GraphiQL at `GRAPHQL_PATH` to browsers (default true). */
  readonly graphiql?: boolean;
  /** Told each request's duration by operation name (a latency histogram); nothing when absent. */
  readonly onOperation?: OperationTimingObserver;
}

/**
 * Mounts the GraphQL API on `app` at `GRAPHQL_PATH` (GET for queries, POST), with its CORS policy
 * and the GraphiQL page, in a scope of their own so neither reaches other routes. Apollo starts
 * here and stops when `app` closes.
 */
export async function registerGraphql(app: FastifyInstance, deps: GraphqlDeps): Promise<void> {
  const logger = deps.logger.child({ component: 'graphql' });
  const { authenticator } = deps;
  if (authenticator.apiKeyCount === 0 && !authenticator.acceptsJwt) logger.warn('no API keys or JWT settings configured: every GraphQL request will get 401');

  const apollo = new ApolloServer<GraphqlContext>({
    // Execution on graphql-jit for documents asked again (compiled-execution.ts).
    gateway: compiledExecutionGateway(await buildGraphqlSchema(deps.views ?? []), deps.compiledExecution),
    introspection: deps.introspection ?? DEFAULT_INTROSPECTION,
    formatError: createErrorFormatter(logger),
    includeStacktraceInErrorResponses: false,
    // CSRF needs an ambient credential. The only credential here is the Authorization header,
    // which a cross-site page cannot attach without passing a CORS preflight; Apollo's check
    // would only turn away plain GET queries from legitimate clients.
    csrfPrevention: false,
    // One operation per request: a batch would multiply every budget by its length.
    allowBatchedHttpRequests: false,
    parseOptions: { maxTokens: DEFAULT_MAX_TOKENS },
    // Fastify owns the process lifecycle; Apollo stops in the onClose hook below.
    stopOnTerminationSignals: false,
    logger,
    plugins: [
      ...disabledDefaultPlugins(),
      queryCostPlugin(deps.budgets ?? DEFAULT_QUERY_BUDGETS),
      ...(deps.onOperation ? [operationTimingPlugin<GraphqlContext>(deps.onOperation)] : []),
    ],
  });
  await apollo.start();
  app.addHook('onClose', async () => {
    await apollo.stop();
  });

  await app.register(async (scope) => {
    const origins = deps.corsOrigins ?? [];
    if (origins.length > 0) {
      await scope.register(fastifyCors, {
        origin: [...origins],
        methods: ['GET', 'POST'],
        allowedHeaders: ['authorization', 'content-type', 'accept', 'apollo-require-preflight'],
        maxAge: 600,
        strictPreflight: true,
      });
    }
    if (deps.graphiql ?? true) registerGraphiql(scope, GRAPHQL_PATH);
    scope.addHook('preHandler', inputDepthGuard(DEFAULT_MAX_INPUT_DEPTH));
    await scope.register(fastifyApollo(apollo), {
      path: GRAPHQL_PATH,
      method: ['GET', 'POST'],
      context: createContextFactory(authenticator, { metrics: deps.metrics, customers: deps.customers, clubIndex: deps.clubIndex, operations: deps.operations, alerts: deps.alerts }, deps.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES),
    });
  });
}

/**
 * Apollo installs some plugins unless told not to. Cache control hooks every field resolution
 * (a per-field cost on the hot path for headers nobody reads here); usage and schema reporting
 * would ship operations to Apollo's cloud if APOLLO_KEY were ever set; Apollo's landing page pulls
 * a sandbox from a CDN (Farol serves its own GraphiQL instead).
 */
function disabledDefaultPlugins(): ApolloServerPlugin<GraphqlContext>[] {
  return [
    ApolloServerPluginCacheControlDisabled(),
    ApolloServerPluginInlineTraceDisabled(),
    ApolloServerPluginLandingPageDisabled(),
    ApolloServerPluginSchemaReportingDisabled(),
    ApolloServerPluginUsageReportingDisabled(),
  ];
}
