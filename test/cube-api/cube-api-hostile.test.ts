import cube, { RequestError, type Query } from '@cubejs-client/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSemanticEngine, type SemanticEngine } from '../../src/metrics/semantic-engine.js';
import type { QueryOptions, SqlValue, Warehouse } from '../../src/warehouse/warehouse.js';
import { BUSINESS_TZ, MODEL_DIR, openGoldFixture, type GoldFixture } from '../metrics/gold-fixtures.js';
import { KEYS, startCubeApiServer, type CubeApiServer } from './cube-api-server.js';

/**
 * The real DuckDB warehouse behind a gate the test opens: queries wait at the gate (or fail
 * there), so "a query slower than the wait window" is a fact of the test, not of the machine.
 */
function gatedWarehouse(inner: Warehouse) {
  let gate: { promise: Promise<void>; open(): void; fail(err: Error): void } | undefined;
  let queries = 0;
  const warehouse = new Proxy(inner, {
    get(target, prop, receiver) {
      if (prop === 'query') {
        return async (sql: string, params?: readonly SqlValue[], options?: QueryOptions) => {
          queries++;
          if (gate) await gate.promise;
          return target.query(sql, params, options);
        };
      }
      const v = Reflect.get(target, prop, receiver) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
  return {
    warehouse,
    queries: () => queries,
    close(): void {
      let open!: () => void;
      let fail!: (err: Error) => void;
      const promise = new Promise<void>((resolve, reject) => ((open = resolve), (fail = reject)));
      gate = { promise, open: () => ((gate = undefined), open()), fail: (err) => ((gate = undefined), fail(err)) };
    },
    open: () => gate?.open(),
    fail: (err: Error) => gate?.fail(err),
  };
}

let fixture: GoldFixture;
let engine: SemanticEngine;
let server: CubeApiServer;
let gated: ReturnType<typeof gatedWarehouse>;
let slowEngine: SemanticEngine;
let slowServer: CubeApiServer;

beforeAll(async () => {
  fixture = await openGoldFixture();
  const common = { modelDir: MODEL_DIR, dataVersions: fixture.dataVersions, timezone: BUSINESS_TZ };
  engine = await createSemanticEngine({ ...common, warehouse: fixture.warehouse, cache: { maxEntries: 100, ttlMs: 60_000 } });
  server = await startCubeApiServer(engine);
  gated = gatedWarehouse(fixture.warehouse);
  // No result cache: an answer that reaches a later poll came from the run the first request started.
  slowEngine = await createSemanticEngine({ ...common, warehouse: gated.warehouse, cache: { maxEntries: 0, ttlMs: 0 } });
  slowServer = await startCubeApiServer(slowEngine, { pending: { waitMs: 50 } });
});

afterAll(async () => {
  await slowServer?.close();
  await server?.close();
  await slowEngine?.close();
  await engine?.close();
  await fixture?.cleanup();
});

const revenue: Query = { measures: ['sales.revenue'], dimensions: ['sales.channel'], order: [['sales.channel', 'asc']] };

describe('Continue wait', () => {
  it('answers Continue wait while the query runs and delivers the one run on a later poll', async () => {
    gated.close();
    const before = gated.queries();
    const query = { ...revenue, renewQuery: true };
    let waits = 0;
    let sawWaits!: () => void;
    const threeWaits = new Promise<void>((resolve) => (sawWaits = resolve));
    const loading = cube(KEYS.analyst, { apiUrl: slowServer.apiUrl }).load(query, {
      progressCallback: (p) => {
        expect(p.stage()).toBe('Executing query');
        if (++waits === 3) sawWaits();
      },
    });
    await threeWaits;
    // Polls do not start runs of their own, even with renewQuery and no result cache.
    expect(gated.queries() - before).toBe(1);
    const raw = await fetch(`${slowServer.apiUrl}/load?queryType=multi&query=${encodeURIComponent(JSON.stringify(query))}`, { headers: { authorization: KEYS.analyst } });
    expect(raw.status).toBe(200);
    expect(await raw.json()).toMatchObject({ error: 'Continue wait', stage: 'Executing query', timeElapsed: expect.any(Number) });
    gated.open();
    const rs = await loading;
    expect(rs.rawData()).toEqual([{ 'sales.channel': 'Mercado Livre', 'sales.revenue': '375.25' }, { 'sales.channel': 'Site', 'sales.revenue': '405.1' }]);
    expect(gated.queries() - before).toBe(1);
  });

  it('keeps runs apart per caller: the same query from another key does not join it', async () => {
    gated.close();
    const before = gated.queries();
    const q = { measures: ['sales.orders'] };
    let analystWaits = 0;
    let appWaits = 0;
    let bothWaiting!: () => void;
    const waiting = new Promise<void>((resolve) => (bothWaiting = resolve));
    const check = () => analystWaits > 0 && appWaits > 0 && bothWaiting();
    const a = cube(KEYS.analyst, { apiUrl: slowServer.apiUrl }).load(q, { progressCallback: () => (analystWaits++, check()) });
    const b = cube(KEYS.app, { apiUrl: slowServer.apiUrl }).load(q, { progressCallback: () => (appWaits++, check()) });
    await waiting;
    expect(gated.queries() - before).toBe(2);
    gated.open();
    expect((await a).rawData()).toEqual([{ 'sales.orders': '6' }]);
    expect((await b).rawData()).toEqual([{ 'sales.orders': '6' }]);
  });

  it('delivers a failed run as a 500 on the next poll, without its details', async () => {
    gated.close();
    let waited!: () => void;
    const oneWait = new Promise<void>((resolve) => (waited = resolve));
    const loading = cube(KEYS.analyst, { apiUrl: slowServer.apiUrl })
      .load({ measures: ['sales.items_sold'] }, { progressCallback: () => waited() })
      .catch((e: unknown) => e);
    await oneWait;
    gated.fail(new Error('connection to /var/lib/warehouse.duckdb lost: disk full'));
    const err = (await loading) as RequestError;
    expect(err).toBeInstanceOf(RequestError);
    expect(err.status).toBe(500);
    expect(err.response).toEqual({ error: 'Internal Server Error' });
    expect(slowServer.logLines.some((l) => l.includes('disk full'))).toBe(true);
  });
});

describe('hostile input', () => {
  const load = (method: 'GET' | 'POST', body: string, headers: Record<string, string> = {}) =>
    method === 'GET'
      ? fetch(`${server.apiUrl}/load?${body}`, { headers: { authorization: KEYS.analyst, ...headers } })
      : fetch(`${server.apiUrl}/load`, { method, body, headers: { authorization: KEYS.analyst, 'content-type': 'application/json', ...headers } });
  const answer = async (res: Response) => ({ status: res.status, body: (await res.json()) as Record<string, unknown> });
  const get = (query: unknown) => load('GET', `queryType=multi&query=${encodeURIComponent(typeof query === 'string' ? query : JSON.stringify(query))}`).then(answer);
  const post = (payload: unknown) => load('POST', JSON.stringify(payload)).then(answer);

  it('refuses malformed JSON in the query parameter and in the body, saying so', async () => {
    expect(await get('{"measures":["sales.revenue"')).toMatchObject({ status: 400, body: { error: expect.stringMatching(/^Unable to decode query param as JSON/) } });
    const body = await answer(await load('POST', '{"query": {"measures": ['));
    expect(body.status).toBe(400);
    expect(body.body.error).toMatch(/JSON/i);
    expect(await get('')).toMatchObject({ status: 400, body: { error: 'Query param is required' } });
    expect(await answer(await load('GET', 'query=%7B%7D&query=%7B%7D'))).toMatchObject({ status: 400, body: { error: 'query: give one "query" parameter, not several' } });
  });

  it('refuses a 10 MB body before reading it as a query', async () => {
    const huge = JSON.stringify({ query: { measures: ['sales.revenue'], filters: [{ member: 'sales.channel', operator: 'equals', values: ['x'.repeat(10 * 1024 * 1024)] }] } });
    const res = await answer(await load('POST', huge));
    expect(res.status).toBe(413);
    expect(res.body).toEqual({ error: expect.stringMatching(/body/i) });
  });

  it('refuses 1,000 queries in one request, and 1,000 compared ranges', async () => {
    const many = Array.from({ length: 1_000 }, () => ({ measures: ['sales.revenue'], timeDimensions: [{ dimension: 'sales.order_date', granularity: 'day' }] }));
    expect(await post({ query: many, queryType: 'multi' })).toEqual({ status: 400, body: { error: 'query: at most 20 queries per request, got 1000', type: 'UserError' } });
    const ranges = Array.from({ length: 1_000 }, (_, i) => [`2025-01-${String((i % 28) + 1).padStart(2, '0')}`, '2025-02-01']);
    const compared = await post({ query: { measures: ['sales.revenue'], timeDimensions: [{ dimension: 'sales.order_date', compareDateRange: ranges }] }, queryType: 'multi' });
    expect(compared.status).toBe(400);
    expect(compared.body.error).toMatch(/compareDateRange/);
  });

  it('refuses member names with SQL or path characters, naming them, and runs nothing', async () => {
    for (const member of ['sales.revenue"; DROP TABLE gold.fct_orders; --', "sales.revenue') OR 1=1 --", '../../etc/passwd', 'sales.x'.repeat(120)]) {
      const res = await get({ measures: [member] });
      expect(res.status, member).toBe(400);
      expect(res.body.error, member).toMatch(/measures/);
    }
    // Values are parameters: SQL in them matches nothing and breaks nothing.
    const values = await get({ measures: ['sales.revenue'], filters: [{ member: 'sales.channel', operator: 'equals', values: ["Site' OR '1'='1"] }] });
    expect(values).toMatchObject({ status: 200, body: { results: [{ data: [{ 'sales.revenue': null }] }] } });
    expect((await get({ measures: ['sales.orders'] })).body).toMatchObject({ results: [{ data: [{ 'sales.orders': '6' }] }] });
  });

  it('names the field for wrong types and values out of range', async () => {
    const cases: [unknown, RegExp][] = [
      [{ measures: 'sales.revenue' }, /query\.measures: .*array/],
      [{ measures: ['sales.revenue'], limit: '10' }, /query\.limit/],
      [{ measures: ['sales.revenue'], limit: 1e9 }, /limit/],
      [{ measures: ['sales.revenue'], timezone: 'Mars/Olympus' }, /timezone/],
      [{ measures: ['sales.revenue'], timeDimensions: [{ dimension: 'sales.order_date', dateRange: 'next blue moon' }] }, /next blue moon/],
      [{ measures: ['sales.revenue'], filters: [{ member: 'sales.revenue', operator: 'gt', values: ['1; DROP'] }] }, /sales\.revenue/],
      [{ measures: ['sales.revenue'], filters: [{ member: 'sales.channel', operator: 'equals', values: [null] }] }, /query\.filters\[0\]/],
      [{ measures: ['sales.revenue'], bogus: 1 }, /bogus/],
      [{ measures: ['sales.revenue'], ungrouped: true }, /ungrouped: not supported/],
      [{ measures: ['sales.revenue'], joinHints: [['a', 'b']] }, /joinHints: not supported/],
      [[{ measures: ['sales.revenue'] }, { measures: ['sales.orders'] }], /granularity/],
      [42, /expected a query object/],
      [[], /empty array/],
    ];
    for (const [query, message] of cases) {
      const res = await get(query);
      expect(res.status, JSON.stringify(query)).toBe(400);
      expect(res.body.error, JSON.stringify(query)).toMatch(message);
    }
  });

  it('refuses nesting past the limit without walking it recursively', async () => {
    // Written as text: even JSON.stringify recurses.
    const filter = `${'{"or":['.repeat(5_000)}{"member":"sales.channel","operator":"equals","values":["Site"]}${']}'.repeat(5_000)}`;
    const res = await answer(await load('POST', `{"query":{"measures":["sales.revenue"],"filters":[${filter}]}}`));
    expect(res).toEqual({ status: 400, body: { error: 'query: nested deeper than 32 levels of JSON', type: 'UserError' } });
  });

  it('refuses prototype pollution, a comparison without queryType multi, and unknown paths, in Cube\'s error shape', async () => {
    const proto = await answer(await load('POST', '{"query": {"measures": ["sales.revenue"]}, "__proto__": {"admin": true}}'));
    expect(proto.status).toBe(400);
    const compare = await answer(await load('GET', `query=${encodeURIComponent(JSON.stringify({ measures: ['sales.revenue'], timeDimensions: [{ dimension: 'sales.order_date', compareDateRange: ['last week', 'this week'] }] }))}`));
    expect(compare).toMatchObject({ status: 400, body: { error: expect.stringMatching(/compareDateRangeQuery' query type is not supported by the client/) } });
    const missing = await fetch(`${server.apiUrl}/../v1/load`, { headers: { authorization: KEYS.analyst } });
    expect([400, 404]).toContain(missing.status);
    const unknown = await fetch(`${server.apiUrl}/cubesql`, { headers: { authorization: KEYS.analyst } });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ error: 'Not found: GET /cubejs-api/v1/cubesql' });
  });

  it('never logs the credential', () => {
    for (const lines of [server.logLines, slowServer.logLines]) for (const key of Object.values(KEYS)) expect(lines.join('\n')).not.toContain(key);
  });
});
