/**
 * VTEX SKU ids are int32: positive integers up to 2,147,483,647 (Catalog API reference). Anything
 * else (`..`, `1/2`, `1 OR 1=1`, `0`, `01`) is refused before it reaches a URL path, where it could
 * name another endpoint.
 */
export const MAX_VTEX_SKU_ID = 2_147_483_647;

export function isVtexSkuId(id: string): boolean {
  return /^[1-9]\d{0,9}$/.test(id) && Number(id) <= MAX_VTEX_SKU_ID;
}

/** A Catalog or Pricing read asked for an id that cannot be a SKU's; retrying cannot help. */
export class InvalidSkuIdError extends Error {
  constructor() {
    super(`not a VTEX SKU id (expected a whole number from 1 to ${MAX_VTEX_SKU_ID}, no sign or leading zero); never requested`);
    this.name = 'InvalidSkuIdError';
  }
}
