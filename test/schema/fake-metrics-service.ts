import type { MetricsQuery } from '../../src/metrics/metrics-query.js';
import type {
  CatalogView,
  CompiledSql,
  MetricsResult,
  MetricsService,
  SecurityContext,
} from '../../src/metrics/metrics-service.js';

export const SAMPLE_RESULT: MetricsResult = {
  rows: [
    { 'sales.revenue': 1234.5, 'sales.channel': 'marketplace', 'sales.orderedAt.day': '2025-03-01T00:00:00.000', 'sales.orderedAt': '2025-03-01T00:00:00.000' },
    { 'sales.revenue': 99.9, 'sales.channel': 'loja', 'sales.orderedAt.day': '2025-03-02T00:00:00.000', 'sales.orderedAt': '2025-03-02T00:00:00.000' },
  ],
  annotation: {
    measures: [
      { name: 'sales.revenue', title: 'Sales Revenue', shortTitle: 'Revenue', type: 'number', format: 'currency', currency: 'BRL', description: 'Paid order value' },
    ],
    dimensions: [{ name: 'sales.channel', title: 'Sales Channel', shortTitle: 'Channel', type: 'string' }],
    timeDimensions: [
      { name: 'sales.orderedAt.day', title: 'Sales Ordered at', shortTitle: 'Ordered at', type: 'time', granularity: 'day' },
    ],
    segments: [],
  },
  dataVersion: 7,
  cached: true,
  servedFrom: 'cache',
  refreshedAt: '2025-03-03T12:00:00.000Z',
};

export const SAMPLE_CATALOG: readonly CatalogView[] = [
  {
    name: 'sales',
    title: 'Sales',
    description: 'Paid orders by channel',
    lineage: { gold: ['gold.fct_orders'], silver: ['silver.orders'], bronze: ['bronze.vtex-orders'], sources: ['vtex-orders'] },
    measures: [
      { name: 'sales.revenue', kind: 'measure', title: 'Sales Revenue', shortTitle: 'Revenue', type: 'number', format: 'currency', currency: 'BRL' },
    ],
    dimensions: [
      { name: 'sales.channel', kind: 'dimension', title: 'Sales Channel', shortTitle: 'Channel', type: 'string' },
      { name: 'sales.orderedAt', kind: 'timeDimension', title: 'Sales Ordered at', shortTitle: 'Ordered at', type: 'time' },
    ],
    segments: [{ name: 'sales.paid', kind: 'segment', title: 'Sales Paid', shortTitle: 'Paid', type: 'boolean' }],
  },
];

/**
 * Stands in for the engine, which has its own tests: records what the API hands it so tests can
 * assert the conversion to Cube's format. `onLoad` decides each answer; the default answers at
 * once, like a cache hit.
 */
export class FakeMetricsService implements MetricsService {
  readonly loads: { query: MetricsQuery; ctx: SecurityContext }[] = [];
  readonly catalogCalls: SecurityContext[] = [];
  onLoad: (query: MetricsQuery) => MetricsResult | Promise<MetricsResult> = () => SAMPLE_RESULT;

  async load(query: MetricsQuery, ctx: SecurityContext): Promise<MetricsResult> {
    this.loads.push({ query, ctx });
    return this.onLoad(query);
  }

  async catalog(ctx: SecurityContext): Promise<readonly CatalogView[]> {
    this.catalogCalls.push(ctx);
    return SAMPLE_CATALOG;
  }

  async loadCompareDateRange(): Promise<never> {
    throw new Error('compareDateRange is not part of the GraphQL API');
  }

  async toSql(): Promise<CompiledSql> {
    throw new Error('toSql is not part of the GraphQL API');
  }

  reset(): void {
    this.loads.length = 0;
    this.catalogCalls.length = 0;
    this.onLoad = () => SAMPLE_RESULT;
  }
}
