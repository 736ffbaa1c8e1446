import type { SqlValue } from '../../src/warehouse/warehouse.js';
import { tempWarehouse } from '../fixtures/temp-warehouse.js';
import { EXPECTED_SALE_STATUSES } from '../fixtures/sale-statuses.js';
import { DataVersions } from '../../src/warehouse/data-version.js';
import type { DuckDbWarehouse } from '../../src/warehouse/duckdb/duckdb-warehouse.js';
import { Rng } from '../../src/sandbox/vtex/random.js';

/**
 * A seeded gold star for the KPI catalog tests: about 240 orders from 2024-11 to 2025-04 drawn by
 * a fixed-seed generator, plus hand-placed orders on the edges that time zones move (New Year's
 * Eve in São Paulo, the last second of a quarter, an afternoon that is already the next day in
 * Tokyo). Statuses mix sales, pending and canceled; three channels, three stores and orders
 * with no store or no customer; repeat and one-time customers, including one whose first order
 * was canceled; coupons and UTMs; items with and without a known cost. Monthly store targets
 * are local calendar months. Expected numbers are never stored here: the tests compute them
 * with their own SQL over these tables.
 */
export interface KpiGoldDataset {
  readonly warehouse: DuckDbWarehouse;
  readonly dataVersions: DataVersions;
  readonly orders: number;
  cleanup(): Promise<void>;
}

const CHANNELS: readonly (readonly SqlValue[])[] = [
  ['sc:1', 'Site', 'site', '1', null],
  ['sc:2', 'App', 'site', '2', null],
  ['mkt:ml', 'Mercado Livre', 'marketplace', '1', 'MLB'],
];
const STORES = [['centro', 'Loja Centro'], ['sul', 'Loja Sul'], ['norte', 'Loja Norte']] as const;
const CITIES = [['SP', 'São Paulo'], ['SP', 'São José dos Campos'], ['RJ', 'Rio de Janeiro'], ['AC', 'Rio Branco'], ['PR', 'Curitiba'], ['SP', 'Campinas']] as const;
/** sku, product, brand, category, unit price, unit cost (null: the catalog never gave one). */
const PRODUCTS = [
  ['sku-1', 'Camiseta Azul M', 'Farol', 'Camisetas', 59.9, 21.5],
  ['sku-2', 'Camiseta Preta G', 'Farol', 'Camisetas', 64.9, 23.1],
  ['sku-3', 'Tênis Corrida 42', 'Corre', 'Calçados', 349.0, 180.25],
  ['sku-4', 'Meia Esportiva', 'Corre', 'Acessórios', 19.99, 4.8],
  ['sku-5', 'Boné Aba Reta', "Mar d'Água", 'Acessórios', 79.0, null],
  ['sku-6', 'Jaqueta 100% Algodão', "Mar d'Água", 'Casacos', 429.9, null],
] as const;
const SALE_STATUSES = ['invoiced', 'invoiced', 'invoiced', 'payment-approved', 'handling', 'ready-for-handling'];
const OTHER_STATUSES = ['canceled', 'canceled', 'payment-pending', 'waiting-for-seller-confirmation'];
const CAMPAIGNS = [[null, null, null], ['google', 'cpc', 'black-friday'], ['instagram', 'social', 'verao-2025'], ['newsletter', 'email', 'volta-as-aulas']] as const;
const COUPONS = [null, null, null, 'BEMVINDO10', 'FRETEGRATIS'];

interface Order {
  id: string;
  createdAt: string;
  status: string;
  channel: string;
  store: string | null;
  customer: string | null;
  coupon: string | null;
  utm: readonly [string | null, string | null, string | null];
  items: { sku: (typeof PRODUCTS)[number]; quantity: number; discountCents: number }[];
  discountCents: number;
  shippingCents: number;
}

/** Instants (UTC) that one of the three test time zones puts on the other side of a boundary. */
const EDGE_ORDERS: readonly Pick<Order, 'createdAt' | 'status' | 'customer' | 'channel' | 'store'>[] = [
  { createdAt: '2025-01-01T02:30:00Z', status: 'invoiced', customer: 'c20', channel: 'sc:1', store: 'centro' }, // 23:30 on New Year's Eve in São Paulo
  { createdAt: '2025-01-01T03:30:00Z', status: 'invoiced', customer: 'c21', channel: 'mkt:ml', store: 'sul' }, // 00:30 in São Paulo, still 2024 in Rio Branco
  { createdAt: '2024-12-31T16:00:00Z', status: 'payment-approved', customer: 'c22', channel: 'sc:2', store: 'norte' }, // already 2025 in Tokyo
  { createdAt: '2025-04-01T02:59:59Z', status: 'invoiced', customer: 'c20', channel: 'sc:1', store: 'centro' }, // last second of Q1 in São Paulo
  { createdAt: '2025-04-01T04:30:00Z', status: 'invoiced', customer: 'c23', channel: 'sc:1', store: 'sul' }, // Q2 in São Paulo, Q1 in Rio Branco
  { createdAt: '2025-02-28T15:30:00Z', status: 'canceled', customer: 'c24', channel: 'mkt:ml', store: 'sul' }, // March 1st in Tokyo
  { createdAt: '2025-03-01T02:00:00Z', status: 'invoiced', customer: 'c24', channel: 'sc:1', store: 'centro' }, // first sale after a canceled first order
  { createdAt: '2025-03-01T02:00:00Z', status: 'invoiced', customer: 'c25', channel: 'sc:1', store: null }, // no store
  { createdAt: '2025-03-10T12:00:00Z', status: 'invoiced', customer: null, channel: 'sc:2', store: 'norte' }, // no customer
  { createdAt: '2025-03-10T12:59:59Z', status: 'handling', customer: 'c21', channel: 'sc:2', store: 'norte' }, // same hour, a repeat sale
];

function buildOrders(): Order[] {
  const rng = new Rng(20250314);
  const rnd = (): number => rng.next();
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const start = Date.parse('2024-11-20T00:00:00Z');
  const span = Date.parse('2025-04-10T00:00:00Z') - start;
  const drawn: Order[] = [];
  const items = () =>
    Array.from({ length: 1 + Math.floor(rnd() * 3) }, () => ({
      sku: pick(PRODUCTS),
      quantity: 1 + Math.floor(rnd() * 3),
      discountCents: rnd() < 0.3 ? 100 * (1 + Math.floor(rnd() * 10)) : 0,
    }));
  for (let n = 0; n < 230; n++) {
    // Every minute lands on a whole second; some orders share an hour, a few the first instant.
    const at = new Date(start + Math.floor((rnd() * span) / 1000) * 1000).toISOString().replace('.000Z', 'Z');
    const utm = pick(CAMPAIGNS);
    drawn.push({
      id: `g${String(n).padStart(3, '0')}`,
      createdAt: at,
      status: rnd() < 0.75 ? pick(SALE_STATUSES) : pick(OTHER_STATUSES),
      channel: String(pick(CHANNELS)[0]),
      store: rnd() < 0.05 ? null : pick(STORES)[0],
      // 19 customers with skewed frequency, so some buy often and some once.
      customer: rnd() < 0.03 ? null : `c${String(1 + Math.floor(19 * rnd() * rnd())).padStart(2, '0')}`,
      coupon: pick(COUPONS),
      utm: [utm[0], utm[1], utm[2]],
      items: items(),
      discountCents: rnd() < 0.25 ? -100 * (1 + Math.floor(rnd() * 20)) : 0,
      shippingCents: rnd() < 0.5 ? 0 : 990 + Math.floor(rnd() * 3000),
    });
  }
  EDGE_ORDERS.forEach((e, n) =>
    drawn.push({ ...e, id: `e${n}`, coupon: n % 3 === 0 ? 'BEMVINDO10' : null, utm: ['google', 'cpc', 'black-friday'], items: items(), discountCents: 0, shippingCents: 1500 }),
  );
  return drawn;
}

const cents = (n: number): string => (n / 100).toFixed(2);

/** A real DuckDB file, migrated, with the seeded star loaded. */
export async function openKpiGoldDataset(): Promise<KpiGoldDataset> {
  const { warehouse, cleanup } = await tempWarehouse();
  const orders = buildOrders();
  await warehouse.append({ schema: 'gold', table: 'dim_channel' }, ['channel_key', 'channel_name', 'channel_type', 'sales_channel', 'affiliate_id'], CHANNELS);
  await warehouse.append({ schema: 'gold', table: 'dim_store' }, ['store_key', 'store_name'], STORES.map((s) => [...s]));
  const customers = [...new Set(orders.map((o) => o.customer).filter((c): c is string => c !== null))].sort();
  await warehouse.append(
    { schema: 'gold', table: 'dim_customer' },
    ['customer_key', 'key_type', 'is_corporate', 'state', 'city'],
    customers.map((c, i) => {
      const [state, city] = CITIES[i % CITIES.length] as readonly [string, string];
      return [c, i % 5 === 0 ? 'cnpj' : 'cpf', i % 5 === 0, state, city];
    }),
  );
  await warehouse.append(
    { schema: 'gold', table: 'dim_product' },
    ['product_key', 'product_id', 'name', 'brand_name', 'category', 'cost_price'],
    PRODUCTS.map(([sku, name, brand, category, , cost]) => [sku, `p-${sku}`, name, brand, category, cost === null ? null : cost.toFixed(2)]),
  );

  const orderRows: SqlValue[][] = [];
  const itemRows: SqlValue[][] = [];
  for (const o of orders) {
    const isSale = EXPECTED_SALE_STATUSES.has(o.status);
    const local = new Date(Date.parse(o.createdAt) - 3 * 3_600_000).toISOString().slice(0, 10);
    let units = 0;
    let itemsCents = 0;
    o.items.forEach((it, index) => {
      const unit = Math.round(it.sku[4] * 100);
      const gross = unit * it.quantity;
      const net = gross - it.discountCents;
      units += it.quantity;
      itemsCents += gross;
      const cost = it.sku[5] === null ? null : cents(Math.round(it.sku[5] * 100) * it.quantity);
      itemRows.push([
        `vtex-orders:${o.id}`, 'vtex-orders', o.id, index, local, o.createdAt, o.status, isSale, o.channel, o.store, o.customer,
        it.sku[0], it.quantity, cents(unit), cents(gross), cents(net), cents(gross - net), cost,
      ]);
    });
    const total = itemsCents + o.discountCents + o.shippingCents;
    orderRows.push([
      `vtex-orders:${o.id}`, 'vtex-orders', o.id, local, o.createdAt, o.status, isSale, o.status === 'canceled', o.channel, o.store, o.customer,
      o.coupon, o.utm[0], o.utm[1], o.utm[2], units, cents(itemsCents), cents(o.discountCents), cents(o.shippingCents), cents(total), o.createdAt,
    ]);
  }
  await warehouse.append(
    { schema: 'gold', table: 'fct_orders' },
    ['order_key', 'source', 'order_id', 'order_date', 'created_at', 'status', 'is_sale', 'is_canceled', 'channel_key', 'store_key', 'customer_key',
      'coupon', 'utm_source', 'utm_medium', 'utm_campaign', 'items_count', 'items_total', 'discounts_total', 'shipping_total', 'total', 'last_change'],
    orderRows,
  );
  await warehouse.append(
    { schema: 'gold', table: 'fct_sales' },
    ['order_key', 'source', 'order_id', 'item_index', 'order_date', 'created_at', 'status', 'is_sale', 'channel_key', 'store_key', 'customer_key',
      'product_key', 'quantity', 'unit_price', 'gross_amount', 'net_amount', 'discount_amount', 'cost_amount'],
    itemRows,
  );
  // Targets are calendar months as a spreadsheet states them: DATEs with no time zone.
  const months = ['2024-11-01', '2024-12-01', '2025-01-01', '2025-02-01', '2025-03-01', '2025-04-01'];
  await warehouse.append(
    { schema: 'gold', table: 'fct_store_targets' },
    ['store_key', 'month', 'revenue_target', 'orders_target'],
    months.flatMap((m, i) => STORES.map(([s], j) => [s, m, (10_000 + 1_250 * i + 700 * j).toFixed(2), 20 + i + j])),
  );
  await loadCustomer360(warehouse);
  const dataVersions = await DataVersions.load(warehouse);
  return { warehouse, dataVersions, orders: orders.length, cleanup };
}

/**
 * customer_360 as the pipeline would derive it from these orders (one row per order customer,
 * sales only), so the customers view answers over the same people.
 */
async function loadCustomer360(warehouse: DuckDbWarehouse): Promise<void> {
  await warehouse.execute(`
    INSERT INTO gold.customer_360 (customer_id, key_type, state, city, first_order_at, last_order_at, first_order_date, last_order_date,
                                   orders, ltv, average_ticket, orders_last_365d, is_returning, segment, refreshed_on)
    SELECT c.customer_key, c.key_type, c.state, c.city, min(o.created_at), max(o.created_at),
           min(o.order_date), max(o.order_date), count(o.order_key)::INTEGER, coalesce(sum(o.total), 0),
           sum(o.total) / nullif(count(o.order_key), 0), count(o.order_key)::INTEGER, count(o.order_key) >= 2,
           CASE WHEN count(o.order_key) = 0 THEN 'prospect' WHEN count(o.order_key) >= 2 THEN 'loyal' ELSE 'new' END, DATE '2025-04-10'
    FROM gold.dim_customer c LEFT JOIN gold.fct_orders o ON o.customer_key = c.customer_key AND o.is_sale
    GROUP BY c.customer_key, c.key_type, c.state, c.city`);
}
