import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { stageVtexOrders, type BronzeRelation, type VtexOrderStageResult } from '../../src/ingest/sources/vtex-orders/vtex-order-staging.js';
import { bronzeRelation } from '../../src/ingest/bronze/bronze-store.js';
import { generateOrders } from '../../src/sandbox/vtex/index.js';
import { mapVtexOrder, SILVER_ORDER_COLUMNS, SILVER_ORDER_ITEM_COLUMNS } from '../fixtures/vtex-order-reference-mapper.js';
import { vtexOrderSchema } from '../../src/transform/silver/vtex/vtex-order-schema.js';
import { STAGE } from '../../src/transform/silver/silver-ddl.js';
import type { DuckDbWarehouse } from '../../src/warehouse/duckdb/duckdb-warehouse.js';
import type { Row, SqlExecutor, SqlValue } from '../../src/warehouse/warehouse.js';
import { tempWarehouse } from '../fixtures/temp-warehouse.js';
import { sampleVtexOrder } from '../fixtures/vtex-order.js';

/**
 * The SQL staging of Get-order payloads against the JavaScript mapper it replaces: `mapVtexOrder`
 * (zod + mapping) is the oracle for both the values and the verdict.
 */

const SOURCE = 'vtex-orders';
const RUN_ID = 'run-staging-test';
const NOW = '2025-06-01T12:00:00.000Z';

type Json = Record<string, unknown>;

interface Landed {
  readonly seq: number;
  readonly recordId: string;
  readonly naturalKey: string;
  readonly payload: string;
}

interface Staged {
  readonly result: VtexOrderStageResult;
  readonly orders: Row[];
  readonly items: Row[];
  readonly quarantine: Row[];
}

/**
 * Staged and expected rows are compared as the warehouse prints them: reading DECIMAL as a
 * JavaScript number or TIMESTAMPTZ as a Date would hide a wrong cent or microsecond.
 */
const AS_TEXT = 'COLUMNS(*)::VARCHAR';

let warehouse: DuckDbWarehouse;
let dir: string;
let cleanup: () => Promise<void>;

beforeEach(async () => {
  ({ warehouse, dir, cleanup } = await tempWarehouse());
});

afterEach(async () => {
  await cleanup();
});

function land(payloads: readonly string[]): Landed[] {
  return payloads.map((payload, i) => ({ seq: 1000 + i, recordId: `rec-${String(i).padStart(5, '0')}`, naturalKey: naturalKeyOf(payload, i), payload }));
}

function naturalKeyOf(payload: string, i: number): string {
  try {
    const id = (JSON.parse(payload) as { orderId?: unknown } | null)?.orderId;
    return typeof id === 'string' && id !== '' ? id : `(no orderId ${i})`;
  } catch {
    return `(not JSON ${i})`;
  }
}

/**
 * Lands the payloads in a bronze-shaped table (with `parquet`, half of them in a zstd Parquet file
 * made from it), stages them through a relation that filters with a parameter, and reads back what
 * staging wrote.
 */
async function stage(landed: readonly Landed[], opts: { parquet?: boolean } = {}): Promise<Staged> {
  return warehouse.transaction(async (tx) => {
    await tx.execute('CREATE TABLE test_bronze (seq BIGINT, record_id VARCHAR, natural_key VARCHAR, payload VARCHAR, received_at TIMESTAMPTZ)');
    await tx.append(
      { schema: 'main', table: 'test_bronze' },
      ['seq', 'record_id', 'natural_key', 'payload', 'received_at'],
      landed.map((l) => [l.seq, l.recordId, l.naturalKey, l.payload, NOW]),
    );
    const columns = 'seq, record_id, natural_key, payload, received_at';
    let parts = [{ sql: `SELECT ${columns} FROM test_bronze WHERE seq >= ?`, params: [0] as SqlValue[] }];
    if (opts.parquet) {
      // As bronze reads: the older half from a segment file, the rest from the write-ahead table.
      const mid = landed[Math.floor(landed.length / 2)]?.seq ?? 0;
      const file = path.join(dir, 'bronze.parquet');
      await tx.execute(`COPY (SELECT * FROM test_bronze WHERE seq < ${mid}) TO '${file}' (FORMAT parquet, COMPRESSION zstd)`);
      parts = [
        { sql: `SELECT ${columns} FROM read_parquet('${file}') WHERE seq >= ?`, params: [0] },
        { sql: `SELECT ${columns} FROM test_bronze WHERE seq >= ?`, params: [mid] },
      ];
    }
    const bronze: BronzeRelation = bronzeRelation(parts);
    const result = await stageVtexOrders(tx, bronze, { source: SOURCE, runId: RUN_ID, now: NOW, dialect: 'duckdb' });
    return {
      result,
      orders: await tx.query(`SELECT ${AS_TEXT} FROM ${STAGE.orders} ORDER BY bronze_seq`),
      items: await tx.query(`SELECT ${AS_TEXT} FROM ${STAGE.orderItems} ORDER BY bronze_record_id, item_index`),
      quarantine: await tx.query(`SELECT * FROM ${STAGE.quarantine} ORDER BY bronze_record_id`),
    };
  });
}

/**
 * What the JavaScript path produces for the same bronze rows, typed by the warehouse with plain
 * SQL casts from the mapper's values (strings for money and instants).
 */
async function oracle(landed: readonly Landed[]): Promise<{ orders: Row[]; items: Row[]; rejected: Landed[] }> {
  const orders: SqlValue[][] = [];
  const items: SqlValue[][] = [];
  const rejected: Landed[] = [];
  for (const l of landed) {
    const parsed = parseJson(l.payload);
    const mapped = parsed.ok ? mapVtexOrder(parsed.value, l.recordId, NOW) : undefined;
    if (!mapped?.ok) {
      rejected.push(l);
      continue;
    }
    orders.push([...mapped.value.order.map((v, n) => (SILVER_ORDER_COLUMNS[n] === 'source' ? SOURCE : v)), l.seq]);
    for (const item of mapped.value.items) items.push([...item, SOURCE]);
  }
  return warehouse.transaction(async (tx) => {
    await tx.execute('CREATE TABLE expected_orders AS SELECT * FROM silver.orders LIMIT 0');
    await tx.execute('CREATE TABLE expected_items AS SELECT * FROM silver.order_items LIMIT 0');
    await insertAsText(tx, 'expected_orders', [...SILVER_ORDER_COLUMNS, 'bronze_seq'], orders);
    await insertAsText(tx, 'expected_items', [...SILVER_ORDER_ITEM_COLUMNS, 'source'], items);
    return {
      orders: await tx.query(`SELECT ${AS_TEXT} FROM expected_orders ORDER BY bronze_seq`),
      items: await tx.query(`SELECT ${AS_TEXT} FROM expected_items ORDER BY bronze_record_id, item_index`),
      rejected,
    };
  });
}

/**
 * Rows in as text, cast by INSERT to the column types. Not the appender: it drops the UTC offset
 * of a timestamp string (`…T23:59:59-03:00` lands as 23:59:59Z), which would hide the instant.
 */
async function insertAsText(tx: SqlExecutor, table: string, columns: readonly string[], rows: readonly SqlValue[][]): Promise<void> {
  if (rows.length === 0) return;
  const text = rows.map((r) => r.map((v) => (v === null ? null : String(v))));
  await tx.execute(
    `INSERT INTO ${table} (${columns.join(', ')}) SELECT ${columns.map((_, n) => `r[${n + 1}]`).join(', ')} FROM (SELECT unnest(from_json(?::VARCHAR, '[["VARCHAR"]]')) AS r)`,
    [JSON.stringify(text)],
  );
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

/** Every differing cell, so a failure names the row and the column. */
function differences(actual: readonly Row[], expected: readonly Row[], key: (r: Row) => string): string[] {
  const out: string[] = [];
  if (actual.length !== expected.length) out.push(`row count: ${actual.length} staged, ${expected.length} expected`);
  for (let i = 0; i < Math.min(actual.length, expected.length); i++) {
    const a = actual[i] as Row;
    const e = expected[i] as Row;
    for (const column of new Set([...Object.keys(a), ...Object.keys(e)])) {
      if (!Object.is(a[column], e[column]) && JSON.stringify(a[column]) !== JSON.stringify(e[column])) {
        out.push(`${key(e)} ${column}: staged ${JSON.stringify(a[column])}, expected ${JSON.stringify(e[column])}`);
      }
    }
  }
  return out.slice(0, 40);
}

async function expectSameAsMapper(landed: readonly Landed[], opts: { parquet?: boolean } = {}): Promise<Staged> {
  const staged = await stage(landed, opts);
  const expected = await oracle(landed);
  expect(differences(staged.orders, expected.orders, (r) => `order ${String(r.order_id)} (seq ${String(r.bronze_seq)})`)).toEqual([]);
  expect(differences(staged.items, expected.items, (r) => `item ${String(r.bronze_record_id)}#${String(r.item_index)}`)).toEqual([]);
  expect(staged.quarantine.map((q) => q.bronze_record_id)).toEqual(expected.rejected.map((l) => l.recordId));
  expect(staged.result).toMatchObject({ staged: expected.orders.length, items: expected.items.length, quarantined: expected.rejected.length });
  return staged;
}

function openApiGetOrderExample(): Json {
  const file = new URL('../fixtures/vtex-openapi/orders-api.json', import.meta.url);
  const api = JSON.parse(fs.readFileSync(file, 'utf8')) as {
    paths: Record<string, { get: { responses: { 200: { content: { 'application/json': { example: Json } } } } } }>;
  };
  const op = api.paths['/api/oms/pvt/orders/{orderId}'];
  if (!op) throw new Error('Get order is missing from the vendored OpenAPI');
  return op.get.responses[200].content['application/json'].example;
}

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

/** Orders that exercise each mapping rule the sandbox may not reach. */
const EDGE_ORDERS: readonly string[] = [
  order({ orderId: 'canceled-with-date', status: 'canceled', cancellationData: { CancellationDate: '2025-03-16T10:00:00.9999999-03:00', Reason: 'x' } }),
  order({ orderId: 'canceled-without-data', status: 'canceled', cancellationData: null }),
  order({ orderId: 'canceled-null-date', status: 'canceled', cancellationData: { CancellationDate: null } }),
  order({ orderId: 'invoiced-with-cancellation', cancellationData: { CancellationDate: '2025-03-16T10:00:00Z' } }),
  order({ orderId: 'offsets', creationDate: '2025-03-14T23:59:59-0300', lastChange: '2025-03-15T09:10:44Z', authorizedDate: null, invoicedDate: '2025-03-15T09:10:40.5+05:30' }),
  order({ orderId: 'blank-texts', sequence: '', orderGroup: '   ', origin: ' Marketplace ', affiliateId: '\ufeffAF\u2003', hostname: '\u00a0loja\t', storePreferencesData: { currencyCode: ' ' } }),
  order({ orderId: 'inner-spaces', sequence: 'a\u00a0b', orderGroup: '\u200bzero-width\u200b', origin: 'José', hostname: '\u3000' }),
  order({ orderId: 'usd', storePreferencesData: { currencyCode: 'USD' } }),
  order({ orderId: 'no-optional-objects', sellers: null, clientProfileData: null, shippingData: null, paymentData: null, marketingData: null, storePreferencesData: null, cancellationData: null }),
  order({ orderId: 'empty-lists', items: [], totals: [], sellers: [], paymentData: { transactions: [] } }),
  order({ orderId: 'empty-payments', paymentData: { transactions: [{ payments: null }, { payments: [{ group: 'pix' }] }] } }),
  order({ orderId: 'second-seller', sellers: [{ id: ' 2 ', name: null }, { id: '1', name: 'Loja Online' }] }),
  order({ orderId: 'repeated-totals', totals: [{ id: 'Items', value: 100 }, { id: 'Items', value: 250 }, { id: 'Discounts', value: -1 }, { id: 'items', value: 7 }], value: -350 }),
  // 90071992547409.85 is 90071992547409.84375 as a double: a float on the way would show.
  order({ orderId: 'big-money', value: 9007199254740985, totals: [{ id: 'Items', value: Number.MAX_SAFE_INTEGER }, { id: 'Tax', value: -9007199254740985 }] }),
  order({
    orderId: 'item-nulls',
    items: [{ id: ' 7 ', quantity: 0, price: 0, sellingPrice: -5, listPrice: null, costPrice: null, isGift: null, additionalInfo: null, productId: '', ean: null }],
  }),
  order({ orderId: 'gift', items: [{ ...firstItem, isGift: true, additionalInfo: { brandName: ' Marca ', categoriesIds: '' } }] }),
  withClient({ email: 'Ana.Souza@Example.com ', document: '', phone: '(11) 98765-4321', userProfileId: 'P1' }),
  withClient({ email: 'alias@CT.VTEX.COM.BR', document: null, phone: null, userProfileId: '  ABC-Profile ' }),
  withClient({ email: 'alias@ct.vtex.com.br ', document: '123', phone: '', userProfileId: '' }),
  withClient({ isCorporate: true, corporateDocument: '11.222.333/0001-81', document: '52998224725' }),
  withClient({ isCorporate: false, corporateDocument: '11.222.333/0001-81', document: '529.982.247-25' }),
  withClient({ isCorporate: null, email: null, document: null, phone: '+1 415 555 0100', userProfileId: null }),
  withPayment({ group: ' creditCard ', paymentSystemName: '', installments: null }),
  order({ orderId: 'escapes', hostname: 'a\\b"c\nd\u0001', items: [{ ...firstItem, name: 'Tab\there "quoted" \\ slash/' }] }),
];

describe('stageVtexOrders: values', () => {
  it('stages sandbox orders, the reference sample and the OpenAPI example exactly as mapVtexOrder maps them', async () => {
    const sandbox = [...generateOrders({ seed: 20250601, count: 2000, from: new Date('2024-01-01T00:00:00Z'), to: new Date('2025-05-31T00:00:00Z') })];
    const payloads = [...sandbox.map((o) => JSON.stringify(o)), JSON.stringify(sample), JSON.stringify(openApiGetOrderExample()), ...EDGE_ORDERS];
    const staged = await expectSameAsMapper(land(payloads), { parquet: true });
    // Guard against a vacuous pass: the batch really covers the cases compared above.
    expect(staged.result.staged).toBe(payloads.length);
    expect(staged.result.items).toBeGreaterThan(3000);
    expect(new Set(staged.orders.map((o) => o.status))).toContain('canceled');
    expect(staged.orders.filter((o) => o.canceled_at !== null).length).toBeGreaterThan(10);
    expect(new Set(staged.orders.map((o) => String(o.customer_key).split(':')[0]))).toEqual(new Set(['cpf', 'cnpj', 'email', 'phone', 'profile', 'null']));
  });

  it('stages nothing from an empty relation', async () => {
    const staged = await stage([]);
    expect(staged).toMatchObject({ result: { staged: 0, items: 0, quarantined: 0, identities: 0 }, orders: [], items: [], quarantine: [] });
  });

  it('keeps SQL syntax, quotes, emoji and accents unchanged', async () => {
    const drop = `'; DROP TABLE silver.orders; --`;
    const payloads = [
      order({
        orderId: drop,
        hostname: 'loja-🛒',
        marketingData: { coupon: `${drop} 🎟️`, utmSource: 'ñandú', utmMedium: null, utmCampaign: 'verão-2025' },
        clientProfileData: { ...sampleClient, firstName: ' José Ñandú\u00a0', lastName: `O'Brien "Zé" \\ 😀`, email: 'joão@exemplo.com.br' },
        items: [{ ...firstItem, name: `Camiseta Coração 💙 "P" ${drop}`, refId: '\\x00' }],
      }),
      `{"orderId": "${'🙂'.repeat(3)}", "value": "not a number — ${drop}"}`,
    ];
    const staged = await expectSameAsMapper(land(payloads));
    const o = staged.orders[0] as Row;
    expect(o).toMatchObject({ order_id: drop, hostname: 'loja-🛒', coupon: `${drop} 🎟️`, utm_source: 'ñandú', utm_campaign: 'verão-2025' });
    expect(o).toMatchObject({ first_name: 'José Ñandú', last_name: `O'Brien "Zé" \\ 😀`, customer_email: 'joão@exemplo.com.br' });
    expect(staged.items[0]).toMatchObject({ order_id: drop, name: `Camiseta Coração 💙 "P" ${drop}`, ref_id: '\\x00' });
    expect(staged.quarantine[0]).toMatchObject({ payload: payloads[1], natural_key: '🙂🙂🙂' });
    const [tables] = await warehouse.query<{ n: number }>(`SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = 'silver' AND table_name = 'orders'`);
    expect(tables?.n).toBe(1);
  });
});

/** One change to a valid order; `path` is where the reason must point, or null when zod accepts it. */
interface Mutation {
  readonly name: string;
  readonly payload: string;
  readonly path: string | null;
}

const MUTATIONS: readonly Mutation[] = [
  { name: 'missing orderId', payload: without('orderId'), path: 'orderId' },
  { name: 'empty orderId', payload: order({ orderId: '' }), path: 'orderId' },
  { name: 'orderId a number', payload: order({ orderId: 1412730598321 }), path: 'orderId' },
  { name: 'value as string', payload: order({ value: '25980' }), path: 'value' },
  { name: 'value 10.5', payload: order({ value: 10.5 }), path: 'value' },
  { name: 'value 25980.0 (an integer to JavaScript)', payload: order({}).replace('"value":25980', '"value":25980.0'), path: null },
  { name: 'value 2.598e4 (an integer to JavaScript)', payload: order({}).replace('"value":25980', '"value":2.598e4'), path: null },
  { name: 'value beyond 2^53', payload: order({}).replace('"value":25980', '"value":9007199254740993'), path: 'value' },
  { name: 'value null', payload: order({ value: null }), path: 'value' },
  { name: 'quantity -1', payload: withFirstItem({ quantity: -1 }), path: 'items.0.quantity' },
  { name: 'quantity "2"', payload: withFirstItem({ quantity: '2' }), path: 'items.0.quantity' },
  { name: 'quantity 1.5', payload: withFirstItem({ quantity: 1.5 }), path: 'items.0.quantity' },
  { name: 'quantity -0 (zero to JavaScript)', payload: withFirstItem({}).replace('"quantity":1', '"quantity":-0'), path: null },
  { name: 'second item without id', payload: order({ items: [firstItem, { ...sampleItems[1], id: undefined }] }), path: 'items.1.id' },
  { name: 'a null item', payload: order({ items: [firstItem, null] }), path: 'items.1' },
  { name: 'an item that is a string', payload: order({ items: ['2031'] }), path: 'items.0' },
  { name: 'isGift "false"', payload: withFirstItem({ isGift: 'false' }), path: 'items.0.isGift' },
  { name: 'listPrice null', payload: withFirstItem({ listPrice: null }), path: null },
  { name: 'costPrice missing', payload: withFirstItem({ costPrice: undefined }), path: null },
  { name: 'additionalInfo a number', payload: withFirstItem({ additionalInfo: 7 }), path: 'items.0.additionalInfo' },
  { name: 'additionalInfo empty', payload: withFirstItem({ additionalInfo: {} }), path: null },
  { name: 'brandId a number', payload: withFirstItem({ additionalInfo: { brandId: 2000005 } }), path: 'items.0.additionalInfo.brandId' },
  { name: 'bad creationDate', payload: order({ creationDate: '14/03/2025 13:22' }), path: 'creationDate' },
  { name: 'creationDate without offset', payload: order({ creationDate: '2025-03-14T13:22:05' }), path: 'creationDate' },
  { name: 'creationDate with 8 fractional digits', payload: order({ creationDate: '2025-03-14T13:22:05.12345678Z' }), path: 'creationDate' },
  { name: 'authorizedDate empty', payload: order({ authorizedDate: '' }), path: 'authorizedDate' },
  { name: 'CancellationDate a number', payload: order({ cancellationData: { CancellationDate: 1 } }), path: 'cancellationData.CancellationDate' },
  { name: 'items not an array', payload: order({ items: { 0: firstItem } }), path: 'items' },
  { name: 'items missing', payload: without('items'), path: 'items' },
  { name: 'totals missing', payload: without('totals'), path: 'totals' },
  { name: 'a total without id', payload: order({ totals: [{ id: 'Items', value: 1 }, { value: 2 }] }), path: 'totals.1.id' },
  { name: 'a total id empty (allowed)', payload: order({ totals: [{ id: '', value: 2 }] }), path: null },
  { name: 'sellers an object', payload: order({ sellers: { id: '1' } }), path: 'sellers' },
  { name: 'sellers null', payload: order({ sellers: null }), path: null },
  { name: 'clientProfileData null (valid)', payload: order({ clientProfileData: null }), path: null },
  { name: 'clientProfileData missing', payload: without('clientProfileData'), path: null },
  { name: 'clientProfileData a string', payload: order({ clientProfileData: 'Mariana' }), path: 'clientProfileData' },
  { name: 'clientProfileData empty', payload: order({ clientProfileData: {} }), path: null },
  { name: 'isCorporate "false"', payload: withClient({ isCorporate: 'false' }), path: 'clientProfileData.isCorporate' },
  { name: 'shippingData an array', payload: order({ shippingData: [] }), path: 'shippingData' },
  { name: 'address a string', payload: order({ shippingData: { address: 'Rua X' } }), path: 'shippingData.address' },
  { name: 'transactions an object', payload: order({ paymentData: { transactions: {} } }), path: 'paymentData.transactions' },
  { name: 'a payment that is a number', payload: withPayment(3), path: 'paymentData.transactions.0.payments.0' },
  { name: 'installments 1.5', payload: withPayment({ installments: 1.5 }), path: 'paymentData.transactions.0.payments.0.installments' },
  { name: 'sequence a number', payload: order({ sequence: 648213 }), path: 'sequence' },
  { name: 'status empty', payload: order({ status: '' }), path: 'status' },
  { name: 'extra unknown fields (valid)', payload: order({ giftRegistryData: { id: 1 }, newField: [1, 'x', null], items: [{ ...firstItem, brandNew: { deep: true } }] }), path: null },
  { name: 'empty object', payload: '{}', path: 'orderId' },
  { name: 'payload not JSON', payload: '{"orderId": "1412730598321-01", ', path: '(root)' },
  { name: 'payload empty', payload: '', path: '(root)' },
  { name: 'payload null', payload: 'null', path: '(root)' },
  { name: 'payload an array', payload: JSON.stringify([sample]), path: '(root)' },
  { name: 'payload a string', payload: '"1412730598321-01"', path: '(root)' },
];

/** zod's verdict, and the path of its first issue. */
function zodVerdict(payload: string): { accepted: boolean; path: string } {
  const parsed = parseJson(payload);
  if (!parsed.ok) return { accepted: false, path: '(root)' };
  const result = vtexOrderSchema.safeParse(parsed.value);
  if (result.success) return { accepted: true, path: '' };
  const first = result.error.issues[0]?.path ?? [];
  return { accepted: false, path: first.length ? first.join('.') : '(root)' };
}

describe('stageVtexOrders: validation', () => {
  it('stages or quarantines each mutation as the zod schema does, naming the path', async () => {
    const landed = land(MUTATIONS.map((m) => m.payload));
    const staged = await stage(landed);
    const stagedIds = new Set(staged.orders.map((o) => o.bronze_record_id));
    const reasons = new Map(staged.quarantine.map((q) => [q.bronze_record_id, String(q.reason)]));
    const verdicts = MUTATIONS.map((m, i) => {
      const id = (landed[i] as Landed).recordId;
      return { name: m.name, staged: stagedIds.has(id), path: reasons.has(id) ? reasons.get(id)?.split(':')[0] : null };
    });
    // The table is checked against zod itself, so it cannot drift from the schema either.
    expect(MUTATIONS.map((m) => ({ name: m.name, staged: zodVerdict(m.payload).accepted, path: m.path }))).toEqual(
      MUTATIONS.map((m) => ({ name: m.name, staged: m.path === null, path: m.path === null ? null : zodVerdict(m.payload).path })),
    );
    expect(verdicts).toEqual(MUTATIONS.map((m) => ({ name: m.name, staged: m.path === null, path: m.path })));
  });

  it('says what was expected and what came instead', async () => {
    const payloads = [
      withFirstItem({ quantity: -1 }),
      withFirstItem({ quantity: '2' }),
      order({ value: 10.5 }),
      without('orderId'),
      order({ creationDate: '14/03/2025' }),
      order({ clientProfileData: 'Mariana' }),
      'null',
      'not json',
      order({ items: [firstItem, null] }),
    ];
    const staged = await stage(land(payloads));
    expect(staged.quarantine.map((q) => q.reason)).toEqual([
      'items.0.quantity: expected integer ≥ 0, received -1',
      'items.0.quantity: expected integer ≥ 0, received string',
      'value: expected integer, received 10.5',
      'orderId: expected non-empty string, received nothing',
      'creationDate: expected an ISO-8601 timestamp with offset, received "14/03/2025"',
      'clientProfileData: expected object, received string',
      '(root): expected object, received null',
      '(root): not valid JSON',
      'items.1: expected object, received null',
    ]);
  });

  it('quarantines with the run, source, entity, key and the payload text as received', async () => {
    const landed = land([order({ orderId: 'bad-1', value: 'x' }), 'not json {', order({ orderId: 'ok-1' })]);
    const staged = await stage(landed);
    expect(staged.result).toEqual({ staged: 1, items: 2, quarantined: 2, identities: 1 });
    expect(staged.quarantine).toEqual([
      expect.objectContaining({ source: SOURCE, entity: 'order', natural_key: 'bad-1', payload: landed[0]?.payload, bronze_record_id: landed[0]?.recordId, run_id: RUN_ID, quarantined_at: NOW }),
      expect.objectContaining({ source: SOURCE, entity: 'order', natural_key: landed[1]?.naturalKey, payload: 'not json {', bronze_record_id: landed[1]?.recordId, run_id: RUN_ID }),
    ]);
    expect(new Set(staged.quarantine.map((q) => q.quarantine_id)).size).toBe(2);
  });

  it('quarantines values the schema accepts but the warehouse cannot hold, instead of failing the batch', async () => {
    const landed = land([
      order({ orderId: 'month-13', creationDate: '2025-13-14T13:22:05Z' }),
      withFirstItem({ quantity: 3_000_000_000 }),
      withPayment({ installments: 2 ** 40 }),
      order({ orderId: 'fine' }),
    ]);
    const staged = await stage(landed);
    expect(staged.orders.map((o) => o.order_id)).toEqual(['fine']);
    expect(staged.quarantine.map((q) => q.reason)).toEqual([
      'creationDate: expected a valid instant, received "2025-13-14T13:22:05Z"',
      'items.0.quantity: expected a 32-bit integer, received 3000000000',
      `paymentData.transactions.0.payments.0.installments: expected a 32-bit integer, received ${2 ** 40}`,
    ]);
  });
});

describe('stageVtexOrders: identity', () => {
  it('resolves each distinct shopper once, however many orders and per-order email aliases it has', async () => {
    const alias = (n: number) => `${n.toString(16).padStart(32, '0')}@ct.vtex.com.br`;
    const payloads = [
      ...Array.from({ length: 50 }, (_, n) => order({ orderId: `cpf-shopper-${n}`, clientProfileData: { ...sampleClient, email: alias(n) } })),
      ...Array.from({ length: 3 }, (_, n) =>
        order({ orderId: `email-shopper-${n}`, clientProfileData: { email: 'Bia@Exemplo.com', document: null, phone: null, userProfileId: null } }),
      ),
    ];
    const staged = await expectSameAsMapper(land(payloads));
    expect(staged.result.identities).toBe(2);
    expect(new Set(staged.orders.map((o) => o.customer_key))).toEqual(new Set(['cpf:52998224725', 'email:bia@exemplo.com']));
    expect(staged.orders.filter((o) => o.customer_key === 'cpf:52998224725')).toHaveLength(50);
  });

  it('stages twice in one transaction (its working tables are its own)', async () => {
    const result = await warehouse.transaction(async (tx) => {
      await tx.execute(`CREATE TABLE test_bronze AS SELECT 1::BIGINT AS seq, 'r1' AS record_id, 'k' AS natural_key, ?::VARCHAR AS payload, now() AS received_at`, [order({})]);
      const bronze: BronzeRelation = bronzeRelation([{ sql: 'SELECT * FROM test_bronze', params: [] }]);
      const first = await stageVtexOrders(tx, bronze, { source: SOURCE, runId: RUN_ID, now: NOW, dialect: 'duckdb' });
      const second = await stageVtexOrders(tx, bronze, { source: SOURCE, runId: RUN_ID, now: NOW, dialect: 'duckdb' });
      const [n] = await tx.query<{ n: number }>(`SELECT count(*) AS n FROM ${STAGE.orders}`);
      return { first, second, n: n?.n };
    });
    expect(result).toEqual({ first: { staged: 1, items: 2, quarantined: 0, identities: 1 }, second: { staged: 1, items: 2, quarantined: 0, identities: 1 }, n: 2 });
  });
});
