import { afterEach, describe, expect, it } from 'vitest';
import { isTransient, TransientHttpError } from '../../src/ingest/http/index.js';
import {
  CL_FIELDS,
  createVtexMasterDataClient,
  MD_RETRY,
  MD_SEARCH_PAGE,
  MD_SEARCH_WINDOW,
  type MasterDataRetry,
  type VtexMasterDataClient,
} from '../../src/ingest/sources/vtex-customers/vtex-master-data-client.js';
import { createLogger, silentLogger } from '../../src/observability/logger.js';
import type { VtexSandbox, VtexSandboxOptions } from '../../src/sandbox/vtex/index.js';
import { sandboxAccount, storeWithHistory } from '../fixtures/vtex-store.js';
import { captureStream } from './support/test-server.js';

/** MD_RETRY's patience with short backoffs; the sandbox's `Retry-After: 1` still sets the wait after a throttle. */
const TEST_RETRY: MasterDataRetry = { ...MD_RETRY, baseDelayMs: 20, maxDelayMs: 200 };
const END_AT = new Date('2025-06-01T12:00:00.000Z');

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

async function openStore(options: VtexSandboxOptions): Promise<VtexSandbox> {
  const { sandbox, close } = await storeWithHistory(options);
  closers.push(close);
  return sandbox;
}

function clientOf(sandbox: VtexSandbox, logger = silentLogger()): VtexMasterDataClient {
  const client = createVtexMasterDataClient(sandboxAccount(sandbox), logger, 1_000, TEST_RETRY);
  closers.push(() => client.close());
  return client;
}

type Doc = Record<string, unknown> & { id: string; createdIn: string; updatedIn: string | null };

/** A document's change instant, to the millisecond, as a caller keeps its cursor. */
function changedAt(doc: Doc): Date {
  return new Date(Date.parse(doc.updatedIn ?? doc.createdIn));
}

/** Reads every change after `since` by key: after each page, the last document's change is the next `since`. */
async function readChanges(client: VtexMasterDataClient, since: Date): Promise<{ docs: Doc[]; calls: number }> {
  const docs: Doc[] = [];
  let cursor = since;
  let calls = 0;
  for (;;) {
    const page = await client.searchChangedCustomers(cursor, 0);
    calls++;
    const fresh = (page.documents as Doc[]).filter((d) => !docs.some((seen) => seen.id === d.id && seen.updatedIn === d.updatedIn));
    docs.push(...fresh);
    const last = page.documents[page.documents.length - 1] as Doc | undefined;
    if (last === undefined || page.documents.length < MD_SEARCH_PAGE) return { docs, calls };
    cursor = changedAt(last);
  }
}

describe('VTEX Master Data client against the sandbox', () => {
  it('reads every CL document exactly once by scroll and by search, through 429s, 503s and 5xx, without logging the app token', async () => {
    const sandbox = await openStore({
      seed: 31,
      history: { orders: 1_500, days: 30, endAt: END_AT },
      faults: { failureRate: 0.2, throttleRate: 0.07, retryAfterSeconds: 1 },
    });
    const logs = captureStream();
    const client = clientOf(sandbox, createLogger({ level: 'trace', destination: logs.stream }));
    const expected = sandbox.customers();
    expect(expected.length).toBeGreaterThan(1_000);
    const fields = (doc: object) => Object.fromEntries(CL_FIELDS.map((f) => [f, (doc as Record<string, unknown>)[f]]));

    // First load: the scroll, 1000 documents a call.
    const pages: unknown[][] = [];
    for await (const page of client.scrollCustomers({})) {
      pages.push([...page.documents]);
      expect(page.total).toBe(expected.length);
    }
    expect(pages.map((p) => p.length)).toEqual([1_000, expected.length - 1_000]);
    const scrolled = pages.flat() as Record<string, unknown>[];
    expect(scrolled).toEqual(expected.map(fields));
    expect(Object.keys(scrolled[0] ?? {})).toEqual([...CL_FIELDS]);

    // A filtered scroll, as an incremental run through scroll reads.
    const corporate: unknown[] = [];
    for await (const page of client.scrollCustomers({ where: 'isCorporate=true' })) corporate.push(...page.documents);
    expect(corporate).toEqual(expected.filter((d) => d.isCorporate).map(fields));

    // The same base by search, 100 at a time by offset, oldest change first.
    const searched: Doc[] = [];
    let total: number | undefined;
    for (let from = 0; total === undefined || from < total; from += MD_SEARCH_PAGE) {
      const page = await client.searchChangedCustomers(new Date(0), from);
      total = page.total;
      searched.push(...(page.documents as Doc[]));
    }
    expect(total).toBe(expected.length);
    expect(new Set(searched.map((d) => d.id)).size).toBe(searched.length);
    expect(searched.map((d) => d.id).sort()).toEqual(expected.map((d) => d.id).sort());
    const changes = searched.map((d) => d.lastInteractionIn as string);
    expect(changes).toEqual([...changes].sort());

    // The faults happened and were retried: a throttled call waited at least its Retry-After.
    expect(sandbox.stats().faultsInjected).toBeGreaterThan(3);
    const retries = logs.records().filter((r) => typeof r.msg === 'string' && r.msg.includes('retrying in'));
    const throttled = retries.filter((r) => /failed with (429|503)/.test(String(r.msg)) && Number(r.delayMs) >= 1_000);
    expect(throttled.length).toBeGreaterThan(0);
    expect(retries.some((r) => /failed with 5\d\d/.test(String(r.msg)))).toBe(true);
    expect(logs.text()).toContain('/api/dataentities/CL/scroll');
    expect(logs.text()).not.toContain(sandbox.appToken);
  }, 60_000);

  it('returns a document updated after a pass on the next incremental call, and only the changes', async () => {
    let clock = Date.parse('2025-06-02T08:00:00.000Z');
    const sandbox = await openStore({ seed: 32, history: { orders: 400, days: 10, endAt: END_AT }, masterDataClock: () => clock, faults: { failureRate: 0.1 } });
    const client = clientOf(sandbox);
    const first = await readChanges(client, new Date(0));
    expect(first.docs.map((d) => d.id).sort()).toEqual(sandbox.customers().map((d) => d.id).sort());
    expect(first.calls).toBeGreaterThan(2);
    const since = new Date(Math.max(...first.docs.map((d) => changedAt(d).getTime())));

    // Nothing changed: the next call only sees documents stamped within the cursor's millisecond.
    const quiet = await client.searchChangedCustomers(since, 0);
    for (const doc of quiet.documents as Doc[]) expect(changedAt(doc).getTime()).toBe(since.getTime());

    const target = sandbox.customers().find((d) => d.updatedIn === null);
    const other = sandbox.customers().find((d) => d.updatedIn !== null);
    if (target === undefined || other === undefined) throw new Error('the fixture needs documents of both kinds');
    clock += 60_000;
    sandbox.updateCustomer(target.userId, { email: 'nova.caixa@example.com.br' });
    clock += 60_000;
    sandbox.updateCustomer(other.userId, { isNewsletterOptIn: !other.isNewsletterOptIn });

    const next = await client.searchChangedCustomers(since, 0);
    const changed = (next.documents as Doc[]).filter((d) => changedAt(d).getTime() > since.getTime());
    expect(changed.map((d) => d.id)).toEqual([target.id, other.id]);
    expect(changed[0]).toMatchObject({ email: 'nova.caixa@example.com.br', createdIn: target.createdIn, updatedIn: '2025-06-02T08:01:00.0000000Z' });
    // A window that ends before the second edit holds only the first.
    const windowed = await client.searchChangedCustomers(since, 0, { until: new Date(clock - 30_000) });
    expect((windowed.documents as Doc[]).filter((d) => changedAt(d).getTime() > since.getTime()).map((d) => d.id)).toEqual([target.id]);
  }, 60_000);

  it('says when another scroll holds the entity (transient, retry after the token idles out) and refuses to page past the window', async () => {
    const sandbox = await openStore({ seed: 33, history: { orders: 100, days: 5, endAt: END_AT } });
    const client = clientOf(sandbox);
    // A consumer that stops after the first page leaves its scroll open on the server.
    for await (const page of client.scrollCustomers({})) {
      expect(page.documents.length).toBeGreaterThan(0);
      break;
    }
    let failure: unknown;
    try {
      for await (const _page of client.scrollCustomers({})) throw new Error('a second scroll should not start');
    } catch (err) {
      failure = err;
    }
    expect(failure).toBeInstanceOf(TransientHttpError);
    expect(isTransient(failure)).toBe(true);
    expect((failure as TransientHttpError).retryAfterMs).toBe(20 * 60_000);

    const aborted = new AbortController();
    aborted.abort();
    await expect(client.searchChangedCustomers(new Date(0), 0, { signal: aborted.signal })).rejects.toThrow();
    await expect(client.searchChangedCustomers(new Date(0), MD_SEARCH_WINDOW)).rejects.toThrow(RangeError);
    // The last page inside the window is cut at its edge rather than refused by the server.
    expect((await client.searchChangedCustomers(new Date(0), MD_SEARCH_WINDOW - 50)).documents).toEqual([]);
  });
});
