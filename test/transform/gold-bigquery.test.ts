import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GOLD_DERIVED_TABLES } from '../../src/transform/gold/gold-ddl.js';
import { GOLD_SEED_BIGQUERY_SQL } from '../../src/transform/gold/gold-seed.js';
import type { GoldRefreshOptions } from '../../src/transform/gold/refresh-order-gold.js';
import { SILVER_ENTITIES, type SilverEntityName } from '../../src/transform/silver-entity.js';
import { ensureSilverStaging } from '../../src/transform/silver/silver-ddl.js';
import { BigQueryWarehouse } from '../../src/warehouse/bigquery/bigquery-warehouse.js';
import { expectBigQuerySql, expectOneTransaction, goldenText } from '../fixtures/bigquery-sql-checks.js';
import { bigQueryTextOnDuckDb, duckDbSpeakingBigQuery } from '../fixtures/bigquery-text-on-duckdb.js';
import {
  applyClubMembers, applyMasterData, applyOrders, BUSINESS_TZ, openC360Warehouse, tableRows, type C360Warehouse,
} from '../fixtures/customer-360-fixtures.js';
import { CLUB, loadPeople, MASTER_DATA, ORDERS } from '../fixtures/customer-360-people.js';
import { FAKE_TOKEN, wireRow, type FakeBigQuery, type QueryAnswer } from '../fixtures/fake-bigquery.js';
import { fakeBigQueryPerFile } from '../fixtures/fake-bigquery-per-file.js';
import { tempWarehouse } from '../fixtures/temp-warehouse.js';

/**
 * Gold on BigQuery: every entity's gold refresh (order facts and dimensions, catalog products,
 * store targets, customer contacts, customer identity and customer 360) as BigQuery receives it
 * from the adapter, against the fake BigQuery REST server: one transaction, no DuckDB-only SQL,
 * the time zone a typed parameter. `test/golden/gold-bigquery/*.sql` hold the statements of each
 * path (rewrite with `UPDATE_GOLDEN=1 npx vitest run test/transform/gold-bigquery.test.ts`).
 * The BigQuery statements are then run on DuckDB (through the fixed rewrites of
 * `bigquery-text-on-duckdb.ts`) and must leave the gold the DuckDB statements leave.
 */
const authClient = { getRequestHeaders: async () => new Headers({ authorization: `Bearer ${FAKE_TOKEN}` }) };
const GOLD: GoldRefreshOptions = { timezone: BUSINESS_TZ, now: () => new Date('2025-06-30T15:00:00Z'), channelNames: { 'sc:2': 'Aplicativo' } };
/** Values the refresh sends; none may appear in SQL text. */
const VALUES = [BUSINESS_TZ, 'Aplicativo', 'Mercado Livre', 'mkt:MLB'];
const golden = (name: string) => fileURLToPath(new URL(`../golden/gold-bigquery/${name}.sql`, import.meta.url));

let fake: FakeBigQuery;
fakeBigQueryPerFile((f) => (fake = f));

/** How the fake answers the refresh's reads: which branch of customer 360 it takes. */
interface World {
  readonly identityStored: boolean;
  readonly linksChanged: boolean;
  readonly staleDay: boolean;
}
function answerAs(world: World): void {
  const rows = (name: string, type: string, values: readonly unknown[][]): QueryAnswer => ({ schema: [{ name, type }], rows: values.map((v) => wireRow(v)) });
  fake.answer((sql) => {
    if (sql.includes('SELECT DISTINCT o.sales_channel')) {
      return { schema: [{ name: 'sales_channel', type: 'STRING' }, { name: 'affiliate_id', type: 'STRING' }], rows: [wireRow(['1', null]), wireRow(['2', null]), wireRow(['1', 'MLB'])] };
    }
    if (sql.includes('FROM (SELECT 1 FROM')) return rows('n', 'INT64', [[1]]);
    if (sql.includes('AS stale FROM')) return rows('stale', 'INT64', world.staleDay ? [[1]] : []);
    if (/^SELECT 1 AS one FROM `[^`]+gold_customer_identity` LIMIT 1$/.test(sql)) return rows('one', 'INT64', world.identityStored ? [[1]] : []);
    if (/^SELECT 1 AS one FROM `[^`]+gold_customer_identity_links` LIMIT 1$/.test(sql)) return rows('one', 'INT64', [[1]]);
    if (sql.includes('AS differences LIMIT 1')) return rows('one', 'INT64', world.linksChanged ? [[1]] : []);
    if (sql.includes('AS changed, (SELECT count(*)')) {
      return { schema: [{ name: 'changed', type: 'INT64' }, { name: 'stored', type: 'INT64' }], rows: [wireRow([2, 100])] };
    }
    if (sql.startsWith('SELECT count(*) AS n FROM _SESSION.c360_reach_')) return rows('n', 'INT64', [[sql.endsWith('_0') ? 3 : 5]]);
    return undefined;
  });
}

function open(): BigQueryWarehouse {
  return new BigQueryWarehouse({ projectId: 'farol-test', dataset: 'analytics', location: 'southamerica-east1', apiEndpoint: fake.url, authClient, pollMs: 1 });
}

/** One entity's gold refresh in a transaction of its own; its statements, BEGIN and COMMIT taken off. */
async function refreshGold(entities: readonly SilverEntityName[]): Promise<string> {
  const wh = open();
  await wh.transaction(async (tx) => {
    for (const e of entities) await SILVER_ENTITIES[e].refreshGold(tx, GOLD, wh.dialect);
  });
  const jobs = fake.jobs.filter((j) => j.kind === 'query');
  const inside = expectOneTransaction(jobs);
  expectBigQuerySql(inside, VALUES);
  return goldenText(inside);
}

function expectGolden(name: string, text: string): void {
  if (process.env.UPDATE_GOLDEN === '1') fs.writeFileSync(golden(name), text);
  expect(text, `review, then UPDATE_GOLDEN=1 npx vitest run test/transform/gold-bigquery.test.ts`).toBe(fs.readFileSync(golden(name), 'utf8'));
}

describe('order gold on BigQuery', () => {
  it('the first refresh: dimensions by MERGE, facts replaced, identity and customer 360 built whole', async () => {
    answerAs({ identityStored: false, linksChanged: true, staleDay: false });
    const text = await refreshGold(['orders']);
    for (const t of ['dim_channel', 'dim_store', 'dim_product', 'dim_customer']) expect(text).toMatch(new RegExp(`MERGE INTO \`[^\`]+gold_${t}\` AS t`));
    expect(text).toContain('DATE(o.created_at, ?)');
    expect(text).toContain('-- transaction (in the session); params: ["STRING \\"America/Sao_Paulo\\""]');
    expect(text).toContain("MERGE INTO `farol-test.analytics.gold_dim_channel` AS t\n  USING (SELECT CAST(? AS STRING) AS channel_key");
    expect(text).toContain('["STRING \\"sc:1\\"","STRING \\"Loja online\\"","STRING \\"site\\"","STRING \\"1\\"","STRING null",'
      + '"STRING \\"sc:2\\"","STRING \\"Aplicativo\\"","STRING \\"site\\"","STRING \\"2\\"","STRING null",'
      + '"STRING \\"mkt:MLB\\"","STRING \\"Mercado Livre\\"","STRING \\"marketplace\\"","STRING \\"1\\"","STRING \\"MLB\\""]');
    expect(text).toContain('CROSS JOIN UNNEST([');
    expect(text).toContain('CREATE OR REPLACE TEMP TABLE c360_p_r3 AS');
    expect(text).toMatch(/DELETE FROM `[^`]+gold_customer_360` WHERE true/);
    expect(text).not.toMatch(/\bUNION (?!ALL|DISTINCT)/);
    expectGolden('orders-first-refresh', text);
  });

  it('a later refresh: the day rolls, changed links resolve the records around them, only touched customers are rewritten', async () => {
    answerAs({ identityStored: true, linksChanged: true, staleDay: true });
    const text = await refreshGold(['orders']);
    expect(text).toMatch(/UPDATE `[^`]+gold_customer_360` c\n\s+SET refreshed_on = DATE '2025-06-30', days_since_last_order = DATE_DIFF\(DATE '2025-06-30', c\.last_order_date, DAY\)/);
    expect(text).toContain('COUNTIF(f.order_date > DATE_SUB(DATE \'2025-06-30\', INTERVAL 365 DAY))');
    expect(text).toContain('CREATE OR REPLACE TEMP TABLE c360_reach_1 AS');
    expect(text).toContain('CREATE OR REPLACE TEMP TABLE c360_reach_2 AS');
    expect(text).not.toContain('c360_reach_3 AS');
    expect(text).toMatch(/DELETE FROM `[^`]+gold_customer_identity` AS ci WHERE EXISTS/);
    expectGolden('orders-incremental', text);
  });
});

describe('catalog, store targets, customers and club gold on BigQuery', () => {
  it('products and store targets are one MERGE or EXISTS text, the same DuckDB runs', async () => {
    answerAs({ identityStored: true, linksChanged: false, staleDay: false });
    const text = await refreshGold(['catalog', 'store_targets']);
    expect(text).toMatch(/MERGE INTO `[^`]+gold_dim_product` AS t/);
    expect(text).toMatch(/DELETE FROM `[^`]+gold_fct_store_targets` AS f\n\s+WHERE EXISTS/);
    expectGolden('catalog-store-targets', text);
  });

  it('customer documents and club members: contacts, and customer 360 with the links as stored', async () => {
    answerAs({ identityStored: true, linksChanged: false, staleDay: false });
    const text = await refreshGold(['customers', 'club']);
    expect(text).toMatch(/UPDATE `[^`]+gold_dim_customer` d/);
    expect(text).not.toContain('c360_identity_next');
    expectGolden('customers-club', text);
  });
});

/**
 * The BigQuery statements' semantics on a real database: the same people loaded through each
 * dialect's statements (the BigQuery ones run on DuckDB through fixed rewrites), then changed,
 * leave the same gold, table for table.
 */
describe("gold's BigQuery statements, run on DuckDB", () => {
  let dbs: C360Warehouse[] = [];
  beforeEach(() => {
    dbs = [];
  });
  afterEach(async () => {
    for (const db of dbs) await db.cleanup();
  });

  async function goldAfterPeople(speakBigQuery: boolean): Promise<{ tables: Record<string, string[]>; statements: string[] }> {
    const db = await openC360Warehouse();
    dbs.push(db);
    const statements: string[] = [];
    const w = speakBigQuery ? duckDbSpeakingBigQuery(db.warehouse, statements) : db.warehouse;
    await loadPeople(w, GOLD);
    // A later day: a second order of the first person, a document edited, a member gone.
    const later: GoldRefreshOptions = { ...GOLD, now: () => new Date('2025-08-15T12:00:00Z') };
    const first = ORDERS[0]!;
    await applyOrders(w, later, [{ ...first, orderId: `${first.orderId}-2`, createdAt: '2025-08-14T23:30:00Z', total: '10.00' }]);
    await applyMasterData(w, later, [{ ...MASTER_DATA[0]!, firstName: 'Renomeada', changedAt: '2025-08-15T00:00:00Z' }]);
    await applyClubMembers(w, later, [], [CLUB[1]!.memberId]);
    await db.warehouse.writerSession((s) => s.transaction((tx) => ensureSilverStaging(tx)));
    const tables: Record<string, string[]> = {};
    for (const t of GOLD_DERIVED_TABLES) tables[t] = await tableRows(db.warehouse, `gold.${t}`);
    return { tables, statements };
  }

  it('leave the gold the DuckDB statements leave', { timeout: 180_000 }, async () => {
    const duckdb = await goldAfterPeople(false);
    const bigquery = await goldAfterPeople(true);
    expect(bigquery.statements.some((s) => s.includes('c360_p_r3'))).toBe(true);
    expect(bigquery.statements.some((s) => s.includes('REGEXP_CONTAINS'))).toBe(true);
    expect(duckdb.tables.customer_360!.length).toBeGreaterThan(2);
    expect(duckdb.tables.fct_orders!.length).toBe(ORDERS.length + 1);
    for (const t of GOLD_DERIVED_TABLES) expect(bigquery.tables[t], t).toEqual(duckdb.tables[t]);
  });
});

describe("gold's seed rows on BigQuery", () => {
  it('are MERGEs of BigQuery SQL, and give the calendar and status list the DuckDB seed gives, once however often they run', async () => {
    await open().execute(GOLD_SEED_BIGQUERY_SQL);
    expectBigQuerySql(fake.jobs.filter((j) => j.kind === 'query'), []);
    expect(GOLD_SEED_BIGQUERY_SQL).not.toMatch(/\b(range|isodow|weekofyear|ON CONFLICT)\b/i);

    const { warehouse, cleanup } = await tempWarehouse();
    try {
      const rows = async () => ({
        dates: await tableRows(warehouse, 'gold.dim_date'),
        statuses: await tableRows(warehouse, 'gold.dim_order_status'),
      });
      const seeded = await rows();
      expect(seeded.dates.length).toBe(9497);
      await warehouse.transaction(async (tx) => {
        await tx.execute('DELETE FROM gold.dim_date WHERE true');
        await tx.execute('DELETE FROM gold.dim_order_status WHERE true');
      });
      for (let run = 0; run < 2; run++) {
        for (const statement of GOLD_SEED_BIGQUERY_SQL.split(/;\n/).filter((x) => x.trim() !== '')) {
          await warehouse.execute(bigQueryTextOnDuckDb(statement));
        }
      }
      expect(await rows()).toEqual(seeded);
    } finally {
      await cleanup();
    }
  });
});
