import DataLoader from 'dataloader';
import type { MetricsQuery } from '../metrics/metrics-query.js';
import type { MetricsResult, MetricsService, SecurityContext } from '../metrics/metrics-service.js';

export type MetricsLoader = DataLoader<MetricsQuery, MetricsResult, string>;

/**
 * One request's view of `MetricsService.load`: identical queries in one operation (aliases,
 * repeated fragments) run once. The service has no batch call, so a batch is a parallel fan-out;
 * a failing query rejects only its own key.
 */
export function createMetricsLoader(metrics: MetricsService, security: SecurityContext): MetricsLoader {
  return new DataLoader<MetricsQuery, MetricsResult, string>(
    (queries) => Promise.all(queries.map((query) => metrics.load(query, security).catch(asError))),
    // The query comes out of zod, which emits keys in schema order, so equal queries serialise equally.
    { cacheKeyFn: (query) => JSON.stringify(query) },
  );
}

function asError(reason: unknown): Error {
  return reason instanceof Error ? reason : new Error(`metrics service rejected with a non-Error: ${String(reason)}`);
}
