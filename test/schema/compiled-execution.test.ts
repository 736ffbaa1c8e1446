import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSchema, parse } from 'graphql';
import { compiledExecutor, type CompileOutcome } from '../../src/schema/compiled-execution.js';
import { ANALYST_KEY, API_KEYS, POS_KEY, type GraphqlTestServer } from './graphql-test-server.js';
import { startTypedViewsServer, type TypedViewsServer } from './typed-views-server.js';

/**
 * A document asked again runs on graphql-jit (src/schema/compiled-execution.ts). Its answers must
 * be the ones graphql-js gave the first time, byte for byte: rows, nulls, aliases, fragments,
 * directives, and every kind of error a client relies on (codes, paths, locations, the 400 for a
 * refused variable). Real engine, real DuckDB gold fixture, real HTTP.
 */

let typed: TypedViewsServer;
let server: GraphqlTestServer;
const outcomes: CompileOutcome[] = [];

beforeAll(async () => {
  typed = await startTypedViewsServer('farol-jit-model-', {
    auth: { apiKeys: API_KEYS },
    compiledExecution: { compileOnRequest: 2, onCompile: (o) => outcomes.push(o) },
  });
  server = typed.server;
});

afterAll(async () => {
  await typed?.close();
});

/** The first answer (graphql-js) and the next two (compiled), as the client receives them. */
async function thrice(query: string, variables: Record<string, unknown> = {}, key = ANALYST_KEY) {
  const answers = [];
  for (let i = 0; i < 3; i++) {
    const res = await server.post({ query, variables }, key);
    answers.push({ status: res.status, text: res.text });
  }
  return answers;
}

describe('compiled execution answers as graphql-js does', () => {
  const cases: readonly { name: string; query: string; variables?: Record<string, unknown>; key?: string; outcome: CompileOutcome; check: (body: string, status: number) => void }[] = [
    {
      name: 'typed rows with aliases, a fragment, @include/@skip and a nested time field',
      query: `query ($c: Boolean!, $s: Boolean!) {
        total: sales { rows { r1: revenue r2: revenue } }
        byDay: sales(orderBy: [{ dimension: ORDER_DATE }, { dimension: CHANNEL }]) {
          rows { ...money channel @include(if: $c) orders @skip(if: $s) orderDate { day month } }
          servedFrom dataVersion
        }
      }
      fragment money on SalesRow { revenue averageTicket }`,
      variables: { c: true, s: false },
      outcome: 'compiled',
      check: (body) => {
        expect(body).toContain('"r1":780.35,"r2":780.35');
        expect(body).toContain('{"revenue":50,"averageTicket":50,"channel":"Mercado Livre","orders":1,"orderDate":{"day":"2025-03-14T00:00:00.000","month":"2025-03-01T00:00:00.000"}}');
      },
    },
    {
      name: 'metrics with the query written in the document',
      query: `{ metrics(query: { measures: ["sales.revenue"], dimensions: ["sales.channel"], order: [{ member: "sales.channel", direction: ASC }] }) { rows servedFrom } }`,
      outcome: 'compiled',
      check: (body) => expect(body).toContain('"rows":[{"sales.revenue":375.25,"sales.channel":"Mercado Livre"},{"sales.revenue":405.1,"sales.channel":"Site"}]'),
    },
    {
      name: 'metrics with the query as a variable (a recursive input type: graphql-js keeps it)',
      query: `query ($q: MetricsQueryInput!) { metrics(query: $q) { rows } }`,
      variables: { q: { measures: ['sales.orders'] } },
      outcome: 'recursive input',
      check: (body) => expect(body).toBe('{"data":{"metrics":{"rows":[{"sales.orders":6}]}}}\n'),
    },
    {
      name: 'a resolver refusing a value: BAD_USER_INPUT naming the member, with path and location',
      query: `{ sales(where: { orderDate: { inDateRange: ["not a date"] } }) { rows { revenue } } }`,
      outcome: 'compiled',
      check: (body) => {
        expect(body).toContain('"code":"BAD_USER_INPUT"');
        expect(body).toContain('"path":["sales"]');
        expect(body).toContain('"locations":[{"line":1,"column":3}]');
      },
    },
    {
      name: 'a role without the capability: FORBIDDEN, data null',
      query: `{ sales { rows { revenue } } }`,
      key: POS_KEY,
      outcome: 'compiled',
      check: (body) => {
        expect(body).toContain('"data":null');
        expect(body).toContain('"code":"FORBIDDEN"');
      },
    },
    {
      name: 'a variable of the wrong type: 400 BAD_USER_INPUT before anything runs',
      query: `query ($l: Int) { sales(limit: $l) { rows { revenue } } }`,
      variables: { l: 'ten' },
      outcome: 'compiled',
      check: (body, status) => {
        expect(status).toBe(400);
        expect(body).toContain('Variable \\"$l\\" got invalid value \\"ten\\"');
        expect(body).toContain('"code":"BAD_USER_INPUT"');
      },
    },
  ];

  for (const c of cases) {
    it(c.name, async () => {
      const before = outcomes.length;
      const [first, second, third] = await thrice(c.query, c.variables, c.key);
      c.check(first!.text, first!.status);
      // The first answer came from the warehouse, the next from the result cache; nothing else differs.
      const cached = { ...first!, text: first!.text.replace('"servedFrom":"WAREHOUSE"', '"servedFrom":"CACHE"') };
      expect(second).toEqual(cached);
      expect(third).toEqual(cached);
      // Compiled on the second request, once.
      expect(outcomes.slice(before)).toEqual([c.outcome]);
    });
  }

  it('keeps a recursive input variable off the compiler, which took 17 s and overflowed the stack on it', async () => {
    // Asked with the deepest filter the engine accepts: graphql-js coerces it by walking the value.
    let filter: Record<string, unknown> = { member: 'sales.channel', operator: 'equals', values: ['Site'] };
    for (let i = 0; i < 4; i++) filter = { or: [filter] };
    const query = `query Deep($q: MetricsQueryInput!) { metrics(query: $q) { rows } }`;
    const [first, second] = await thrice(query, { q: { measures: ['sales.revenue'], filters: [filter] } });
    expect(first!.text).toBe('{"data":{"metrics":{"rows":[{"sales.revenue":405.1}]}}}\n');
    expect(second).toEqual(first);
    expect(outcomes.at(-1)).toBe('recursive input');
  });
});

describe('compiled execution bounds', () => {
  const schema = buildSchema('type Query { n(x: Int): Int }');
  (schema.getQueryType()!.getFields().n as { resolve?: unknown }).resolve = (_: unknown, args: { x?: number }) => args.x ?? 0;
  const ask = (exec: ReturnType<typeof compiledExecutor>, source: string) =>
    exec({ source, document: parse(source), operationName: null, request: { variables: {} }, context: {} } as unknown as Parameters<typeof exec>[0]);

  it('never compiles a document longer than the limit, and answers it on graphql-js', async () => {
    const seen: CompileOutcome[] = [];
    const exec = compiledExecutor(schema, { maxDocumentChars: 40, onCompile: (o) => seen.push(o) });
    const long = `{ ${Array.from({ length: 10 }, (_, i) => `a${i}: n(x: ${i})`).join(' ')} }`;
    for (let i = 0; i < 3; i++) expect((await ask(exec, long)).data).toMatchObject({ a0: 0, a9: 9 });
    expect(seen).toEqual([]);
    for (let i = 0; i < 2; i++) expect((await ask(exec, '{ n(x: 1) }')).data).toEqual({ n: 1 });
    expect(seen).toEqual(['compiled']);
  });

  it('keeps compiled documents within the total length, dropping the least recently used', async () => {
    const seen: CompileOutcome[] = [];
    const exec = compiledExecutor(schema, { maxCompiledChars: 40, onCompile: (o) => seen.push(o) });
    // Each key is 12 characters (operation name, NUL, text): three fit in 40, the fourth evicts the first.
    const docs = [1, 2, 3, 4].map((i) => `{ n(x: ${i}) }`);
    for (const d of docs) for (let i = 0; i < 2; i++) await ask(exec, d);
    expect(seen).toHaveLength(4);
    // The first was evicted: it is counted afresh and compiled again on its second request.
    await ask(exec, docs[0]!);
    expect(seen).toHaveLength(4);
    expect((await ask(exec, docs[0]!)).data).toEqual({ n: 1 });
    expect(seen).toHaveLength(5);
    // The last is still compiled: asking it compiles nothing new.
    await ask(exec, docs[3]!);
    expect(seen).toHaveLength(5);
  });
});
