export { ClubIndexNotReadyError, ClubMemberIndex, DEFAULT_INDEX_MIN_INTERVAL_MS, type ClubValidation } from './club-member-index.js';
export type { ClubMembership, Customer360, CustomerOrder } from './customer-360.js';
export { Customer360Service, DEFAULT_PAGE_SIZE, MAX_ORDER_PAGE_SIZE, MAX_PAGE_SIZE, type CustomerFilter, type Page } from './customer-360-service.js';
export { CustomerQueryError, type CustomerLookupInput } from './customer-lookup.js';
