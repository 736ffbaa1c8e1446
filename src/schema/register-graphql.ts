import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
  ApolloServerPluginSchemaReportingDisabled,
  ApolloServerPluginUsageReportingDisabled,
} from '@apollo/server/plugin/disabled';
import fastifyApollo from '@as-integrations/fastify';
import type { FastifyInstance } from 'fastify';
import type { Authenticator } from '../auth/index.js';
import type { ClubMemberIndex, Customer360Service } from '../customers/index.js';
import type { MetricsService } from '../metrics/metrics-service.js';
import type { Logger } from '../observability/logger.js';
import { buildGraphqlSchema } from './build-schema.js';
import { createContextFactory, type GraphqlContext } from './context.js';
import { createErrorFormatter } from './mask-error.js';

export const GRAPHQL_PATH = '/graphql';

/**
 * Introspection is on unless turned off: every request already needs an API key, the SDL is
 * published in the repository, and client code generation needs it.
 */
export const DEFAULT_INTROSPECTION = true;

export interface GraphqlDeps {
  readonly metrics: MetricsService;
  readonly customers: Customer360Service;
  readonly clubIndex: ClubMemberIndex;
  /** src/auth's authenticator: API keys and JWTs to a `SecurityContext`. */
  readonly authenticator: Authenticator;
  readonly logger: Logger;
  readonly introspection?: boolean;
}

/**
 * Mounts the GraphQL API on `app` at `GRAPHQL_PATH` (GET for queries, POST). Apollo starts here
 * and stops when `app` closes.
 */
export async function registerGraphql(app: FastifyInstance, deps: GraphqlDeps): Promise<void> {
  const logger = deps.logger.child({ component: 'graphql' });
  const { authenticator } = deps;
  if (authenticator.apiKeyCount === 0 && !authenticator.acceptsJwt) logger.warn('no API keys or JWT settings configured: every GraphQL request will get 401');

  const apollo = new ApolloServer<GraphqlContext>({
    schema: await buildGraphqlSchema(),
    introspection: deps.introspection ?? DEFAULT_INTROSPECTION,
    formatError: createErrorFormatter(logger),
    includeStacktraceInErrorResponses: false,
    // CSRF needs an ambient credential. The only credential here is the Authorization header,
    // which a cross-site page cannot attach without passing a CORS preflight; Apollo's check
    // would only turn away plain GET queries from legitimate clients.
    csrfPrevention: false,
    // Fastify owns the process lifecycle; Apollo stops in the onClose hook below.
    stopOnTerminationSignals: false,
    logger,
    plugins: disabledDefaultPlugins(),
  });
  await apollo.start();
  app.addHook('onClose', async () => {
    await apollo.stop();
  });

  await app.register(fastifyApollo(apollo), {
    path: GRAPHQL_PATH,
    method: ['GET', 'POST'],
    context: createContextFactory(authenticator, { metrics: deps.metrics, customers: deps.customers, clubIndex: deps.clubIndex }),
  });
}

/**
 * Apollo installs some plugins unless told not to. Cache control hooks every field resolution
 * (a per-field cost on the hot path for headers nobody reads here); usage and schema reporting
 * would ship operations to Apollo's cloud if APOLLO_KEY were ever set; the landing page pulls a
 * sandbox from a CDN and is no use to tills or the CRM.
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
