import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compactBronze } from '../../src/ingest/bronze/bronze-compactor.js';
import { silentLogger } from '../../src/observability/logger.js';
import { OpenLineageSink } from '../../src/pipeline/lineage/openlineage-sink.js';
import { rebuild, RebuildRefusedError } from '../../src/pipeline/rebuild.js';
import { listRuns } from '../../src/pipeline/run-log.js';
import { generateOrders, type SandboxOrder } from '../../src/sandbox/vtex/index.js';
import { expectValidRunEvent } from '../fixtures/openlineage-schema.js';
import { goldChecksums as goldTableChecksums } from '../fixtures/gold-checksums.js';
import { landOrders as landPipelineOrders } from '../fixtures/land-orders.js';
import { tempPipeline, type TempPipeline } from '../fixtures/temp-pipeline.js';
import { startServer, type TestServer } from '../ingest/support/test-server.js';

let p: TempPipeline;
let csv: string;
beforeEach(async () => {
  p = await tempPipeline();
  csv = path.join(p.dir, 'targets.csv');
});
afterEach(async () => p.cleanup());

const FROM = new Date('2026-03-01T00:00:00Z');
const TO = new Date('2026-04-01T00:00:00Z');

/** An order as it was before its final state: still waiting for payment, changed earlier. */
function earlier(o: SandboxOrder): SandboxOrder {
  return { ...o, status: 'payment-pending', lastChange: new Date(Date.parse(o.creationDate) + 60_000).toISOString() };
}

const landOrders = (orders: readonly SandboxOrder[]) => landPipelineOrders(p, orders);

const goldChecksums = () => goldTableChecksums(p.warehouse);

describe('the pipeline runner', () => {
  it('takes two sources through the same runner, and a rebuild from bronze gives the same gold, table for table', async () => {
    const orders = [...generateOrders({ seed: 21, count: 600, from: FROM, to: TO })];
    // Out of order and repeated: final versions first, then stale earlier versions of a third of them, then some twice.
    await landOrders(orders.slice(0, 300));
    await landOrders([...orders.slice(300), ...orders.slice(0, 200).map(earlier)]);
    await landOrders([...orders.slice(100, 250), ...orders.slice(400, 450).map(earlier)]);
    fs.writeFileSync(csv, 'store,month,revenue_target\n1,2026-03,500000\n1,2026-04,520000\n');
    await p.runner.run('store-targets', { trigger: 'cli', file: csv });
    // Part of bronze is compacted into segments, part is still in the write-ahead table.
    await compactBronze(p.bronze, { retentionDays: 0 });
    fs.writeFileSync(csv, 'store,month,revenue_target\n1,2026-03,510000\n1,2026-04,520000\n');
    await p.runner.run('store-targets', { trigger: 'cli', file: csv });

    const silver = await p.warehouse.query<{ order_id: string; status: string }>("SELECT order_id, status FROM silver.orders WHERE source = 'vtex-orders'");
    const final = new Map(orders.map((o) => [o.orderId, o.status]));
    expect(silver).toHaveLength(600);
    for (const r of silver) expect(r.status, r.order_id).toBe(final.get(r.order_id));

    const before = await goldChecksums();
    expect(Number(before['fct_orders']?.split(':')[0])).toBe(600);
    const version = p.dataVersions.current();
    const r = await rebuild(p.runner);
    expect(await goldChecksums()).toEqual(before);
    expect(r.dataVersion).toBeGreaterThan(version);
    expect(r.read).toBeGreaterThanOrEqual(600 + 200 + 200 + 4);
    const [run] = await listRuns(p.warehouse, { limit: 1 });
    expect(run).toMatchObject({ source: '*', trigger: 'rebuild', status: 'succeeded' });
    // Nothing quarantined twice: the rebuild re-derives quarantine rows instead of adding to them.
    expect(await p.warehouse.query('SELECT count(*)::INT n FROM silver.quarantine')).toEqual([{ n: 0 }]);
  });

  it('will not rebuild over partitions retention removed, unless forced', async () => {
    await landOrders([...generateOrders({ seed: 2, count: 5, from: FROM, to: TO })]);
    await p.warehouse.execute("INSERT INTO bronze.dropped_partitions VALUES ('vtex-orders', DATE '2020-01-01', 42, now())");
    await expect(rebuild(p.runner)).rejects.toBeInstanceOf(RebuildRefusedError);
    await expect(rebuild(p.runner)).rejects.toThrow(/vtex-orders: 42 records in 1 day\(s\).*--force/);
    await expect(rebuild(p.runner, { force: true })).resolves.toMatchObject({ upserted: 5 });
  });

  it('emits OpenLineage START and COMPLETE or FAIL for each run, with its datasets, valid against the spec', async () => {
    const server: TestServer = await startServer((_req, res) => {
      res.writeHead(201).end();
    });
    const sink = new OpenLineageSink({ url: server.url, logger: silentLogger() });
    const q = await tempPipeline({ lineage: sink });
    try {
      const file = path.join(q.dir, 't.csv');
      fs.writeFileSync(file, 'store,month,revenue_target\n1,2026-03,100\n');
      const ok = await q.runner.run('store-targets', { trigger: 'cli', file });
      await q.runner.run('store-targets', { trigger: 'cli', file: path.join(q.dir, 'missing.csv') }).catch(() => undefined);
      await sink.flush(5_000);
      const events = server.requests.map((r) => expectValidRunEvent(r.body));
      expect(events.map((e) => e.eventType)).toEqual(['START', 'COMPLETE', 'START', 'FAIL']);
      const [start, complete] = events;
      expect(start?.run.runId).toBe(ok.runId);
      expect(complete?.job).toMatchObject({ namespace: 'farol', name: 'store-targets' });
      expect(complete?.inputs.map((d) => d.name)).toEqual(['store-targets']);
      expect(complete?.outputs.map((d) => d.name)).toEqual(
        expect.arrayContaining(['bronze.store-targets', 'silver.store_targets', 'gold.fct_store_targets']),
      );
      const bronze = complete?.outputs.find((d) => d.name === 'bronze.store-targets');
      expect(bronze?.outputFacets?.outputStatistics).toMatchObject({ rowCount: 1 });
      expect(events[3]?.run.facets.errorMessage).toMatchObject({ message: expect.stringContaining('file not found') });
    } finally {
      await sink.close();
      await q.cleanup();
      await server.close();
    }
  });
});
