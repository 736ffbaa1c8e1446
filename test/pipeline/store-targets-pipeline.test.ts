import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DataTestFailure } from '../../src/pipeline/data-tests/record-data-tests.js';
import { listRuns } from '../../src/pipeline/run-log.js';
import { tempPipeline, type TempPipeline } from '../fixtures/temp-pipeline.js';

let p: TempPipeline;
let csv: string;

beforeEach(async () => {
  p = await tempPipeline();
  csv = path.join(p.dir, 'metas.csv');
});
afterEach(async () => p.cleanup());

const BR_FILE = [
  'Loja;Mês;Meta Receita;Meta Pedidos',
  '1;2026-10;450.000,00;1400',
  '1;2026-11;480.500,50;1500',
  'centro;10/2026;62.000,00;',
  'centro;2026-11;R$ 65.000,00;350',
].join('\n');

const targets = () =>
  p.warehouse.query('SELECT store_key, month::VARCHAR AS month, revenue_target, orders_target FROM gold.fct_store_targets ORDER BY 1, 2');

describe('store targets through the runner', () => {
  it('lands a Brazilian spreadsheet, types it in silver and builds gold, recording the run', async () => {
    fs.writeFileSync(csv, BR_FILE);
    const r = await p.runner.run('store-targets', { trigger: 'cli', file: csv });
    expect(r).toMatchObject({ landed: 4, upserted: 4, quarantined: 0 });
    expect(await targets()).toEqual([
      { store_key: '1', month: '2026-10-01', revenue_target: 450_000, orders_target: 1400 },
      { store_key: '1', month: '2026-11-01', revenue_target: 480_500.5, orders_target: 1500 },
      { store_key: 'centro', month: '2026-10-01', revenue_target: 62_000, orders_target: null },
      { store_key: 'centro', month: '2026-11-01', revenue_target: 65_000, orders_target: 350 },
    ]);
    // A store named only by a target still joins the store dimension.
    expect(await p.warehouse.query("SELECT store_key FROM gold.dim_store WHERE store_key = 'centro'")).toHaveLength(1);
    const [run] = await listRuns(p.warehouse, { source: 'store-targets' });
    expect(run).toMatchObject({ status: 'succeeded', trigger: 'cli', records_in: 4, upserted: 4, quarantined: 0, entity: 'store_targets' });
    expect(JSON.parse(run?.cursor_after ?? '{}')).toMatchObject({ line: 4, done: true });
    expect(p.dataVersions.current()).toBe(r.dataVersion);
  });

  it('lands nothing for an unchanged file, and only the changed row counts when the file changes', async () => {
    fs.writeFileSync(csv, BR_FILE);
    await p.runner.run('store-targets', { trigger: 'cli', file: csv });
    const version = p.dataVersions.current();
    const again = await p.runner.run('store-targets', { trigger: 'schedule', file: csv });
    expect(again).toMatchObject({ landed: 0, upserted: 0 });
    expect(p.dataVersions.current()).toBe(version);

    fs.writeFileSync(csv, BR_FILE.replace('62.000,00', '64.000,00'));
    const changed = await p.runner.run('store-targets', { trigger: 'schedule', file: csv });
    expect(changed).toMatchObject({ landed: 4, upserted: 1 });
    expect((await targets()).find((t) => t.store_key === 'centro' && t.month === '2026-10-01')?.revenue_target).toBe(64_000);
    // --full lands everything again; equal rows change nothing.
    expect(await p.runner.run('store-targets', { trigger: 'cli', file: csv, full: true })).toMatchObject({ landed: 4, upserted: 0 });
  });

  it('quarantines rows that cannot be typed, naming the field, the value and the line, and keeps the rest', async () => {
    fs.writeFileSync(csv, ['store,month,revenue_target', '1,2026-10,1000.50', ',2026-10,10', '2,October,10', "3,2026-10,lots'; DROP TABLE silver.store_targets; --", '4,2026-10,12,5'].join('\n'));
    const r = await p.runner.run('store-targets', { trigger: 'cli', file: csv });
    expect(r).toMatchObject({ landed: 5, upserted: 2, quarantined: 3 });
    const reasons = await p.warehouse.query<{ reason: string }>("SELECT reason FROM silver.quarantine WHERE source = 'store-targets' ORDER BY reason");
    expect(reasons.map((x) => x.reason)).toEqual([
      'month: expected YYYY-MM, YYYY-MM-DD or MM/YYYY, got "October" (metas.csv, line 4)',
      `revenue_target: expected a number, got "lots'; DROP TABLE silver.store_targets; --" (metas.csv, line 5)`,
      'store: required (metas.csv, line 3)',
    ]);
    expect(await p.warehouse.query('SELECT count(*)::INT n FROM silver.store_targets')).toEqual([{ n: 2 }]);
  });

  it('stops on a file whose header lost a required column, saying which', async () => {
    fs.writeFileSync(csv, 'store,revenue\n1,10\n');
    const err = await p.runner.run('store-targets', { trigger: 'schedule', file: csv }).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/missing columns? "month", "revenue_target"/);
    expect((err as { terminal?: boolean }).terminal).toBe(true);
    const [run] = await listRuns(p.warehouse, { source: 'store-targets' });
    expect(run).toMatchObject({ status: 'failed', error: expect.stringContaining('missing column') });
  });

  it('refuses what is not a regular file instead of reading it forever', async () => {
    for (const file of ['/dev/zero', p.dir]) {
      const err = await p.runner.run('store-targets', { trigger: 'cli', file }).catch((e: unknown) => e);
      expect((err as Error).message).toBe(`${file} is not a regular file`);
      expect((err as { terminal?: boolean }).terminal).toBe(true);
    }
  });

  it('holds gold back when an error-level data test fails, keeping the last good numbers, and says why', async () => {
    fs.writeFileSync(csv, BR_FILE);
    await p.runner.run('store-targets', { trigger: 'cli', file: csv });
    const good = await targets();
    const version = p.dataVersions.current();

    // A negative target passes typing but breaks `revenue_target ≥ 0`, an error-level test; the
    // run also carries a row that cannot be typed.
    fs.writeFileSync(csv, `${BR_FILE.replace('62.000,00', '-62.000,00')}\nsul;Outubro;1,00;1`);
    const err = await p.runner.run('store-targets', { trigger: 'schedule', file: csv }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataTestFailure);
    expect((err as Error).message).toMatch(/silver\.store_targets\.revenue_target\.range/);
    expect(await targets()).toEqual(good);
    expect(p.dataVersions.current()).toBe(version);
    const [run] = await listRuns(p.warehouse, { source: 'store-targets' });
    expect(run).toMatchObject({ status: 'failed', error: expect.stringContaining('revenue_target') });
    const failed = await p.warehouse.query<{ test_id: string; failing_count: number; sample_keys: string }>(
      "SELECT test_id, failing_count, sample_keys FROM ops.data_tests WHERE status = 'failed' AND severity = 'error'",
    );
    expect(failed).toEqual([{ test_id: 'silver.store_targets.revenue_target.range', failing_count: 1, sample_keys: expect.stringContaining('centro') }]);
    // Held back means its quarantine too, and the staged copy is gone from the writer's memory.
    const quarantine = () => p.warehouse.query<{ bronze_record_id: string }>("SELECT bronze_record_id FROM silver.quarantine WHERE source = 'store-targets'");
    expect(await quarantine()).toEqual([]);
    const staged = await p.warehouse.transaction((tx) =>
      tx.query('SELECT (SELECT count(*) FROM temp.stage_store_targets)::INT AS targets, (SELECT count(*) FROM temp.stage_quarantine)::INT AS quarantine'),
    );
    expect(staged).toEqual([{ targets: 0, quarantine: 0 }]);

    // The records stay in bronze; fixing the file lets the next run through, each bad record quarantined once.
    fs.writeFileSync(csv, `${BR_FILE.replace('62.000,00', '63.000,00')}\nsul;Outubro;1,00;1`);
    await p.runner.run('store-targets', { trigger: 'schedule', file: csv });
    expect((await targets()).find((t) => t.store_key === 'centro' && t.month === '2026-10-01')?.revenue_target).toBe(63_000);
    const held = await quarantine();
    expect(held.length).toBeGreaterThan(0);
    expect(new Set(held.map((q) => q.bronze_record_id)).size).toBe(held.length);
  });
});
