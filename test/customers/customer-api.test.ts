import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ClubMemberIndex, Customer360Service } from '../../src/customers/index.js';
import { DEFAULT_MODEL_DIR } from '../../src/main.js';
import { createSemanticEngine } from '../../src/metrics/semantic-engine.js';
import { silentLogger } from '../../src/observability/logger.js';
import { registerPosRoute } from '../../src/pos/index.js';
import { Authenticator } from '../../src/auth/index.js';
import { registerGraphql } from '../../src/schema/index.js';
import { DataVersions } from '../../src/warehouse/data-version.js';
import type { Row, SqlValue } from '../../src/warehouse/warehouse.js';
import { graphql } from '../fixtures/graphql-client.js';
import { tempWarehouse } from '../fixtures/temp-warehouse.js';
import { fixtureCpf, seedCustomers, type FixtureCustomer } from './customer-fixtures.js';

const KEYS = { app: 'crm-app-key-0123456789abcdef', analyst: 'analyst-key-0123456789abcdef', pos: 'pos-till-key-0123456789abcdef' } as const;
let wh: Awaited<ReturnType<typeof tempWarehouse>>;
let app: FastifyInstance;
let url: string;
let customers: FixtureCustomer[];
let queries: string[] = [];
const versions = new DataVersions();
let clubIndex: ClubMemberIndex;

beforeAll(async () => {
  wh = await tempWarehouse();
  customers = await wh.warehouse.transaction((tx) => seedCustomers(tx, 150, 7));
  // The real warehouse, with every query the customer service sends counted.
  const counted = { dialect: wh.warehouse.dialect, query: <T extends Row>(sql: string, params?: readonly SqlValue[]) => (queries.push(sql), wh.warehouse.query<T>(sql, params)) };
  const engine = await createSemanticEngine({
    warehouse: wh.warehouse, modelDir: DEFAULT_MODEL_DIR, dataVersions: versions, timezone: 'America/Sao_Paulo', cache: { maxEntries: 100, ttlMs: 60_000 }, logger: silentLogger(),
  });
  clubIndex = new ClubMemberIndex(wh.warehouse, versions, { minIntervalMs: 0 });
  await clubIndex.whenCurrent();
  const authenticator = new Authenticator({ config: { apiKeys: [{ kind: 'plain', key: KEYS.app, role: 'app' }, { kind: 'plain', key: KEYS.analyst, role: 'analyst' }, { kind: 'plain', key: KEYS.pos, role: 'pos' }], jwt: undefined, accessFile: undefined } });
  app = Fastify();
  await registerGraphql(app, { metrics: engine, customers: new Customer360Service(counted, versions), clubIndex, authenticator, logger: silentLogger() });
  await registerPosRoute(app, { clubIndex, authenticator, logger: silentLogger() });
  url = await app.listen({ host: '127.0.0.1', port: 0 });
}, 120_000);

afterAll(async () => {
  clubIndex?.stop();
  await app?.close();
  await wh?.cleanup();
});

beforeEach(() => {
  queries = [];
});

const CUSTOMER_FIELDS = `id name document email phone state ltv orders averageTicket averageDaysBetweenOrders ordersLast365d daysSinceLastOrder
  firstOrderAt lastOrderAt isReturning segment club { status tier optIn }`;

describe('customer(...) for the CRM', () => {
  it('finds one customer by document with or without punctuation, by e-mail in any case, by phone in national form', async () => {
    const c = customers[3] as FixtureCustomer; // not a club member
    const formatted = `${c.document.slice(0, 3)}.${c.document.slice(3, 6)}.${c.document.slice(6, 9)}-${c.document.slice(9)}`;
    for (const args of [`document: "${c.document}"`, `document: "${formatted}"`, `email: "${c.email.toUpperCase()}"`, `phone: "(11) ${c.phone.slice(5, 10)}-${c.phone.slice(10)}"`, `id: "${c.id}"`]) {
      const res = await graphql<{ customer: Record<string, unknown> }>(url, KEYS.app, `{ customer(${args}) { ${CUSTOMER_FIELDS} } }`);
      expect(res.errors, args).toBeUndefined();
      expect(res.data?.customer, args).toMatchObject({ id: c.id, document: c.document, email: c.email, phone: c.phone, orders: 7, ltv: 700, averageTicket: 100, isReturning: true, segment: c.segment, club: null });
    }
  });

  it('answers null for nobody, and BAD_USER_INPUT naming the argument for none, two, or an invalid document', async () => {
    expect((await graphql(url, KEYS.app, `{ customer(document: "${fixtureCpf(9_999)}") { id } }`)).data).toEqual({ customer: null });
    for (const [args, field] of [['', 'customer'], ['document: "1", email: "a@b.co"', 'customer'], ['document: "123.456.789-00"', 'document'], ['email: "x@ct.vtex.com.br"', 'email']] as const) {
      const res = await graphql(url, KEYS.app, `{ customer${args ? `(${args})` : ''} { id } }`);
      expect(res.errors?.[0]?.extensions, args).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
  });

  it('masks name, document, e-mail, phone and the id for analysts, in lists too', async () => {
    const c = customers[0] as FixtureCustomer;
    const res = await graphql<{ customer: Record<string, string> }>(url, KEYS.analyst, `{ customer(document: "${c.document}") { id name document email phone state } }`);
    const m = res.data?.customer as Record<string, string>;
    expect(m.document).toBe(`***.***.***-${c.document.slice(9)}`);
    expect(m.id).toBe(`cpf:***.***.***-${c.document.slice(9)}`);
    expect(m.email).toBe('c***@e***.br');
    expect(m.name).toBe('C*** N*** 0***');
    expect(JSON.stringify(res)).not.toContain(c.document);
    expect(JSON.stringify(res)).not.toContain(c.email);
    expect(JSON.stringify(res)).not.toContain(c.phone.slice(4));
    const list = await graphql(url, KEYS.analyst, `{ customers(first: 50) { edges { cursor node { id document email phone name } } } }`);
    const text = JSON.stringify(list);
    for (const x of customers.slice(0, 50)) {
      expect(text).not.toContain(x.document);
      expect(text).not.toContain(x.email);
    }
  });

  it('lets a pos key do nothing but validate, and analysts not validate', async () => {
    const res = await graphql(url, KEYS.pos, `{ customer(document: "${customers[0]?.document}") { id } }`);
    expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await graphql(url, KEYS.pos, '{ customers { nodes { id } } }')).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await graphql(url, KEYS.analyst, `{ validateCustomer(document: "${customers[0]?.document}") { activeMember } }`)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

describe('customers(filter, first, after)', () => {
  it('pages 100 customers with their last 5 orders in a constant number of warehouse queries', async () => {
    const query = `query($after: String) { customers(first: 100, after: $after) {
      edges { cursor node { id orders orderHistory(first: 5) { nodes { orderKey createdAt total } pageInfo { hasNextPage endCursor } } } }
      pageInfo { hasNextPage endCursor } } }`;
    type Page = { customers: { edges: { node: { id: string; orderHistory: { nodes: { orderKey: string; createdAt: string }[]; pageInfo: { hasNextPage: boolean } } } }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } };
    const first = await graphql<Page>(url, KEYS.app, query);
    expect(first.errors).toBeUndefined();
    expect(queries).toHaveLength(2); // the page, then every history at once
    const edges = first.data!.customers.edges;
    expect(edges).toHaveLength(100);
    for (const e of edges) {
      expect(e.node.orderHistory.nodes).toHaveLength(5);
      expect(e.node.orderHistory.pageInfo.hasNextPage).toBe(true);
      const times = e.node.orderHistory.nodes.map((o) => o.createdAt);
      expect([...times].sort().reverse()).toEqual(times);
      // Orders linked through the identity table, whichever source id they carry.
      expect(e.node.orderHistory.nodes.every((o) => o.orderKey.startsWith(`vtex-orders:o-${customers.findIndex((c) => c.id === e.node.id)}-`))).toBe(true);
    }
    expect(first.data!.customers.pageInfo.hasNextPage).toBe(true);

    queries = [];
    const second = await graphql<Page>(url, KEYS.app, query, { after: first.data!.customers.pageInfo.endCursor });
    expect(queries).toHaveLength(2);
    const ids = [...edges, ...second.data!.customers.edges].map((e) => e.node.id);
    expect(second.data!.customers.edges).toHaveLength(50);
    expect(second.data!.customers.pageInfo.hasNextPage).toBe(false);
    expect(new Set(ids).size).toBe(150);
    expect(ids).toEqual([...ids].sort());

    // The same request again is served from the cache, until gold's data version moves.
    queries = [];
    await graphql<Page>(url, KEYS.app, query);
    expect(queries).toHaveLength(0);
    versions.publish(versions.current() + 1);
    await graphql<Page>(url, KEYS.app, query);
    expect(queries).toHaveLength(2);
  });

  it('costs a page as its nodes: 500 customers with 100 orders each is refused before it runs', async () => {
    const res = await graphql(url, KEYS.app, '{ customers(first: 500) { nodes { id orderHistory(first: 100) { nodes { orderKey createdAt status total channel } } } } }');
    expect(res.status).toBe(400);
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'QUERY_TOO_EXPENSIVE', measure: 'cost' });
    expect(queries).toHaveLength(0);
  });

  it('pages one customer\'s order history with its cursor, to the end', async () => {
    const c = customers[1] as FixtureCustomer;
    const keys: string[] = [];
    let after: string | null = null;
    do {
      const res: { data?: { customer: { orderHistory: { nodes: { orderKey: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } } } } =
        await graphql(url, KEYS.app, `query($after: String) { customer(id: "${c.id}") { orderHistory(first: 3, after: $after) { nodes { orderKey } pageInfo { hasNextPage endCursor } } } }`, { after });
      const h = res.data!.customer.orderHistory;
      keys.push(...h.nodes.map((o) => o.orderKey));
      after = h.pageInfo.hasNextPage ? h.pageInfo.endCursor : null;
    } while (after);
    expect(keys).toHaveLength(7);
    expect(new Set(keys).size).toBe(7);
  });

  it('filters by segment, club status, state and last-sale range', async () => {
    const res = await graphql<{ customers: { nodes: { id: string; segment: string; state: string; club: { status: string } | null }[] } }>(
      url, KEYS.app,
      `{ customers(first: 500, filter: { segment: ["champions", "loyal"], clubStatus: ["active"], state: ["SP", "RJ"], lastOrderFrom: "2026-10-01", lastOrderTo: "2026-11-30" }) { nodes { id segment state club { status } } } }`,
    );
    const expected = customers.filter((c) => ['champions', 'loyal'].includes(c.segment) && c.clubStatus === 'active' && ['SP', 'RJ'].includes(c.state));
    expect(expected.length).toBeGreaterThan(0);
    expect(res.data!.customers.nodes.map((n) => n.id).sort()).toEqual(expected.map((c) => c.id).sort());
    const none = await graphql<{ customers: { nodes: unknown[] } }>(url, KEYS.app, `{ customers(filter: { lastOrderFrom: "2026-11-02" }) { nodes { id } } }`);
    expect(none.data!.customers.nodes).toEqual([]);
  });

  it('refuses forged cursors, bad days, oversized pages and SQL in filter values as input errors', async () => {
    const forged = Buffer.from(JSON.stringify(["cpf:0' OR 1=1 --"])).toString('base64url');
    for (const [q, field] of [
      [`{ customers(after: "${forged}") { nodes { id } } }`, 'after'],
      [`{ customers(filter: { lastOrderFrom: "ontem" }) { nodes { id } } }`, 'filter.lastOrderFrom'],
      [`{ customers(filter: { lastOrderTo: "2026-02-30" }) { nodes { id } } }`, 'filter.lastOrderTo'],
      [`{ customers(first: 100000) { nodes { id } } }`, 'first'],
      [`{ customers(filter: { segment: [] }) { nodes { id } } }`, 'filter.segment'],
    ] as const) {
      const res = await graphql(url, KEYS.app, q);
      expect(res.errors?.[0]?.extensions, q).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
    const injected = await graphql<{ customers: { nodes: unknown[] } }>(url, KEYS.app, `{ customers(filter: { state: ["SP' OR '1'='1"] }) { nodes { id } } }`);
    expect(injected.data!.customers.nodes).toEqual([]);
  });
});

describe('validateCustomer and POST /pos/validate', () => {
  const validate = async (document: string, key: string = KEYS.pos) =>
    (await graphql<{ validateCustomer: Record<string, unknown> }>(url, key, `{ validateCustomer(document: "${document}") { documentValid activeMember tier firstName marketingOptIn } }`)).data?.validateCustomer;

  it('says only whether the document is valid and an active member, with tier, first name and opt-in', async () => {
    const active = customers.find((c) => c.clubStatus === 'active') as FixtureCustomer;
    const suspended = customers.find((c) => c.clubStatus === 'suspended') as FixtureCustomer;
    expect(await validate(active.document)).toEqual({ documentValid: true, activeMember: true, tier: expect.any(String), firstName: 'Cliente', marketingOptIn: expect.any(Boolean) });
    expect(await validate(suspended.document)).toEqual({ documentValid: true, activeMember: false, tier: null, firstName: null, marketingOptIn: null });
    expect(await validate('123.456.789-00')).toEqual({ documentValid: false, activeMember: false, tier: null, firstName: null, marketingOptIn: null });
  });

  it('follows a club status change in gold once the data version moves, without a query on the request path', async () => {
    const active = customers.find((c) => c.clubStatus === 'active') as FixtureCustomer;
    await wh.warehouse.execute(`UPDATE gold.customer_360 SET club_status = 'suspended' WHERE customer_id = ?`, [active.id]);
    expect((await validate(active.document))?.activeMember).toBe(true); // not refreshed yet: the index answers from memory
    versions.publish(versions.current() + 1);
    await clubIndex.whenCurrent();
    expect((await validate(active.document))?.activeMember).toBe(false);
    await wh.warehouse.execute(`UPDATE gold.customer_360 SET club_status = 'active' WHERE customer_id = ?`, [active.id]);
    versions.publish(versions.current() + 1);
    await clubIndex.whenCurrent();
    expect((await validate(active.document))?.activeMember).toBe(true);
  });

  it('answers tills over plain JSON with the same rules', async () => {
    const active = customers.find((c) => c.clubStatus === 'active') as FixtureCustomer;
    const post = (body: string, key?: string) =>
      fetch(`${url}/pos/validate`, { method: 'POST', headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) }, body });
    const ok = await post(JSON.stringify({ document: active.document }), KEYS.pos);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ documentValid: true, activeMember: true });
    expect((await post(JSON.stringify({ document: active.document }))).status).toBe(401);
    expect((await post(JSON.stringify({ document: active.document }), KEYS.analyst)).status).toBe(403);
    const bad = await post(JSON.stringify({ cpf: active.document }), KEYS.pos);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toMatch(/document|cpf/);
    expect((await post('{"document": ', KEYS.pos)).status).toBe(400);
  });
});
