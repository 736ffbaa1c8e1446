import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { WAREHOUSE_MIGRATIONS } from '../../src/pipeline/warehouse-migrations.js';
import { DataVersions } from '../../src/warehouse/data-version.js';
import { DuckDbWarehouse } from '../../src/warehouse/duckdb/duckdb-warehouse.js';
import type { QueryOptions, SqlExecutor, SqlValue, Warehouse } from '../../src/warehouse/warehouse.js';

export const MODEL_DIR = fileURLToPath(new URL('../../cube/model', import.meta.url));
export const BUSINESS_TZ = 'America/Sao_Paulo';

/**
 * A small gold star, hand-checkable. Times are UTC; São Paulo is UTC-3 all year since 2019.
 * o3 at 01:30 UTC on the 15th is 22:30 on the 14th in São Paulo; o7 and o8 straddle midnight.
 *
 * Sales per São Paulo day (is_sale):
 *   2025-03-14  o1 100.00 + o2 50.00 + o3 195.00 = 345.00  (3 orders, ticket 115.00)
 *   2025-03-15  o6 325.25 + o7 40.10            = 365.35  (2 orders, ticket 182.675)
 *   2025-03-16  o8 70.00                        =  70.00  (1 order)
 * o4 (canceled) and o5 (payment-pending) are not sales.
 */
export interface OrderFixture {
  readonly order_id: string;
  readonly created_at: string;
  readonly status: string;
  readonly is_sale: boolean;
  readonly is_canceled: boolean;
  readonly channel_key: string;
  readonly store_key: string | null;
  readonly customer_key: string | null;
  readonly coupon: string | null;
  readonly utm_campaign: string | null;
  readonly items_count: number;
  readonly items_total: string;
  readonly discounts_total: string;
  readonly shipping_total: string;
  readonly total: string;
}

const order = (o: Omit<OrderFixture, 'coupon' | 'utm_campaign'> & Partial<Pick<OrderFixture, 'coupon' | 'utm_campaign'>>): OrderFixture => ({
  coupon: null,
  utm_campaign: null,
  ...o,
});

export const ORDERS: readonly OrderFixture[] = [
  order({ order_id: 'o1', created_at: '2025-03-14T13:00:00Z', status: 'invoiced', is_sale: true, is_canceled: false, channel_key: 'sc:1', store_key: 'centro', customer_key: 'c1', coupon: 'BEMVINDO10', utm_campaign: 'black-friday', items_count: 2, items_total: '100.00', discounts_total: '-10.00', shipping_total: '10.00', total: '100.00' }),
  order({ order_id: 'o2', created_at: '2025-03-14T18:30:00Z', status: 'payment-approved', is_sale: true, is_canceled: false, channel_key: 'mkt:ml', store_key: 'sul', customer_key: 'c2', utm_campaign: 'google-ads', items_count: 1, items_total: '50.00', discounts_total: '0.00', shipping_total: '0.00', total: '50.00' }),
  order({ order_id: 'o3', created_at: '2025-03-15T01:30:00Z', status: 'handling', is_sale: true, is_canceled: false, channel_key: 'sc:1', store_key: 'centro', customer_key: 'c1', items_count: 3, items_total: '200.00', discounts_total: '-20.00', shipping_total: '15.00', total: '195.00' }),
  order({ order_id: 'o4', created_at: '2025-03-15T12:00:00Z', status: 'canceled', is_sale: false, is_canceled: true, channel_key: 'sc:1', store_key: 'centro', customer_key: 'c3', items_count: 1, items_total: '80.00', discounts_total: '0.00', shipping_total: '0.00', total: '80.00' }),
  order({ order_id: 'o5', created_at: '2025-03-15T14:00:00Z', status: 'payment-pending', is_sale: false, is_canceled: false, channel_key: 'sc:1', store_key: 'centro', customer_key: 'c3', items_count: 1, items_total: '60.00', discounts_total: '0.00', shipping_total: '0.00', total: '60.00' }),
  order({ order_id: 'o6', created_at: '2025-03-15T20:00:00Z', status: 'invoiced', is_sale: true, is_canceled: false, channel_key: 'mkt:ml', store_key: 'sul', customer_key: 'c3', items_count: 4, items_total: '300.00', discounts_total: '0.00', shipping_total: '25.25', total: '325.25' }),
  order({ order_id: 'o7', created_at: '2025-03-16T02:59:59Z', status: 'ready-for-handling', is_sale: true, is_canceled: false, channel_key: 'sc:1', store_key: 'centro', customer_key: 'c2', items_count: 1, items_total: '40.10', discounts_total: '0.00', shipping_total: '0.00', total: '40.10' }),
  order({ order_id: 'o8', created_at: '2025-03-16T03:00:00Z', status: 'invoiced', is_sale: true, is_canceled: false, channel_key: 'sc:1', store_key: 'centro', customer_key: 'c1', coupon: 'BEMVINDO10', items_count: 1, items_total: '70.00', discounts_total: '0.00', shipping_total: '0.00', total: '70.00' }),
];

export interface ItemFixture {
  readonly order_id: string;
  readonly item_index: number;
  readonly product_key: string;
  readonly quantity: number;
  readonly unit_price: string;
  readonly net_amount: string;
}

/** Item revenue of sales: sku-1 100.00 (o1; o4's item is canceled), sku-2 300.00 (o6). */
export const ITEMS: readonly ItemFixture[] = [
  { order_id: 'o1', item_index: 0, product_key: 'sku-1', quantity: 2, unit_price: '50.00', net_amount: '100.00' },
  { order_id: 'o4', item_index: 0, product_key: 'sku-1', quantity: 1, unit_price: '80.00', net_amount: '80.00' },
  { order_id: 'o6', item_index: 0, product_key: 'sku-2', quantity: 4, unit_price: '75.00', net_amount: '300.00' },
];

const DIMENSIONS: Record<string, { columns: readonly string[]; rows: readonly (readonly SqlValue[])[] }> = {
  dim_channel: {
    columns: ['channel_key', 'channel_name', 'channel_type', 'sales_channel', 'affiliate_id'],
    rows: [
      ['sc:1', 'Site', 'site', '1', null],
      ['mkt:ml', 'Mercado Livre', 'marketplace', '1', 'MLB'],
    ],
  },
  dim_store: { columns: ['store_key', 'store_name'], rows: [['centro', 'Loja Centro'], ['sul', 'Loja Sul']] },
  dim_customer: {
    columns: ['customer_key', 'key_type', 'is_corporate', 'state', 'city'],
    rows: [
      ['c1', 'cpf', false, 'SP', 'São Paulo'],
      ['c2', 'email', false, 'RJ', 'Rio de Janeiro'],
      ['c3', 'cnpj', true, 'SP', 'Campinas'],
    ],
  },
  dim_product: {
    columns: ['product_key', 'product_id', 'name', 'brand_name'],
    rows: [
      ['sku-1', 'p-1', 'Camiseta Azul M', 'Farol'],
      ['sku-2', 'p-2', 'Tênis Corrida 42', 'Corre'],
    ],
  },
};

/** Local São Paulo calendar day of a UTC instant (fixed UTC-3). */
function spDate(utc: string): string {
  return new Date(Date.parse(utc) - 3 * 3_600_000).toISOString().slice(0, 10);
}

export async function insertOrders(executor: SqlExecutor, orders: readonly OrderFixture[]): Promise<void> {
  await executor.append(
    { schema: 'gold', table: 'fct_orders' },
    ['order_key', 'source', 'order_id', 'order_date', 'created_at', 'status', 'is_sale', 'is_canceled', 'channel_key', 'store_key', 'customer_key', 'coupon', 'utm_campaign', 'items_count', 'items_total', 'discounts_total', 'shipping_total', 'total', 'last_change'],
    orders.map((o) => [`vtex-orders:${o.order_id}`, 'vtex-orders', o.order_id, spDate(o.created_at), o.created_at, o.status, o.is_sale, o.is_canceled, o.channel_key, o.store_key, o.customer_key, o.coupon, o.utm_campaign, o.items_count, o.items_total, o.discounts_total, o.shipping_total, o.total, o.created_at]),
  );
}

export interface GoldFixture {
  readonly warehouse: DuckDbWarehouse;
  readonly dataVersions: DataVersions;
  readonly dir: string;
  cleanup(): Promise<void>;
}

/** A real DuckDB file in a temp folder, migrated, with the fixture star loaded. */
export async function openGoldFixture(): Promise<GoldFixture> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'farol-metrics-'));
  const warehouse = await DuckDbWarehouse.open({ path: path.join(dir, 'farol.duckdb'), threads: 2 });
  await warehouse.migrate(WAREHOUSE_MIGRATIONS);
  for (const [table, { columns, rows }] of Object.entries(DIMENSIONS)) await warehouse.append({ schema: 'gold', table }, columns, rows);
  await insertOrders(warehouse, ORDERS);
  const byId = new Map(ORDERS.map((o) => [o.order_id, o]));
  await warehouse.append(
    { schema: 'gold', table: 'fct_sales' },
    ['order_key', 'source', 'order_id', 'item_index', 'order_date', 'created_at', 'status', 'is_sale', 'channel_key', 'store_key', 'customer_key', 'product_key', 'quantity', 'unit_price', 'gross_amount', 'net_amount', 'discount_amount'],
    ITEMS.map((i) => {
      const o = byId.get(i.order_id) as OrderFixture;
      return [`vtex-orders:${i.order_id}`, 'vtex-orders', i.order_id, i.item_index, spDate(o.created_at), o.created_at, o.status, o.is_sale, o.channel_key, o.store_key, o.customer_key, i.product_key, i.quantity, i.unit_price, i.net_amount, i.net_amount, '0.00'];
    }),
  );
  const dataVersions = await DataVersions.load(warehouse);
  return {
    warehouse,
    dataVersions,
    dir,
    async cleanup() {
      await warehouse.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Counts warehouse queries, to tell cache hits from misses. */
export function countingWarehouse(inner: Warehouse): { warehouse: Warehouse; queries: () => number } {
  let n = 0;
  const warehouse = new Proxy(inner, {
    get(target, prop, receiver) {
      if (prop === 'query') {
        return (sql: string, params?: readonly SqlValue[], options?: QueryOptions) => {
          n++;
          return target.query(sql, params, options);
        };
      }
      const v = Reflect.get(target, prop, receiver) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
  return { warehouse, queries: () => n };
}
