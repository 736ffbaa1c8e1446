import { describe, expect, it } from 'vitest';
import type { DataTest } from './data-test.js';
import { dataTestId } from './data-test.js';
import { DATA_TESTS_BY_TABLE, dataTestCatalog, dataTestsFor, groupDataTestsByTable } from './data-test-catalog.js';

describe('the data test catalog', () => {
  it('covers the silver and gold tables the pipeline refreshes', () => {
    expect(Object.keys(DATA_TESTS_BY_TABLE).sort()).toEqual([
      'gold.customer_360', 'gold.customer_identity', 'gold.fct_orders', 'gold.fct_sales', 'gold.fct_store_targets', 'silver.club_members', 'silver.customers', 'silver.order_items', 'silver.orders',
      'silver.product_prices', 'silver.products', 'silver.store_targets',
    ]);
  });

  it('holds the rules that keep gold money and keys right as errors', () => {
    const severities = Object.fromEntries(Object.values(DATA_TESTS_BY_TABLE).flat().map((t) => [dataTestId(t), t.severity]));
    expect(severities).toMatchObject({
      'silver.orders.currency.accepted_values': 'error',
      'silver.orders.source,order_id.unique': 'error',
      'silver.order_items.source,order_id,item_index.unique': 'error',
      'silver.order_items.quantity.range': 'error',
      'silver.order_items.source,order_id.relationship': 'error',
      'silver.store_targets.revenue_target.range': 'error',
      'silver.products.source,sku_id.unique': 'error',
      'silver.product_prices.source,sku_id.unique': 'error',
      'silver.customers.source,customer_id.unique': 'error',
      'silver.customers.email.email': 'warn',
      'gold.fct_orders.order_key.unique': 'error',
      'gold.fct_orders.channel_key.relationship': 'error',
      'gold.fct_sales.order_key.relationship': 'error',
      'gold.fct_sales.product_key.relationship': 'error',
      'gold.fct_store_targets.store_key,month.unique': 'error',
      'gold.fct_orders.status.relationship': 'warn',
      'silver.orders.document.document': 'warn',
      'silver.orders.customer_email.email': 'warn',
      'gold.fct_orders.last_change.freshness': 'warn',
      'gold.customer_identity.source,source_id.unique': 'error',
      'gold.customer_identity.customer_id.relationship': 'error',
      'gold.customer_360.customer_id.unique': 'error',
      'gold.customer_360.segment.accepted_values': 'error',
      'gold.customer_360.orders.range': 'error',
      'gold.customer_360.ltv.range': 'warn',
    });
  });

  it('scopes items and sales by their order key', () => {
    for (const t of [...DATA_TESTS_BY_TABLE['silver.order_items']!, ...DATA_TESTS_BY_TABLE['gold.fct_sales']!]) {
      expect(t.scopeColumns).toEqual(t.table === 'gold.fct_sales' ? ['order_key'] : ['source', 'order_id']);
    }
  });

  it('selects the tests of the tables asked for, in that order', () => {
    const tests = dataTestsFor(['silver.store_targets', 'gold.fct_store_targets', 'bronze.records']);
    expect(tests.map((t) => t.table)).toEqual([
      'silver.store_targets', 'silver.store_targets', 'silver.store_targets', 'gold.fct_store_targets',
    ]);
  });

  it('passes catalog options through', () => {
    const kinds = (tests: readonly DataTest[]) => tests.map((t) => t.kind);
    expect(kinds(dataTestsFor(['gold.fct_orders']))).toContain('freshness');
    expect(kinds(dataTestsFor(['gold.fct_orders'], { ordersFreshnessHours: null }))).not.toContain('freshness');
  });

  it('refuses two tests with one id and a malformed test', () => {
    const t: DataTest = { table: 'silver.orders', keyColumns: ['order_id'], kind: 'not_null', column: 'status', severity: 'error' };
    expect(() => groupDataTestsByTable([t, { ...t, severity: 'warn' }])).toThrow(/share the id silver\.orders\.status\.not_null/);
    expect(() => groupDataTestsByTable([{ ...t, column: 'bad name' }])).toThrow(/invalid SQL identifier/);
  });

  it('is frozen', () => {
    const catalog = dataTestCatalog();
    expect(Object.isFrozen(catalog)).toBe(true);
    expect(Object.isFrozen(catalog['silver.orders'])).toBe(true);
  });
});
