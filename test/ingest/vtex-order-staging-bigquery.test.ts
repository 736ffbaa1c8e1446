import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeEach, describe, expect, it } from 'vitest';
import { bronzeRelation } from '../../src/ingest/bronze/bronze-store.js';
import { VTEX_ORDER_SHAPE, type JsonShape } from '../../src/ingest/sources/vtex-orders/vtex-order-shape.js';
import { stageVtexOrders, stageVtexOrdersInSession, type VtexOrderStageContext } from '../../src/ingest/sources/vtex-orders/vtex-order-staging.js';
import { generateOrders } from '../../src/sandbox/vtex/index.js';
import { BigQueryWarehouse } from '../../src/warehouse/bigquery/bigquery-warehouse.js';
import { expectBigQuerySql, expectOneTransaction, goldenText, paramsOf } from '../fixtures/bigquery-sql-checks.js';
import { FAKE_TOKEN, wireRow, type FakeBigQuery, type RecordedJob } from '../fixtures/fake-bigquery.js';
import { fakeBigQueryPerFile } from '../fixtures/fake-bigquery-per-file.js';
import { bigQueryOnDuckDb, installBigQueryJsonSubset } from '../fixtures/bigquery-json-subset-on-duckdb.js';
import { tempWarehouse } from '../fixtures/temp-warehouse.js';
import { mapVtexOrder } from '../fixtures/vtex-order-reference-mapper.js';
import { sampleVtexOrder } from '../fixtures/vtex-order.js';

/**
 * The VTEX orders staging on BigQuery, against the fake BigQuery REST server: one transaction in
 * the writer session, BigQuery SQL only (no DuckDB spelling, only functions of the shared list a
 * DuckDB-backed emulator runs), values only as typed parameters, a rule of `VTEX_ORDER_SHAPE` per
 * reason. The fake runs no SQL: it answers the identity query and the DML counts with what a real
 * batch (sandbox orders, the sample, a few rejected payloads) would give, so the keys sent back are
 * real ones. `test/golden/vtex-orders-bigquery/staging.sql` holds the statements (rewrite with
 * `UPDATE_GOLDEN=1 npx vitest run test/ingest/vtex-order-staging-bigquery.test.ts`).
 */
const authClient = { getRequestHeaders: async () => new Headers({ authorization: `Bearer ${FAKE_TOKEN}` }) };
const GOLDEN = fileURLToPath(new URL('../golden/vtex-orders-bigquery/staging.sql', import.meta.url));
const CTX: VtexOrderStageContext = { source: 'vtex-orders', runId: 'run-bq-staging', now: '2025-06-01T12:00:00.000Z', dialect: 'bigquery' };

/** The bronze relation as `BigQueryBatchStorage.relationParts` writes it. */
const BRONZE = bronzeRelation([{
  sql: `SELECT seq, record_id, entity, natural_key, payload, received_at FROM bronze.records
       WHERE source = ? AND entity IN (?) AND seq > ? AND seq <= ?`,
  params: ['vtex-orders', 'order', 1000, 1100],
}]);

/** A real batch: sandbox orders, the reference sample and some payloads zod rejects. */
const PAYLOADS: readonly string[] = [
  ...[...generateOrders({ seed: 20250601, count: 40, from: new Date('2025-01-01T00:00:00Z'), to: new Date('2025-05-31T00:00:00Z') })].map((o) => JSON.stringify(o)),
  JSON.stringify(sampleVtexOrder()),
  JSON.stringify(sampleVtexOrder({ orderId: 'corp-1', clientProfileData: { isCorporate: true, corporateDocument: '11.222.333/0001-81', email: 'a@ct.vtex.com.br' } })),
  JSON.stringify(sampleVtexOrder({ orderId: 'bad-value', value: 10.5 })),
  'not json {',
];

type Json = Record<string, unknown>;
const parsed = PAYLOADS.map((p) => { try { return JSON.parse(p) as Json; } catch { return undefined; } });
const valid = parsed.filter((p): p is Json => p !== undefined && mapVtexOrder(p, 'r', CTX.now).ok);
const ORDER_IDS = valid.map((o) => String(o.orderId));

/** The batch's distinct identity inputs as BigQuery's `TO_JSON_STRING(STRUCT(…))` would give them. */
const IDENTITIES: readonly string[] = [...new Set(valid.map((o) => {
  const c = (o.clientProfileData ?? {}) as Json;
  const email = typeof c.email === 'string' && /(@|\.)ct\.vtex\.com\.br$/i.test(c.email) ? null : (c.email ?? null);
  return JSON.stringify({
    id_document: c.document ?? null, id_corporate_document: c.isCorporate === true ? (c.corporateDocument ?? null) : null,
    id_email: email, id_phone: c.phone ?? null, id_profile: c.userProfileId ?? null,
  });
}))];
const ITEM_COUNT = valid.reduce((n, o) => n + (o.items as unknown[]).length, 0);
/** Values of the batch: none may appear in a statement's text. */
const VALUES = [...ORDER_IDS.slice(0, 5), 'corp-1', '11.222.333/0001-81', 'run-bq-staging', '2025-06-01T12:00:00'];

let fake: FakeBigQuery;
fakeBigQueryPerFile((f) => (fake = f));
beforeEach(() => {
  fake.answer((sql) => {
    if (sql.startsWith('SELECT identity FROM _SESSION.stage_identity_inputs')) {
      return { schema: [{ name: 'identity', type: 'STRING' }], rows: IDENTITIES.map((i) => wireRow([i])) };
    }
    if (/^INSERT INTO _SESSION\.stage_orders\b/.test(sql)) return { numDmlAffectedRows: valid.length };
    if (/^INSERT INTO _SESSION\.stage_order_items\b/.test(sql)) return { numDmlAffectedRows: ITEM_COUNT };
    if (/^INSERT INTO _SESSION\.stage_quarantine\b/.test(sql)) return { numDmlAffectedRows: PAYLOADS.length - valid.length };
    return undefined;
  });
});

function open(): BigQueryWarehouse {
  return new BigQueryWarehouse({ projectId: 'farol-test', dataset: 'analytics', location: 'southamerica-east1', apiEndpoint: fake.url, authClient, pollMs: 1 });
}
const queries = () => fake.jobs.filter((j) => j.kind === 'query');

async function stageInSession(): Promise<{ result: Awaited<ReturnType<typeof stageVtexOrders>>; statements: RecordedJob[] }> {
  const result = await open().writerSession((session) => stageVtexOrdersInSession(session, BRONZE, CTX));
  return { result, statements: expectOneTransaction(queries()) };
}

/**
 * Functions the shared BigQuery list allows (src/warehouse/bigquery/CONTEXT.md, the porting
 * rules), plus SQL words that take a parenthesis; anything else called in a statement fails.
 */
const ALLOWED_CALLS = new Set([
  'SAFE.PARSE_JSON', 'PARSE_JSON', 'JSON_VALUE', 'JSON_QUERY', 'JSON_QUERY_ARRAY', 'JSON_VALUE_ARRAY', 'JSON_TYPE', 'TO_JSON_STRING',
  'SAFE_CAST', 'CAST', 'GENERATE_UUID', 'REGEXP_CONTAINS', 'REGEXP_EXTRACT', 'REGEXP_REPLACE', 'SPLIT', 'ARRAY_TO_STRING', 'ARRAY_LENGTH',
  'UNNEST', 'ARRAY', 'ARRAY_AGG', 'STRING_AGG', 'TO_HEX', 'MD5', 'COUNTIF', 'LOGICAL_OR', 'LOGICAL_AND', 'IF', 'IFNULL', 'COALESCE',
  'NULLIF', 'DATE', 'DATETIME', 'TIMESTAMP', 'DATE_DIFF', 'TIMESTAMP_DIFF', 'DATE_ADD', 'DATE_SUB', 'TIMESTAMP_ADD', 'TIMESTAMP_SUB',
  'DATE_TRUNC', 'TIMESTAMP_TRUNC', 'FORMAT_DATE', 'FORMAT_TIMESTAMP', 'PARSE_DATE', 'PARSE_TIMESTAMP', 'SAFE.PARSE_TIMESTAMP', 'EXTRACT',
  'STARTS_WITH', 'ENDS_WITH', 'TRIM', 'LTRIM', 'RTRIM', 'LOWER', 'UPPER', 'SUBSTR', 'LENGTH', 'CONCAT', 'STRUCT', 'SUM', 'COUNT',
  'ROW_NUMBER', 'OVER',
  // SQL words, not functions
  'AS', 'IN', 'AND', 'OR', 'NOT', 'EXISTS', 'FROM', 'SELECT', 'WHERE', 'THEN', 'ELSE', 'WITH', 'ON', 'INTO', 'BETWEEN', 'IS', 'NULL', 'BY',
]);
/** DuckDB spellings the shared checks do not list, which this staging's DuckDB form uses. */
const DUCKDB_JSON_AND_LISTS = /\b(json_transform|json_extract_string|json_extract|json_valid|list_\w+|lambda|TRY_CAST|TRY|regexp_matches|regexp_full_match|generate_subscripts|contains|left|trunc|abs|EXCLUDE)\s*\(|\[\d+\]\.|\bDECIMAL\b/i;

/** The SQL without its literals and comments, and with no table's column list. */
function codeOf(sql: string): string {
  return sql.replace(/r?'(?:[^'\\]|\\.)*'/g, "''").replace(/--[^\n]*/g, '')
    // a table's column list is no call
    .replace(/\b(TABLE(?: IF NOT EXISTS)?|INTO)\s+[\w.`-]+\s*\(/gi, '$1 t ');
}

function callsOf(sql: string): string[] {
  return [...codeOf(sql).matchAll(/\b((?:SAFE\.)?[A-Za-z_][A-Za-z0-9_]*)\s*\(/g)].map((m) => m[1]!.toUpperCase());
}

describe('VTEX orders staging on BigQuery', () => {
  it('stages in one transaction of the writer session, and reports what BigQuery counted', async () => {
    const { result, statements } = await stageInSession();
    expect(result).toEqual({ staged: valid.length, items: ITEM_COUNT, quarantined: 2, identities: IDENTITIES.length });
    const heads = statements.map((j) => j.sql!.trim().split('\n')[0]!.replace(/`farol-test\.analytics\.(\w+)`/g, '$1'));
    expect(heads).toEqual([
      expect.stringMatching(/^CREATE TEMP TABLE IF NOT EXISTS stage_orders AS/),
      'CREATE TEMP TABLE vtex_order_parsed AS',
      'CREATE TEMP TABLE vtex_order_stage_batch AS',
      'DROP TABLE _SESSION.vtex_order_parsed',
      'CREATE OR REPLACE TEMP TABLE stage_identity_inputs AS',
      'SELECT identity FROM _SESSION.stage_identity_inputs ORDER BY n',
      'INSERT INTO _SESSION.stage_order_items',
      'CREATE OR REPLACE TEMP TABLE stage_customer_keys (identity STRING, customer_key STRING)',
      'INSERT INTO _SESSION.stage_customer_keys (identity, customer_key)',
      'DROP TABLE _SESSION.stage_identity_inputs',
      'INSERT INTO _SESSION.stage_orders',
      'INSERT INTO _SESSION.stage_quarantine (quarantine_id, source, entity, natural_key, reason, payload, bronze_record_id, quarantined_at, run_id)',
      'DROP TABLE _SESSION.vtex_order_stage_batch',
      'DROP TABLE _SESSION.stage_customer_keys',
    ]);
  });

  it('sends BigQuery SQL only, values as typed parameters, and calls only functions of the shared list', async () => {
    const { statements } = await stageInSession();
    expectBigQuerySql(queries(), VALUES);
    for (const job of statements) {
      expect(codeOf(job.sql!).match(DUCKDB_JSON_AND_LISTS)?.[0], job.sql!.slice(0, 200)).toBeUndefined();
      expect(callsOf(job.sql!).filter((c) => !ALLOWED_CALLS.has(c)), job.sql!.slice(0, 200)).toEqual([]);
    }
    const parse = statements[1]!;
    expect(parse.sql).toContain("SAFE.PARSE_JSON(b.payload, wide_number_mode => 'round') AS j FROM (SELECT seq, record_id, entity, natural_key, payload, received_at FROM `farol-test.analytics.bronze_records`");
    expect(paramsOf(parse).map((p) => `${p.parameterType.type} ${String(p.parameterValue.value)}`)).toEqual(['STRING vtex-orders', 'STRING order', 'INT64 1000', 'INT64 1100']);
    // The payload is parsed once: every later statement reads the parsed JSON, never the text.
    expect(statements.filter((j) => j.sql!.includes('PARSE_JSON'))).toEqual([parse]);
    const quarantine = statements[11]!;
    expect(quarantine.sql).toContain('SELECT GENERATE_UUID(), ?, \'order\', natural_key, reason, rejected_payload, record_id, ?, ?');
    const typed = (job: RecordedJob) => paramsOf(job).map((p) => `${p.parameterType.type} ${String(p.parameterValue.value)}`);
    expect(typed(quarantine)).toEqual(['STRING vtex-orders', expect.stringMatching(/^TIMESTAMP 2025-06-01[T ]12:00:00/), 'STRING run-bq-staging']);
    expect(typed(statements[10]!)).toEqual(['STRING vtex-orders', expect.stringMatching(/^TIMESTAMP 2025-06-01[T ]12:00:00/)]);
  });

  it('sends each distinct shopper\'s key back by position, as resolveCustomerKey decides it', async () => {
    const { statements } = await stageInSession();
    const keys = statements.find((j) => j.sql!.startsWith('INSERT INTO _SESSION.stage_customer_keys'))!;
    const [json, first] = paramsOf(keys).map((p) => p.parameterValue.value);
    expect(String(first)).toBe('1');
    const sent = JSON.parse(String(json)) as (string | null)[];
    expect(sent).toHaveLength(IDENTITIES.length);
    // Each order's key, as the reference mapper resolves it, is the key sent for its inputs.
    const keyOf = new Map(IDENTITIES.map((id, n) => [id, sent[n]]));
    for (const o of valid) {
      const mapped = mapVtexOrder(o, 'r', CTX.now);
      if (!mapped.ok) throw new Error('valid order not mapped');
      const c = (o.clientProfileData ?? {}) as Json;
      const email = typeof c.email === 'string' && /(@|\.)ct\.vtex\.com\.br$/i.test(c.email) ? null : (c.email ?? null);
      const id = JSON.stringify({ id_document: c.document ?? null, id_corporate_document: c.isCorporate === true ? (c.corporateDocument ?? null) : null, id_email: email, id_phone: c.phone ?? null, id_profile: c.userProfileId ?? null });
      expect(keyOf.get(id) ?? null).toBe(mapped.value.order[22]);
    }
    expect(sent).toContain('cnpj:11222333000181');
    expect(statements.find((j) => j.sql!.startsWith('INSERT INTO _SESSION.stage_orders'))!.sql).toContain(
      'LEFT JOIN _SESSION.stage_customer_keys k ON k.identity = TO_JSON_STRING(STRUCT(b.id_document AS id_document, b.id_corporate_document AS id_corporate_document, b.id_email AS id_email, b.id_phone AS id_phone, b.id_profile AS id_profile))',
    );
  });

  it('stageVtexOrders runs the same statements in the caller\'s transaction', async () => {
    await open().transaction((tx) => stageVtexOrders(tx, BRONZE, CTX));
    const inTx = expectOneTransaction(queries()).map((j) => j.sql);
    fake.jobs.length = 0;
    const { statements } = await stageInSession();
    expect(inTx).toEqual(statements.map((j) => j.sql));
  });

  it('names a reason for every rule of VTEX_ORDER_SHAPE, by field path', async () => {
    const { statements } = await stageInSession();
    const batch = statements[2]!.sql!;
    const rules = rulesOf(VTEX_ORDER_SHAPE);
    expect(rules.length).toBeGreaterThan(60);
    const missing = rules.filter((r) => !batch.includes(r));
    expect(missing).toEqual([]);
    for (const root of ["'(root): expected object, received nothing'", "'(root): not valid JSON'", "'(root): expected object, received ' || JSON_TYPE(j)"]) expect(batch).toContain(root);
    for (const storage of ['creationDate: expected a valid instant', 'lastChange: expected a valid instant', 'totals: a sum does not fit DECIMAL(18,2)', '.quantity: expected a 32-bit integer', 'installments: expected a 32-bit integer']) {
      expect(batch).toContain(storage);
    }
  });

  it('sends exactly the statements in its golden file', async () => {
    await stageInSession();
    const text = goldenText(queries());
    if (process.env.UPDATE_GOLDEN === '1') {
      fs.mkdirSync(new URL('../golden/vtex-orders-bigquery/', import.meta.url), { recursive: true });
      fs.writeFileSync(GOLDEN, text);
    }
    expect(text, 'review, then UPDATE_GOLDEN=1 npx vitest run test/ingest/vtex-order-staging-bigquery.test.ts').toBe(fs.readFileSync(GOLDEN, 'utf8'));
  });
});

/**
 * The reason text each rule of a shape must produce, as SQL: the path (array offsets as
 * `CAST(oN AS STRING)`, N the array's depth) and what is expected. Written from the shape alone,
 * so a rule the generator skipped is missing from the statement.
 */
function rulesOf(shape: JsonShape, path: readonly (string | number)[] = [], depth = 0): string[] {
  const here = (expected: string) => `${pathSql(path)}: expected ${expected}, received '`;
  switch (shape.kind) {
    case 'object':
      return [...(path.length ? [here('object')] : []), ...Object.entries(shape.fields).flatMap(([k, f]) => rulesOf(f, [...path, k], depth))];
    case 'array':
      return [here('array'), ...rulesOf(shape.element, [...path, depth + 1], depth + 1)];
    case 'string':
      return [here(shape.pattern ? shape.pattern.message.replace(/^expected /, '') : shape.minLength ? 'non-empty string' : 'string')];
    case 'integer':
      return [here(shape.minimum === undefined ? 'integer' : `integer ≥ ${shape.minimum}`)];
    case 'boolean':
      return [here('boolean')];
  }
}

/** `'items.' || CAST(o1 AS STRING) || '.quantity` (an open literal: the message follows). */
function pathSql(path: readonly (string | number)[]): string {
  let out = "'";
  path.forEach((p, n) => {
    if (n > 0) out += '.';
    out += typeof p === 'number' ? `' || CAST(o${p} AS STRING) || '` : p;
  });
  return out;
}

// ---- the same SQL's logic, on DuckDB ---------------------------------------------------------------

const sample = sampleVtexOrder();
const sampleClient = sample.clientProfileData as Json;
const sampleItems = sample.items as Json[];
const firstItem = sampleItems[0] as Json;
const order = (overrides: Json) => JSON.stringify(sampleVtexOrder(overrides));
const withFirstItem = (patch: Json) => order({ items: [{ ...firstItem, ...patch }, sampleItems[1]] });
const withClient = (patch: Json) => order({ clientProfileData: { ...sampleClient, ...patch } });
const withPayment = (payment: unknown) => order({ paymentData: { transactions: [{ payments: [payment] }] } });
const without = (key: string) => {
  const o = sampleVtexOrder();
  delete o[key];
  return JSON.stringify(o);
};

/** Mapping edge cases and schema violations (as in vtex-order-staging.test.ts), each rule's reason included. */
const CASES: readonly string[] = [
  order({ orderId: 'canceled-with-date', status: 'canceled', cancellationData: { CancellationDate: '2025-03-16T10:00:00.9999999-03:00', Reason: 'x' } }),
  order({ orderId: 'canceled-without-data', status: 'canceled', cancellationData: null }),
  order({ orderId: 'canceled-null-date', status: 'canceled', cancellationData: { CancellationDate: null } }),
  order({ orderId: 'offsets', creationDate: '2025-03-14T23:59:59-0300', lastChange: '2025-03-15T09:10:44Z', authorizedDate: null, invoicedDate: '2025-03-15T09:10:40.5+05:30' }),
  order({ orderId: 'blank-texts', sequence: '', orderGroup: '   ', origin: ' Marketplace ', affiliateId: '\ufeffAF\u2003', hostname: '\u00a0loja\t', storePreferencesData: { currencyCode: ' ' } }),
  order({ orderId: 'inner-spaces', sequence: 'a\u00a0b', orderGroup: '\u200bzero-width\u200b', origin: 'José', hostname: '\u3000' }),
  order({ orderId: 'no-optional-objects', sellers: null, clientProfileData: null, shippingData: null, paymentData: null, marketingData: null, storePreferencesData: null, cancellationData: null }),
  order({ orderId: 'empty-lists', items: [], totals: [], sellers: [], paymentData: { transactions: [] } }),
  order({ orderId: 'empty-payments', paymentData: { transactions: [{ payments: null }, { payments: [{ group: 'pix' }] }] } }),
  order({ orderId: 'second-seller', sellers: [{ id: ' 2 ', name: null }, { id: '1', name: 'Loja Online' }] }),
  order({ orderId: 'repeated-totals', totals: [{ id: 'Items', value: 100 }, { id: 'Items', value: 250 }, { id: 'Discounts', value: -1 }, { id: 'items', value: 7 }], value: -350 }),
  order({ orderId: 'big-money', value: 9007199254740985, totals: [{ id: 'Items', value: Number.MAX_SAFE_INTEGER }, { id: 'Tax', value: -9007199254740985 }] }),
  order({ orderId: 'item-nulls', items: [{ id: ' 7 ', quantity: 0, price: 0, sellingPrice: -5, listPrice: null, costPrice: null, isGift: null, additionalInfo: null, productId: '', ean: null }] }),
  order({ orderId: 'gift', items: [{ ...firstItem, isGift: true, additionalInfo: { brandName: ' Marca ', categoriesIds: '' } }] }),
  order({ orderId: 'escapes', hostname: 'a\\b"c\nd\u0001', items: [{ ...firstItem, name: 'Tab\there "quoted" \\ slash/' }] }),
  withClient({ email: 'Ana.Souza@Example.com ', document: '', phone: '(11) 98765-4321', userProfileId: 'P1' }),
  withClient({ email: 'alias@CT.VTEX.COM.BR', document: null, phone: null, userProfileId: '  ABC-Profile ' }),
  withClient({ isCorporate: true, corporateDocument: '11.222.333/0001-81', document: '52998224725' }),
  withClient({ isCorporate: false, corporateDocument: '11.222.333/0001-81', document: '529.982.247-25' }),
  withClient({ isCorporate: null, email: null, document: null, phone: '+1 415 555 0100', userProfileId: null }),
  withPayment({ group: ' creditCard ', paymentSystemName: '', installments: null }),
  without('orderId'), order({ orderId: '' }), order({ orderId: 1412730598321 }), order({ value: '25980' }), order({ value: 10.5 }),
  order({}).replace('"value":25980', '"value":25980.0'), order({}).replace('"value":25980', '"value":2.598e4'),
  order({}).replace('"value":25980', '"value":9007199254740993'), order({ value: null }),
  withFirstItem({ quantity: -1 }), withFirstItem({ quantity: '2' }), withFirstItem({ quantity: 1.5 }), withFirstItem({}).replace('"quantity":1', '"quantity":-0'),
  order({ items: [firstItem, { ...sampleItems[1], id: undefined }] }), order({ items: [firstItem, null] }), order({ items: ['2031'] }),
  withFirstItem({ isGift: 'false' }), withFirstItem({ listPrice: null }), withFirstItem({ costPrice: undefined }), withFirstItem({ additionalInfo: 7 }),
  withFirstItem({ additionalInfo: {} }), withFirstItem({ additionalInfo: { brandId: 2000005 } }),
  order({ creationDate: '14/03/2025 13:22' }), order({ creationDate: '2025-03-14T13:22:05' }), order({ creationDate: '2025-03-14T13:22:05.12345678Z' }),
  order({ authorizedDate: '' }), order({ cancellationData: { CancellationDate: 1 } }), order({ items: { 0: firstItem } }), without('items'), without('totals'),
  order({ totals: [{ id: 'Items', value: 1 }, { value: 2 }] }), order({ totals: [{ id: '', value: 2 }] }), order({ sellers: { id: '1' } }),
  order({ clientProfileData: 'Mariana' }), order({ clientProfileData: {} }), withClient({ isCorporate: 'false' }), order({ shippingData: [] }),
  order({ shippingData: { address: 'Rua X' } }), order({ paymentData: { transactions: {} } }), withPayment(3), withPayment({ installments: 1.5 }),
  order({ sequence: 648213 }), order({ status: '' }), order({ creationDate: '2025-03-14T13:22:05.1234567Z', lastChange: '2025-03-14T13:22:05.1234567Z' }),
  order({ giftRegistryData: { id: 1 }, newField: [1, 'x', null], items: [{ ...firstItem, brandNew: { deep: true } }] }),
  order({ orderId: 'month-13', creationDate: '2025-13-14T13:22:05Z' }), withFirstItem({ quantity: 3_000_000_000 }), withPayment({ installments: 2 ** 40 }),
  order({ orderId: 'sum-overflow', totals: [{ id: 'Items', value: Number.MAX_SAFE_INTEGER }, { id: 'Items', value: Number.MAX_SAFE_INTEGER }] }),
  order({ orderId: `'; DROP TABLE silver.orders; --`, hostname: 'loja-🛒', clientProfileData: { ...sampleClient, lastName: `O'Brien "Zé" \\ 😀` } }),
  '{}', '{"orderId": "1412730598321-01", ', '', 'null', JSON.stringify([sample]), '"1412730598321-01"', ' \n{"orderId": 1}\t',
];

/** Both stagings' output, as text: staged orders, items and the quarantine's key and reason. */
async function stagedOnDuckDb(payloads: readonly string[], dialect: 'duckdb' | 'bigquery') {
  const { warehouse, cleanup } = await tempWarehouse();
  try {
    return await warehouse.transaction(async (tx) => {
      await tx.execute('CREATE TABLE test_bronze (seq BIGINT, record_id VARCHAR, natural_key VARCHAR, payload VARCHAR, received_at TIMESTAMPTZ)');
      await tx.append({ schema: 'main', table: 'test_bronze' }, ['seq', 'record_id', 'natural_key', 'payload', 'received_at'],
        payloads.map((p, i) => [1000 + i, `rec-${String(i).padStart(5, '0')}`, `key-${i}`, p, CTX.now]));
      const bronze = bronzeRelation([{ sql: 'SELECT seq, record_id, natural_key, payload, received_at FROM test_bronze WHERE seq >= ?', params: [0] }]);
      const ctx = { ...CTX, dialect };
      if (dialect === 'bigquery') await installBigQueryJsonSubset(tx);
      const ex = dialect === 'bigquery' ? bigQueryOnDuckDb(tx) : tx;
      const result = await stageVtexOrders(ex, bronze, ctx);
      // A second staging in the same transaction: its working tables are its own.
      const again = await stageVtexOrders(ex, bronze, ctx);
      return {
        result,
        stagedTwice: [again, (await tx.query('SELECT count(*) AS n FROM temp.stage_orders'))[0]],
        orders: await tx.query('SELECT COLUMNS(*)::VARCHAR FROM temp.stage_orders ORDER BY bronze_seq'),
        items: await tx.query('SELECT COLUMNS(*)::VARCHAR FROM temp.stage_order_items ORDER BY bronze_record_id, item_index'),
        quarantine: await tx.query('SELECT bronze_record_id, natural_key, reason, payload, run_id, CAST(quarantined_at AS VARCHAR) AS at FROM temp.stage_quarantine ORDER BY bronze_record_id'),
      };
    });
  } finally {
    await cleanup();
  }
}

describe('the BigQuery staging SQL, run on DuckDB through a rewrite of its JSON functions', () => {
  it('stages, maps and quarantines (with the same reasons) exactly as the DuckDB staging does', async () => {
    const sandbox = [...generateOrders({ seed: 7, count: 40, from: new Date('2024-01-01T00:00:00Z'), to: new Date('2025-05-31T00:00:00Z') })].map((o) => JSON.stringify(o));
    const payloads = [...sandbox, JSON.stringify(sample), ...CASES];
    const duck = await stagedOnDuckDb(payloads, 'duckdb');
    const bq = await stagedOnDuckDb(payloads, 'bigquery');
    expect(bq.quarantine).toEqual(duck.quarantine);
    expect(bq.orders).toEqual(duck.orders);
    expect(bq.items).toEqual(duck.items);
    expect(bq.result).toEqual(duck.result);
    expect(bq.stagedTwice).toEqual(duck.stagedTwice);
    // Not vacuous: most rules fired, and the rest staged.
    expect(duck.quarantine.length).toBeGreaterThanOrEqual(45);
    expect(duck.result.staged).toBeGreaterThan(60);
    expect(duck.result.identities).toBeGreaterThan(40);
  });
});
