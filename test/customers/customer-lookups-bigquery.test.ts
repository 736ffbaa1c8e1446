import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import Fastify from 'fastify';
import { Authenticator } from '../../src/auth/index.js';
import { ClubMemberIndex, Customer360Service } from '../../src/customers/index.js';
import { silentLogger } from '../../src/observability/logger.js';
import { registerPosRoute } from '../../src/pos/index.js';
import { BigQueryTableNames } from '../../src/warehouse/bigquery/bigquery-table-names.js';
import { DataVersions } from '../../src/warehouse/data-version.js';
import type { Row, SqlValue, Warehouse } from '../../src/warehouse/warehouse.js';
import { duckDbAnswer } from '../fixtures/bigquery-reads-on-duckdb.js';
import { expectBigQuerySql, goldenText, kindOf, sessionOf, typesOf } from '../fixtures/bigquery-sql-checks.js';
import type { FakeBigQuery } from '../fixtures/fake-bigquery.js';
import { fakeBigQueryPerFile } from '../fixtures/fake-bigquery-per-file.js';
import { expectServeGolden, openFakeBigQueryWarehouse } from '../fixtures/serve-bigquery.js';
import { tempWarehouse } from '../fixtures/temp-warehouse.js';
import { fixtureCpf, seedCustomers, type FixtureCustomer } from './customer-fixtures.js';

/**
 * Customer 360 reads and the tills' club index on BigQuery: the service runs through
 * `BigQueryWarehouse` against the fake BigQuery REST server, whose read jobs are answered by a
 * DuckDB warehouse holding the same customers (bigquery-reads-on-duckdb.ts). Every answer must equal the
 * DuckDB service's, every statement must be the DuckDB one as BigQuery names its tables (the one
 * exception: a history cursor's instant is CAST to TIMESTAMP, BigQuery's instant type), with values
 * only as typed parameters. `test/golden/serve-bigquery/customer-lookups.sql` holds the statements.
 */
let fake: FakeBigQuery;
fakeBigQueryPerFile((f) => (fake = f));

let duck: Awaited<ReturnType<typeof tempWarehouse>>;
let customers: FixtureCustomer[];
const names = new BigQueryTableNames('farol-test', 'analytics');

beforeAll(async () => {
  duck = await tempWarehouse();
  customers = await duck.warehouse.transaction((tx) => seedCustomers(tx, 12, 3));
}, 60_000);
afterAll(async () => {
  await duck?.cleanup();
});
beforeEach(() => fake.answer((_sql, job) => duckDbAnswer(duck.warehouse, job)));

const queries = () => fake.jobs.filter((j) => j.kind === 'query');

/** The DuckDB warehouse, with what the service sends it recorded. */
function recordingDuckDb(): { warehouse: Pick<Warehouse, 'query' | 'dialect'>; sent: string[] } {
  const sent: string[] = [];
  return {
    sent,
    warehouse: { dialect: 'duckdb', query: <T extends Row>(sql: string, params?: readonly SqlValue[]) => (sent.push(sql), duck.warehouse.query<T>(sql, params)) },
  };
}

/** The same service on both warehouses, fresh caches. */
function services() {
  const versions = new DataVersions();
  const duckdb = recordingDuckDb();
  return { bq: new Customer360Service(openFakeBigQueryWarehouse(fake), versions), duck: new Customer360Service(duckdb.warehouse, versions), sentToDuckDb: duckdb.sent };
}

/** Values the tests pass: none may appear in the SQL text BigQuery receives. */
const values = () => customers.flatMap((c) => [c.id, c.document, c.email, c.phone]);
const pretty = (cpf: string) => `${cpf.slice(0, 3)}.${cpf.slice(3, 6)}.${cpf.slice(6, 9)}-${cpf.slice(9)}`;
const withoutCursors = <T extends { cursors: unknown; endCursor: unknown }>(p: T) => ({ ...p, cursors: undefined, endCursor: undefined });

async function lookups(s: Customer360Service) {
  const [a, b, c] = customers as [FixtureCustomer, FixtureCustomer, FixtureCustomer];
  return {
    byIds: await s.byIds([a.id, b.id, `cpf:${fixtureCpf(999)}`]),
    byDocument: await s.find({ document: pretty(c.document) }),
    byEmail: await s.find({ email: a.email.toUpperCase() }),
    byPhone: await s.find({ phone: b.phone.replace('+55', '') }),
  };
}

describe('customer 360 lookups on BigQuery', () => {
  it('answer as on DuckDB, with the DuckDB statements as BigQuery names their tables, values as typed parameters', async () => {
    const { bq, duck: onDuck, sentToDuckDb } = services();
    const answers = await lookups(bq);
    expect(answers).toEqual(await lookups(onDuck));
    expect(answers.byIds.map((c) => c?.id)).toEqual([customers[0]!.id, customers[1]!.id, undefined]);
    expect(answers.byDocument?.id).toBe(customers[2]!.id);
    expect(answers.byPhone?.phone).toBe(customers[1]!.phone);
    expect(queries().map((j) => j.sql)).toEqual(sentToDuckDb.map((s) => names.qualifyTables(s)));
    expect(queries().map(typesOf)).toEqual([['STRING', 'STRING', 'STRING'], ['STRING'], ['STRING'], ['STRING']]);
    expect(queries().every((j) => kindOf(j) === 'metrics' && sessionOf(j) === undefined)).toBe(true);
    expectBigQuerySql(queries(), values());
  });

  it('page through a filtered list with the same customers and pages as on DuckDB', async () => {
    const { bq, duck: onDuck } = services();
    const filter = { segment: ['champions', 'loyal', 'new', 'at_risk'], clubStatus: ['active', 'suspended'], lastOrderFrom: '2026-10-01', lastOrderTo: '2026-11-30' };
    const page = async (s: Customer360Service) => {
      const first = await s.list(filter, 2, undefined);
      const second = await s.list(filter, 2, first.endCursor!);
      return [first, second];
    };
    const [first, second] = await page(bq);
    const [duckFirst, duckSecond] = await page(onDuck);
    expect(withoutCursors(first!)).toEqual(withoutCursors(duckFirst!));
    expect(withoutCursors(second!)).toEqual(withoutCursors(duckSecond!));
    expect(first!.nodes).toHaveLength(2);
    expect(second!.nodes[0]!.id > first!.nodes[1]!.id).toBe(true);
    const [, next] = queries();
    expect(next!.sql).toMatch(/AND last_order_date >= CAST\(\? AS DATE\) AND last_order_date <= CAST\(\? AS DATE\) AND customer_id > \? ORDER BY customer_id LIMIT 3$/);
    expectBigQuerySql(queries(), values());
  });

  it('give each customer\'s order history, and its next page after a cursor, as on DuckDB, the cursor\'s instant a TIMESTAMP', async () => {
    const { bq, duck: onDuck, sentToDuckDb } = services();
    const ids = customers.slice(0, 3).map((c) => c.id);
    const histories = async (s: Customer360Service) => {
      const pages = await s.orderHistories(ids, 2, undefined);
      const next = await s.orderHistories([ids[0]!], 2, pages[0]!.endCursor!);
      return [...pages, ...next];
    };
    const got = await histories(bq);
    expect(got.map(withoutCursors)).toEqual((await histories(onDuck)).map(withoutCursors));
    expect(got.map((p) => [p.nodes.length, p.hasNextPage])).toEqual([[2, true], [2, true], [2, true], [1, false]]);
    const [all, seek] = queries();
    expect(all!.sql).toBe(names.qualifyTables(sentToDuckDb[0]!));
    expect(seek!.sql).toBe(names.qualifyTables(sentToDuckDb[1]!).replaceAll('CAST(? AS TIMESTAMPTZ)', 'CAST(? AS TIMESTAMP)'));
    expect(seek!.sql).toContain('f.created_at < CAST(? AS TIMESTAMP) OR (f.created_at = CAST(? AS TIMESTAMP) AND f.order_key < ?)');
    expect(typesOf(seek!)).toEqual(['STRING', 'STRING', 'STRING', 'STRING']);
    expectBigQuerySql(queries(), values());
  });

  it('send exactly the statements of the golden file', async () => {
    const { bq } = services();
    await lookups(bq);
    const page = await bq.list({ clubStatus: ['active'], lastOrderFrom: '2026-01-01' }, 2, undefined);
    await bq.list({ clubStatus: ['active'], lastOrderFrom: '2026-01-01' }, 2, page.endCursor!);
    const [history] = await bq.orderHistories([customers[0]!.id], 1, undefined);
    await bq.orderHistories([customers[0]!.id], 1, history!.endCursor!);
    const jobs = queries();
    expectBigQuerySql(jobs, values());
    // A cursor reaches SQL as the keys it seals, never as its (per-run) text.
    expectServeGolden('customer-lookups.sql', goldenText(jobs), 'test/customers/customer-lookups-bigquery.test.ts');
  });
});

describe('the club member index on BigQuery', () => {
  it('loads the active members with one job, answers the tills from memory as the DuckDB index does, and waits a minute between rebuilds', async () => {
    // The clock the index measures its interval on; timers stay real.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-11-30T12:00:00Z'));
    const versions = new DataVersions();
    const index = new ClubMemberIndex(openFakeBigQueryWarehouse(fake), versions);
    const onDuck = new ClubMemberIndex(duck.warehouse, versions);
    try {
      await Promise.all([index.whenCurrent(), onDuck.whenCurrent()]);
      expect(queries().map((j) => j.sql)).toEqual([
        "SELECT document, first_name, club_tier, marketing_opt_in FROM `farol-test.analytics.gold_customer_360`\n           WHERE club_status = 'active' AND document IS NOT NULL",
      ]);
      expect(index.size).toBe(onDuck.size);
      expect(index.size).toBeGreaterThan(0);
      for (const c of customers) expect(index.validate(pretty(c.document))).toEqual(onDuck.validate(c.document));
      expect(index.validate('123.456.789-00').documentValid).toBe(false);
      expect(customers.some((c) => index.validate(c.document).activeMember)).toBe(true);
      // A till's question never reaches BigQuery. A version published 59 s after the load waits
      // out the minute (the 2 s DuckDB interval would rebuild at once), then rebuilds.
      vi.setSystemTime(new Date('2026-11-30T12:00:59Z'));
      versions.publish(1);
      await new Promise((r) => setTimeout(r, 300));
      expect(queries()).toHaveLength(1);
      await vi.waitFor(() => expect(queries()).toHaveLength(2), { timeout: 3_000, interval: 50 });
      expectBigQuerySql(queries(), values());
    } finally {
      index.stop();
      onDuck.stop();
      vi.useRealTimers();
    }
  });

  it('serves POST /pos/validate from memory: 503 before the first load, then answers without a BigQuery job', async () => {
    const index = new ClubMemberIndex(openFakeBigQueryWarehouse(fake), new DataVersions());
    const app = Fastify();
    const key = 'pos-till-key-0123456789abcdef';
    const authenticator = new Authenticator({ config: { apiKeys: [{ kind: 'plain', key, role: 'pos' }], jwt: undefined, accessFile: undefined } });
    await registerPosRoute(app, { clubIndex: index, authenticator, logger: silentLogger() });
    const member = customers.find((c) => c.clubStatus === 'active')!;
    const ask = () => app.inject({ method: 'POST', url: '/pos/validate', headers: { authorization: `Bearer ${key}` }, payload: { document: pretty(member.document) } });
    try {
      expect((await ask()).statusCode).toBe(503);
      await index.whenCurrent();
      const loads = queries().length;
      for (let i = 0; i < 20; i++) expect((await ask()).json()).toMatchObject({ documentValid: true, activeMember: true });
      expect(queries()).toHaveLength(loads);
    } finally {
      index.stop();
      await app.close();
    }
  });
});
