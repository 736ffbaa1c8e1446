import type { FastifyInstance } from 'fastify';
import type { FarolMetrics } from './farol-metrics.js';
import { metricsAccess, type MetricsAccessRules } from './metrics-access.js';

export const METRICS_PATH = '/metrics';

/** `GET /metrics` on the main port, in Prometheus text format; access as `metricsAccess` decides. */
export async function registerMetricsRoute(app: FastifyInstance, opts: { readonly metrics: FarolMetrics } & MetricsAccessRules): Promise<void> {
  app.get(METRICS_PATH, async (request, reply) => {
    const access = await metricsAccess(opts, request.headers.authorization, request.socket.remoteAddress);
    if (!access.allowed) {
      if (access.status === 401) reply.header('www-authenticate', 'Bearer realm="farol-metrics"');
      return reply.code(access.status).send({ error: access.status === 401 ? 'UNAUTHENTICATED' : 'FORBIDDEN', message: access.reason });
    }
    const { contentType, body } = await opts.metrics.scrape();
    return reply.header('content-type', contentType).header('cache-control', 'no-store').send(body);
  });
}
