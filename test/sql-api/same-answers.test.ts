import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignJWT } from 'jose';
import { ACCESS_POLICIES } from '../fixtures/access-policies.js';
import { GraphqlTestServer } from '../schema/graphql-test-server.js';
import { PII_CUSTOMER_KEYS } from '../metrics/customer-sales-view.js';
import { JWT_SECRET, KEYS, startSqlApiHarness, type SqlApiHarness } from './sql-api-harness.js';

/**
 * The same question through GraphQL's `metrics` and through the SQL API, over one engine and one
 * gold fixture, per role: the numbers, the store-scoped rows and the masked personal data agree.
 */
let h: SqlApiHarness;
let gql: GraphqlTestServer;
let managerToken: string;

beforeAll(async () => {
  h = await startSqlApiHarness();
  gql = new GraphqlTestServer({
    engine: h.engine,
    views: h.engine.modelViews,
    auth: {
      apiKeys: Object.entries(KEYS).map(([role, key]) => ({ kind: 'plain' as const, key, role })),
      jwt: { secret: JWT_SECRET, jwksUrl: undefined, issuer: undefined, audience: undefined, roleClaim: 'role' },
    },
    customRoles: ACCESS_POLICIES,
  });
  await gql.start();
  managerToken = await new SignJWT({ role: 'store_manager', store: 'sul' }).setProtectedHeader({ alg: 'HS256' }).setExpirationTime('1h').sign(new TextEncoder().encode(JWT_SECRET));
}, 60_000);
afterAll(async () => {
  await gql?.stop();
  await h?.close();
});

const METRICS = 'query($q: MetricsQueryInput!) { metrics(query: $q) { rows } }';

async function graphqlRows(credential: string, query: Record<string, unknown>): Promise<Record<string, unknown>[]> {
  const res = await gql.post({ query: METRICS, variables: { q: query } }, credential);
  expect(res.body.errors, res.text).toBeUndefined();
  return (res.body.data as { metrics: { rows: Record<string, unknown>[] } }).metrics.rows;
}

async function sqlRows(credential: string, sql: string, params: unknown[] = []): Promise<unknown[][]> {
  const c = await h.client(credential);
  return (await c.query({ text: sql, values: params, rowMode: 'array' })).rows as unknown[][];
}

const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

describe('SQL API and GraphQL agree', () => {
  const question = {
    measures: ['sales.revenue', 'sales.orders', 'sales.average_ticket'],
    dimensions: ['sales.channel'],
    filters: [{ member: 'sales.order_date', operator: 'afterOrOnDate', values: ['2025-03-15'] }],
    order: [{ member: 'sales.channel', direction: 'ASC' }],
  };
  const sql = "SELECT channel, MEASURE(revenue), MEASURE(orders), MEASURE(average_ticket) FROM sales WHERE order_date >= $1 GROUP BY 1 ORDER BY 1";

  it.each([
    ['admin', () => KEYS.admin],
    ['analyst', () => KEYS.analyst],
    ['store_manager (sul only)', () => managerToken],
  ])('for %s: the same rows and numbers', async (_role, credential) => {
    const viaGraphql = await graphqlRows(credential(), question);
    const viaSql = await sqlRows(credential(), sql, ['2025-03-15']);
    expect(viaSql.map((r) => [r[0], num(r[1]), num(r[2]), num(r[3])])).toEqual(
      viaGraphql.map((r) => [r['sales.channel'], num(r['sales.revenue']), num(r['sales.orders']), num(r['sales.average_ticket'])]),
    );
    expect(viaSql.length).toBeGreaterThan(0);
  });

  it('the store manager sees only its store (sul: Mercado Livre, 375.25 in 2 orders)', async () => {
    expect(await sqlRows(managerToken, 'SELECT channel, MEASURE(revenue), MEASURE(orders) FROM sales GROUP BY 1')).toEqual([['Mercado Livre', '375.25', '2']]);
  });

  it('personal data is masked for the analyst exactly as GraphQL masks it, and clear for admin', async () => {
    const q = { measures: ['customer_sales.revenue'], dimensions: ['customer_sales.customer'], order: [{ member: 'customer_sales.revenue', direction: 'DESC' }] };
    const sql2 = 'SELECT customer, MEASURE(revenue) FROM customer_sales GROUP BY 1 ORDER BY 2 DESC';
    for (const key of [KEYS.analyst, KEYS.admin]) {
      const viaGraphql = await graphqlRows(key, q);
      const viaSql = await sqlRows(key, sql2);
      expect(viaSql.map((r) => [r[0], num(r[1])])).toEqual(viaGraphql.map((r) => [r['customer_sales.customer'], num(r['customer_sales.revenue'])]));
    }
    const masked = (await sqlRows(KEYS.analyst, sql2)).map((r) => r[0] as string);
    const clear = (await sqlRows(KEYS.admin, sql2)).map((r) => r[0] as string);
    expect(clear.sort()).toEqual(Object.values(PII_CUSTOMER_KEYS).sort());
    for (const key of Object.values(PII_CUSTOMER_KEYS)) expect(masked).not.toContain(key);
  });
});
