import type { FastifyInstance } from 'fastify';
import { loadGraphiqlAssets } from './graphiql-assets.js';
import { GRAPHIQL_ASSETS_PATH, GRAPHIQL_CSP, graphiqlPage, wantsHtml } from './graphiql-page.js';

/**
 * GraphiQL for browsers: a GET of `endpoint` that prefers HTML gets the page (no key needed: it
 * holds no data, and the key is typed into it), anything else goes on to the API. Assets are
 * served from memory under `GRAPHIQL_ASSETS_PATH`, cacheable for a day.
 */
export function registerGraphiql(scope: FastifyInstance, endpoint: string): void {
  const assets = loadGraphiqlAssets();
  const page = graphiqlPage(endpoint);
  scope.addHook('onRequest', async (req, reply) => {
    if (req.method !== 'GET' || req.routeOptions.url !== endpoint || !wantsHtml(req.headers.accept)) return;
    return reply
      .header('content-type', 'text/html; charset=utf-8')
      .header('content-security-policy', GRAPHIQL_CSP)
      .header('x-content-type-options', 'nosniff')
      .header('cache-control', 'no-store')
      .send(page);
  });
  scope.get<{ Params: { name: string } }>(`${GRAPHIQL_ASSETS_PATH}/:name`, async (req, reply) => {
    const asset = assets.get(req.params.name);
    if (!asset) return reply.code(404).send({ error: 'not found' });
    return reply
      .header('content-type', asset.contentType)
      .header('x-content-type-options', 'nosniff')
      .header('cache-control', 'public, max-age=86400')
      .send(asset.body);
  });
}
