import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVtexOmsClient, type VtexOmsClient } from '../../src/ingest/sources/vtex-orders/vtex-oms-client.js';
import { FarolMetrics, METRIC } from '../../src/observability/farol-metrics.js';
import { silentLogger } from '../../src/observability/logger.js';
import { createVtexSandbox, type VtexSandbox } from '../../src/sandbox/vtex/index.js';
import { parseScrape, sample } from '../fixtures/prometheus-text.js';
import { waitFor } from '../fixtures/wait-for.js';

let sandbox: VtexSandbox;
let oms: VtexOmsClient;
const metrics = new FarolMetrics({ processMetrics: false });

beforeAll(async () => {
  // A sandbox whose Get order answers 500/502/503 or 429 a third of the time.
  sandbox = createVtexSandbox({ seed: 7, port: 0, history: { orders: 24, days: 1 }, live: false, publishIntervalMs: 0, faults: { failureRate: 0.2, throttleRate: 0.1, retryAfterSeconds: 0 } });
  await sandbox.start();
  oms = createVtexOmsClient(
    { account: sandbox.account, appKey: sandbox.appKey, appToken: sandbox.appToken, baseUrl: sandbox.url },
    silentLogger(), 1_000, undefined, (e) => metrics.httpAttempt({ source: 'vtex-orders', attempt: e.attempt }),
  );
  // Get order knows an order once it is published; a feed configuration starts publishing.
  await oms.configureOrderFeed();
  await waitFor('the sandbox to publish its history', () => sandbox.publishedOrders().length === 24, 20_000);
});
afterAll(async () => {
  await oms?.close();
  await sandbox?.close();
});

describe('HTTP retries per source', () => {
  it('counts one retry for every fault the source injected, under the source that met it', async () => {
    const before = sandbox.stats().faultsInjected;
    const retriesBefore = sample(parseScrape(await metrics.registry.metrics()), METRIC.httpRetries, { source: 'vtex-orders' }) ?? 0;
    for (const o of sandbox.publishedOrders()) await oms.getOrder(o.orderId);
    const faults = sandbox.stats().faultsInjected - before;
    expect(faults).toBeGreaterThan(0);
    const families = parseScrape(await metrics.registry.metrics());
    expect((sample(families, METRIC.httpRetries, { source: 'vtex-orders' }) ?? 0) - retriesBefore).toBe(faults);
  });
});
