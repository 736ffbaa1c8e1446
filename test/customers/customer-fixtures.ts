import { cpfCheckDigits } from '../../src/shared/brazil-documents.js';
import type { SqlExecutor } from '../../src/warehouse/warehouse.js';

/** The i-th valid CPF of the fixtures (digits only). */
export function fixtureCpf(i: number): string {
  const base = String(100_000_000 + i * 7_919).padStart(9, '0');
  return base + cpfCheckDigits(base);
}

export interface FixtureCustomer {
  readonly id: string;
  readonly document: string;
  readonly email: string;
  readonly phone: string;
  readonly segment: string;
  readonly state: string;
  readonly clubStatus: string | null;
  /** The order customer key its orders carry (a VTEX profile for some, the CPF key for others). */
  readonly orderKey: string;
  readonly orders: number;
}

const SEGMENTS = ['champions', 'loyal', 'new', 'at_risk', 'lost'] as const;
const STATES = ['SP', 'RJ', 'MG'] as const;
const CLUB = ['active', 'suspended', 'canceled', null] as const;

/**
 * Writes `n` customers into gold.customer_360 with their identity rows and `ordersEach` orders in
 * gold.fct_orders, as the gold refresh would leave them: what the read side is tested against.
 */
export async function seedCustomers(tx: SqlExecutor, n: number, ordersEach: number): Promise<FixtureCustomer[]> {
  const customers: FixtureCustomer[] = [];
  for (let i = 0; i < n; i++) {
    const document = fixtureCpf(i);
    customers.push({
      id: `cpf:${document}`,
      document,
      email: `cliente.${i}@exemplo.com.br`,
      phone: `+55119${String(80_000_000 + i).padStart(8, '0')}`,
      segment: SEGMENTS[i % SEGMENTS.length] as string,
      state: STATES[i % STATES.length] as string,
      clubStatus: CLUB[i % CLUB.length] ?? null,
      orderKey: i % 2 === 0 ? `cpf:${document}` : `profile:${i.toString(16).padStart(8, '0')}-vtex`,
      orders: ordersEach,
    });
  }
  for (const c of customers) {
    const [i] = [customers.indexOf(c)];
    await tx.execute(
      `INSERT INTO gold.customer_360 (customer_id, key_type, name, first_name, document, document_type, email, phone, state, city,
         first_order_at, last_order_at, first_order_date, last_order_date, orders, ltv, average_ticket, average_days_between_orders,
         orders_last_365d, days_since_last_order, is_returning, segment, club_status, club_tier, marketing_opt_in, club_store, refreshed_on,
         club_member_id)
       VALUES (?, 'cpf', ?, ?, ?, 'cpf', ?, ?, ?, 'Cidade', '2026-01-01T12:00:00Z', '2026-11-01T12:00:00Z', '2026-01-01', '2026-11-01',
         ?, ?, ?, 50.5, ?, 28, ?, ?, ?, ?, ?, 'loja-1', '2026-11-29', ?)`,
      [c.id, `Cliente Número ${i}`, 'Cliente', c.document, c.email, c.phone, c.state, c.orders, 100 * c.orders, 100, c.orders, c.orders >= 2,
        c.segment, c.clubStatus, c.clubStatus ? (i % 2 === 0 ? 'ouro' : 'prata') : null, c.clubStatus ? i % 3 !== 0 : null, c.clubStatus ? `m-${i}` : null],
    );
    await tx.execute(`INSERT INTO gold.customer_identity VALUES ('vtex-orders', ?, ?, ?)`, [c.orderKey, c.id, c.orderKey.startsWith('cpf:') ? 'document' : 'profile']);
    for (let k = 0; k < c.orders; k++) {
      const day = `2026-${String(1 + (k % 11)).padStart(2, '0')}-${String(1 + (i % 27)).padStart(2, '0')}`;
      await tx.execute(
        `INSERT INTO gold.fct_orders (order_key, source, order_id, order_date, created_at, status, is_sale, is_canceled, channel_key, store_key,
           customer_key, items_count, items_total, discounts_total, shipping_total, total, last_change)
         VALUES (?, 'vtex-orders', ?, CAST(? AS DATE), CAST(? AS TIMESTAMPTZ), 'invoiced', true, false, 'sc:1', 'loja-1', ?, 2, 90, 0, 10, 100, CAST(? AS TIMESTAMPTZ))`,
        [`vtex-orders:o-${i}-${k}`, `o-${i}-${k}`, day, `${day}T15:00:00Z`, c.orderKey, `${day}T15:00:00Z`],
      );
    }
  }
  return customers;
}
