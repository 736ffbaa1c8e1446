/**
 * The rules gold keeps after every refresh (run by pipeline/data-tests). Error-level tests guard
 * what the semantic model joins on: a fact whose key repeats or whose dimension row is missing
 * would double or drop revenue. A status gold.dim_order_status does not know yet (VTEX adds
 * some) is a warning: the order is simply not a sale until the status is seeded.
 */
import type { DataTest } from './data-test.js';
import { RFM_SEGMENTS } from '../../transform/gold/rfm-segment.js';

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

const CUSTOMER_IDENTITY = { table: 'gold.customer_identity', keyColumns: ['source', 'source_id'] } as const;
const CUSTOMER_360 = { table: 'gold.customer_360', keyColumns: ['customer_id'] } as const;

/**
 * Customer 360 and identity: a repeated key or a record pointing at no customer would count a
 * person twice or lose them. A negative LTV follows a negative order total, which silver only
 * warns about, so it warns here too.
 */
export const GOLD_CUSTOMER_360_DATA_TESTS: readonly DataTest[] = [
  { ...CUSTOMER_IDENTITY, kind: 'unique', columns: ['source', 'source_id'], severity: 'error' },
  { ...CUSTOMER_IDENTITY, kind: 'not_null', column: 'customer_id', severity: 'error' },
  { ...CUSTOMER_IDENTITY, kind: 'accepted_values', column: 'matched_by', values: ['document', 'email', 'phone', 'profile'], severity: 'error' },
  {
    ...CUSTOMER_IDENTITY, kind: 'relationship', columns: ['customer_id'],
    to: { table: 'gold.customer_360', columns: ['customer_id'] }, severity: 'error',
  },
  { ...CUSTOMER_360, kind: 'unique', columns: ['customer_id'], severity: 'error' },
  {
    ...CUSTOMER_360, kind: 'relationship', columns: ['customer_id'],
    to: { table: 'gold.customer_identity', columns: ['customer_id'] }, severity: 'error',
  },
  { ...CUSTOMER_360, kind: 'accepted_values', column: 'key_type', values: ['cpf', 'cnpj', 'email', 'phone', 'profile'], severity: 'error' },
  { ...CUSTOMER_360, kind: 'accepted_values', column: 'segment', values: RFM_SEGMENTS, severity: 'error' },
  { ...CUSTOMER_360, kind: 'not_null', column: 'segment', severity: 'error' },
  { ...CUSTOMER_360, kind: 'range', column: 'orders', min: 0, severity: 'error' },
  { ...CUSTOMER_360, kind: 'range', column: 'orders_last_365d', min: 0, severity: 'error' },
  { ...CUSTOMER_360, kind: 'range', column: 'ltv', min: 0, severity: 'warn' },
  { ...CUSTOMER_360, kind: 'document', column: 'document', severity: 'warn' },
  { ...CUSTOMER_360, kind: 'email', column: 'email', severity: 'warn' },
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
  return [...goldFctOrdersDataTests(options), ...GOLD_FCT_SALES_DATA_TESTS, ...GOLD_FCT_STORE_TARGETS_DATA_TESTS, ...GOLD_CUSTOMER_360_DATA_TESTS];
}
