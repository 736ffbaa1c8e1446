import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAccessFile } from '../../src/auth/index.js';
import type { GoldFixture } from '../metrics/gold-fixtures.js';
import { ANALYST_KEY, API_KEYS, POS_KEY, type GraphqlTestServer, type HttpResult } from './graphql-test-server.js';
import { startTypedViewsServer, type TypedViewsServer } from './typed-views-server.js';

/**
 * The typed view fields over a real engine, a real DuckDB gold fixture (see gold-fixtures.ts for
 * the hand-checked figures) and real HTTP. Site (sc:1) sells o1 100.00 + o3 195.00 + o7 40.10 +
 * o8 70.00 = 405.10 in 4 orders; Mercado Livre o2 50.00 + o6 325.25 = 375.25 in 2. São Paulo
 * days: the 14th 345.00 (3), the 15th 365.35 (2), the 16th 70.00 (1).
 *
 * The model is the repository's plus a view exposing a personal-data member, over customers
 * whose keys look like a CPF, an e-mail and a phone (as in test/metrics/pii.test.ts).
 */

const APP_KEY = 'app-key-0123456789abcdefgh';
const NO_COUPONS_KEY = 'no-coupons-key-0123456789abcdef';
const ROLES = parseAccessFile(
  `
roles:
  no_coupons:
    capabilities: [metrics]
    members:
      allow: ["*"]
      deny: ["sales.coupon"]
`,
  'access.yml',
);

let typed: TypedViewsServer;
let fixture: GoldFixture;
let server: GraphqlTestServer;

beforeAll(async () => {
  typed = await startTypedViewsServer('farol-typed-model-', {
    auth: {
      apiKeys: [
        ...API_KEYS,
        { kind: 'plain', key: APP_KEY, role: 'app' },
        { kind: 'plain', key: NO_COUPONS_KEY, role: 'no_coupons' },
      ],
    },
    customRoles: ROLES,
  });
  ({ server, fixture } = typed);
});

afterAll(async () => {
  await typed?.close();
});

async function ok(query: string, variables: Record<string, unknown> = {}, key = ANALYST_KEY): Promise<Record<string, unknown>> {
  const res = await server.post({ query, variables }, key);
  expect(res.body.errors, JSON.stringify(res.body.errors)).toBeUndefined();
  expect(res.status).toBe(200);
  return res.body.data as Record<string, unknown>;
}

function firstError(res: HttpResult) {
  const error = res.body.errors?.[0];
  expect(error, res.text).toBeDefined();
  return error as NonNullable<typeof error>;
}

async function refused(query: string, variables: Record<string, unknown> = {}, key = ANALYST_KEY) {
  return firstError(await server.post({ query, variables }, key));
}

type Rows = Record<string, unknown>[];
const rowsOf = (data: Record<string, unknown>, field = 'sales') => (data[field] as { rows: Rows }).rows;

describe('answers', () => {
  it('equals metrics for the same question', async () => {
    const typed = await ok(`{
      sales(orderBy: [{ dimension: ORDER_DATE }, { dimension: CHANNEL }]) {
        rows { revenue orders averageTicket channel orderDate { day } }
      }
    }`);
    const metrics = await ok(
      `query ($q: MetricsQueryInput!) { metrics(query: $q) { rows } }`,
      {
        q: {
          measures: ['sales.revenue', 'sales.orders', 'sales.average_ticket'],
          dimensions: ['sales.channel'],
          timeDimensions: [{ dimension: 'sales.order_date', granularity: 'day' }],
          order: [{ member: 'sales.order_date', direction: 'ASC' }, { member: 'sales.channel', direction: 'ASC' }],
        },
      },
    );
    const expected = (metrics.metrics as { rows: Rows }).rows.map((r) => ({
      revenue: r['sales.revenue'], orders: r['sales.orders'], averageTicket: r['sales.average_ticket'], channel: r['sales.channel'],
      orderDate: { day: r['sales.order_date.day'] },
    }));
    expect(rowsOf(typed)).toEqual(expected);
    expect(rowsOf(typed)).toEqual([
      { revenue: 50, orders: 1, averageTicket: 50, channel: 'Mercado Livre', orderDate: { day: '2025-03-14T00:00:00.000' } },
      { revenue: 295, orders: 2, averageTicket: 147.5, channel: 'Site', orderDate: { day: '2025-03-14T00:00:00.000' } },
      { revenue: 325.25, orders: 1, averageTicket: 325.25, channel: 'Mercado Livre', orderDate: { day: '2025-03-15T00:00:00.000' } },
      { revenue: 40.1, orders: 1, averageTicket: 40.1, channel: 'Site', orderDate: { day: '2025-03-15T00:00:00.000' } },
      { revenue: 70, orders: 1, averageTicket: 70, channel: 'Site', orderDate: { day: '2025-03-16T00:00:00.000' } },
    ]);
  });

  it('carries provenance, and the SQL for a role with metricsSql only', async () => {
    const query = `{ sales { rows { revenue } dataVersion cached servedFrom refreshedAt sql { sql params } } }`;
    const analyst = (await ok(query)).sales as Record<string, unknown>;
    expect(analyst).toMatchObject({ rows: [{ revenue: 780.35 }], dataVersion: fixture.dataVersions.current() });
    expect(['WAREHOUSE', 'CACHE']).toContain(analyst.servedFrom);
    expect((analyst.sql as { sql: string }).sql).toMatch(/SELECT/i);
    const app = (await ok(query, {}, APP_KEY)).sales as Record<string, unknown>;
    expect(app.sql).toBeNull();
  });

  it("asks a top-level range as the time dimension's period: the SQL and numbers metrics gives for that period", async () => {
    const typed = (await ok(`{
      sales(where: { orderDate: { inDateRange: ["2025-03-15", "2025-03-16"] }, channel: { equals: ["Site"] } }, renewQuery: true) {
        rows { revenue } sql { sql params }
      }
    }`)).sales as { rows: Rows; sql: { sql: string; params: unknown[] } };
    const metrics = (await ok(`query ($q: MetricsQueryInput!) { metrics(query: $q) { rows sql { sql params } } }`, {
      q: {
        measures: ['sales.revenue'],
        filters: [{ member: 'sales.channel', operator: 'equals', values: ['Site'] }],
        timeDimensions: [{ dimension: 'sales.order_date', dateRange: ['2025-03-15', '2025-03-16'] }],
        renewQuery: true,
      },
    })).metrics as { rows: Rows; sql: { sql: string; params: unknown[] } };
    expect(typed.sql).toEqual(metrics.sql);
    expect(typed.rows).toEqual([{ revenue: 110.1 }]);
    expect(metrics.rows).toEqual([{ 'sales.revenue': 110.1 }]);
  });

  it('groups by every granularity selected, and by the query timezone', async () => {
    const both = await ok(`{ sales(orderBy: [{ dimension: ORDER_DATE }]) { rows { orders orderDate { day month } } } }`);
    expect(rowsOf(both).map((r) => r.orderDate)).toEqual([
      { day: '2025-03-14T00:00:00.000', month: '2025-03-01T00:00:00.000' },
      { day: '2025-03-15T00:00:00.000', month: '2025-03-01T00:00:00.000' },
      { day: '2025-03-16T00:00:00.000', month: '2025-03-01T00:00:00.000' },
    ]);
    const utc = await ok(`{ sales(timezone: "UTC", orderBy: [{ dimension: ORDER_DATE }]) { rows { revenue orderDate { day } } } }`);
    expect(rowsOf(utc)).toEqual([
      { revenue: 150, orderDate: { day: '2025-03-14T00:00:00.000' } },
      { revenue: 520.25, orderDate: { day: '2025-03-15T00:00:00.000' } },
      { revenue: 110.1, orderDate: { day: '2025-03-16T00:00:00.000' } },
    ]);
  });

  it('orders, limits and offsets', async () => {
    const data = await ok(`{ sales(orderBy: [{ measure: REVENUE, direction: DESC }], limit: 2, offset: 1) { rows { orderId revenue } } }`);
    expect(rowsOf(data)).toEqual([{ orderId: 'o3', revenue: 195 }, { orderId: 'o1', revenue: 100 }]);
  });

  it('types counts as Int and money as Float, booleans as Boolean', async () => {
    const data = await ok(`{ sales(where: { isSale: { equals: true } }, orderBy: [{ dimension: CUSTOMER_IS_CORPORATE }]) { rows { customerIsCorporate orders revenue } } }`);
    expect(rowsOf(data)).toEqual([
      { customerIsCorporate: false, orders: 5, revenue: 455.1 },
      { customerIsCorporate: true, orders: 1, revenue: 325.25 },
    ]);
    const sdl = (await ok(`{ __type(name: "SalesRow") { fields { name type { name } } } }`)).__type as { fields: { name: string; type: { name: string } }[] };
    const types = Object.fromEntries(sdl.fields.map((f) => [f.name, f.type.name]));
    expect(types).toMatchObject({ orders: 'Int', customers: 'Int', revenue: 'Float', cancellationRate: 'Float', channel: 'String', isSale: 'Boolean' });
  });
});

describe('compare', () => {
  it('adds each measure against the prior period, equal to metrics with compare, the range taken from where', async () => {
    const typed = await ok(`{
      sales(where: { orderDate: { inDateRange: ["2025-03-15", "2025-03-16"] } }, compare: PREVIOUS_PERIOD, orderBy: [{ dimension: ORDER_DATE }]) {
        rows { orderDate { day } revenue comparison { revenue { previous change percentChange } orders { previous } } }
      }
    }`);
    const metrics = await ok(`query ($q: MetricsQueryInput!) { metrics(query: $q) { rows } }`, {
      q: {
        measures: ['sales.revenue', 'sales.orders'],
        timeDimensions: [{ dimension: 'sales.order_date', granularity: 'day', dateRange: ['2025-03-15', '2025-03-16'] }],
        order: [{ member: 'sales.order_date', direction: 'ASC' }],
        compare: 'PREVIOUS_PERIOD',
      },
    });
    const expected = (metrics.metrics as { rows: Rows }).rows.map((r) => ({
      orderDate: { day: r['sales.order_date.day'] },
      revenue: r['sales.revenue'],
      comparison: {
        revenue: { previous: r['sales.revenue.previous'], change: r['sales.revenue.change'], percentChange: r['sales.revenue.percentChange'] },
        orders: { previous: r['sales.orders.previous'] },
      },
    }));
    expect(rowsOf(typed)).toEqual(expected);
    // The 15th meets the 13th (no sales); the 16th (70.00) meets the 14th (345.00).
    expect(rowsOf(typed)).toEqual([
      { orderDate: { day: '2025-03-15T00:00:00.000' }, revenue: 365.35, comparison: { revenue: { previous: null, change: null, percentChange: null }, orders: { previous: null } } },
      { orderDate: { day: '2025-03-16T00:00:00.000' }, revenue: 70, comparison: { revenue: { previous: 345, change: -275, percentChange: -275 / 345 }, orders: { previous: 3 } } },
    ]);
  });

  it('compares the whole range without a granularity, keeping the other conditions of the time member', async () => {
    const data = await ok(`{
      sales(where: { orderDate: { inDateRange: ["2025-03-15", "2025-03-16"], set: true }, channel: { equals: ["Site"] } }, compare: PREVIOUS_PERIOD) {
        rows { revenue comparison { revenue { previous change } } }
      }
    }`);
    // Site: 15th–16th o7 40.10 + o8 70.00; 13th–14th o1 100.00 + o3 195.00.
    expect(rowsOf(data)).toEqual([{ revenue: 110.1, comparison: { revenue: { previous: 295, change: expect.closeTo(-184.9, 9) } } }]);
  });

  it('leaves comparison null without compare', async () => {
    const data = await ok(`{ sales { rows { revenue comparison { revenue { previous } } } } }`);
    expect(rowsOf(data)).toEqual([{ revenue: 780.35, comparison: null }]);
  });

  it('refuses compare without one top-level range, naming the argument', async () => {
    for (const where of ['{}', '{ OR: [{ orderDate: { inDateRange: ["2025-03-15", "2025-03-16"] } }, { channel: { equals: ["Site"] } }] }']) {
      const error = await refused(`{ sales(where: ${where}, compare: SAME_PERIOD_LAST_YEAR) { rows { revenue } } }`);
      expect(error.extensions?.code).toBe('BAD_USER_INPUT');
      expect(error.message).toMatch(/^sales\.compare: needs exactly one time member with inDateRange at the top level of where/);
    }
  });
});

describe('where, per member type', () => {
  const revenueWhere = async (where: string) => ((rowsOf(await ok(`{ sales(where: ${where}) { rows { revenue } } }`))[0] ?? {}) as { revenue?: number | null }).revenue;

  it('filters text members', async () => {
    expect(await revenueWhere(`{ channel: { in: ["Mercado Livre"] } }`)).toBe(375.25);
    expect(await revenueWhere(`{ channel: { notEquals: ["Mercado Livre"] } }`)).toBe(405.1);
    expect(await revenueWhere(`{ channel: { startsWith: ["Mer"] } }`)).toBe(375.25);
    expect(await revenueWhere(`{ coupon: { set: true } }`)).toBe(170);
    expect(await revenueWhere(`{ coupon: { set: false } }`)).toBe(610.35);
  });

  it('filters number members, measures as HAVING', async () => {
    const data = await ok(`{ sales(where: { revenue: { gt: 300, lte: 400 } }, orderBy: [{ dimension: CHANNEL }]) { rows { channel revenue } } }`);
    expect(rowsOf(data)).toEqual([{ channel: 'Mercado Livre', revenue: 375.25 }]);
  });

  it('filters boolean and time members, with relative and absolute ranges', async () => {
    expect(await revenueWhere(`{ customerIsCorporate: { equals: true } }`)).toBe(325.25);
    expect(await revenueWhere(`{ orderDate: { inDateRange: ["2025-03-15", "2025-03-16"] } }`)).toBe(435.35);
    expect(await revenueWhere(`{ orderDate: { afterOrOnDate: "2025-03-16" } }`)).toBe(70);
    expect(await revenueWhere(`{ orderDate: { inDateRange: ["last 7 days"] } }`)).toBeNull();
  });

  it('combines AND and OR groups', async () => {
    expect(await revenueWhere(`{ OR: [{ channel: { equals: ["Mercado Livre"] } }, { AND: [{ channel: { equals: ["Site"] } }, { coupon: { set: true } }] }] }`)).toBe(545.25);
  });

  it('treats SQL and path characters in values as values', async () => {
    for (const value of [`'; DROP TABLE gold.fct_orders; --`, `../../etc/passwd`, `%`, `\\' OR 1=1 --`]) {
      expect(await revenueWhere(`{ channel: { equals: [${JSON.stringify(value)}] } }`)).toBeNull();
    }
    expect(await revenueWhere(`{ channel: { contains: ["%"] } }`)).toBeNull();
    expect(await revenueWhere('{}')).toBe(780.35);
  });
});

describe('selection', () => {
  it('reads aliases, fragments, inline fragments and @include/@skip', async () => {
    const data = await ok(
      `query ($withChannel: Boolean!, $skipOrders: Boolean!) {
        total: sales { rows { r1: revenue r2: revenue } }
        byChannel: sales {
          rows { ...money ... on SalesRow { channel @include(if: $withChannel) } orders @skip(if: $skipOrders) }
        }
      }
      fragment money on SalesRow { revenue }`,
      { withChannel: false, skipOrders: true },
    );
    expect(rowsOf(data, 'total')).toEqual([{ r1: 780.35, r2: 780.35 }]);
    // channel left out: one row, not one per channel.
    expect(rowsOf(data, 'byChannel')).toEqual([{ revenue: 780.35 }]);
    const withChannel = await ok(
      `query ($c: Boolean!) { sales(orderBy: [{ dimension: CHANNEL }]) { rows { revenue ... on SalesRow @include(if: $c) { channel } } } }`,
      { c: true },
    );
    expect(rowsOf(withChannel)).toEqual([{ revenue: 375.25, channel: 'Mercado Livre' }, { revenue: 405.1, channel: 'Site' }]);
  });

  it('serves rows selected twice under aliases from one answer', async () => {
    const data = await ok(`{ sales(orderBy: [{ dimension: CHANNEL }]) { a: rows { revenue } b: rows { channel } } }`);
    const sales = data.sales as { a: Rows; b: Rows };
    expect(sales.a).toEqual([{ revenue: 375.25 }, { revenue: 405.1 }]);
    expect(sales.b).toEqual([{ channel: 'Mercado Livre' }, { channel: 'Site' }]);
  });

  it('refuses a field with nothing under rows, naming it', async () => {
    const error = await refused(`{ sales { dataVersion } }`);
    expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'sales.rows' });
  });
});

describe('access', () => {
  it('refuses a member hidden from the role, selected or filtered, as FORBIDDEN naming it', async () => {
    const selected = await refused(`{ sales { rows { revenue coupon } } }`, {}, NO_COUPONS_KEY);
    expect(selected.extensions).toMatchObject({ code: 'FORBIDDEN', member: 'sales.coupon' });
    const filtered = await refused(`{ sales(where: { coupon: { set: true } }) { rows { revenue } } }`, {}, NO_COUPONS_KEY);
    expect(filtered.extensions).toMatchObject({ code: 'FORBIDDEN', member: 'sales.coupon' });
    expect(rowsOf(await ok(`{ sales { rows { revenue } } }`, {}, NO_COUPONS_KEY))).toEqual([{ revenue: 780.35 }]);
  });

  it('gives pos nothing', async () => {
    const res = await server.post({ query: `{ sales { rows { revenue } } productSales { rows { units } } }` }, POS_KEY);
    expect(res.body.data).toBeNull();
    expect(firstError(res).extensions?.code).toBe('FORBIDDEN');
  });

  it('masks personal data for analyst and shows it to app', async () => {
    const query = `{ customerSales(orderBy: [{ measure: REVENUE, direction: DESC }]) { rows { customer revenue } } }`;
    expect(rowsOf(await ok(query), 'customerSales')).toEqual([
      { customer: 'cpf:***.***.***-09', revenue: 365 },
      { customer: 'phone:+55 11 *****-**34', revenue: 325.25 },
      { customer: 'email:j***@g***.com', revenue: 90.1 },
    ]);
    expect(rowsOf(await ok(query, {}, APP_KEY), 'customerSales').map((r) => r.customer)).toEqual(['cpf:12345678909', 'phone:+5511987654334', 'email:joao.silva@gmail.com']);
    const filtered = await refused(`{ customerSales(where: { customer: { startsWith: ["cpf:1"] } }) { rows { revenue } } }`);
    expect(filtered.extensions).toMatchObject({ code: 'FORBIDDEN', member: 'customer_sales.customer' });
  });
});

describe('hostile input', () => {
  it('refuses AND/OR nested past the limit, naming where', async () => {
    let where = '{ channel: { equals: ["Site"] } }';
    for (let i = 0; i < 11; i++) where = `{ AND: [${where}] }`;
    const error = await refused(`{ sales(where: ${where}) { rows { revenue } } }`);
    expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'INVALID_QUERY' });
    expect(String(error.extensions?.field)).toMatch(/^sales\.where(\.AND\[0\])+$/);
    expect(error.message).toMatch(/nest at most 10/);
  });

  it('refuses a 10,000-value in list, naming the member filter', async () => {
    const values = Array.from({ length: 10_000 }, (_, i) => `channel-${i}`);
    const error = await refused(`query ($w: SalesWhere) { sales(where: $w) { rows { revenue } } }`, { w: { channel: { in: values } } });
    expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'sales.where.channel.in' });
    expect(error.message).toMatch(/at most 1000 values, got 10000/);
  });

  it('refuses wrong types before running', async () => {
    const cases = [
      `{ sales(limit: "10") { rows { revenue } } }`,
      `{ sales(where: { revenue: { gt: "abc" } }) { rows { revenue } } }`,
      `{ sales(where: { channel: { gt: 3 } }) { rows { revenue } } }`,
      `{ sales(orderBy: [{ measure: CHANNEL }]) { rows { revenue } } }`,
      `{ sales { rows { nope } } }`,
      `{ sales { rows { orderDate } } }`,
    ];
    for (const query of cases) {
      const res = await server.post({ query });
      expect(res.status, query).toBe(400);
      expect(firstError(res).extensions?.code, query).toBe('GRAPHQL_VALIDATION_FAILED');
    }
  });

  it('refuses engine-level mistakes with the argument named', async () => {
    expect((await refused(`{ sales(limit: 0) { rows { revenue } } }`)).extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'sales.limit' });
    expect((await refused(`{ sales(limit: 50001) { rows { revenue } } }`)).extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'sales.limit' });
    expect((await refused(`{ sales(orderBy: [{ measure: REVENUE, dimension: CHANNEL }]) { rows { revenue } } }`)).extensions).toMatchObject({ field: 'sales.orderBy[0]' });
    const unselected = await refused(`{ sales(orderBy: [{ dimension: CHANNEL }]) { rows { revenue } } }`);
    expect(unselected.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'sales.orderBy[0]' });
    expect(unselected.message).toMatch(/sales\.channel must also be selected under rows/);
    expect((await refused(`{ sales(where: { channel: { in: [] } }) { rows { revenue } } }`)).extensions).toMatchObject({ field: 'sales.where.channel.in' });
    expect((await refused(`{ sales(where: { channel: {} }) { rows { revenue } } }`)).extensions).toMatchObject({ field: 'sales.where.channel' });
    expect((await refused(`{ sales(where: { OR: [] }) { rows { revenue } } }`)).extensions).toMatchObject({ field: 'sales.where.OR' });
    expect((await refused(`{ sales(timezone: "Mars/Olympus") { rows { revenue } } }`)).extensions?.code).toBe('BAD_USER_INPUT');
    expect((await refused(`{ sales(where: { orderDate: { inDateRange: ["2025-13-45", "x"] } }) { rows { revenue } } }`)).extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('counts 50 aliased view fields against the cost budget', async () => {
    const fields = Array.from({ length: 50 }, (_, i) => `s${i}: sales(where: { orderId: { equals: ["o${i}"] } }) { rows { revenue orderId } }`).join('\n');
    const res = await server.post({ query: `{ ${fields} }` });
    expect(res.status).toBe(400);
    expect(firstError(res).extensions).toMatchObject({ code: 'QUERY_TOO_EXPENSIVE', measure: 'cost' });
    const small = Array.from({ length: 50 }, (_, i) => `s${i}: sales(limit: 1, where: { orderId: { equals: ["o${i}"] } }) { rows { revenue } }`).join('\n');
    const cheap = await server.post({ query: `{ ${small} }` });
    expect(cheap.body.errors).toBeUndefined();
    expect((cheap.body.data as Record<string, { rows: Rows }>).s1?.rows).toEqual([{ revenue: 100 }]);
  });
});
