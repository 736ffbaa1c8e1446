import path from 'node:path';
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metricsQuerySchema, type MetricsFilter } from '../../src/metrics/metrics-query.js';
import { toNumber } from '../../src/metrics/result-rows.js';
import { createSemanticEngine, type SemanticEngine } from '../../src/metrics/semantic-engine.js';
import type { SqlValue } from '../../src/warehouse/warehouse.js';
import { roleContext } from '../fixtures/security-contexts.js';
import { MODEL_DIR } from './gold-fixtures.js';
import { openKpiGoldDataset, type KpiGoldDataset } from './kpi-gold-dataset.js';

/**
 * Every KPI of the catalog against SQL written by hand over the gold tables, on the seeded
 * dataset, at every grain from hour to year, under several filters, in São Paulo, in a time zone
 * west of it (Rio Branco, UTC-5) and in one east of UTC (Tokyo, UTC+9).
 *
 * The hand-written SQL is this file's own reading of each definition in cube/model (the README
 * table); it shares no code with Farol's SQL generation. HAND lists every view's KPIs: a KPI
 * added to the model without a counterpart here fails the first test.
 */

const TIME_ZONES = ['America/Sao_Paulo', 'America/Rio_Branco', 'Asia/Tokyo'] as const;
const GRAINS = ['hour', 'day', 'week', 'month', 'quarter', 'year'] as const;

/**
 * Unfiltered, every grain in every time zone; a filter, two grains per time zone, shifted so the
 * three time zones give it all six (and each filter starts elsewhere). Every (filter, grain) and
 * every (time zone, grain) pair is compared, at a third of the full product's queries.
 */
function grainsFor(filterIndex: number, tzIndex: number): readonly (typeof GRAINS)[number][] {
  if (filterIndex === 0) return GRAINS;
  const first = (filterIndex + 2 * tzIndex) % GRAINS.length;
  return [GRAINS[first], GRAINS[(first + 1) % GRAINS.length]] as (typeof GRAINS)[number][];
}

interface HandFilter {
  readonly engine: readonly MetricsFilter[];
  /** A condition over the view's FROM aliases, with `?` for `params`. */
  readonly sql: string;
  readonly params: readonly SqlValue[];
  /** Local dates (inclusive) for the time dimension's dateRange. */
  readonly dateRange?: readonly [string, string];
}

interface HandView {
  /** FROM and joins, aliases the KPIs and filters use. */
  readonly from: string;
  readonly timeDimension: string;
  /** The local timestamp the view groups by; `?` is the query time zone (omitted for wall-clock). */
  readonly localTime: string;
  readonly usesTimeZone: boolean;
  /** member → aggregate SQL over `from`. */
  readonly kpis: Readonly<Record<string, string>>;
  readonly filters: Readonly<Record<string, HandFilter>>;
}

const NONE: HandFilter = { engine: [], sql: 'TRUE', params: [] };
const RANGE: readonly [string, string] = ['2024-12-31', '2025-03-01'];

/** Sale rule, written out: payment approved or a later fulfilment status, not canceled. */
const SALE = "o.status IN ('payment-approved', 'handling', 'ready-for-handling', 'invoiced')";
const ITEM_SALE = "i.status IN ('payment-approved', 'handling', 'ready-for-handling', 'invoiced')";

const HAND: Readonly<Record<string, HandView>> = {
  sales: {
    from: `(SELECT o.*,
                   EXISTS (SELECT 1 FROM gold.fct_orders p
                           WHERE p.customer_key = o.customer_key
                             AND p.status IN ('payment-approved', 'handling', 'ready-for-handling', 'invoiced')
                             AND p.created_at < o.created_at) AS bought_before,
                   (SELECT sum(i.quantity) FROM gold.fct_sales i WHERE i.order_key = o.order_key) AS units
            FROM gold.fct_orders o) o
           LEFT JOIN gold.dim_channel ch ON ch.channel_key = o.channel_key
           LEFT JOIN gold.dim_store st ON st.store_key = o.store_key
           LEFT JOIN gold.dim_customer cu ON cu.customer_key = o.customer_key`,
    timeDimension: 'sales.order_date',
    localTime: 'timezone(?, o.created_at)',
    usesTimeZone: true,
    kpis: {
      'sales.revenue': `sum(o.total) FILTER (WHERE ${SALE})`,
      'sales.orders': `count(*) FILTER (WHERE ${SALE})`,
      'sales.average_ticket': `sum(o.total) FILTER (WHERE ${SALE}) / nullif(count(*) FILTER (WHERE ${SALE}), 0)`,
      'sales.gmv': 'sum(o.total)',
      'sales.placed_orders': 'count(*)',
      'sales.canceled_orders': "count(*) FILTER (WHERE o.status = 'canceled')",
      'sales.cancellation_rate': "(count(*) FILTER (WHERE o.status = 'canceled'))::DOUBLE / count(*)",
      'sales.items_sold': `sum(o.units) FILTER (WHERE ${SALE})`,
      'sales.discounts': `sum(-o.discounts_total) FILTER (WHERE ${SALE})`,
      'sales.shipping': `sum(o.shipping_total) FILTER (WHERE ${SALE})`,
      'sales.customers': `count(DISTINCT o.customer_key) FILTER (WHERE ${SALE})`,
      'sales.new_customers': `count(DISTINCT o.customer_key) FILTER (WHERE ${SALE} AND NOT o.bought_before)`,
      'sales.returning_customers': `count(DISTINCT o.customer_key) FILTER (WHERE ${SALE} AND o.bought_before)`,
    },
    filters: {
      none: NONE,
      channel: { engine: [{ member: 'sales.channel', operator: 'equals', values: ['Mercado Livre'] }], sql: 'ch.channel_name = ?', params: ['Mercado Livre'] },
      'channel type': { engine: [{ member: 'sales.channel_type', operator: 'equals', values: ['site'] }], sql: 'ch.channel_type = ?', params: ['site'] },
      store: { engine: [{ member: 'sales.store', operator: 'equals', values: ['Loja Centro', 'Loja Norte'] }], sql: 'st.store_name IN (?, ?)', params: ['Loja Centro', 'Loja Norte'] },
      status: { engine: [{ member: 'sales.status', operator: 'equals', values: ['canceled', 'invoiced'] }], sql: 'o.status IN (?, ?)', params: ['canceled', 'invoiced'] },
      'campaign contains': { engine: [{ member: 'sales.utm_campaign', operator: 'contains', values: ['BLACK'] }], sql: "lower(o.utm_campaign) LIKE '%black%'", params: [] },
      'city contains, coupon, medium': {
        engine: [
          { member: 'sales.customer_city', operator: 'contains', values: ['são'] },
          { or: [{ member: 'sales.coupon', operator: 'set' }, { member: 'sales.utm_medium', operator: 'equals', values: ['cpc'] }] },
        ],
        sql: "(cu.city LIKE '%São%' OR cu.city LIKE '%são%') AND (o.coupon IS NOT NULL OR o.utm_medium = 'cpc')",
        params: [],
      },
      'date range': { engine: [], sql: 'TRUE', params: [], dateRange: RANGE },
      'date range and store': { engine: [{ member: 'sales.store', operator: 'equals', values: ['Loja Sul'] }], sql: 'st.store_name = ?', params: ['Loja Sul'], dateRange: RANGE },
    },
  },
  product_sales: {
    from: `gold.fct_sales i
           LEFT JOIN gold.dim_product p ON p.product_key = i.product_key
           LEFT JOIN gold.dim_channel ch ON ch.channel_key = i.channel_key
           LEFT JOIN gold.dim_store st ON st.store_key = i.store_key`,
    timeDimension: 'product_sales.order_date',
    localTime: 'timezone(?, i.created_at)',
    usesTimeZone: true,
    kpis: {
      'product_sales.item_revenue': `sum(i.net_amount) FILTER (WHERE ${ITEM_SALE})`,
      'product_sales.units': `sum(i.quantity) FILTER (WHERE ${ITEM_SALE})`,
      'product_sales.average_price': `sum(i.net_amount) FILTER (WHERE ${ITEM_SALE}) / nullif(sum(i.quantity) FILTER (WHERE ${ITEM_SALE}), 0)`,
      'product_sales.discount_amount': `sum(i.gross_amount - i.net_amount) FILTER (WHERE ${ITEM_SALE})`,
      'product_sales.margin': `sum(i.net_amount - i.cost_amount) FILTER (WHERE ${ITEM_SALE} AND i.cost_amount IS NOT NULL)`,
      'product_sales.gross_item_revenue': `sum(i.gross_amount) FILTER (WHERE ${ITEM_SALE})`,
      'product_sales.cost': `sum(i.cost_amount) FILTER (WHERE ${ITEM_SALE})`,
    },
    filters: {
      none: NONE,
      channel: { engine: [{ member: 'product_sales.channel', operator: 'equals', values: ['App'] }], sql: 'ch.channel_name = ?', params: ['App'] },
      store: { engine: [{ member: 'product_sales.store', operator: 'notEquals', values: ['Loja Sul'] }], sql: '(st.store_name IS NULL OR st.store_name <> ?)', params: ['Loja Sul'] },
      status: { engine: [{ member: 'product_sales.status', operator: 'equals', values: ['payment-pending', 'handling'] }], sql: 'i.status IN (?, ?)', params: ['payment-pending', 'handling'] },
      'product contains': { engine: [{ member: 'product_sales.product', operator: 'contains', values: ['CAMISETA'] }], sql: "p.name LIKE '%Camiseta%'", params: [] },
      // A quote and a percent sign in values: bound as parameters, and `%` matched literally.
      'brand and sku': {
        engine: [
          { member: 'product_sales.brand', operator: 'equals', values: ["Mar d'Água", 'Corre'] },
          { member: 'product_sales.product', operator: 'notContains', values: ['100%'] },
        ],
        // Cube's notContains keeps rows without a value.
        sql: "p.brand_name IN ('Mar d''Água', 'Corre') AND (p.name NOT LIKE '%100\\%%' ESCAPE '\\' OR p.name IS NULL)",
        params: [],
      },
      'product contains a percent sign': { engine: [{ member: 'product_sales.product', operator: 'contains', values: ['100%'] }], sql: "p.name LIKE '%100\\%%' ESCAPE '\\'", params: [] },
      category: { engine: [{ member: 'product_sales.category', operator: 'equals', values: ['Acessórios'] }, { member: 'product_sales.sku', operator: 'notEquals', values: ['sku-4'] }], sql: "p.category = ? AND p.product_key <> 'sku-4'", params: ['Acessórios'] },
      'date range': { engine: [], sql: 'TRUE', params: [], dateRange: RANGE },
    },
  },
  customers: {
    from: 'gold.customer_360 c',
    timeDimension: 'customers.first_order_date',
    localTime: 'timezone(?, c.first_order_at)',
    usesTimeZone: true,
    kpis: {
      'customers.customers': 'count(*)',
      'customers.new_customers': 'count(*) FILTER (WHERE c.orders >= 1)',
      'customers.returning_customers': 'count(*) FILTER (WHERE c.orders >= 2)',
      'customers.ltv': 'sum(c.ltv)',
      'customers.average_ltv': 'sum(c.ltv) / nullif(count(*) FILTER (WHERE c.orders >= 1), 0)',
      'customers.average_ticket': 'sum(c.ltv) / nullif(sum(c.orders), 0)',
    },
    filters: {
      none: NONE,
      state: { engine: [{ member: 'customers.state', operator: 'equals', values: ['SP'] }], sql: 'c.state = ?', params: ['SP'] },
      'city contains': { engine: [{ member: 'customers.city', operator: 'contains', values: ['rio'] }], sql: "c.city LIKE '%Rio%'", params: [] },
      'date range': { engine: [], sql: 'TRUE', params: [], dateRange: RANGE },
    },
  },
  // Wall-clock months: the hand SQL never looks at the time zone.
  store_targets: {
    from: 'gold.fct_store_targets t LEFT JOIN gold.dim_store st ON st.store_key = t.store_key',
    timeDimension: 'store_targets.month',
    localTime: 't.month::TIMESTAMP',
    usesTimeZone: false,
    kpis: {
      'store_targets.revenue_target': 'sum(t.revenue_target)',
      'store_targets.orders_target': 'sum(t.orders_target)',
    },
    filters: {
      none: NONE,
      store: { engine: [{ member: 'store_targets.store', operator: 'equals', values: ['Loja Norte'] }], sql: 'st.store_name = ?', params: ['Loja Norte'] },
      'date range': { engine: [], sql: 'TRUE', params: [], dateRange: ['2025-01-01', '2025-03-31'] },
      'one month': { engine: [], sql: 'TRUE', params: [], dateRange: ['2025-03-01', '2025-03-31'] },
    },
  },
};

const admin = roleContext('admin');
let data: KpiGoldDataset;
let engine: SemanticEngine;

beforeAll(async () => {
  data = await openKpiGoldDataset();
  engine = await createSemanticEngine({
    warehouse: data.warehouse,
    modelDir: MODEL_DIR,
    dataVersions: data.dataVersions,
    timezone: 'America/Sao_Paulo',
    cache: { maxEntries: 0, ttlMs: 0 },
  });
});

afterAll(async () => {
  await engine?.close();
  await data?.cleanup();
});

type Row = Record<string, string | number | null>;

function round(v: unknown): number | null {
  const n = toNumber(v);
  return n === null ? null : Math.round(n * 1e6) / 1e6;
}

async function handRows(view: HandView, filter: HandFilter, grain: string, tz: string): Promise<Row[]> {
  const tzParams = view.usesTimeZone ? [tz] : [];
  const local = view.localTime;
  const where = [filter.sql];
  const params: SqlValue[] = [...tzParams];
  const measures = Object.entries(view.kpis);
  const select = [`strftime(date_trunc('${grain}', ${local}), '%Y-%m-%dT%H:%M:%S.000') AS t`, ...measures.map(([, sql], n) => `${sql} AS m${n}`)];
  params.push(...filter.params);
  if (filter.dateRange) {
    where.push(`${local} >= ?::TIMESTAMP AND ${local} < ?::TIMESTAMP + INTERVAL 1 DAY`);
    params.push(...tzParams, filter.dateRange[0], ...tzParams, filter.dateRange[1]);
  }
  const sql = `SELECT ${select.join(', ')} FROM ${view.from} WHERE ${where.join(' AND ')} GROUP BY 1 ORDER BY 1`;
  const rows = await data.warehouse.query<Record<string, unknown>>(sql, params);
  return rows.map((r) => Object.fromEntries([['t', (r['t'] as string | null) ?? null], ...measures.map(([name], n) => [name, round(r[`m${n}`])])]));
}

async function engineRows(view: HandView, filter: HandFilter, grain: (typeof GRAINS)[number], tz: string): Promise<Row[]> {
  const result = await engine.load(
    metricsQuerySchema.parse({
      measures: Object.keys(view.kpis),
      timeDimensions: [{ dimension: view.timeDimension, granularity: grain, ...(filter.dateRange ? { dateRange: [...filter.dateRange] } : {}) }],
      filters: filter.engine,
      timezone: tz,
      limit: 50_000,
    }),
    admin,
  );
  return result.rows
    .map((r) => Object.fromEntries([['t', r[`${view.timeDimension}.${grain}`] as string | null], ...Object.keys(view.kpis).map((m) => [m, round(r[m])])]) as Row)
    .sort((a, b) => String(a['t']).localeCompare(String(b['t'])));
}

/** Rolling-window measures: compared with hand-written window SQL in their own file. */
const ROLLING_ELSEWHERE: Readonly<Record<string, string>> = {
  'sales.revenue_7d': 'rolling-window.test.ts',
  'sales.revenue_28d': 'rolling-window.test.ts',
  'sales.orders_7d': 'rolling-window.test.ts',
};

describe('the KPI catalog', () => {
  it('has a hand-written counterpart for every KPI of every view, and nothing else', async () => {
    const views = await engine.catalog(admin);
    expect(views.map((v) => v.name).sort()).toEqual(Object.keys(HAND).sort());
    for (const v of views) {
      const own = v.measures.map((m) => m.name).filter((m) => !(m in ROLLING_ELSEWHERE));
      expect(own.sort(), v.name).toEqual(Object.keys(HAND[v.name]?.kpis ?? {}).sort());
    }
    // Rolling windows need a date range and are compared with their own hand-written window SQL.
    for (const [m, file] of Object.entries(ROLLING_ELSEWHERE)) {
      expect(views.flatMap((v) => v.measures.map((x) => x.name)), m).toContain(m);
      expect(fs.readFileSync(path.join(import.meta.dirname, file), 'utf8'), `${file} covers ${m}`).toContain(`'${m}'`);
    }
  });

  it('names the KPIs the issue asks for', async () => {
    const views = await engine.catalog(admin);
    const names = (view: string, kind: 'measures' | 'dimensions') => views.find((v) => v.name === view)?.[kind].map((m) => m.name.split('.')[1]);
    expect(names('sales', 'measures')).toEqual(expect.arrayContaining([
      'revenue', 'orders', 'average_ticket', 'gmv', 'placed_orders', 'canceled_orders', 'cancellation_rate', 'items_sold', 'discounts',
      'shipping', 'customers', 'new_customers', 'returning_customers',
    ]));
    expect(names('sales', 'dimensions')).toEqual(expect.arrayContaining([
      'order_date', 'channel', 'channel_type', 'store', 'status', 'coupon', 'utm_source', 'utm_medium', 'utm_campaign', 'customer_state', 'customer_city',
    ]));
    expect(names('product_sales', 'measures')).toEqual(expect.arrayContaining(['item_revenue', 'units', 'average_price', 'discount_amount', 'margin']));
    expect(names('product_sales', 'dimensions')).toEqual(expect.arrayContaining(['product', 'sku', 'brand', 'category']));
  });

  it('is seeded with what the comparisons need', async () => {
    const [facts] = await data.warehouse.query<Record<string, unknown>>(`
      SELECT count(*) FILTER (WHERE status = 'canceled') AS canceled, count(*) FILTER (WHERE NOT is_sale AND status <> 'canceled') AS pending,
             count(DISTINCT customer_key) AS customers, count(*) FILTER (WHERE customer_key IS NULL) AS anonymous,
             count(*) FILTER (WHERE store_key IS NULL) AS no_store, count(DISTINCT coupon) AS coupons, count(DISTINCT utm_campaign) AS campaigns,
             (SELECT count(*) FILTER (WHERE cost_amount IS NULL) FROM gold.fct_sales WHERE is_sale) AS items_without_cost,
             (SELECT count(*) FROM (SELECT customer_key FROM gold.fct_orders WHERE is_sale GROUP BY 1 HAVING count(*) = 1)) AS one_time,
             (SELECT count(*) FROM (SELECT customer_key FROM gold.fct_orders WHERE is_sale GROUP BY 1 HAVING count(*) >= 3)) AS frequent
      FROM gold.fct_orders`);
    for (const [k, v] of Object.entries(facts ?? {})) expect(Number(v), k).toBeGreaterThan(0);
    expect(data.orders).toBeGreaterThan(200);
  });

  for (const [viewName, view] of Object.entries(HAND)) {
    for (const [tzIndex, tz] of TIME_ZONES.entries()) {
      for (const [filterIndex, [filterName, filter]] of Object.entries(view.filters).entries()) {
        const grains = grainsFor(filterIndex, tzIndex);
        it(`${viewName} equals the hand-written SQL in ${tz}, ${filterName}, by ${grains.join(', ')}`, async () => {
          for (const grain of grains) {
            const expected = await handRows(view, filter, grain, tz);
            expect(expected.length, `${grain}: the scenario selects rows`).toBeGreaterThan(0);
            expect(await engineRows(view, filter, grain, tz), `${viewName} ${tz} ${filterName} ${grain}`).toEqual(expected);
          }
        });
      }
    }
  }
});
