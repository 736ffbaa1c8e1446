import type { SqlSessionState, SqlTableSpec } from '../../../src/sql-api/catalog-responder.js';

/** What an analyst sees: `sales` with every column, and `customers` with a described PII column. */
export const ANALYST_TABLES: readonly SqlTableSpec[] = [
  {
    name: 'sales',
    description: 'Sales by order item, in BRL',
    columns: [
      { name: 'channel', type: 'text', description: 'Sales channel' },
      { name: 'order_date', type: 'timestamp', description: 'When the order was placed (local time)' },
      { name: 'revenue', type: 'numeric', description: 'Revenue in BRL' },
      { name: 'orders', type: 'int8' },
      { name: 'avg_ticket', type: 'float8' },
      { name: 'is_first_order', type: 'bool' },
      { name: 'order_day', type: 'date' },
      { name: 'paid_at', type: 'timestamptz' },
    ],
  },
  { name: 'customers', description: 'Customer 360', columns: [{ name: 'email', type: 'text', description: 'Customer e-mail (PII)' }, { name: 'ltv', type: 'numeric' }] },
];

/** A point-of-sale role: `sales` without revenue, and no `customers` at all. */
export const POS_TABLES: readonly SqlTableSpec[] = [
  {
    name: 'sales',
    columns: [
      { name: 'channel', type: 'text' },
      { name: 'order_date', type: 'timestamp' },
      { name: 'orders', type: 'int8' },
    ],
  },
];

export function newSession(settings: Record<string, string> = {}): SqlSessionState {
  return { settings: new Map(Object.entries(settings)), user: 'ana@farol.test', database: 'farol' };
}
