/** Bronze entities the catalog source lands; both are keyed by SKU id. */
export const VTEX_SKU_ENTITY = 'sku';
export const VTEX_PRICE_ENTITY = 'price';
