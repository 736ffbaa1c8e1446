import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metricsQuerySchema, type MetricsQuery } from '../../src/metrics/metrics-query.js';
import { createSemanticEngine, type SemanticEngine } from '../../src/metrics/semantic-engine.js';
import { roleContext } from '../fixtures/security-contexts.js';
import { MODEL_DIR } from './gold-fixtures.js';
import { openKpiGoldDataset, type KpiGoldDataset } from './kpi-gold-dataset.js';

/**
 * `store_targets.month` is a local calendar month (a DATE with no zone), marked
 * `meta: { wall_clock: true }`. In Tokyo and in Rio Branco, March stays March. The same model
 * without the marker is the control: there the month is read as a UTC midnight and moved.
 */
const admin = roleContext('admin');
const q = (input: Partial<MetricsQuery>): MetricsQuery => metricsQuerySchema.parse(input);
const byMonth = (tz: string, dateRange?: [string, string]) =>
  q({ measures: ['store_targets.revenue_target'], dimensions: ['store_targets.store'], timeDimensions: [{ dimension: 'store_targets.month', granularity: 'month', ...(dateRange ? { dateRange } : {}) }], filters: [{ member: 'store_targets.store', operator: 'equals', values: ['Loja Centro'] }], timezone: tz });

let data: KpiGoldDataset;
let engine: SemanticEngine;
let unmarked: SemanticEngine;
let unmarkedDir: string;

beforeAll(async () => {
  data = await openKpiGoldDataset();
  const common = { warehouse: data.warehouse, dataVersions: data.dataVersions, timezone: 'America/Sao_Paulo', cache: { maxEntries: 0, ttlMs: 0 } };
  engine = await createSemanticEngine({ ...common, modelDir: MODEL_DIR });
  unmarkedDir = fs.mkdtempSync(path.join(os.tmpdir(), 'farol-model-'));
  fs.cpSync(MODEL_DIR, unmarkedDir, { recursive: true });
  const cube = path.join(unmarkedDir, 'cubes', 'monthly_targets.yml');
  const yml = fs.readFileSync(cube, 'utf8');
  expect(yml).toContain(', wall_clock: true }');
  fs.writeFileSync(cube, yml.replace(', wall_clock: true }', ' }'));
  unmarked = await createSemanticEngine({ ...common, modelDir: unmarkedDir });
}, 300_000);

afterAll(async () => {
  await engine?.close();
  await unmarked?.close();
  await data?.cleanup();
  if (unmarkedDir) fs.rmSync(unmarkedDir, { recursive: true, force: true });
});

/** Loja Centro's targets as stored, one row a month. */
const centro = async () =>
  (await data.warehouse.query<{ month: string; target: string }>(
    `SELECT strftime(month, '%Y-%m-%dT00:00:00.000') AS month, revenue_target::VARCHAR AS target FROM gold.fct_store_targets WHERE store_key = 'centro' ORDER BY month`,
  )).map((r) => ({ 'store_targets.month.month': r.month, 'store_targets.month': r.month, 'store_targets.store': 'Loja Centro', 'store_targets.revenue_target': Number(r.target) }));

describe('a wall-clock time dimension', () => {
  it.each(['America/Sao_Paulo', 'America/Rio_Branco', 'Asia/Tokyo', 'Pacific/Kiritimati', 'Pacific/Pago_Pago'])('keeps each month as stored in %s', async (tz) => {
    const result = await engine.load(byMonth(tz), admin);
    expect(result.rows).toEqual(await centro());
  });

  it.each(['America/Rio_Branco', 'Asia/Tokyo'])('filters by the local dates as stored in %s', async (tz) => {
    const result = await engine.load(byMonth(tz, ['2025-03-01', '2025-03-31']), admin);
    expect(result.rows.map((r) => r['store_targets.month'])).toEqual(['2025-03-01T00:00:00.000']);
    const query = byMonth(tz);
    const before = await engine.load({ ...query, filters: [...query.filters, { member: 'store_targets.month', operator: 'beforeDate', values: ['2025-01-01'] }] }, admin);
    expect(before.rows.map((r) => r['store_targets.month'])).toEqual(['2024-11-01T00:00:00.000', '2024-12-01T00:00:00.000']);
  });

  it('is what keeps it there: without the marker Rio Branco sees every month a day early', async () => {
    const shifted = await unmarked.load(byMonth('America/Rio_Branco'), admin);
    expect(shifted.rows[0]?.['store_targets.month']).toBe('2024-10-01T00:00:00.000');
    const sql = (await engine.toSql(byMonth('Asia/Tokyo', ['2025-03-01', '2025-03-31']), admin));
    expect(sql.sql).not.toContain("timezone('Asia/Tokyo'");
    expect(sql.params).toContain('2025-03-01T00:00:00.000');
  });

  it('leaves instants in the same query model alone: order dates still move with the time zone', async () => {
    const sql = await engine.toSql(q({ measures: ['sales.revenue'], timeDimensions: [{ dimension: 'sales.order_date', granularity: 'day', dateRange: ['2025-03-01', '2025-03-01'] }], timezone: 'Asia/Tokyo' }), admin);
    expect(sql.sql).toContain("timezone('Asia/Tokyo'");
    // The bounds, then the row limit (a parameter: one plan serves every limit).
    expect(sql.params).toEqual(['2025-02-28T15:00:00.000Z', '2025-03-01T14:59:59.999Z', 10_000]);
  });
});
