/**
 * A customer as the CRM sees it: one row of `gold.customer_360`, in camelCase, money as numbers
 * in BRL. Personal fields (name, document, email, phone) are returned as stored; whether a caller
 * may see them is decided above this module (faces mask them for roles without PII).
 */
export interface Customer360 {
  readonly id: string;
  readonly keyType: string;
  readonly vtexUserProfileId: string | null;
  readonly masterDataId: string | null;
  readonly clubMemberId: string | null;
  readonly name: string | null;
  readonly firstName: string | null;
  readonly document: string | null;
  readonly documentType: string | null;
  readonly email: string | null;
  readonly phone: string | null;
  readonly state: string | null;
  readonly city: string | null;
  readonly firstOrderAt: string | null;
  readonly lastOrderAt: string | null;
  readonly orders: number;
  readonly ltv: number;
  readonly averageTicket: number | null;
  readonly averageDaysBetweenOrders: number | null;
  readonly ordersLast365d: number;
  readonly daysSinceLastOrder: number | null;
  readonly isReturning: boolean;
  readonly segment: string | null;
  readonly club: ClubMembership | null;
}

export interface ClubMembership {
  readonly status: string;
  readonly tier: string | null;
  readonly optIn: boolean | null;
  readonly store: string | null;
}

/** One order in a customer's history, newest first. */
export interface CustomerOrder {
  readonly orderKey: string;
  readonly source: string;
  readonly orderId: string;
  readonly createdAt: string;
  readonly orderDate: string;
  readonly status: string;
  readonly isSale: boolean;
  readonly channel: string;
  readonly store: string | null;
  readonly units: number;
  readonly itemsTotal: number;
  readonly discountsTotal: number;
  readonly shippingTotal: number;
  readonly total: number;
}

/** `gold.customer_360` columns read, in the order `toCustomer` expects. */
export const CUSTOMER_360_COLUMNS = [
  'customer_id', 'key_type', 'vtex_user_profile_id', 'master_data_id', 'club_member_id', 'name', 'first_name', 'document',
  'document_type', 'email', 'phone', 'state', 'city', 'first_order_at', 'last_order_at', 'orders', 'ltv', 'average_ticket',
  'average_days_between_orders', 'orders_last_365d', 'days_since_last_order', 'is_returning', 'segment', 'club_status',
  'club_tier', 'marketing_opt_in', 'club_store',
] as const;

type Customer360Row = Record<(typeof CUSTOMER_360_COLUMNS)[number], unknown>;

const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

export function toCustomer(r: Customer360Row): Customer360 {
  const status = str(r.club_status);
  return {
    id: String(r.customer_id),
    keyType: String(r.key_type),
    vtexUserProfileId: str(r.vtex_user_profile_id),
    masterDataId: str(r.master_data_id),
    clubMemberId: str(r.club_member_id),
    name: str(r.name),
    firstName: str(r.first_name),
    document: str(r.document),
    documentType: str(r.document_type),
    email: str(r.email),
    phone: str(r.phone),
    state: str(r.state),
    city: str(r.city),
    firstOrderAt: str(r.first_order_at),
    lastOrderAt: str(r.last_order_at),
    orders: Number(r.orders ?? 0),
    ltv: Number(r.ltv ?? 0),
    averageTicket: num(r.average_ticket),
    averageDaysBetweenOrders: num(r.average_days_between_orders),
    ordersLast365d: Number(r.orders_last_365d ?? 0),
    daysSinceLastOrder: num(r.days_since_last_order),
    isReturning: r.is_returning === true,
    segment: str(r.segment),
    club: status === null ? null : { status, tier: str(r.club_tier), optIn: r.marketing_opt_in === null || r.marketing_opt_in === undefined ? null : r.marketing_opt_in === true, store: str(r.club_store) },
  };
}

/** `gold.fct_orders` columns of an order in the history. */
export const CUSTOMER_ORDER_COLUMNS_SQL =
  'f.order_key, f.source, f.order_id, f.created_at, f.order_date, f.status, f.is_sale, f.channel_key, f.store_key, f.items_count, f.items_total, f.discounts_total, f.shipping_total, f.total';

export function toCustomerOrder(r: Record<string, unknown>): CustomerOrder {
  return {
    orderKey: String(r.order_key),
    source: String(r.source),
    orderId: String(r.order_id),
    createdAt: String(r.created_at),
    orderDate: String(r.order_date),
    status: String(r.status),
    isSale: r.is_sale === true,
    channel: String(r.channel_key),
    store: str(r.store_key),
    units: Number(r.items_count ?? 0),
    itemsTotal: Number(r.items_total ?? 0),
    discountsTotal: Number(r.discounts_total ?? 0),
    shippingTotal: Number(r.shipping_total ?? 0),
    total: Number(r.total ?? 0),
  };
}
