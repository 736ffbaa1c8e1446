import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MetricsQueryError } from '../../src/metrics/metrics-errors.js';
import { apiKeyFingerprint } from '../../src/auth/index.js';
import { CAPABILITY_EXTENSION } from '../../src/schema/authorization.js';
import { buildGraphqlSchema } from '../../src/schema/index.js';
import { loadModelViews } from '../../src/metrics/model-views.js';
import { REPOSITORY_MODEL_DIR, SDL_PATH, printGraphqlSchema } from '../../src/schema/print-schema.js';
import { SAMPLE_RESULT } from './fake-metrics-service.js';
import { ANALYST_KEY, GraphqlTestServer, POS_KEY } from './graphql-test-server.js';

const METRICS_QUERY = /* GraphQL */ `
  query Metrics($query: MetricsQueryInput!) {
    metrics(query: $query) {
      rows
      annotation {
        measures { name title shortTitle type format currency description }
        dimensions { name title shortTitle type format description }
        timeDimensions { name type granularity }
        segments { name }
      }
      dataVersion
      cached
    }
  }
`;

const REVENUE_BY_CHANNEL = { measures: ['sales.revenue'], dimensions: ['sales.channel'] };

const server = new GraphqlTestServer();

beforeAll(() => server.start());
afterAll(() => server.stop());
beforeEach(() => {
  server.metrics.reset();
  server.logLines.length = 0;
});

describe('authentication', () => {
  it('rejects a request without a key with 401 UNAUTHENTICATED, before running anything', async () => {
    const res = await server.post({ query: METRICS_QUERY, variables: { query: REVENUE_BY_CHANNEL } }, null);
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer');
    expect(res.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(res.body.data).toBeUndefined();
    expect(server.metrics.loads).toHaveLength(0);
  });

  it('rejects an unknown key, a non-bearer scheme and a keyless GET alike', async () => {
    const wrong = await server.post({ query: '{ catalog { name } }' }, `${ANALYST_KEY}x`);
    const basic = await server.post({ query: '{ catalog { name } }' }, null, { authorization: `Basic ${ANALYST_KEY}` });
    const get = await server.get({ query: '{ catalog { name } }' }, null);
    for (const res of [wrong, basic, get]) {
      expect(res.status).toBe(401);
      expect(res.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    }
    expect(server.metrics.catalogCalls).toHaveLength(0);
  });

  it('rejects a keyless request even when the document is invalid, so nothing is revealed without a key', async () => {
    const res = await server.post({ query: '{ nope' }, null);
    expect(res.status).toBe(401);
    expect(res.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('hands the service the role and a key fingerprint, never the key', async () => {
    await server.post({ query: METRICS_QUERY, variables: { query: REVENUE_BY_CHANNEL } }, ANALYST_KEY);
    const ctx = server.metrics.loads[0]?.ctx;
    expect(ctx).toMatchObject({ role: 'analyst', credential: 'api-key', subject: apiKeyFingerprint(ANALYST_KEY) });
    expect(ctx?.data.piiVisible).toBe(false);
    expect(JSON.stringify(ctx)).not.toContain(ANALYST_KEY.slice(0, 8));
  });

  it('refuses the pos role every existing root field, before the service is called', async () => {
    const metrics = await server.post({ query: METRICS_QUERY, variables: { query: REVENUE_BY_CHANNEL } }, POS_KEY);
    const catalog = await server.post({ query: '{ catalog { name } }' }, POS_KEY);
    for (const res of [metrics, catalog]) expect(res.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(server.metrics.loads).toHaveLength(0);
    expect(server.metrics.catalogCalls).toHaveLength(0);
  });

  it('never echoes the presented credential in a 401', async () => {
    const key = 'farol_wrong-key-0123456789abcdefgh';
    const jwtish = 'eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoiYWRtaW4ifQ.c2lnbmF0dXJl';
    for (const token of [key, jwtish]) {
      const res = await server.post({ query: '{ catalog { name } }' }, token);
      expect(res.status).toBe(401);
      expect(res.text).not.toContain(token.slice(0, 12));
    }
  });
});

describe('metrics', () => {
  it('returns rows keyed by member name with the annotation, data version and cache flag', async () => {
    const res = await server.post({ query: METRICS_QUERY, variables: { query: REVENUE_BY_CHANNEL } });
    expect(res.status).toBe(200);
    expect(res.body.errors).toBeUndefined();
    const metrics = res.body.data.metrics;
    expect(metrics.rows).toEqual(SAMPLE_RESULT.rows);
    expect(metrics.annotation.measures).toEqual([
      { name: 'sales.revenue', title: 'Sales Revenue', shortTitle: 'Revenue', type: 'number', format: 'currency', currency: 'BRL', description: 'Paid order value' },
    ]);
    expect(metrics.annotation.dimensions[0]).toMatchObject({ name: 'sales.channel', format: null, description: null });
    expect(metrics.annotation.timeDimensions).toEqual([{ name: 'sales.orderedAt.day', type: 'time', granularity: 'day' }]);
    expect(metrics).toMatchObject({ dataVersion: 7, cached: true });
  });

  it('converts the input to Cube\'s query format: date ranges, order tuples, nested and/or filters', async () => {
    const query = {
      measures: ['sales.revenue', 'sales.orders'],
      dimensions: ['sales.channel'],
      timeDimensions: [
        { dimension: 'sales.orderedAt', granularity: 'day', dateRange: ['last 7 days'] },
        { dimension: 'sales.paidAt', dateRange: ['2025-01-01', '2025-01-31'] },
      ],
      filters: [
        { member: 'sales.state', operator: 'equals', values: ['SP', 'RJ'] },
        {
          or: [
            { member: 'sales.channel', operator: 'equals', values: ['marketplace'] },
            { and: [{ member: 'sales.revenue', operator: 'gt', values: ['100'] }, { member: 'sales.coupon', operator: 'set' }] },
          ],
        },
      ],
      segments: ['sales.paid'],
      order: [{ member: 'sales.revenue', direction: 'DESC' }, { member: 'sales.channel' }],
      limit: 50,
      offset: 10,
      timezone: 'America/Sao_Paulo',
      renewQuery: true,
    };
    const res = await server.post({ query: METRICS_QUERY, variables: { query } });
    expect(res.body.errors).toBeUndefined();
    expect(server.metrics.loads[0]?.query).toEqual({
      measures: ['sales.revenue', 'sales.orders'],
      dimensions: ['sales.channel'],
      timeDimensions: [
        { dimension: 'sales.orderedAt', granularity: 'day', dateRange: 'last 7 days' },
        { dimension: 'sales.paidAt', dateRange: ['2025-01-01', '2025-01-31'] },
      ],
      filters: [
        { member: 'sales.state', operator: 'equals', values: ['SP', 'RJ'] },
        {
          or: [
            { member: 'sales.channel', operator: 'equals', values: ['marketplace'] },
            { and: [{ member: 'sales.revenue', operator: 'gt', values: ['100'] }, { member: 'sales.coupon', operator: 'set' }] },
          ],
        },
      ],
      segments: ['sales.paid'],
      order: [['sales.revenue', 'desc'], ['sales.channel', 'asc']],
      limit: 50,
      offset: 10,
      timezone: 'America/Sao_Paulo',
      renewQuery: true,
    });
  });

  it('fills Cube\'s defaults for omitted lists and accepts an inline (non-variable) query over GET', async () => {
    const res = await server.get({ query: '{ metrics(query: { measures: ["sales.revenue"] }) { dataVersion } }' });
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ metrics: { dataVersion: 7 } });
    expect(server.metrics.loads[0]?.query).toEqual({
      measures: ['sales.revenue'], dimensions: [], timeDimensions: [], filters: [], segments: [], order: [],
    });
  });

  it('passes compare through as the engine\'s mode and refuses a mode it does not know', async () => {
    const timeDimensions = [{ dimension: 'sales.orderedAt', granularity: 'day', dateRange: ['2025-03-01', '2025-03-31'] }];
    const res = await server.post({ query: METRICS_QUERY, variables: { query: { measures: ['sales.revenue'], timeDimensions, compare: 'SAME_PERIOD_LAST_YEAR' } } });
    expect(res.body.errors).toBeUndefined();
    expect(server.metrics.loads[0]?.query).toMatchObject({ compare: 'SAME_PERIOD_LAST_YEAR', timeDimensions: [{ dateRange: ['2025-03-01', '2025-03-31'] }] });
    const bad = await server.post({ query: METRICS_QUERY, variables: { query: { measures: ['sales.revenue'], timeDimensions, compare: 'LAST_TUESDAY' } } });
    expect(bad.body.errors?.[0]?.message).toContain('MetricsCompare');
    expect(server.metrics.loads).toHaveLength(1);
  });

  it('runs an identical query asked twice in one operation once', async () => {
    const res = await server.post({
      query: 'query($q: MetricsQueryInput!) { a: metrics(query: $q) { dataVersion } b: metrics(query: $q) { cached } }',
      variables: { q: REVENUE_BY_CHANNEL },
    });
    expect(res.body.data).toEqual({ a: { dataVersion: 7 }, b: { cached: true } });
    expect(server.metrics.loads).toHaveLength(1);
  });
});

describe('input errors', () => {
  async function rejected(query: unknown) {
    const res = await server.post({ query: METRICS_QUERY, variables: { query } });
    expect(res.status).toBe(200);
    expect(res.body.data).toBeNull();
    expect(server.metrics.loads).toHaveLength(0);
    return res.body.errors?.[0];
  }

  it('rejects a filter that is both a member filter and a group, naming the path', async () => {
    const error = await rejected({
      measures: ['sales.revenue'],
      filters: [{ member: 'sales.state', operator: 'equals', values: ['SP'], and: [{ member: 'sales.channel', operator: 'set' }] }],
    });
    expect(error?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'INVALID_QUERY', field: 'query.filters[0]' });
  });

  it('names the deepest offending field, e.g. an unknown operator inside a group', async () => {
    const error = await rejected({
      measures: ['sales.revenue'],
      filters: [{ or: [{ member: 'sales.state', operator: 'equals', values: ['SP'] }, { member: 'sales.channel', operator: 'like' }] }],
    });
    expect(error?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'query.filters[0].or[1].operator' });
    expect(error?.message).toContain('query.filters[0].or[1].operator');
  });

  it('rejects a granularity the engine does not know and a date range of three strings', async () => {
    const granularity = await rejected({ timeDimensions: [{ dimension: 'sales.orderedAt', granularity: 'fortnight' }] });
    expect(granularity?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'query.timeDimensions[0].granularity' });
    const range = await rejected({ timeDimensions: [{ dimension: 'sales.orderedAt', dateRange: ['a', 'b', 'c'] }] });
    expect(range?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'query.timeDimensions[0].dateRange' });
  });

  it('maps the engine\'s MetricsQueryError to BAD_USER_INPUT with the member and reason', async () => {
    server.metrics.onLoad = () => {
      throw new MetricsQueryError('UNKNOWN_MEMBER', 'sales.profit is not a member of any view', 'sales.profit');
    };
    const res = await server.post({ query: METRICS_QUERY, variables: { query: { measures: ['sales.profit'] } } });
    expect(res.body.errors).toEqual([
      {
        message: 'sales.profit is not a member of any view',
        path: ['metrics'],
        locations: [{ line: 3, column: 5 }],
        extensions: { code: 'BAD_USER_INPUT', reason: 'UNKNOWN_MEMBER', member: 'sales.profit' },
      },
    ]);
  });
});

describe('error masking', () => {
  it('masks an unexpected error as INTERNAL_SERVER_ERROR and logs it in full', async () => {
    const secret = 'Binder Error: column "cpf" not found in SELECT cpf FROM silver.customers';
    server.metrics.onLoad = () => {
      throw new Error(secret);
    };
    const res = await server.post({ query: METRICS_QUERY, variables: { query: REVENUE_BY_CHANNEL } });
    expect(res.body.errors).toHaveLength(1);
    expect(res.body.errors?.[0]).toMatchObject({ message: 'Internal server error', path: ['metrics'], extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    expect(res.body.errors?.[0]?.extensions).not.toHaveProperty('stacktrace');
    expect(res.text).not.toContain('cpf');
    expect(res.text).not.toContain('graphql.test.ts');

    const logged = server.logs().find((l) => l.msg === 'GraphQL request failed with an internal error');
    expect(logged).toMatchObject({ level: 50, component: 'graphql', graphqlPath: ['metrics'], err: { message: secret, type: 'Error' } });
    expect(JSON.stringify(logged)).toContain('graphql.test.ts');
  });

  it('masks a non-Error rejection too', async () => {
    server.metrics.onLoad = () => Promise.reject('boom: SELECT 1');
    const res = await server.post({ query: METRICS_QUERY, variables: { query: REVENUE_BY_CHANNEL } });
    expect(res.body.errors?.[0]).toMatchObject({ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    expect(res.text).not.toContain('SELECT');
  });
});

describe('GraphQL request errors keep Apollo\'s codes', () => {
  it('a syntax error is GRAPHQL_PARSE_FAILED (400)', async () => {
    const res = await server.post({ query: '{ metrics(query: {measures: ["sales.revenue"]} { rows }' });
    expect(res.status).toBe(400);
    expect(res.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
  });

  it('an unknown field is GRAPHQL_VALIDATION_FAILED (400)', async () => {
    const res = await server.post({ query: '{ catalog { name revenue } }' });
    expect(res.status).toBe(400);
    expect(res.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(res.body.errors?.[0]?.message).toContain('revenue');
  });

  it('a variable of the wrong type is BAD_USER_INPUT (400)', async () => {
    const res = await server.post({ query: METRICS_QUERY, variables: { query: { limit: 'ten' } } });
    expect(res.status).toBe(400);
    expect(res.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(server.metrics.loads).toHaveLength(0);
  });
});

describe('catalog', () => {
  it('lists views with their measures, dimensions and segments', async () => {
    const res = await server.post({
      query: '{ catalog { name title description measures { name kind type format currency } dimensions { name kind type } segments { name kind } } }',
    });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.catalog).toEqual([
      {
        name: 'sales',
        title: 'Sales',
        description: 'Paid orders by channel',
        measures: [{ name: 'sales.revenue', kind: 'MEASURE', type: 'number', format: 'currency', currency: 'BRL' }],
        dimensions: [
          { name: 'sales.channel', kind: 'DIMENSION', type: 'string' },
          { name: 'sales.orderedAt', kind: 'TIME_DIMENSION', type: 'time' },
        ],
        segments: [{ name: 'sales.paid', kind: 'SEGMENT' }],
      },
    ]);
    expect(server.metrics.catalogCalls[0]?.role).toBe('analyst');
  });
});

describe('schema', () => {
  it('matches the committed SDL (regenerate with `npx tsx src/schema/print-schema.ts`)', async () => {
    expect(readFileSync(SDL_PATH, 'utf8')).toBe(await printGraphqlSchema());
  });

  it('declares the capability it needs on every root field, the typed view fields included', async () => {
    const schema = await buildGraphqlSchema(await loadModelViews(REPOSITORY_MODEL_DIR));
    expect(schema.getQueryType()?.getFields()['sales']).toBeDefined();
    const roots = [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()];
    for (const root of roots) {
      for (const field of Object.values(root?.getFields() ?? {})) {
        expect(field.extensions[CAPABILITY_EXTENSION], `${root?.name}.${field.name}`).toEqual(expect.any(String));
      }
    }
  });
});

describe('introspection', () => {
  it('is on by default and can be turned off', async () => {
    const INTROSPECT = '{ __schema { queryType { name } } }';
    expect((await server.post({ query: INTROSPECT })).body.data).toEqual({ __schema: { queryType: { name: 'Query' } } });

    const closed = new GraphqlTestServer({ introspection: false });
    await closed.start();
    try {
      const res = await closed.post({ query: INTROSPECT });
      expect(res.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    } finally {
      await closed.stop();
    }
  });
});

describe('latency', () => {
  const WARMUP_REQUESTS = 200;
  const MEASURED_REQUESTS = 500;

  it('measures the median of a cached-style metrics call over HTTP (printed, not asserted)', async () => {
    const payload = JSON.stringify({ query: METRICS_QUERY, variables: { query: REVENUE_BY_CHANNEL } });
    for (let i = 0; i < WARMUP_REQUESTS; i++) await server.postRaw(payload);
    const samples: number[] = [];
    for (let i = 0; i < MEASURED_REQUESTS; i++) {
      const started = performance.now();
      const status = await server.postRaw(payload);
      samples.push(performance.now() - started);
      expect(status).toBe(200);
    }
    samples.sort((a, b) => a - b);
    const at = (q: number) => (samples[Math.min(samples.length - 1, Math.floor(q * samples.length))] ?? NaN).toFixed(3);
    console.log(
      `GraphQL over HTTP, cached-style metrics call, ${MEASURED_REQUESTS} sequential keep-alive requests: ` +
        `median ${at(0.5)} ms, p90 ${at(0.9)} ms, p99 ${at(0.99)} ms`,
    );
  });
});
