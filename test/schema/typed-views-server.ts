import fs from 'node:fs';
import { createSemanticEngine } from '../../src/metrics/semantic-engine.js';
import { BUSINESS_TZ, openGoldFixture, type GoldFixture } from '../metrics/gold-fixtures.js';
import { withCustomerSalesView } from '../metrics/customer-sales-view.js';
import { GraphqlTestServer, type GraphqlTestServerOptions } from './graphql-test-server.js';

export interface TypedViewsServer {
  readonly server: GraphqlTestServer;
  readonly fixture: GoldFixture;
  close(): Promise<void>;
}

/**
 * The GraphQL test server over a real engine on the DuckDB gold fixture (gold-fixtures.ts), with
 * the repository's model plus a view exposing a personal-data member (customer-sales-view.ts),
 * so the typed view fields have real answers. `options` are the server's, engine and views aside.
 */
export async function startTypedViewsServer(modelDirPrefix: string, options: Omit<GraphqlTestServerOptions, 'engine' | 'views'>): Promise<TypedViewsServer> {
  const fixture = await openGoldFixture();
  const modelDir = await withCustomerSalesView(fixture, modelDirPrefix);
  const engine = await createSemanticEngine({
    warehouse: fixture.warehouse, modelDir, dataVersions: fixture.dataVersions, timezone: BUSINESS_TZ, cache: { maxEntries: 100, ttlMs: 60_000 },
  });
  const server = new GraphqlTestServer({ ...options, engine, views: engine.modelViews });
  await server.start();
  return {
    server,
    fixture,
    async close() {
      await server.stop();
      await engine.close();
      await fixture.cleanup();
      fs.rmSync(modelDir, { recursive: true, force: true });
    },
  };
}
