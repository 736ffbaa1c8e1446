import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseInstant } from '../../src/sandbox/vtex/master-data-query.js';
import {
  createVtexSandbox,
  isValidCnpj,
  isValidCpf,
  type ClDocument,
  type SandboxOrder,
  type VtexSandbox,
} from '../../src/sandbox/vtex/index.js';
import { compareInstants, type VtexInstant } from '../../src/sandbox/vtex/vtex-time.js';
import { storeWithHistory } from '../fixtures/vtex-store.js';
import { describeErrors, loadMasterDataApiValidators } from './openapi-schema.js';
import { hookConfigBody, omsClient, startReceiver, until, type OmsTestClient } from './support.js';

const END_AT = new Date('2025-06-01T12:00:00.000Z');
const SEARCH = '/api/dataentities/CL/search';
const SCROLL = '/api/dataentities/CL/scroll';
const MINUTE = 60_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{7}Z$/;

/** Master Data's clock, moved by the tests (scroll expiry, the instant an update is stamped with). */
let clock = Date.parse('2025-06-02T09:00:00.000Z');
let sandbox: VtexSandbox;
let md: OmsTestClient;
let closeStore: () => Promise<void>;

beforeAll(async () => {
  const store = await storeWithHistory({ seed: 21, history: { orders: 250, days: 20, endAt: END_AT }, masterDataClock: () => clock });
  sandbox = store.sandbox;
  closeStore = store.close;
  md = omsClient(sandbox);
});
afterAll(async () => {
  await md?.close();
  await closeStore?.();
});

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  json: unknown;
}

/** `range` null sends no REST-Range header. */
function search(query: string, range: string | null = 'resources=0-100', client = md): Promise<Answer> {
  return client.get(`${SEARCH}?${query}`, range === null ? {} : { 'REST-Range': range });
}

function docs(answer: Answer): ClDocument[] {
  expect(answer.status, JSON.stringify(answer.json)).toBe(200);
  return answer.json as ClDocument[];
}

/** Every document a search matches, 100 at a time. */
async function searchAll(query: string): Promise<ClDocument[]> {
  const out: ClDocument[] = [];
  for (let from = 0; ; from += 100) {
    const answer = await search(query, `resources=${from}-${from + 100}`);
    const page = docs(answer);
    out.push(...page);
    const total = Number(/\/(\d+)$/.exec(String(answer.headers['rest-content-range']))?.[1]);
    if (page.length === 0 || out.length >= total) return out;
  }
}

async function scrollAll(first: string): Promise<{ pages: ClDocument[][]; totals: string[] }> {
  const pages: ClDocument[][] = [];
  const totals: string[] = [];
  let answer = await md.get(`${SCROLL}?${first}`);
  for (;;) {
    pages.push(docs(answer));
    totals.push(String(answer.headers['rest-content-total']));
    if ((answer.json as unknown[]).length === 0) return { pages, totals };
    const token = answer.headers['x-vtex-md-token'];
    expect(typeof token).toBe('string');
    answer = await md.get(`${SCROLL}?_token=${encodeURIComponent(String(token))}`);
  }
}

function instant(text: string | null): VtexInstant | null {
  if (text === null) return null;
  const parsed = parseInstant(text);
  if (parsed === undefined) throw new Error(`not an instant: ${text}`);
  return parsed;
}

function after(text: string | null, x: VtexInstant): boolean {
  const at = instant(text);
  return at !== null && compareInstants(at, x) > 0;
}

const byCreation = (a: ClDocument, b: ClDocument): number =>
  compareInstants(instant(a.createdIn) as VtexInstant, instant(b.createdIn) as VtexInstant) || (a.id < b.id ? -1 : 1);

function firstOrders(orders: readonly SandboxOrder[]): Map<string, SandboxOrder> {
  const first = new Map<string, SandboxOrder>();
  for (const order of orders) {
    const id = order.clientProfileData.userProfileId;
    const seen = first.get(id);
    if (seen === undefined || order.creationDate < seen.creationDate) first.set(id, order);
  }
  return first;
}

describe('Master Data CL documents agree with the orders', () => {
  it('has one document per shopper of the published orders, with their userProfileId, CPF, names and opt-in', async () => {
    const shoppers = firstOrders(sandbox.publishedOrders());
    const customers = sandbox.customers();
    expect(customers.length).toBe(shoppers.size);
    expect(new Set(customers.map((c) => c.id)).size).toBe(customers.length);
    expect(new Set(customers.map((c) => c.email)).size).toBe(customers.length);
    let corporate = 0;
    for (const doc of customers) {
      const order = shoppers.get(doc.userId);
      expect(order, doc.userId).toBeDefined();
      if (order === undefined) continue;
      const profile = order.clientProfileData;
      expect(doc).toMatchObject({
        dataEntityId: 'CL',
        accountName: sandbox.account,
        document: profile.document,
        documentType: 'cpf',
        firstName: profile.firstName,
        lastName: profile.lastName,
        phone: profile.phone,
        isCorporate: profile.isCorporate,
        corporateName: profile.corporateName,
        tradeName: profile.tradeName,
        corporateDocument: profile.corporateDocument,
        isNewsletterOptIn: order.clientPreferencesData.optinNewsLetter,
        localeDefault: 'pt-BR',
      });
      expect(isValidCpf(doc.document)).toBe(true);
      if (doc.isCorporate) {
        corporate++;
        expect(isValidCnpj(doc.corporateDocument ?? '')).toBe(true);
      }
      // A real address, never the masked alias orders carry.
      expect(doc.email).toMatch(/^[a-z]+\.[a-z]+\.\d+@example\.com\.br$/);
      expect(doc.email).not.toContain('ct.vtex.com.br');
      expect(doc.email.startsWith(`${doc.firstName.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase()}.`)).toBe(true);
      expect(doc.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-1[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      for (const at of [doc.createdIn, doc.lastInteractionIn]) expect(at).toMatch(INSTANT);
      // Created a little before the shopper's first order; a document never edited has no updatedIn.
      const firstOrder = instant(order.creationDate) as VtexInstant;
      expect(compareInstants(instant(doc.createdIn) as VtexInstant, firstOrder)).toBeLessThan(0);
      expect(firstOrder.ms - (instant(doc.createdIn) as VtexInstant).ms).toBeLessThan(46 * 24 * 60 * MINUTE);
      if (doc.updatedIn !== null) {
        expect(doc.updatedIn).toMatch(INSTANT);
        expect(compareInstants(instant(doc.updatedIn) as VtexInstant, instant(doc.createdIn) as VtexInstant)).toBeGreaterThan(0);
        expect(compareInstants(instant(doc.updatedIn) as VtexInstant, firstOrder)).toBeLessThan(0);
      }
      expect(doc.lastInteractionIn).toBe(doc.updatedIn ?? doc.createdIn);
    }
    const neverUpdated = customers.filter((c) => c.updatedIn === null).length / customers.length;
    expect(neverUpdated).toBeGreaterThan(0.3);
    expect(neverUpdated).toBeLessThan(0.8);
    expect(corporate).toBeGreaterThan(0);

    // Over HTTP, every field of every document, in creation order.
    expect(await searchAll('_fields=_all&_sort=createdIn%20ASC')).toEqual([...customers].sort(byCreation));
  });

  it('is deterministic by seed', async () => {
    const again = await storeWithHistory({ seed: 21, history: { orders: 250, days: 20, endAt: END_AT } });
    cleanups.push(again.close);
    expect(again.sandbox.customers()).toEqual(sandbox.customers());
  });

  it('creates a shopper\'s document when their first order is published, not before', async () => {
    const live = createVtexSandbox({ port: 0, seed: 22, history: { orders: 300, days: 10, endAt: END_AT }, publishIntervalMs: 0 });
    await live.start();
    const receiver = await startReceiver();
    const client = omsClient(live);
    cleanups.push(() => live.close(), () => receiver.close(), () => client.close());
    expect(live.customers()).toEqual([]);
    expect((await client.send('POST', '/api/orders/hook/config', hookConfigBody(receiver.url))).status).toBe(200);
    await until('some orders published', () => live.publishedOrders().length >= 60);
    live.pause();
    const published = live.publishedOrders();
    expect(published.length).toBeLessThan(300);
    expect(new Set(live.customers().map((c) => c.userId))).toEqual(new Set(published.map((o) => o.clientProfileData.userProfileId)));
    // Get order sees the order, and Master Data its shopper.
    const order = published[published.length - 1] as SandboxOrder;
    expect((await client.get(`/api/oms/pvt/orders/${order.orderId}`)).status).toBe(200);
    const found = docs(await search(`userId=${order.clientProfileData.userProfileId}&_fields=userId,document`, null, client));
    expect(found).toEqual([{ userId: order.clientProfileData.userProfileId, document: order.clientProfileData.document }]);
    live.resume();
  });
});

describe('search', () => {
  it('pages with REST-Range (end exclusive) and reports REST-Content-Range', async () => {
    const all = sandbox.customers();
    const total = all.length;
    expect(total).toBeGreaterThan(150);
    const first = await search('_fields=id,email&_sort=email%20ASC', 'resources=0-10');
    expect(docs(first)).toHaveLength(10);
    expect(first.headers['rest-content-range']).toBe(`resources=0-10/${total}`);
    expect(Object.keys(docs(first)[0] ?? {})).toEqual(['id', 'email']);

    const pages: ClDocument[] = [];
    let last: Answer | undefined;
    for (let from = 0; from < total; from += 40) {
      last = await search('_fields=id,email&_sort=email%20ASC', `resources=${from}-${from + 40}`);
      pages.push(...docs(last));
    }
    const tail = total % 40 === 0 ? 40 : total % 40;
    expect(last?.headers['rest-content-range']).toBe(`resources=${total - tail}-${total}/${total}`);
    expect(pages.map((d) => d.email)).toEqual(all.map((d) => d.email).sort());

    const beyond = await search('_sort=email%20ASC', `resources=${total}-${total + 10}`);
    expect(docs(beyond)).toEqual([]);
    expect(beyond.headers['rest-content-range']).toBe(`resources=${total}-${total}/${total}`);
    // No range: a short first page; no _fields: the system fields only.
    const bare = docs(await search('', null));
    expect(bare).toHaveLength(15);
    expect(Object.keys(bare[0] ?? {}).sort()).toEqual(['accountId', 'accountName', 'dataEntityId', 'id']);
  });

  it('filters with _where: is null, the changed-since pattern, between, booleans, quoted values, and simple filters', async () => {
    const all = sandbox.customers();
    const ids = (list: readonly ClDocument[]) => list.map((d) => d.id).sort();
    const query = (where: string, extra = '') => searchAll(`_fields=_all&_where=${encodeURIComponent(where)}${extra}`);

    const never = await query('updatedIn is null');
    expect(ids(never)).toEqual(ids(all.filter((d) => d.updatedIn === null)));
    expect(never.length).toBeGreaterThan(0);
    expect(ids(await query('updatedIn is not null'))).toEqual(ids(all.filter((d) => d.updatedIn !== null)));

    // The incremental pattern: a new document has updatedIn null, so createdIn must be asked too.
    const sorted = [...all].sort(byCreation);
    const xText = (sorted[Math.floor(sorted.length / 2)] as ClDocument).createdIn;
    const x = instant(xText) as VtexInstant;
    const changed = all.filter((d) => after(d.createdIn, x) || after(d.updatedIn, x));
    expect(changed.length).toBeGreaterThan(all.filter((d) => after(d.createdIn, x)).length);
    expect(ids(await query(`(createdIn>${xText} OR updatedIn>${xText})`))).toEqual(ids(changed));
    const bareIso = new Date(x.ms).toISOString();
    expect(ids(await query(`(createdIn>"${bareIso}" OR updatedIn>'${bareIso}')`))).toEqual(
      ids(all.filter((d) => after(d.createdIn, { ms: x.ms, sub: 0 }) || after(d.updatedIn, { ms: x.ms, sub: 0 }))),
    );

    const low = instant('2025-05-20') as VtexInstant;
    const high = instant('2025-05-25') as VtexInstant;
    const inWindow = all.filter((d) => {
      const c = instant(d.createdIn) as VtexInstant;
      return compareInstants(c, low) >= 0 && compareInstants(c, high) <= 0;
    });
    expect(inWindow.length).toBeGreaterThan(0);
    expect(ids(await query('createdIn between 2025-05-20 AND 2025-05-25'))).toEqual(ids(inWindow));
    expect(ids(await query('createdIn<2025-05-20 OR createdIn>2025-05-25'))).toEqual(ids(all.filter((d) => !inWindow.includes(d))));

    expect(ids(await query('isCorporate=true AND (isNewsletterOptIn=true OR isNewsletterOptIn=false)'))).toEqual(ids(all.filter((d) => d.isCorporate)));
    const someone = all[7] as ClDocument;
    expect(ids(await query(`firstName="${someone.firstName}" AND lastName=${someone.lastName}`))).toEqual(
      ids(all.filter((d) => d.firstName === someone.firstName && d.lastName === someone.lastName)),
    );
    expect(ids(await query(`firstName<>${someone.firstName}`))).toEqual(ids(all.filter((d) => d.firstName !== someone.firstName)));
    // Simple filters: e-mail matched without regard to case, `*` as a wildcard.
    expect(ids(await searchAll(`_fields=id&email=${encodeURIComponent(someone.email.toUpperCase())}`))).toEqual([someone.id]);
    expect(ids(await searchAll(`_fields=id&lastName=${encodeURIComponent(someone.lastName.slice(0, 3))}*`))).toEqual(
      ids(all.filter((d) => d.lastName.startsWith(someone.lastName.slice(0, 3)))),
    );
  });

  it('answers 400 with a Master Data error body for what it cannot do', async () => {
    for (const query of [
      `_where=${encodeURIComponent("firstName like 'Ana'")}`,
      `_where=${encodeURIComponent('createdIn>=2025-01-01')}`,
      `_where=${encodeURIComponent('(createdIn>2025-01-01')}`,
      `_where=${encodeURIComponent('nickname=Ana')}`,
      `_where=${encodeURIComponent('createdIn>yesterday')}`,
      `_where=${encodeURIComponent('isCorporate>true')}`,
      `_sort=${encodeURIComponent('email sideways')}`,
      `_sort=${encodeURIComponent('email ASC, id ASC')}`,
      '_keyword=maria',
      'nickname=Ana',
    ]) {
      const answer = await search(query);
      expect(answer.status, query).toBe(400);
      expect(answer.json, query).toEqual({ Message: expect.any(String) });
    }
  });

  it('refuses a bad REST-Range: malformed, empty, wider than 100, or beyond the 10,000-document window', async () => {
    for (const range of ['items=0-10', 'resources=0-', 'resources=10-5', 'resources=5-5', 'resources=0-101', 'resources=9950-10050']) {
      const answer = await search('_fields=id', range);
      expect(answer.status, range).toBe(400);
      expect((answer.json as { Message: string }).Message, range).toMatch(/REST-Range|scroll/);
    }
    expect((await search('_fields=id', 'resources=9900-10000')).status).toBe(200);
    expect((await search('_fields=id', 'resources=0-100')).status).toBe(200);
  });
});

describe('scroll', () => {
  it('reads to the end with the token, then the token is spent; one scroll at a time', async () => {
    const expected = sandbox.customers().filter((d) => !d.isCorporate);
    const first = await md.get(`${SCROLL}?_size=40&_fields=_all&_where=isCorporate%3Dfalse`);
    expect(first.status).toBe(200);
    const token = String(first.headers['x-vtex-md-token']);
    expect(token.length).toBeGreaterThan(16);
    expect(first.headers['rest-content-total']).toBe(String(expected.length));

    // While it is open, no other scroll may start.
    const busy = await md.get(`${SCROLL}?_size=10`);
    expect(busy.status).toBe(400);
    expect((busy.json as { Message: string }).Message).toMatch(/simultaneous scrolls/);

    const read: ClDocument[] = [...docs(first)];
    let pages = 1;
    for (;;) {
      const next = await md.get(`${SCROLL}?_token=${token}`);
      const page = docs(next);
      expect(next.headers['rest-content-total']).toBe(String(expected.length));
      if (page.length === 0) break;
      expect(page.length).toBeLessThanOrEqual(40);
      read.push(...page);
      pages++;
    }
    expect(pages).toBe(Math.ceil(expected.length / 40));
    expect(read).toEqual(expected);

    const spent = await md.get(`${SCROLL}?_token=${token}`);
    expect(spent.status).toBe(400);
    expect(spent.json).toEqual({ Message: expect.stringMatching(/token/) });
    // The slot is free again; a sorted scroll with the default size.
    const again = await scrollAll('_fields=id,createdIn&_sort=createdIn%20DESC');
    expect(again.pages.flat().map((d) => d.id)).toEqual([...sandbox.customers()].sort(byCreation).reverse().map((d) => d.id));
    expect(again.pages[0]).toHaveLength(100);
    expect(new Set(again.totals)).toEqual(new Set([String(sandbox.customers().length)]));
  });

  it('expires a token after 20 minutes without use; every call renews it', async () => {
    const first = await md.get(`${SCROLL}?_size=5&_fields=id`);
    const token = String(first.headers['x-vtex-md-token']);
    clock += 19 * MINUTE;
    expect((await md.get(`${SCROLL}?_token=${token}`)).status).toBe(200);
    clock += 19 * MINUTE;
    expect((await md.get(`${SCROLL}?_token=${token}`)).status).toBe(200);
    clock += 20 * MINUTE;
    const expired = await md.get(`${SCROLL}?_token=${token}`);
    expect(expired.status).toBe(400);
    expect(expired.json).toEqual({ Message: expect.stringMatching(/expired/) });
    expect((await md.get(`${SCROLL}?_token=not-a-token`)).status).toBe(400);
    // The expired scroll no longer holds the slot.
    expect((await scrollAll('_size=1000&_fields=id')).pages[0]).toHaveLength(sandbox.customers().length);
  });

  it('checks _size and the first call\'s query', async () => {
    for (const query of ['_size=0', '_size=1001', '_size=ten', `_where=${encodeURIComponent('firstName is maybe')}`]) {
      const answer = await md.get(`${SCROLL}?${query}`);
      expect(answer.status, query).toBe(400);
      expect(answer.json, query).toEqual({ Message: expect.any(String) });
    }
    // Nothing matches: an empty array at once, and no scroll left open.
    const none = await md.get(`${SCROLL}?_where=${encodeURIComponent('email=nobody@example.com.br')}`);
    expect(docs(none)).toEqual([]);
    expect(none.headers['rest-content-total']).toBe('0');
    expect(none.headers['x-vtex-md-token']).toBeUndefined();
    expect((await scrollAll('_size=1000')).pages).toHaveLength(2);
  });
});

describe('Master Data against the official OpenAPI', () => {
  const documentSchema = z.object({
    id: z.string().regex(/^[0-9a-f-]{36}$/),
    accountId: z.string().regex(UUID),
    accountName: z.string().min(1),
    dataEntityId: z.literal('CL'),
    createdBy: z.string().regex(UUID),
    createdIn: z.string().regex(INSTANT),
    updatedBy: z.string().regex(UUID).nullable(),
    updatedIn: z.string().regex(INSTANT).nullable(),
    lastInteractionBy: z.string().regex(UUID),
    lastInteractionIn: z.string().regex(INSTANT),
    followers: z.array(z.string()),
    tags: z.array(z.string()),
    userId: z.string().regex(UUID),
    email: z.email(),
    firstName: z.string().min(1),
    lastName: z.string().min(1),
    document: z.string().regex(/^\d{11}$/),
    documentType: z.literal('cpf'),
    phone: z.string().regex(/^\+55\d{10,11}$/),
    homePhone: z.string().regex(/^\+55\d{10}$/).nullable(),
    cellPhone: z.string().regex(/^\+55\d{11}$/).nullable(),
    businessPhone: z.string().regex(/^\+55\d{10}$/).nullable(),
    isCorporate: z.boolean(),
    corporateName: z.string().min(1).nullable(),
    tradeName: z.string().min(1).nullable(),
    corporateDocument: z.string().regex(/^\d{14}$/).nullable(),
    stateRegistration: z.string().regex(/^\d+$/).nullable(),
    isFreeStateRegistration: z.boolean().nullable(),
    isNewsletterOptIn: z.boolean(),
    localeDefault: z.literal('pt-BR'),
  }).strict();

  it('search and scroll bodies validate against masterdata-api---v10.2.json, and documents carry the documented CL fields', async () => {
    const api = loadMasterDataApiValidators();
    const checkDocuments = (body: unknown, what: string) => {
      for (const doc of body as unknown[]) {
        expect(api.document(doc), `${what}:\n${describeErrors(api.document.errors)}`).toBe(true);
        expect(api.clProfile(doc), `${what}:\n${describeErrors(api.clProfile.errors)}`).toBe(true);
      }
    };
    const bodies: Array<[string, unknown]> = [];
    for (const range of ['resources=0-100', 'resources=100-200']) bodies.push([`search ${range}`, (await search('_fields=_all&_sort=createdIn%20ASC', range)).json]);
    bodies.push(['search, default fields', (await search('', 'resources=0-20')).json]);
    for (const [what, body] of bodies) {
      expect(api.search(body), `${what}:\n${describeErrors(api.search.errors)}`).toBe(true);
      checkDocuments(body, what);
    }
    const scrolled = await scrollAll('_size=100&_fields=_all');
    for (const [i, page] of scrolled.pages.entries()) {
      expect(api.scroll(page), `scroll page ${i}:\n${describeErrors(api.scroll.errors)}`).toBe(true);
      checkDocuments(page, `scroll page ${i}`);
    }

    // The OpenAPI's own schemas hardly constrain a CL document, so the documented fields are asserted here.
    const all = scrolled.pages.flat();
    expect(all).toHaveLength(sandbox.customers().length);
    for (const doc of all) {
      const parsed = documentSchema.safeParse(doc);
      expect(parsed.success, `${doc.id}: ${parsed.error?.message}`).toBe(true);
      if (doc.isCorporate) expect(doc.corporateName !== null && doc.corporateDocument !== null && doc.businessPhone !== null).toBe(true);
      else expect([doc.corporateName, doc.tradeName, doc.corporateDocument, doc.stateRegistration, doc.isFreeStateRegistration]).toEqual([null, null, null, null, null]);
    }

    const first = await md.get(`${SCROLL}?_size=10`);
    const busy = await md.get(`${SCROLL}?_size=10`);
    expect(busy.status).toBe(400);
    expect(api.scrollError(busy.json), describeErrors(api.scrollError.errors)).toBe(true);
    clock += 21 * MINUTE; // let that scroll lapse
    expect(first.status).toBe(200);
  });
});

describe('faults and authentication', () => {
  it('answers an overloaded search 503 and scroll 429, with Retry-After, and 5xx failures, as Get order does', async () => {
    const faulty = createVtexSandbox({ port: 0, seed: 23, history: { orders: 10, days: 1, endAt: END_AT }, faults: { throttleRate: 1, retryAfterSeconds: 2 } });
    const failing = createVtexSandbox({ port: 0, seed: 23, history: { orders: 10, days: 1, endAt: END_AT }, faults: { failureRate: 1 } });
    await faulty.start();
    await failing.start();
    const throttled = omsClient(faulty);
    const broken = omsClient(failing);
    const anonymous = omsClient(faulty, 'none');
    cleanups.push(() => faulty.close(), () => failing.close(), () => throttled.close(), () => broken.close(), () => anonymous.close());

    const overloaded = await search('_fields=id', 'resources=0-10', throttled);
    expect(overloaded.status).toBe(503);
    expect(overloaded.headers['retry-after']).toBe('2');
    expect(overloaded.json).toEqual({ Message: expect.any(String) });
    const scrollThrottled = await throttled.get(`${SCROLL}?_size=10`);
    expect(scrollThrottled.status).toBe(429);
    expect(scrollThrottled.headers['retry-after']).toBe('2');
    expect(faulty.stats().faultsInjected).toBe(2);

    expect([500, 502, 503]).toContain((await search('_fields=id', 'resources=0-10', broken)).status);
    expect([500, 502, 503]).toContain((await broken.get(`${SCROLL}?_size=10`)).status);
    expect((await anonymous.get(`${SEARCH}?_fields=id`)).status).toBe(401);
    expect((await anonymous.get(`${SCROLL}?_size=10`)).status).toBe(401);
    expect((await throttled.get('/api/dataentities/AD/search')).status).toBe(404);
  });
});

describe('updateCustomer', () => {
  it('changes a document and stamps updatedIn and lastInteractionIn with now, so an incremental search finds it', async () => {
    const before = sandbox.customers();
    const target = before.find((d) => d.updatedIn === null) as ClDocument;
    const seen = before.map((d) => instant(d.lastInteractionIn) as VtexInstant).reduce((a, b) => (compareInstants(a, b) >= 0 ? a : b));
    const since = new Date(seen.ms + 1).toISOString();
    const changedSince = `_fields=_all&_where=${encodeURIComponent(`(createdIn>${since} OR updatedIn>${since})`)}`;
    expect(await searchAll(changedSince)).toEqual([]);

    clock = Date.parse('2025-06-03T10:00:00.000Z');
    const updated = sandbox.updateCustomer(target.userId, { phone: '+5511912345678', isNewsletterOptIn: !target.isNewsletterOptIn });
    expect(updated).toMatchObject({ id: target.id, createdIn: target.createdIn, phone: '+5511912345678', isNewsletterOptIn: !target.isNewsletterOptIn });
    expect(updated.updatedIn).toBe('2025-06-03T10:00:00.0000000Z');
    expect(updated.lastInteractionIn).toBe(updated.updatedIn);
    // A second edit in the same millisecond still moves forward.
    const again = sandbox.updateCustomer(target.userId, { cellPhone: null });
    expect(again.updatedIn).toBe('2025-06-03T10:00:00.0000001Z');

    expect(await searchAll(changedSince)).toEqual([again]);
    expect((await searchAll(`_fields=id&_where=${encodeURIComponent('updatedIn is null')}`)).length).toBe(before.filter((d) => d.updatedIn === null).length - 1);
    expect(() => sandbox.updateCustomer('no-such-user', { phone: '+5511900000000' })).toThrow(/no CL document/);
    expect(() => sandbox.updateCustomer(target.userId, { id: 'x' } as never)).toThrow(/cannot be updated/);
  });
});
