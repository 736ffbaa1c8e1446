/** The bronze entity of a Master Data `CL` document, keyed by its `id`. */
export const VTEX_CUSTOMER_ENTITY = 'customer';
