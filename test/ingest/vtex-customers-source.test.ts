import { afterEach, describe, expect, it } from 'vitest';
import { createVtexMasterDataClient } from '../../src/ingest/sources/vtex-customers/vtex-master-data-client.js';
import { silentLogger } from '../../src/observability/logger.js';
import { rebuild } from '../../src/pipeline/rebuild.js';
import { goldChecksums } from '../fixtures/gold-checksums.js';
import { landOrders } from '../fixtures/land-orders.js';
import { tempPipeline, type TempPipeline } from '../fixtures/temp-pipeline.js';
import { sandboxAccount, storeWithHistory } from '../fixtures/vtex-store.js';

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

const FAST_RETRY = { maxAttempts: 8, baseDelayMs: 20, maxDelayMs: 200, maxRetryAfterMs: 2_000 };

async function storeAndPipeline(faults = false) {
  const { sandbox, close } = await storeWithHistory({
    seed: 41, history: { orders: 240, days: 4 },
    ...(faults ? { faults: { failureRate: 0.4, throttleRate: 0.4, retryAfterSeconds: 1 } } : {}),
  });
  closers.push(close);
  const masterData = createVtexMasterDataClient(sandboxAccount(sandbox), silentLogger(), 10_000, FAST_RETRY);
  closers.push(() => masterData.close());
  const p = await tempPipeline({ vtexStore: { masterData } });
  closers.push(() => p.cleanup());
  return { sandbox, p };
}


/** gold.dim_customer's e-mail and opt-in, by the profile id of the customer's orders. */
async function contactsByProfile(p: TempPipeline): Promise<Map<string, { email: string | null; newsletter_opt_in: boolean | null }>> {
  const rows = await p.warehouse.query<{ user_profile_id: string; email: string | null; newsletter_opt_in: boolean | null }>(
    `SELECT DISTINCT o.user_profile_id, d.email, d.newsletter_opt_in FROM silver.orders o JOIN gold.dim_customer d ON d.customer_key = o.customer_key`,
  );
  return new Map(rows.map((r) => [r.user_profile_id, { email: r.email, newsletter_opt_in: r.newsletter_opt_in }]));
}


describe('VTEX customers (Master Data CL)', () => {
  it('reads the whole base by scroll through 429s and 5xx; each order\'s masked e-mail resolves to the real one by its profile id', async () => {
    const { sandbox, p } = await storeAndPipeline(true);
    await landOrders(p, sandbox.orders());
    const docs = sandbox.customers();
    expect(docs.length).toBeGreaterThan(50);
    const run = await p.runner.run('vtex-customers', { trigger: 'cli' });
    expect(run.landed).toBe(docs.length);
    expect(run.quarantined).toBe(0);
    expect(sandbox.stats().faultsInjected).toBeGreaterThan(0);

    const [silver] = await p.warehouse.query<{ n: number; never_updated: number; keyed: number }>(
      `SELECT count(*)::INT AS n, count(*) FILTER (WHERE updated_in IS NULL AND changed_at = created_in)::INT AS never_updated,
              count(customer_key)::INT AS keyed FROM silver.customers`,
    );
    expect(silver?.n).toBe(docs.length);
    // Documents never updated (updatedIn null) are read, and change at their creation.
    expect(silver?.never_updated).toBe(docs.filter((d) => d.updatedIn === null).length);
    expect(silver?.never_updated).toBeGreaterThan(0);
    expect(silver?.keyed).toBe(docs.length);

    const byUser = new Map(docs.map((d) => [d.userId, d]));
    const contacts = await contactsByProfile(p);
    expect(contacts.size).toBeGreaterThan(0);
    for (const [profile, contact] of contacts) {
      const doc = byUser.get(profile);
      expect(doc, profile).toBeDefined();
      expect(contact.email).toBe(doc?.email.toLowerCase());
      expect(contact.email).not.toMatch(/ct\.vtex\.com\.br$/);
      expect(contact.newsletter_opt_in).toBe(doc?.isNewsletterOptIn);
    }
    // Orders keep the masked alias they came with: the real address lives with the customer.
    const [masked] = await p.warehouse.query<{ n: number }>("SELECT count(*)::INT AS n FROM silver.orders WHERE customer_email NOT LIKE '%ct.vtex.com.br'");
    expect(masked?.n).toBe(0);
  });

  it('then reads only what changed, and a rebuild gives the same gold whichever source came first', async () => {
    const { sandbox, p } = await storeAndPipeline();
    // Customers before orders this time: the link is made when the orders arrive.
    await p.runner.run('vtex-customers', { trigger: 'cli' });
    await landOrders(p, sandbox.orders());
    const first = await contactsByProfile(p);
    expect([...first.values()].every((c) => c.email !== null)).toBe(true);

    const target = sandbox.orders()[0]?.clientProfileData.userProfileId as string;
    sandbox.updateCustomer(target, { email: 'Nova.Conta@Example.com.br', isNewsletterOptIn: false });
    const next = await p.runner.run('vtex-customers', { trigger: 'cli' });
    // The changed document, plus at most the few whose change falls in the look-back overlap.
    expect(next.landed).toBeGreaterThanOrEqual(1);
    expect(next.landed).toBeLessThan(sandbox.customers().length / 4);
    expect(next.upserted).toBe(1);
    const after = await contactsByProfile(p);
    expect(after.get(target)).toEqual({ email: 'nova.conta@example.com.br', newsletter_opt_in: false });

    const quiet = await p.runner.run('vtex-customers', { trigger: 'cli' });
    expect(quiet.upserted).toBe(0);

    const before = await goldChecksums(p.warehouse);
    await rebuild(p.runner);
    expect(await goldChecksums(p.warehouse)).toEqual(before);
  });

  it('quarantines what is not a CL document, with the field and the value', async () => {
    const { p } = await storeAndPipeline();
    await p.runner.ingest('vtex-customers', async function* () {
      yield {
        records: [
          { entity: 'customer', naturalKey: 'a', payload: JSON.stringify({ id: 'b', email: 'x@example.com' }) },
          { entity: 'customer', naturalKey: 'c', payload: JSON.stringify({ id: 'c', createdIn: 'yesterday' }) },
          { entity: 'customer', naturalKey: 'd', payload: JSON.stringify({ id: 'd', isNewsletterOptIn: 'sim' }) },
          { entity: 'customer', naturalKey: 'e', payload: '[1,2]' },
          { entity: 'customer', naturalKey: 'f', payload: JSON.stringify({ id: 'f', email: { a: 1 } }) },
          { entity: 'customer', naturalKey: 'g', payload: JSON.stringify({ id: 'g', email: "o'brien@example.com", document: '529.982.247-25', createdIn: '2025-01-02T03:04:05.1234567Z' }) },
        ],
      };
    }, { trigger: 'cli' });
    const rows = await p.warehouse.query<{ natural_key: string; reason: string }>(
      "SELECT natural_key, reason FROM silver.quarantine WHERE source = 'vtex-customers' ORDER BY natural_key",
    );
    expect(rows).toEqual([
      { natural_key: 'a', reason: 'id: b is not the document it was landed as (a)' },
      { natural_key: 'c', reason: 'createdIn: expected an instant, received "yesterday"' },
      { natural_key: 'd', reason: 'isNewsletterOptIn: expected true or false, received "sim"' },
      { natural_key: 'e', reason: 'payload: expected a JSON object (a Master Data CL document)' },
      { natural_key: 'f', reason: 'email: expected text, received {"a":1}' },
    ]);
    const [g] = await p.warehouse.query<{ email: string; document: string; customer_key: string }>(
      "SELECT email, document, customer_key FROM silver.customers WHERE customer_id = 'g'",
    );
    expect(g).toEqual({ email: "o'brien@example.com", document: '52998224725', customer_key: 'cpf:52998224725' });
  });
});
