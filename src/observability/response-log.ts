import type { FastifyInstance } from 'fastify';

/**
 * One line per answered request, through the request's own logger so it carries `reqId`: at
 * debug for successes (a line per cached metrics answer would cost more than the answer, so they
 * are off at the default level), info for client errors, warn for server errors. The path is
 * logged without its query string, which may carry a GraphQL query's variables.
 */
export function logResponses(app: FastifyInstance): void {
  app.addHook('onResponse', async (request, reply) => {
    const status = reply.statusCode;
    const level = status >= 500 ? 'warn' : status >= 400 ? 'info' : 'debug';
    // Fastify's logger type is narrower than the pino logger it wraps here.
    if (!(request.log as unknown as { isLevelEnabled(l: string): boolean }).isLevelEnabled(level)) return;
    request.log[level](
      { method: request.method, path: request.url.split('?', 1)[0], status, ms: Math.round(reply.elapsedTime * 10) / 10 },
      'request answered',
    );
  });
}
