import { LRUCache } from 'lru-cache';
import { placeholders, type Row, type SqlValue, type Warehouse, type WarehouseDialect } from '../warehouse/warehouse.js';
import type { DataVersions } from '../warehouse/data-version.js';
import { CUSTOMER_360_COLUMNS, CUSTOMER_ORDER_COLUMNS_SQL, toCustomer, toCustomerOrder, type Customer360, type CustomerOrder } from './customer-360.js';
import { CursorSealer } from './customer-cursor.js';
import { CustomerQueryError, parseCustomerLookup, type CustomerLookupInput } from './customer-lookup.js';

/** Page sizes: the default when a caller gives none, and the most one page may hold. */
export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 500;
export const MAX_ORDER_PAGE_SIZE = 100;
/** Entries in the answer cache (pages, customers, histories), all keyed by data version. */
export const DEFAULT_CUSTOMER_CACHE_ENTRIES = 20_000;
/** Most values one list filter may carry. */
const MAX_FILTER_VALUES = 100;

export interface CustomerFilter {
  readonly segment?: readonly string[] | undefined;
  readonly clubStatus?: readonly string[] | undefined;
  readonly state?: readonly string[] | undefined;
  /** Last sale on or after this business day (`YYYY-MM-DD`). */
  readonly lastOrderFrom?: string | undefined;
  /** Last sale on or before this business day. */
  readonly lastOrderTo?: string | undefined;
}

export interface Page<T> {
  readonly nodes: readonly T[];
  readonly cursors: readonly string[];
  readonly hasNextPage: boolean;
  readonly endCursor: string | null;
}

/** The orders of a customer, as the identity table links them: every source id resolved to the customer. */
const CUSTOMER_ORDERS_SQL = `gold.customer_identity ci JOIN gold.fct_orders f ON ci.source = f.source AND ci.source_id = f.customer_key`;

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;
/** `YYYY-MM-DD` naming a day that exists: Date.parse would roll 2026-02-30 over to March, the warehouse refuses it. */
const isCalendarDay = (s: string) => ISO_DAY.test(s) && !Number.isNaN(Date.parse(s)) && new Date(`${s}T00:00:00Z`).toISOString().slice(0, 10) === s;
const SELECT_CUSTOMER = `SELECT ${CUSTOMER_360_COLUMNS.join(', ')} FROM gold.customer_360`;
/**
 * Where a history page starts after its cursor (created_at, order_key), newest first. The cursor's
 * instant is compared as the column's own type: DuckDB's TIMESTAMPTZ, BigQuery's TIMESTAMP (the
 * only SQL here that differs; everything else is the subset both warehouses share).
 */
const HISTORY_SEEK: Readonly<Record<WarehouseDialect, string>> = {
  duckdb: ' AND (f.created_at < CAST(? AS TIMESTAMPTZ) OR (f.created_at = CAST(? AS TIMESTAMPTZ) AND f.order_key < ?))',
  bigquery: ' AND (f.created_at < CAST(? AS TIMESTAMP) OR (f.created_at = CAST(? AS TIMESTAMP) AND f.order_key < ?))',
};

/**
 * Reads customer 360 for the CRM: one customer by id, document, e-mail or phone; filtered pages;
 * order histories. Every method takes many keys at once where a page needs many (DataLoader
 * batches into these), so a page of customers with their orders costs a fixed number of
 * queries. Answers are cached by data version: a gold refresh makes old entries unreachable.
 * Reads only committed data through the warehouse's reader connections, never the writer.
 */
export class Customer360Service {
  readonly #cache: LRUCache<string, { value: unknown }>;
  readonly #cursors = new CursorSealer();
  readonly #historySeek: string;

  constructor(
    private readonly warehouse: Pick<Warehouse, 'query' | 'dialect'>,
    private readonly dataVersions: DataVersions,
    opts: { readonly cacheEntries?: number } = {},
  ) {
    this.#cache = new LRUCache({ max: opts.cacheEntries ?? DEFAULT_CUSTOMER_CACHE_ENTRIES });
    this.#historySeek = HISTORY_SEEK[warehouse.dialect];
  }

  /** Customers by id, in the order asked; `undefined` where there is none. One query for the misses. */
  async byIds(ids: readonly string[]): Promise<(Customer360 | undefined)[]> {
    const version = this.dataVersions.current();
    const key = (id: string) => `${version}|id|${id}`;
    const missing = [...new Set(ids.filter((id) => !this.#cache.has(key(id))))];
    if (missing.length > 0) {
      const rows = await this.warehouse.query(`${SELECT_CUSTOMER} WHERE customer_id IN (${placeholders(missing.length)})`, missing);
      const found = new Map(rows.map((r) => [String(r.customer_id), toCustomer(r as never)]));
      for (const id of missing) this.#cache.set(key(id), { value: found.get(id) });
    }
    return ids.map((id) => this.#cache.get(key(id))?.value as Customer360 | undefined);
  }

  /** The one customer a lookup names, or `undefined`. Throws `CustomerQueryError` for a malformed lookup. */
  async find(input: CustomerLookupInput): Promise<Customer360 | undefined> {
    const lookup = parseCustomerLookup(input);
    if (lookup.column === 'customer_id') return (await this.byIds([lookup.value]))[0];
    // A verified document outranks every other identifier, so a customer that has one is keyed
    // by it: the lookup is a primary-key read, not a scan.
    if (lookup.column === 'document') return (await this.byIds([`${lookup.kind}:${lookup.value}`]))[0];
    return this.cached(`find|${lookup.column}|${lookup.value}`, async () => {
      // Two customers may share an e-mail or a phone (a family account): the lowest id answers, always the same.
      const rows = await this.warehouse.query(`${SELECT_CUSTOMER} WHERE ${lookup.column} = ? ORDER BY customer_id LIMIT 1`, [lookup.value]);
      return rows[0] ? toCustomer(rows[0] as never) : undefined;
    });
  }

  /** A page of customers matching `filter`, in id order, after the cursor `after`. */
  async list(filter: CustomerFilter, first: number | undefined, after: string | undefined): Promise<Page<Customer360>> {
    const size = pageSize(first, MAX_PAGE_SIZE, 'first');
    const where: string[] = [];
    const params: SqlValue[] = [];
    const inList = (column: string, values: readonly string[] | undefined, field: string) => {
      if (values === undefined) return;
      if (values.length === 0 || values.length > MAX_FILTER_VALUES) throw new CustomerQueryError(`filter.${field}: give 1 to ${MAX_FILTER_VALUES} values`, `filter.${field}`);
      where.push(`${column} IN (${placeholders(values.length)})`);
      params.push(...values);
    };
    inList('segment', filter.segment, 'segment');
    inList('club_status', filter.clubStatus, 'clubStatus');
    inList('state', filter.state, 'state');
    for (const [bound, op, field] of [[filter.lastOrderFrom, '>=', 'lastOrderFrom'], [filter.lastOrderTo, '<=', 'lastOrderTo']] as const) {
      if (bound === undefined) continue;
      if (!isCalendarDay(bound)) throw new CustomerQueryError(`filter.${field}: expected a day as YYYY-MM-DD, got ${JSON.stringify(bound.slice(0, 40))}`, `filter.${field}`);
      where.push(`last_order_date ${op} CAST(? AS DATE)`);
      params.push(bound);
    }
    if (after !== undefined) {
      const [id] = this.#cursors.open(after, 1, 'after');
      where.push('customer_id > ?');
      params.push(id as string);
    }
    const sql = `${SELECT_CUSTOMER}${where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY customer_id LIMIT ${size + 1}`;
    return this.cached(`list|${sql}|${JSON.stringify(params)}`, async () => {
      const rows = await this.warehouse.query(sql, params);
      const nodes = rows.slice(0, size).map((r) => toCustomer(r as never));
      return this.toPage(nodes, rows.length > size, (c) => [c.id]);
    });
  }

  /**
   * For each customer id, a page of its orders, newest first: one query for all of them (a
   * window per customer), whatever their number. `after` is a cursor from a previous page of
   * the same customer's history.
   */
  async orderHistories(customerIds: readonly string[], first: number | undefined, after: string | undefined): Promise<Page<CustomerOrder>[]> {
    const size = pageSize(first, MAX_ORDER_PAGE_SIZE, 'orderHistory.first');
    const cursor = after === undefined ? undefined : this.#cursors.open(after, 2, 'orderHistory.after');
    const version = this.dataVersions.current();
    const key = (id: string) => `${version}|orders|${size}|${after ?? ''}|${id}`;
    const missing = [...new Set(customerIds.filter((id) => !this.#cache.has(key(id))))];
    if (missing.length > 0) {
      const params: SqlValue[] = [...missing];
      let seek = '';
      if (cursor) {
        seek = this.#historySeek;
        params.push(cursor[0] as string, cursor[0] as string, cursor[1] as string);
      }
      const rows = await this.warehouse.query<Row>(
        `SELECT * FROM (
           SELECT ci.customer_id AS owner_id, ${CUSTOMER_ORDER_COLUMNS_SQL},
                  row_number() OVER (PARTITION BY ci.customer_id ORDER BY f.created_at DESC, f.order_key DESC) AS rn
           FROM ${CUSTOMER_ORDERS_SQL}
           WHERE ci.customer_id IN (${placeholders(missing.length)})${seek})
         WHERE rn <= ${size + 1} ORDER BY owner_id, rn`,
        params,
      );
      const byOwner = new Map<string, CustomerOrder[]>();
      for (const r of rows) {
        const list = byOwner.get(String(r.owner_id)) ?? [];
        list.push(toCustomerOrder(r));
        byOwner.set(String(r.owner_id), list);
      }
      for (const id of missing) {
        const orders = byOwner.get(id) ?? [];
        this.#cache.set(key(id), { value: this.toPage(orders.slice(0, size), orders.length > size, (o) => [o.createdAt, o.orderKey]) });
      }
    }
    return customerIds.map((id) => this.#cache.get(key(id))?.value as Page<CustomerOrder>);
  }

  private toPage<T>(nodes: readonly T[], hasNextPage: boolean, keyOf: (node: T) => string[]): Page<T> {
    const cursors = nodes.map((n) => this.#cursors.seal(keyOf(n)));
    return { nodes, cursors, hasNextPage, endCursor: cursors.at(-1) ?? null };
  }

  private async cached<T>(key: string, load: () => Promise<T>): Promise<T> {
    const full = `${this.dataVersions.current()}|${key}`;
    const hit = this.#cache.get(full);
    if (hit) return hit.value as T;
    const value = await load();
    this.#cache.set(full, { value });
    return value;
  }
}

function pageSize(first: number | undefined, max: number, field: string): number {
  const n = first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(n) || n < 1 || n > max) throw new CustomerQueryError(`${field}: expected 1 to ${max}, got ${n}`, field);
  return n;
}

