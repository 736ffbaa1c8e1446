import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bronzeRelation, BRONZE_RELATION_COLUMNS, type BronzeRelation } from '../../src/ingest/bronze/bronze-store.js';
import { stageClubMembers } from '../../src/ingest/sources/club-registry/club-registry-staging.js';
import { stageInOneTransaction, type StageContext, type StageResult } from '../../src/ingest/sources/source-module.js';
import type { SourceKind } from '../../src/ingest/sources/source-kind.js';
import { stageStoreTargets } from '../../src/ingest/sources/store-targets/store-target-staging.js';
import { stageVtexCatalog } from '../../src/ingest/sources/vtex-catalog/vtex-catalog-staging.js';
import { stageVtexCustomers } from '../../src/ingest/sources/vtex-customers/vtex-customer-staging.js';
import { SILVER_ENTITIES, type SilverEntityName } from '../../src/transform/silver-entity.js';
import { heldCatalogDocuments } from '../../src/transform/silver/held-catalog.js';
import { heldOrderChanges } from '../../src/transform/silver/held-orders.js';
import { BigQueryWarehouse } from '../../src/warehouse/bigquery/bigquery-warehouse.js';
import type { SqlExecutor } from '../../src/warehouse/warehouse.js';
import { DUCKDB_ONLY, expectBigQuerySql as expectBigQuerySqlOf, goldenText, PARAM_TYPES, paramsOf, sessionOf, typesOf } from '../fixtures/bigquery-sql-checks.js';
import { FAKE_TOKEN, wireRow, type FakeBigQuery, type QueryAnswer, type RecordedJob } from '../fixtures/fake-bigquery.js';
import { fakeBigQueryPerFile } from '../fixtures/fake-bigquery-per-file.js';

/**
 * The staging and silver merges of every source but VTEX orders (the catalog, the customer base,
 * the club registry, store targets) as BigQuery receives them, against the fake BigQuery REST
 * server: a refresh's two transactions in one writer session (staging, then the merge and the
 * clearing of staging), every statement between BEGIN and COMMIT, BigQuery SQL only (the JSON
 * read with BigQuery's functions, MERGE for the upserts), values only as typed parameters.
 * `test/golden/sources-bigquery/<source>.sql` holds each refresh's statements (rewrite with
 * `UPDATE_GOLDEN=1 npx vitest run test/transform/silver-sources-bigquery.test.ts`). The merges'
 * SQL is one text for both warehouses; its semantics on DuckDB are in silver-sources-merge.test.ts.
 */
const authClient = { getRequestHeaders: async () => new Headers({ authorization: `Bearer ${FAKE_TOKEN}` }) };
const NOW = '2025-03-14T13:00:00.000Z';
const RUN_ID = 'run-5b0e77c1';
const GOLDEN = (source: string) => fileURLToPath(new URL(`../golden/sources-bigquery/${source}.sql`, import.meta.url));
/** An identity tuple the fake hands back to the staging, and a phone number of the batch. */
const IDENTITY = JSON.stringify({ id_document: '390.533.447-05', id_corporate_document: null, id_email: 'Ana@Example.com', id_phone: '(11) 98765-4321', id_profile: null });
const PHONE = '(11) 98765-4321';
/** Values a test passes; none may ever appear in SQL text. */
const VALUES = [NOW, RUN_ID, 'vtex-catalog', 'vtex-customers', 'club-registry', 'store-targets', PHONE, '390.533.447-05', 'Ana@Example.com'];

let fake: FakeBigQuery;
fakeBigQueryPerFile((f) => {
  fake = f;
});

function open(): BigQueryWarehouse {
  return new BigQueryWarehouse({ projectId: 'farol-test', dataset: 'analytics', location: 'southamerica-east1', apiEndpoint: fake.url, authClient, pollMs: 1 });
}

const queries = () => fake.jobs.filter((j) => j.kind === 'query');

/** What the fake answers: counts for the staging's and merges' reads, one identity, one phone. */
function answers(sql: string): QueryAnswer | undefined {
  if (/^\s*SELECT COUNTIF\(reason IS NULL\) AS staged/.test(sql)) {
    return { schema: [{ name: 'staged', type: 'INT64' }, { name: 'quarantined', type: 'INT64' }], rows: [wireRow([3, 1])] };
  }
  if (/^\s*SELECT count\(\*\) AS n FROM/.test(sql)) return { schema: [{ name: 'n', type: 'INT64' }], rows: [wireRow([2])] };
  if (sql.startsWith('SELECT identity FROM')) return { schema: [{ name: 'identity', type: 'STRING' }], rows: [wireRow([IDENTITY])] };
  if (sql.startsWith('SELECT DISTINCT phone FROM')) return { schema: [{ name: 'phone', type: 'STRING' }], rows: [wireRow([PHONE])] };
  if (/^\s*INSERT INTO/.test(sql)) return { numDmlAffectedRows: 3 };
  return undefined;
}

/** Bronze as BigQuery's storage hands it to staging (bigquery-batch-storage.ts). */
function bronze(source: string, entities: readonly string[]): BronzeRelation {
  return bronzeRelation([{
    sql: `SELECT ${BRONZE_RELATION_COLUMNS} FROM bronze.records
       WHERE source = ? AND entity IN (${entities.map(() => '?').join(', ')}) AND seq > ? AND seq <= ?`,
    params: [source, ...entities, 100, 250],
  }]);
}

type Stage = (tx: SqlExecutor, bronze: BronzeRelation, ctx: StageContext) => Promise<StageResult>;
const SOURCES: readonly { source: SourceKind; entity: SilverEntityName; entities: readonly string[]; stage: Stage }[] = [
  { source: 'vtex-catalog', entity: 'catalog', entities: ['sku', 'price'], stage: stageVtexCatalog },
  { source: 'vtex-customers', entity: 'customers', entities: ['customer'], stage: stageVtexCustomers },
  { source: 'club-registry', entity: 'club', entities: ['club_member'], stage: stageClubMembers },
  { source: 'store-targets', entity: 'store_targets', entities: ['store_target'], stage: stageStoreTargets },
];

/** A refresh's staging and merge on BigQuery, as silver-refresh.ts runs them (gold aside). */
async function refresh(s: (typeof SOURCES)[number]): Promise<{ staged: StageResult; merged: number }> {
  const wh = open();
  return wh.writerSession(async (session) => {
    const staged = await stageInOneTransaction(s.stage)(session, bronze(s.source, s.entities), { source: s.source, runId: RUN_ID, now: NOW, dialect: wh.dialect });
    const merged = await session.transaction(async (tx) => {
      const entity = SILVER_ENTITIES[s.entity];
      const n = await entity.merge(tx, wh.dialect);
      await entity.clearStaging(tx);
      return n;
    });
    return { staged, merged };
  });
}

/**
 * The shared checks (bigquery-sql-checks.ts) on the SQL with its string literals blanked: a `"`
 * or a type name inside a literal (a reason's quoted value, a regular expression) is text, not
 * syntax. Values are looked for in the whole text. QUALIFY is checked for the WHERE BigQuery
 * wants beside it rather than refused (the shared list refuses it outright).
 */
const QUALIFY_RULE = /^QUALIFY/;
function expectBigQuerySql(jobs: readonly RecordedJob[]): void {
  expect(jobs.length).toBeGreaterThan(0);
  for (const job of jobs) {
    const sql = (job.sql ?? '').replace(/--[^\n]*/g, '');
    const code = sql.replace(/r?'(?:[^'\\]|\\.)*'/g, "''");
    for (const [re, what] of DUCKDB_ONLY) if (!QUALIFY_RULE.test(what)) expect(re.test(code), `${what} in: ${sql}`).toBe(false);
    // QUALIFY is BigQuery SQL beside a WHERE: every one has a WHERE after the SELECT it closes.
    for (const m of code.matchAll(/\bQUALIFY\b/gi)) {
      const select = code.slice(0, m.index).lastIndexOf('SELECT');
      expect(/\bWHERE\b/i.test(code.slice(select, m.index)), `QUALIFY without a WHERE in: ${sql}`).toBe(true);
    }
    for (const v of VALUES) expect(sql, `value spliced into SQL: ${v}`).not.toContain(v);
    expect(typesOf(job).every((t) => PARAM_TYPES.has(t)), sql).toBe(true);
    expect(code.split('?').length - 1, sql).toBe(paramsOf(job).length);
  }
}

/** Every job of the session: BEGIN … COMMIT twice (staging, then the merge), then the session ended. */
function transactions(jobs: readonly RecordedJob[]): RecordedJob[][] {
  const sqls = jobs.map((j) => j.sql);
  expect(sqls.at(-1)).toBe('CALL BQ.ABORT_SESSION()');
  const session = `session-${jobs[0]!.jobId}`;
  expect(jobs.slice(1).every((j) => sessionOf(j) === session)).toBe(true);
  const out: RecordedJob[][] = [];
  let current: RecordedJob[] | undefined;
  for (const job of jobs.slice(0, -1)) {
    if (job.sql === 'BEGIN TRANSACTION') {
      expect(current, 'BEGIN inside a transaction').toBeUndefined();
      current = [];
    } else if (job.sql === 'COMMIT TRANSACTION') {
      out.push(current!);
      current = undefined;
    } else {
      expect(current, `outside a transaction: ${job.sql}`).toBeDefined();
      current!.push(job);
    }
  }
  expect(current).toBeUndefined();
  return out;
}

describe.each(SOURCES)('$source on BigQuery', (s) => {
  it('stages and merges inside BEGIN … COMMIT, in BigQuery SQL, values as typed parameters', async () => {
    fake.answer(answers);
    const { staged, merged } = await refresh(s);
    expect(merged).toBe(2);
    expect(staged.quarantined).toBeGreaterThanOrEqual(1);
    const [staging, merge] = transactions(queries());
    expect(staging!.length).toBeGreaterThan(2);
    expect(merge!.length).toBeGreaterThan(2);
    expectBigQuerySql(queries());
    const all = queries().map((j) => j.sql!).join('\n');
    expect(all).not.toMatch(/->>|\bjson_type\s*\(\s*p\b|\blist_(transform|filter)\b|\blambda\b|\bTRY_CAST\b|\bjson_valid\b|\bstrptime\b|\bregexp_(matches|full_match)\b|\bjson_extract/);
    // The bronze range and the run's values arrive as parameters.
    const first = staging!.find((j) => j.sql!.includes('bronze_records'))!;
    expect(paramsOf(first).slice(0, 1 + s.entities.length).map((p) => p.parameterValue.value)).toEqual([s.source, ...s.entities]);
    expect(typesOf(first).slice(-2)).toEqual(['INT64', 'INT64']);
    const quarantine = staging!.filter((j) => j.sql!.includes('_SESSION.stage_quarantine'));
    expect(quarantine.length).toBeGreaterThan(0);
    for (const q of quarantine) {
      expect(q.sql).toContain('GENERATE_UUID()');
      expect(paramsOf(q).map((p) => p.parameterValue.value)).toEqual(expect.arrayContaining([s.source, NOW, RUN_ID]));
    }
    // Upserts are MERGEs on the key; staging is emptied with a WHERE.
    expect(merge!.filter((j) => j.sql!.trimStart().startsWith('MERGE INTO')).length).toBeGreaterThan(0);
    expect(merge!.filter((j) => /^DELETE FROM _SESSION\.stage_\w+ WHERE TRUE$/.test(j.sql!)).length).toBeGreaterThan(1);
  });

  it('sends exactly the statements in its golden file', async () => {
    fake.answer(answers);
    await refresh(s);
    const text = goldenText(queries());
    const file = GOLDEN(s.source);
    if (process.env.UPDATE_GOLDEN === '1') fs.writeFileSync(file, text);
    expect(text, `review, then UPDATE_GOLDEN=1 npx vitest run ${fileURLToPath(import.meta.url)}`).toBe(fs.readFileSync(file, 'utf8'));
  });
});

describe('JSON on BigQuery', () => {
  it('parses payloads with SAFE.PARSE_JSON: a payload that is not an object is quarantined, not a failed batch', async () => {
    fake.answer(answers);
    await refresh(SOURCES[1]!);
    const batch = queries().find((j) => j.sql!.startsWith('CREATE OR REPLACE TEMP TABLE vtex_customer_stage_batch'))!.sql!;
    expect(batch).toContain("IFNULL(JSON_TYPE(SAFE.PARSE_JSON(payload, wide_number_mode => 'round')) = 'object', false) AS is_object");
    expect(batch).toContain("IF(is_object, SAFE.PARSE_JSON(payload, wide_number_mode => 'round'), PARSE_JSON('{}')) AS p");
    expect(batch).toContain("WHEN NOT is_object THEN 'payload: expected a JSON object (a Master Data CL document)'");
    // Seven fractional digits are cut to six before the cast, as DuckDB keeps six.
    expect(batch).toContain("SAFE_CAST(REGEXP_REPLACE(COALESCE(JSON_VALUE(p, '$.createdIn')");
  });

  it('sends the customer keys and phones as JSON parameters, resolved by the TypeScript identity rule', async () => {
    fake.answer(answers);
    await refresh(SOURCES[2]!);
    const keys = queries().find((j) => j.sql!.startsWith('INSERT INTO _SESSION.stage_customer_keys'))!;
    expect(paramsOf(keys).map((p) => p.parameterValue.value)).toEqual(['["cpf:39053344705"]', 1]);
    expect(typesOf(keys)).toEqual(['STRING', 'INT64']);
    const phones = queries().find((j) => j.sql!.startsWith('INSERT INTO _SESSION.club_member_stage_phones'))!;
    expect(JSON.parse(paramsOf(phones)[0]!.parameterValue.value as string)).toEqual([{ raw: PHONE, e164: '+5511987654321' }]);
  });
});

describe('what silver holds, asked on BigQuery', () => {
  it('held orders: last_change comes back as an instant and becomes epoch ms; ids are parameters', async () => {
    fake.answer((sql) => (sql.startsWith('SELECT order_id, last_change FROM')
      ? { schema: [{ name: 'order_id', type: 'STRING' }, { name: 'last_change', type: 'TIMESTAMP' }], rows: [wireRow(['1234-01', '1741608000123456'])] }
      : undefined));
    const held = await heldOrderChanges(open(), 'vtex-orders', ['1234-01', '1234-02']);
    expect([...held]).toEqual([['1234-01', Date.parse('2025-03-10T12:00:00.123Z')]]);
    expect(queries().map((j) => j.sql)).toEqual(['SELECT order_id, last_change FROM `farol-test.analytics.silver_orders` WHERE source = ? AND order_id IN (?, ?)']);
    expectBigQuerySqlOf(queries(), ['1234-01', '1234-02', 'vtex-orders']);
  });

  it('held catalog: the hash of each SKU and price document, no reserved word as an alias', async () => {
    fake.answer((sql) => (sql.startsWith('SELECT sku_id,')
      ? { schema: [{ name: 'sku_id', type: 'STRING' }, { name: 'kind', type: 'STRING' }, { name: 'payload_hash', type: 'STRING' }], rows: [wireRow(['7', 'sku', 'h1']), wireRow(['7', 'price', 'h2'])] }
      : undefined));
    const held = await heldCatalogDocuments(open(), 'vtex-catalog', ['7', '8']);
    expect([...held]).toEqual([['7', { sku: 'h1', price: 'h2' }]]);
    expectBigQuerySqlOf(queries(), ['vtex-catalog']);
    expect(DUCKDB_ONLY.some(([re]) => re.test(queries()[0]!.sql!))).toBe(false);
  });
});
