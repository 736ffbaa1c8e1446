import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendBronze } from '../../src/ingest/bronze/bronze-writer.js';
import { applyVtexOrders, type OrderVersion } from '../../src/transform/apply-vtex-orders.js';
import type { DuckDbWarehouse } from '../../src/warehouse/duckdb/duckdb-warehouse.js';
import { sampleVtexOrder } from '../fixtures/vtex-order.js';
import { tempWarehouse } from '../fixtures/temp-warehouse.js';

const GOLD = { timezone: 'America/Sao_Paulo' };
let wh: DuckDbWarehouse;
let cleanup: () => Promise<void>;

beforeEach(async () => {
  ({ warehouse: wh, cleanup } = await tempWarehouse());
});
afterEach(async () => cleanup());

async function ingest(payloads: Record<string, unknown>[]) {
  return wh.transaction(async (tx) => {
    const raw = payloads.map((p) => JSON.stringify(p));
    const recs = await appendBronze(
      tx,
      payloads.map((p, i) => ({ source: 'vtex', entity: 'order', naturalKey: String(p.orderId), payload: raw[i] as string })),
      'test-batch',
    );
    const versions: OrderVersion[] = recs.map((r, i) => ({
      bronzeRecordId: r.recordId, orderId: r.naturalKey, payload: payloads[i], rawPayload: r.payload,
    }));
    return applyVtexOrders(tx, versions, GOLD);
  });
}

describe('VTEX orders bronze → silver → gold', () => {
  it('types the order, converts cents to BRL and resolves the customer by CPF', async () => {
    await ingest([sampleVtexOrder()]);
    const [o] = await wh.query('SELECT * FROM silver.orders');
    expect(o).toMatchObject({
      order_id: '1412730598321-01', status: 'invoiced', total: 259.8, items_total: 239.9, discounts_total: -10,
      shipping_total: 29.9, customer_key: 'cpf:52998224725', utm_campaign: 'outono-2025', coupon: 'BEMVINDO10',
      created_at: '2025-03-14T13:22:05.123Z',
    });
    const items = await wh.query('SELECT sku_id, quantity, selling_price FROM silver.order_items ORDER BY item_index');
    expect(items).toEqual([
      { sku_id: '2031', quantity: 1, selling_price: 149.9 },
      { sku_id: '2044', quantity: 2, selling_price: 40 },
    ]);
    const [f] = await wh.query('SELECT * FROM gold.fct_orders');
    expect(f).toMatchObject({ is_sale: true, total: 259.8, items_count: 3, channel_key: 'sc:1', order_date: '2025-03-14' });
    expect(await wh.query('SELECT count(*)::INT n, sum(net_amount) net FROM gold.fct_sales')).toEqual([{ n: 2, net: 229.9 }]);
    expect(await wh.query('SELECT channel_name FROM gold.dim_channel')).toEqual([{ channel_name: 'Loja online' }]);
    expect(await wh.query('SELECT store_name FROM gold.dim_store')).toEqual([{ store_name: 'Loja Online' }]);
  });

  it('keeps the latest lastChange whatever the arrival order, duplicates included', async () => {
    const pending = sampleVtexOrder({ status: 'payment-pending', lastChange: '2025-03-14T13:22:10.0000000+00:00', invoicedDate: null });
    const invoiced = sampleVtexOrder();
    const r1 = await ingest([invoiced]);
    const r2 = await ingest([pending, pending]);
    const r3 = await ingest([invoiced]);
    expect([r1.changed, r2.changed, r3.changed]).toEqual([1, 0, 0]);
    expect(await wh.query('SELECT status FROM silver.orders')).toEqual([{ status: 'invoiced' }]);
    expect(await wh.query('SELECT count(*)::INT n FROM bronze.records')).toEqual([{ n: 4 }]);
    expect(await wh.query('SELECT count(*)::INT n FROM gold.fct_sales')).toEqual([{ n: 2 }]);
  });

  it('resolves versions of one order inside a single batch', async () => {
    const canceled = sampleVtexOrder({ status: 'canceled', lastChange: '2025-03-16T10:00:00.0000000+00:00', items: [(sampleVtexOrder().items as unknown[])[0]] });
    const r = await ingest([sampleVtexOrder(), canceled, sampleVtexOrder()]);
    expect(r.changed).toBe(1);
    expect(await wh.query('SELECT status, is_sale, is_canceled FROM gold.fct_orders')).toEqual([
      { status: 'canceled', is_sale: false, is_canceled: true },
    ]);
    expect(await wh.query('SELECT count(*)::INT n FROM silver.order_items')).toEqual([{ n: 1 }]);
  });

  it('quarantines an invalid payload with the failing field named, and keeps the good ones', async () => {
    const bad = sampleVtexOrder({ orderId: 'bad-01', value: 'lots', items: [{ id: '1', quantity: 'two', price: 1, sellingPrice: 1 }] });
    const r = await ingest([bad, sampleVtexOrder()]);
    expect(r).toMatchObject({ received: 2, changed: 1, quarantined: 1 });
    const [q] = await wh.query<{ reason: string; natural_key: string; payload: string }>('SELECT * FROM silver.quarantine');
    expect(q?.natural_key).toBe('bad-01');
    expect(q?.reason).toContain('value');
    expect(q?.reason).toContain('items.0.quantity');
    expect(JSON.parse(q?.payload ?? '{}').orderId).toBe('bad-01');
  });

  it('puts the order on its São Paulo day', async () => {
    await ingest([sampleVtexOrder({ creationDate: '2025-03-15T01:30:00.0000000+00:00' })]);
    expect(await wh.query('SELECT order_date FROM gold.fct_orders')).toEqual([{ order_date: '2025-03-14' }]);
  });
});
