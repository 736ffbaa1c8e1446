import { getIntrospectionQuery } from 'graphql';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MetricsTimeoutError } from '../../src/metrics/metrics-errors.js';
import { MAX_FILTER_VALUES, type MetricsQuery } from '../../src/metrics/metrics-query.js';
import type { MetricsResult } from '../../src/metrics/metrics-service.js';
import { DEFAULT_QUERY_BUDGETS } from '../../src/schema/query-budgets.js';
import { SAMPLE_RESULT } from './fake-metrics-service.js';
import { ANALYST_KEY, GraphqlTestServer, POS_KEY } from './graphql-test-server.js';

const ORIGIN = 'https://painel.example.com.br';
const server = new GraphqlTestServer({ corsOrigins: [ORIGIN] });

beforeAll(() => server.start());
afterAll(() => server.stop());
beforeEach(() => {
  server.metrics.reset();
  server.logLines.length = 0;
});

/** `n` aliased metrics fields, each asking for `limit` rows of one measure. */
function aliasBomb(n: number, limit: number): string {
  const fields = Array.from({ length: n }, (_, i) => `m${i}: metrics(query: { measures: ["sales.revenue"], limit: ${limit}, offset: ${i} }) { rows }`);
  return `{ ${fields.join('\n')} }`;
}

const codeOf = (res: { body: { errors?: { extensions?: Record<string, unknown> }[] } }) => res.body.errors?.[0]?.extensions?.code;

describe('query cost budget', () => {
  it('refuses the alias bomb (300 × 50,000 rows) before running anything, with the cost and the limit', async () => {
    const res = await server.post({ query: aliasBomb(300, 50_000) });
    expect(res.status).toBe(400);
    const error = res.body.errors?.[0];
    expect(error?.extensions).toMatchObject({ code: 'QUERY_TOO_EXPENSIVE', measure: 'cost', limit: DEFAULT_QUERY_BUDGETS.analyst?.maxCost });
    expect(error?.extensions?.value as number).toBeGreaterThan(DEFAULT_QUERY_BUDGETS.analyst!.maxCost);
    expect(error?.message).toMatch(/cost reached \d+, over the cost limit of 500000 for role "analyst"/);
    expect(res.body.data).toBeUndefined();
    expect(server.metrics.loads).toHaveLength(0);
  });

  it('counts rows asked for in variables, and the engine default when no limit is given', async () => {
    const query = `query Q($q: MetricsQueryInput!) { ${Array.from({ length: 11 }, (_, i) => `a${i}: metrics(query: $q) { rows }`).join(' ')} }`;
    const refused = await server.post({ query, variables: { q: { measures: ['sales.revenue'], limit: 50_000 } } });
    expect(codeOf(refused)).toBe('QUERY_TOO_EXPENSIVE');
    // 11 × 10,000 default rows × 1 column = 110,000: over the pos budget, within the analyst's.
    const posRefused = await server.post({ query, variables: { q: { measures: ['sales.revenue'] } } }, POS_KEY);
    expect(codeOf(posRefused)).toBe('QUERY_TOO_EXPENSIVE');
    const allowed = await server.post({ query, variables: { q: { measures: ['sales.revenue'] } } });
    expect(allowed.body.errors).toBeUndefined();
    expect(server.metrics.loads.length).toBeGreaterThan(0);
  });

  it('multiplies rows by columns, and does not charge rows a query does not select', async () => {
    // 50,000 rows × 11 columns: over the analyst's 500,000.
    const dimensions = ['channel', 'store', 'status', 'coupon', 'utm_source', 'utm_medium', 'utm_campaign', 'customer_state', 'customer_city'].map((d) => `sales.${d}`);
    const wide = { measures: ['sales.revenue', 'sales.orders'], dimensions, limit: 50_000 };
    const rows = await server.post({ query: 'query Q($q: MetricsQueryInput!) { metrics(query: $q) { rows } }', variables: { q: wide } });
    expect(codeOf(rows)).toBe('QUERY_TOO_EXPENSIVE');
    const version = await server.post({ query: 'query Q($q: MetricsQueryInput!) { metrics(query: $q) { dataVersion } }', variables: { q: wide } });
    expect(version.body.errors).toBeUndefined();
  });

  it('refuses fragments that multiply when expanded, without expanding them all', async () => {
    // Each level doubles: 2^20 metrics fields if expanded in full.
    const levels = Array.from({ length: 20 }, (_, i) => `fragment F${i} on Query { ...F${i + 1} x${i}: __typename ...F${i + 1} }`);
    const query = `query { ...F0 } ${levels.join('\n')} fragment F20 on Query { metrics(query: { measures: ["sales.revenue"] }) { rows } }`;
    const res = await server.post({ query });
    expect(codeOf(res)).toBe('QUERY_TOO_EXPENSIVE');
    expect(server.metrics.loads).toHaveLength(0);
  });

  it('refuses deep selections (an introspection crawl) by depth, and lets GraphiQL\'s introspection query through for every role', async () => {
    let deep = 'name';
    for (let i = 0; i < 20; i++) deep = `fields { type { ofType { name ${i % 2 ? '' : ''} } } name } ofType { ${deep} }`;
    const res = await server.post({ query: `{ __schema { types { ${deep} } } }` }, POS_KEY);
    expect(res.body.errors?.[0]?.extensions).toMatchObject({ code: 'QUERY_TOO_EXPENSIVE', measure: 'depth', limit: DEFAULT_QUERY_BUDGETS.pos?.maxDepth });
    for (const key of [POS_KEY, ANALYST_KEY]) {
      const intro = await server.post({ query: getIntrospectionQuery({ inputValueDeprecation: true, schemaDescription: true }) }, key);
      expect(intro.body.errors, JSON.stringify(intro.body.errors)).toBeUndefined();
      expect(intro.body.data.__schema.queryType.name).toBe('Query');
    }
  });

  it('refuses too many fields for the role', async () => {
    const fields = Array.from({ length: 600 }, (_, i) => `t${i}: __typename`).join(' ');
    const res = await server.post({ query: `{ ${fields} }` }, POS_KEY);
    expect(res.body.errors?.[0]?.extensions).toMatchObject({ code: 'QUERY_TOO_EXPENSIVE', measure: 'fields', limit: 500 });
  });
});

describe('response size cap', () => {
  const small = new GraphqlTestServer({ maxResponseBytes: 4_096 });
  beforeAll(() => small.start());
  afterAll(() => small.stop());

  const bigResult = (n: number): MetricsResult => ({
    ...SAMPLE_RESULT,
    rows: Array.from({ length: n }, (_, i) => ({ 'sales.channel': `channel-${i}`, 'sales.revenue': i * 1.5 })),
  });

  it('answers within the cap and refuses with RESPONSE_TOO_LARGE once aliases would pass it', async () => {
    const result = bigResult(40); // ~2 KB of rows
    small.metrics.onLoad = () => result;
    const one = await small.post({ query: '{ metrics(query: { measures: ["sales.revenue"] }) { rows } }' });
    expect(one.body.errors).toBeUndefined();
    const three = await small.post({ query: `{ ${[1, 2, 3].map((i) => `a${i}: metrics(query: { measures: ["sales.revenue"] }) { rows }`).join(' ')} }` });
    expect(three.status).toBe(200);
    expect(three.body.data).toBeNull();
    expect(three.body.errors?.[0]?.extensions).toMatchObject({ code: 'RESPONSE_TOO_LARGE', limit: 4_096 });
    expect(three.body.errors?.[0]?.message).toMatch(/over the limit of 4096/);
    expect(three.text.length).toBeLessThan(4_096);
  });
});

describe('hostile input', () => {
  it('maps a warehouse timeout to QUERY_TIMEOUT with the limit', async () => {
    server.metrics.onLoad = () => {
      throw new MetricsTimeoutError(30_000);
    };
    const res = await server.post({ query: '{ metrics(query: { measures: ["sales.revenue"] }) { rows } }' });
    expect(res.body.errors?.[0]?.extensions).toEqual({ code: 'QUERY_TIMEOUT', timeoutMs: 30_000 });
    expect(res.body.errors?.[0]?.message).toMatch(/longer than 30000 ms/);
  });

  it('refuses deeply nested variables with 400 BAD_USER_INPUT before GraphQL walks them', async () => {
    // Written as text: JSON.stringify itself would overflow on an object this deep.
    const filter = `${'{"and":['.repeat(20_000)}{"member":"sales.channel","operator":"equals","values":["x"]}${']}'.repeat(20_000)}`;
    const body = `{"query":"query Q($q: MetricsQueryInput!) { metrics(query: $q) { rows } }","variables":{"q":{"measures":["sales.revenue"],"filters":[${filter}]}}}`;
    const res = await server.raw('POST', '/graphql', { 'content-type': 'application/json', authorization: `Bearer ${ANALYST_KEY}` }, body).then((r) => ({ ...r, body: JSON.parse(r.text) as { errors?: { extensions?: Record<string, unknown> }[] } }));
    expect(res.status).toBe(400);
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
    expect(server.metrics.loads).toHaveLength(0);
  });

  it('refuses deeply nested variables in a GET too', async () => {
    const variables = `{"q":${'{"and":['.repeat(300)}${']}'.repeat(300)}}`;
    const res = await server.get({ query: 'query Q($q: FilterInput) { __typename }', variables });
    expect(res.status).toBe(400);
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
  });

  it('answers a document deeply nested inline with a 400, not an internal error', async () => {
    const query = `{ metrics(query: { measures: ["sales.revenue"], filters: [${'{ and: ['.repeat(3_000)}{ member: "sales.channel" }${'] }'.repeat(3_000)}] }) { rows } }`;
    const res = await server.post({ query });
    expect(res.status).toBe(400);
    expect(['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_USER_INPUT', 'QUERY_TOO_EXPENSIVE']).toContain(codeOf(res));
  });

  it('refuses a document over the token limit while parsing', async () => {
    const res = await server.post({ query: `{ ${Array.from({ length: 12_000 }, (_, i) => `a${i}: __typename`).join(' ')} }` });
    expect(res.status).toBe(400);
    expect(codeOf(res)).toBe('GRAPHQL_PARSE_FAILED');
    expect(res.body.errors?.[0]?.message).toMatch(/20000 tokens/);
  });

  it('refuses a huge filter values list naming the field', async () => {
    const values = Array.from({ length: MAX_FILTER_VALUES + 1 }, (_, i) => `v${i}`);
    const res = await server.post({
      query: 'query Q($q: MetricsQueryInput!) { metrics(query: $q) { dataVersion } }',
      variables: { q: { measures: ['sales.revenue'], filters: [{ member: 'sales.channel', operator: 'equals', values }] } },
    });
    expect(res.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'query.filters[0].values' });
    expect(server.metrics.loads).toHaveLength(0);
  });

  it('passes SQL and path characters through as data: the engine decides they name nothing', async () => {
    const names = ['sales.revenue"; DROP TABLE gold.fct_orders; --', '../../etc/passwd'];
    await server.post({ query: 'query Q($q: MetricsQueryInput!) { metrics(query: $q) { dataVersion } }', variables: { q: { measures: names } } });
    expect(server.metrics.loads[0]?.query.measures).toEqual(names);
  });

  it('refuses batched requests', async () => {
    const one = { query: '{ metrics(query: { measures: ["sales.revenue"] }) { dataVersion } }' };
    const res = await server.post(Array.from({ length: 50 }, () => one));
    expect(res.status).toBe(400);
    expect(server.metrics.loads).toHaveLength(0);
  });
});

describe('CORS', () => {
  const preflight = (origin: string) =>
    server.raw('OPTIONS', '/graphql', { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' });

  it('allows a configured origin to send the Authorization header', async () => {
    const res = await preflight(ORIGIN);
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe(ORIGIN);
    expect(String(res.headers['access-control-allow-headers'])).toMatch(/authorization/);
    const post = await server.post({ query: '{ catalog { name } }' }, ANALYST_KEY, { origin: ORIGIN });
    expect(post.headers['access-control-allow-origin']).toBe(ORIGIN);
  });

  it('gives any other origin no CORS grant', async () => {
    const res = await preflight('https://evil.example');
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    const post = await server.post({ query: '{ catalog { name } }' }, ANALYST_KEY, { origin: 'https://evil.example' });
    expect(post.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('GraphiQL', () => {
  const browserAccept = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

  it('serves the page to a browser without a key, with a CSP that keeps scripts and requests on Farol', async () => {
    const res = await server.raw('GET', '/graphql', { accept: browserAccept });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.headers['content-security-policy']).toMatch(/script-src 'self'/);
    expect(res.text).toContain('id="farol-api-key"');
    expect(res.text).not.toMatch(/https?:\/\/(?!www\.w3\.org)/);
    for (const src of res.text.matchAll(/(?:src|href)="(\/[^"]+)"/g)) {
      const asset = await server.raw('GET', src[1]!, {});
      expect(asset.status, src[1]).toBe(200);
    }
  });

  it('keeps GraphQL GETs and keyless JSON requests on the API', async () => {
    const res = await server.raw('GET', '/graphql?query=%7B__typename%7D', { accept: 'application/json' });
    expect(res.status).toBe(401);
    const missing = await server.raw('GET', '/graphql/assets/..%2F..%2Fpackage.json', {});
    expect(missing.status).toBe(404);
  });
});

export type { MetricsQuery };
