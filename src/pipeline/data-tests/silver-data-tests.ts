/**
 * The rules silver keeps after every refresh (run by pipeline/data-tests). Error-level tests
 * hold a refresh back: a broken key, a foreign currency or a negative quantity would corrupt
 * gold's numbers. Warnings flag what shoppers and sources get wrong without stopping the data.
 */
import type { DataTest } from './data-test.js';

const ORDERS = { table: 'silver.orders', keyColumns: ['source', 'order_id'] } as const;

/** Some VTEX shoppers are foreigners: a passport is not a CPF, so only cpf/cnpj (or untyped) documents are checked. */
const CPF_OR_CNPJ = `document_type IS NULL OR lower(document_type) IN ('cpf', 'cnpj')`;

export const SILVER_ORDERS_DATA_TESTS: readonly DataTest[] = [
  { ...ORDERS, kind: 'not_null', column: 'source', severity: 'error' },
  { ...ORDERS, kind: 'not_null', column: 'order_id', severity: 'error' },
  { ...ORDERS, kind: 'not_null', column: 'status', severity: 'error' },
  { ...ORDERS, kind: 'not_null', column: 'created_at', severity: 'error' },
  { ...ORDERS, kind: 'not_null', column: 'last_change', severity: 'error' },
  { ...ORDERS, kind: 'unique', columns: ['source', 'order_id'], severity: 'error' },
  // Gold money is BRL; an order in another currency must not be summed with it.
  { ...ORDERS, kind: 'accepted_values', column: 'currency', values: ['BRL'], severity: 'error' },
  { ...ORDERS, kind: 'range', column: 'items_total', min: 0, severity: 'warn' },
  { ...ORDERS, kind: 'range', column: 'shipping_total', min: 0, severity: 'warn' },
  { ...ORDERS, kind: 'range', column: 'total', min: 0, severity: 'warn' },
  // VTEX reports discounts as a negative total.
  { ...ORDERS, kind: 'range', column: 'discounts_total', max: 0, severity: 'warn' },
  // Shoppers mistype documents; identity resolution already falls back to email or phone.
  { ...ORDERS, kind: 'document', column: 'document', where: CPF_OR_CNPJ, severity: 'warn' },
  // Syntax only: OMS sends masked `…@ct.vtex.com.br` aliases, which are valid addresses.
  { ...ORDERS, kind: 'email', column: 'customer_email', severity: 'warn' },
];

/** Items are scoped by their order's key: a refresh knows which orders changed, not which items. */
const ORDER_ITEMS = {
  table: 'silver.order_items',
  keyColumns: ['source', 'order_id', 'item_index'],
  scopeColumns: ['source', 'order_id'],
} as const;

export const SILVER_ORDER_ITEMS_DATA_TESTS: readonly DataTest[] = [
  { ...ORDER_ITEMS, kind: 'not_null', column: 'source', severity: 'error' },
  { ...ORDER_ITEMS, kind: 'not_null', column: 'order_id', severity: 'error' },
  { ...ORDER_ITEMS, kind: 'not_null', column: 'item_index', severity: 'error' },
  // No PK index on items (they are replaced by delete + append), so this test is the guard.
  { ...ORDER_ITEMS, kind: 'unique', columns: ['source', 'order_id', 'item_index'], severity: 'error' },
  { ...ORDER_ITEMS, kind: 'range', column: 'quantity', min: 0, severity: 'error' },
  { ...ORDER_ITEMS, kind: 'range', column: 'selling_price', min: 0, severity: 'warn' },
  { ...ORDER_ITEMS, kind: 'range', column: 'unit_price', min: 0, severity: 'warn' },
  {
    ...ORDER_ITEMS, kind: 'relationship', columns: ['source', 'order_id'],
    to: { table: 'silver.orders', columns: ['source', 'order_id'] }, severity: 'error',
  },
];

const STORE_TARGETS = { table: 'silver.store_targets', keyColumns: ['source', 'store_key', 'month'] } as const;

export const SILVER_STORE_TARGETS_DATA_TESTS: readonly DataTest[] = [
  { ...STORE_TARGETS, kind: 'not_null', column: 'month', severity: 'error' },
  { ...STORE_TARGETS, kind: 'unique', columns: ['source', 'store_key', 'month'], severity: 'error' },
  { ...STORE_TARGETS, kind: 'range', column: 'revenue_target', min: 0, severity: 'error' },
];

const PRODUCTS = { table: 'silver.products', keyColumns: ['source', 'sku_id'] } as const;
const PRODUCT_PRICES = { table: 'silver.product_prices', keyColumns: ['source', 'sku_id'] } as const;

export const SILVER_CATALOG_DATA_TESTS: readonly DataTest[] = [
  { ...PRODUCTS, kind: 'unique', columns: ['source', 'sku_id'], severity: 'error' },
  // A SKU without a name or brand shows up as a blank row in every product report.
  { ...PRODUCTS, kind: 'not_null', column: 'name', severity: 'warn' },
  { ...PRODUCTS, kind: 'not_null', column: 'brand_name', severity: 'warn' },
  { ...PRODUCT_PRICES, kind: 'unique', columns: ['source', 'sku_id'], severity: 'error' },
  { ...PRODUCT_PRICES, kind: 'range', column: 'base_price', min: 0, severity: 'warn' },
  { ...PRODUCT_PRICES, kind: 'range', column: 'list_price', min: 0, severity: 'warn' },
  { ...PRODUCT_PRICES, kind: 'range', column: 'cost_price', min: 0, severity: 'warn' },
];

const CUSTOMERS = { table: 'silver.customers', keyColumns: ['source', 'customer_id'] } as const;

export const SILVER_CUSTOMERS_DATA_TESTS: readonly DataTest[] = [
  { ...CUSTOMERS, kind: 'unique', columns: ['source', 'customer_id'], severity: 'error' },
  { ...CUSTOMERS, kind: 'not_null', column: 'changed_at', severity: 'error' },
  // People mistype their own details; identity falls back to the next usable one.
  { ...CUSTOMERS, kind: 'email', column: 'email', severity: 'warn' },
  { ...CUSTOMERS, kind: 'document', column: 'document', where: CPF_OR_CNPJ, severity: 'warn' },
];

const CLUB_MEMBERS = { table: 'silver.club_members', keyColumns: ['source', 'member_id'] } as const;

export const SILVER_CLUB_MEMBERS_DATA_TESTS: readonly DataTest[] = [
  { ...CLUB_MEMBERS, kind: 'unique', columns: ['source', 'member_id'], severity: 'error' },
  { ...CLUB_MEMBERS, kind: 'not_null', column: 'lsn', severity: 'error' },
  // Staging quarantines any other status, so a failure here is a staging bug.
  { ...CLUB_MEMBERS, kind: 'accepted_values', column: 'club_status', values: ['active', 'suspended', 'canceled'], severity: 'error' },
  { ...CLUB_MEMBERS, kind: 'accepted_values', column: 'document_type', values: ['cpf', 'cnpj'], severity: 'error' },
  // Typed at the till: identity falls back to e-mail or phone when the document does not verify.
  { ...CLUB_MEMBERS, kind: 'document', column: 'document', severity: 'warn' },
  { ...CLUB_MEMBERS, kind: 'email', column: 'email', severity: 'warn' },
];

export const SILVER_DATA_TESTS: readonly DataTest[] = [
  ...SILVER_ORDERS_DATA_TESTS,
  ...SILVER_ORDER_ITEMS_DATA_TESTS,
  ...SILVER_STORE_TARGETS_DATA_TESTS,
  ...SILVER_CATALOG_DATA_TESTS,
  ...SILVER_CUSTOMERS_DATA_TESTS,
  ...SILVER_CLUB_MEMBERS_DATA_TESTS,
];
