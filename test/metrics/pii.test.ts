import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MetricsQueryError } from '../../src/metrics/metrics-errors.js';
import { metricsQuerySchema, type MetricsQuery } from '../../src/metrics/metrics-query.js';
import { createSemanticEngine, type SemanticEngine } from '../../src/metrics/semantic-engine.js';
import { roleContext } from '../fixtures/security-contexts.js';
import { BUSINESS_TZ, openGoldFixture, type GoldFixture } from './gold-fixtures.js';
import { withCustomerSalesView } from './customer-sales-view.js';

/**
 * Personal data in answers: the real model, plus a view exposing `order_customers.customer_key`
 * (marked `meta: { pii: true }` in cube/model) under another name, over fixture customers whose
 * keys are a real-looking CPF, e-mail and phone.
 */

const q = (input: Partial<MetricsQuery>): MetricsQuery => metricsQuerySchema.parse(input);
const byCustomer = q({ measures: ['customer_sales.revenue'], dimensions: ['customer_sales.customer'], order: [['customer_sales.revenue', 'desc']] });

let fixture: GoldFixture;
let engine: SemanticEngine;
let modelDir: string;

beforeAll(async () => {
  fixture = await openGoldFixture();
  modelDir = await withCustomerSalesView(fixture, 'farol-pii-model-');
  engine = await createSemanticEngine({
    warehouse: fixture.warehouse, modelDir, dataVersions: fixture.dataVersions, timezone: BUSINESS_TZ, cache: { maxEntries: 100, ttlMs: 60_000 },
  });
});

afterAll(async () => {
  await engine?.close();
  await fixture?.cleanup();
  if (modelDir) fs.rmSync(modelDir, { recursive: true, force: true });
});

describe('personal data in metrics answers', () => {
  it('shows it to app (the CRM) as stored', async () => {
    const { rows } = await engine.load(byCustomer, roleContext('app'));
    expect(rows.map((r) => r['customer_sales.customer'])).toEqual(['cpf:12345678909', 'phone:+5511987654334', 'email:joao.silva@gmail.com']);
  });

  it('masks it for analyst, even when app cached the same query first', async () => {
    const result = await engine.load(byCustomer, roleContext('analyst'));
    expect(result.cached).toBe(false);
    expect(result.rows).toEqual([
      { 'customer_sales.customer': 'cpf:***.***.***-09', 'customer_sales.revenue': 365 },
      { 'customer_sales.customer': 'phone:+55 11 *****-**34', 'customer_sales.revenue': 325.25 },
      { 'customer_sales.customer': 'email:j***@g***.com', 'customer_sales.revenue': 90.1 },
    ]);
    expect(JSON.stringify(result)).not.toMatch(/joao|456789|98765/);
  });

  it('leaves members that are not personal data alone', async () => {
    const { rows } = await engine.load(q({ measures: ['customer_sales.revenue'], dimensions: ['customer_sales.state'], order: [['customer_sales.state', 'asc']] }), roleContext('analyst'));
    expect(rows.map((r) => r['customer_sales.state'])).toEqual(['RJ', 'SP']);
  });

  it('refuses analyst filters and orders on personal data, without echoing the value', async () => {
    for (const query of [
      q({ measures: ['customer_sales.revenue'], filters: [{ member: 'customer_sales.customer', operator: 'contains', values: ['joao.silva@gmail.com'] }] }),
      q({ measures: ['customer_sales.revenue'], dimensions: ['customer_sales.customer'], order: [['customer_sales.customer', 'asc']] }),
    ]) {
      const err = await engine.load(query, roleContext('analyst')).then(() => undefined, (e: unknown) => e);
      expect(err).toBeInstanceOf(MetricsQueryError);
      expect((err as MetricsQueryError).code).toBe('FORBIDDEN_MEMBER');
      expect((err as MetricsQueryError).member).toBe('customer_sales.customer');
      expect((err as Error).message).not.toContain('joao');
    }
  });

  it('lets app filter on personal data', async () => {
    const { rows } = await engine.load(
      q({ measures: ['customer_sales.revenue'], filters: [{ member: 'customer_sales.customer', operator: 'equals', values: ['email:joao.silva@gmail.com'] }] }),
      roleContext('app'),
    );
    expect(rows).toEqual([{ 'customer_sales.revenue': 90.1 }]);
  });
});
