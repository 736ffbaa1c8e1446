import { maskDocument, maskEmail, maskName, maskPhone, maskPii, type SecurityContext } from '../auth/index.js';
import type { Customer360, CustomerOrder, Page } from '../customers/index.js';
import type { CustomerOrderConnectionType, CustomerType } from './customer-types.js';

/** Whether the caller's role sees personal data unmasked (src/auth decides, per role). */
export function canSeePii(security: SecurityContext): boolean {
  return security.data.piiVisible;
}

const masked = <T extends string | null>(v: T, mask: (s: string) => string, visible: boolean): T | string => (v === null || visible ? v : mask(v));

/** The GraphQL object for a customer, personal fields masked unless `piiVisible`. */
export function toCustomerType(c: Customer360, piiVisible: boolean): CustomerType {
  return {
    // A customer id carries its identifying value (`cpf:<digits>`); masked, it keeps its kind.
    id: piiVisible ? c.id : String(maskPii(c.id)),
    resolvedId: c.id,
    name: masked(c.name, maskName, piiVisible),
    firstName: masked(c.firstName, maskName, piiVisible),
    document: masked(c.document, maskDocument, piiVisible),
    email: masked(c.email, maskEmail, piiVisible),
    phone: masked(c.phone, maskPhone, piiVisible),
    state: c.state,
    city: c.city,
    ltv: c.ltv,
    orders: c.orders,
    averageTicket: c.averageTicket,
    averageDaysBetweenOrders: c.averageDaysBetweenOrders,
    ordersLast365d: c.ordersLast365d,
    daysSinceLastOrder: c.daysSinceLastOrder,
    firstOrderAt: c.firstOrderAt,
    lastOrderAt: c.lastOrderAt,
    isReturning: c.isReturning,
    segment: c.segment,
    club: c.club,
    vtexUserProfileId: c.vtexUserProfileId,
    masterDataId: c.masterDataId,
    clubMemberId: c.clubMemberId,
  };
}

export function toOrderConnection(page: Page<CustomerOrder>): CustomerOrderConnectionType {
  return {
    edges: page.nodes.map((node, i) => ({ cursor: page.cursors[i] as string, node })),
    nodes: [...page.nodes],
    pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.endCursor },
  };
}
