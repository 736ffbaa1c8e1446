/**
 * The rules gold keeps after every refresh (run by pipeline/data-tests). Error-level tests guard
 * what the semantic model joins on: a fact whose key repeats or whose dimension row is missing
 * would double or drop revenue. A status gold.dim_order_status does not know yet (VTEX adds
 * some) is a warning: the order is simply not a sale until the status is seeded.
 */
import type { DataTest } from './data-test.js';

/** Warn when the newest order change is older than this. */
export const DEFAULT_ORDERS_FRESHNESS_HOURS = 48;

export interface GoldDataTestOptions {
  /** Hours after which gold.fct_orders is stale (warn); null leaves freshness unchecked. */
  readonly ordersFreshnessHours?: number | null;
}

const FCT_ORDERS = { table: 'gold.fct_orders', keyColumns: ['order_key'] } as const;

/** Sales are scoped by their order: a refresh knows which orders changed, not which items. */
const FCT_SALES = { table: 'gold.fct_sales', keyColumns: ['order_key', 'item_index'], scopeColumns: ['order_key'] } as const;

const FCT_STORE_TARGETS = { table: 'gold.fct_store_targets', keyColumns: ['store_key', 'month'] } as const;

export const GOLD_FCT_SALES_DATA_TESTS: readonly DataTest[] = [
  { ...FCT_SALES, kind: 'unique', columns: ['order_key', 'item_index'], severity: 'error' },
  {
    ...FCT_SALES, kind: 'relationship', columns: ['order_key'],
    to: { table: 'gold.fct_orders', columns: ['order_key'] }, severity: 'error',
  },
  {
    ...FCT_SALES, kind: 'relationship', columns: ['product_key'],
    to: { table: 'gold.dim_product', columns: ['product_key'] }, severity: 'error',
  },
];

export const GOLD_FCT_STORE_TARGETS_DATA_TESTS: readonly DataTest[] = [
  { ...FCT_STORE_TARGETS, kind: 'unique', columns: ['store_key', 'month'], severity: 'error' },
];

export function goldFctOrdersDataTests(options: GoldDataTestOptions = {}): DataTest[] {
  const hours = options.ordersFreshnessHours === undefined ? DEFAULT_ORDERS_FRESHNESS_HOURS : options.ordersFreshnessHours;
  const tests: DataTest[] = [
    { ...FCT_ORDERS, kind: 'not_null', column: 'order_key', severity: 'error' },
    { ...FCT_ORDERS, kind: 'unique', columns: ['order_key'], severity: 'error' },
    { ...FCT_ORDERS, kind: 'not_null', column: 'order_date', severity: 'error' },
    {
      ...FCT_ORDERS, kind: 'relationship', columns: ['channel_key'],
      to: { table: 'gold.dim_channel', columns: ['channel_key'] }, severity: 'error',
    },
    {
      ...FCT_ORDERS, kind: 'relationship', columns: ['status'],
      to: { table: 'gold.dim_order_status', columns: ['status'] }, severity: 'warn',
    },
    { ...FCT_ORDERS, kind: 'range', column: 'total', min: 0, severity: 'warn' },
  ];
  if (hours !== null) tests.push({ ...FCT_ORDERS, kind: 'freshness', column: 'last_change', maxAgeHours: hours, severity: 'warn' });
  return tests;
}

export function goldDataTests(options: GoldDataTestOptions = {}): DataTest[] {
  return [...goldFctOrdersDataTests(options), ...GOLD_FCT_SALES_DATA_TESTS, ...GOLD_FCT_STORE_TARGETS_DATA_TESTS];
}
