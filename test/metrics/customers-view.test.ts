import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MetricsQueryError } from '../../src/metrics/metrics-errors.js';
import { metricsQuerySchema, type MetricsQuery } from '../../src/metrics/metrics-query.js';
import { compileModel } from '../../src/metrics/cube/model-compiler.js';
import { createSemanticEngine, type SemanticEngine } from '../../src/metrics/semantic-engine.js';
import { DataVersions } from '../../src/warehouse/data-version.js';
import { BUSINESS_TZ, openC360Warehouse, type C360Warehouse } from '../fixtures/customer-360-fixtures.js';
import { loadPeople } from '../fixtures/customer-360-people.js';
import { roleContext } from '../fixtures/security-contexts.js';
import { MODEL_DIR } from './gold-fixtures.js';

const analyst = roleContext('analyst');
const q = (input: Partial<MetricsQuery>): MetricsQuery => metricsQuerySchema.parse(input);

let db: C360Warehouse;
let engine: SemanticEngine;

beforeAll(async () => {
  db = await openC360Warehouse();
  await loadPeople(db.warehouse, { timezone: BUSINESS_TZ, now: () => new Date('2025-06-30T15:00:00Z') });
  engine = await createSemanticEngine({
    warehouse: db.warehouse, modelDir: MODEL_DIR, dataVersions: await DataVersions.load(db.warehouse), timezone: BUSINESS_TZ,
    cache: { maxEntries: 0, ttlMs: 0 },
  });
});

afterAll(async () => {
  await engine?.close();
  await db?.cleanup();
});

/**
 * The people of customer-360-people.ts, as of 2025-06-30: Mariana (loyal, club active, first sale
 * 2025-01, LTV 350.50, 2 sales), João (new, club active, 2025-06, 99.90, 1), Pedro (champions,
 * 2025-04, 151.65, 5), Rui (loyal, 2024-03, 100.00, 2), Lia (lost, 2023-01, 60.00, 1) and Ana
 * (prospect: no sale).
 */
describe('the customers view', () => {
  it('counts customers, LTV and returning customers by RFM segment', async () => {
    const r = await engine.load(q({
      measures: ['customers.customers', 'customers.returning_customers', 'customers.ltv'],
      dimensions: ['customers.segment'], order: [['customers.segment', 'asc']],
    }), analyst);
    expect(r.rows).toEqual([
      { 'customers.segment': 'champions', 'customers.customers': 1, 'customers.returning_customers': 1, 'customers.ltv': 151.65 },
      { 'customers.segment': 'lost', 'customers.customers': 1, 'customers.returning_customers': 0, 'customers.ltv': 60 },
      { 'customers.segment': 'loyal', 'customers.customers': 2, 'customers.returning_customers': 2, 'customers.ltv': 450.5 },
      { 'customers.segment': 'new', 'customers.customers': 1, 'customers.returning_customers': 0, 'customers.ltv': 99.9 },
      { 'customers.segment': 'prospect', 'customers.customers': 1, 'customers.returning_customers': 0, 'customers.ltv': 0 },
    ]);
  });

  it('gives average LTV per customer with a sale and average ticket per sale, by club status', async () => {
    const all = await engine.load(q({ measures: ['customers.customers', 'customers.new_customers', 'customers.average_ltv', 'customers.average_ticket'] }), analyst);
    expect(all.rows).toEqual([{
      'customers.customers': 6, 'customers.new_customers': 5, 'customers.average_ltv': expect.closeTo(762.05 / 5, 6),
      'customers.average_ticket': expect.closeTo(762.05 / 11, 6),
    }]);
    const byStatus = await engine.load(q({
      measures: ['customers.customers', 'customers.ltv'], dimensions: ['customers.club_status', 'customers.tier'],
      filters: [{ member: 'customers.club_status', operator: 'set' }], order: [['customers.tier', 'asc']],
    }), analyst);
    expect(byStatus.rows).toEqual([
      { 'customers.club_status': 'active', 'customers.tier': 'gold', 'customers.customers': 1, 'customers.ltv': 350.5 },
      { 'customers.club_status': 'active', 'customers.tier': 'silver', 'customers.customers': 1, 'customers.ltv': 99.9 },
    ]);
  });

  it('counts new customers by month of first sale, in the business time zone', async () => {
    const r = await engine.load(q({
      measures: ['customers.new_customers', 'customers.ltv'],
      timeDimensions: [{ dimension: 'customers.first_order_date', granularity: 'month', dateRange: ['2024-01-01', '2025-06-30'] }],
    }), analyst);
    expect(r.rows.map((x) => [x['customers.first_order_date.month'], x['customers.new_customers'], x['customers.ltv']])).toEqual([
      ['2024-03-01T00:00:00.000', 1, 100],
      ['2025-01-01T00:00:00.000', 1, 350.5],
      ['2025-04-01T00:00:00.000', 1, 151.65],
      // João's first sale, 02:30 UTC on June 20th, is 23:30 on the 19th in São Paulo.
      ['2025-06-01T00:00:00.000', 1, 99.9],
    ]);
  });

  it('keeps personal data out of the view, and marks it in the cube', async () => {
    const members = (await engine.catalog(analyst)).find((v) => v.name === 'customers');
    const names = [...(members?.measures ?? []), ...(members?.dimensions ?? [])].map((m) => m.name);
    expect(names).toContain('customers.segment');
    for (const pii of ['name', 'document', 'email', 'phone', 'customer_id']) expect(names).not.toContain(`customers.${pii}`);
    await expect(engine.load(q({ measures: ['customers.customers'], dimensions: ['customers.email'] }), analyst)).rejects.toBeInstanceOf(MetricsQueryError);
    const model = await compileModel(MODEL_DIR);
    const cube = model.compilers.cubeEvaluator.evaluatedCubes['customer_360'] as unknown as { dimensions: Record<string, { meta?: { pii?: boolean } }> };
    const dims = cube.dimensions;
    const piiDims = Object.entries(dims).filter(([, d]) => d.meta?.pii === true).map(([n]) => n).sort();
    expect(piiDims).toEqual(['customer_id', 'document', 'email', 'name', 'phone']);
  });
});
