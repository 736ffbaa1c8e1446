import { afterAll, describe, expect, it } from 'vitest';
import { AlertsService } from '../../src/alerts/alerts-service.js';
import { SlackChannel } from '../../src/alerts/channels/slack-channel.js';
import { defaultRules } from '../../src/alerts/default-rules.js';
import { createVtexCatalogClient } from '../../src/ingest/sources/vtex-catalog/vtex-catalog-client.js';
import { createVtexCatalogSource } from '../../src/ingest/sources/vtex-catalog/vtex-catalog-source.js';
import { createSemanticEngine } from '../../src/metrics/semantic-engine.js';
import { silentLogger } from '../../src/observability/logger.js';
import { Scheduler } from '../../src/pipeline/scheduler.js';
import { heldCatalogDocuments } from '../../src/transform/silver/held-catalog.js';
import { tempPipeline, type TempPipeline } from '../fixtures/temp-pipeline.js';
import { sandboxAccount, storeWithHistory } from '../fixtures/vtex-store.js';
import { waitFor } from '../fixtures/wait-for.js';
import { BUSINESS_TZ, MODEL_DIR } from '../metrics/gold-fixtures.js';
import { receiver } from './alerts-fixture.js';

/**
 * A revoked VTEX app token, end to end: the scheduled catalog pull is refused by the sandbox (403, as VTEX answers a bad app token),
 * the scheduler stops the source with the reason, and the next alert evaluation (one cycle)
 * posts a pipeline-failure alert to Slack.
 */
const closers: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

describe('a revoked VTEX token', () => {
  it('stops the source and fires pipeline_failure within one evaluation', async () => {
    const { sandbox, close } = await storeWithHistory({ seed: 5, history: { orders: 10, days: 1 } });
    closers.push(close);
    const revoked = { ...sandboxAccount(sandbox), appToken: 'revoked-token-0123456789' };
    const catalog = createVtexCatalogClient(revoked, sandbox.pricingUrl, silentLogger(), 10_000, { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 20, maxRetryAfterMs: 100 });
    closers.push(() => catalog.close());
    const p: TempPipeline = await tempPipeline({
      vtexStore: { catalog },
      registry: (base) => ({
        ...base,
        'vtex-catalog': createVtexCatalogSource({
          account: sandbox.account, client: () => catalog, concurrency: 2, scheduled: true, known: (ids) => heldCatalogDocuments(p.warehouse, 'vtex-catalog', ids),
        }),
      }),
    });
    closers.push(() => p.cleanup());
    const scheduler = new Scheduler({ runner: p.runner, warehouse: p.warehouse, every: { 'vtex-catalog': 60_000 }, logger: silentLogger(), firstRunDelayMs: 0 });
    await scheduler.start();
    closers.push(() => scheduler.stop());
    await waitFor('the catalog source to stop', async () => (await p.warehouse.query("SELECT 1 FROM ops.source_status WHERE source = 'vtex-catalog' AND state = 'stopped'")).length === 1, 30_000, 20);

    const slack = await receiver();
    closers.push(() => slack.close());
    const metrics = await createSemanticEngine({ warehouse: p.warehouse, modelDir: MODEL_DIR, dataVersions: p.dataVersions, timezone: BUSINESS_TZ, cache: { maxEntries: 10, ttlMs: 0 }, preAggregations: false });
    closers.push(() => metrics.close());
    const alerts = new AlertsService({
      warehouse: p.warehouse, metrics, rules: defaultRules([]), channels: [new SlackChannel(slack.url)], timezone: BUSINESS_TZ, logger: silentLogger(),
    });
    await alerts.evaluate((r) => r.kind === 'pipeline_failure');
    await alerts.worker.drain();
    expect(slack.bodies).toHaveLength(1);
    const text = JSON.stringify(slack.bodies[0]);
    expect(text).toContain('vtex-catalog stopped');
    expect(text).toMatch(/vtex-catalog stopped: vtex GET \/api\/catalog_system\/pvt\/products\/GetProductAndSkuIds failed with 40[13]/);
    expect(text).not.toContain('revoked-token-0123456789');
    await alerts.stop();
  }, 120_000);
});
