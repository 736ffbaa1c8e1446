/**
 * What a VTEX order id can be: letters, digits, `-` and `_` (`1393000159379-01`, `v70530116str-01`,
 * a marketplace's `SLR-4567-01`), at most 100 characters. Anything else (`..`, `a/b`, `%2e%2e`) is
 * refused at the hook and never put in a URL path, where `..` would name another endpoint.
 */
export const VTEX_ORDER_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/;
export const VTEX_ORDER_ID_MESSAGE = 'expected a VTEX order id: up to 100 letters, digits, "-" or "_"';

export function isVtexOrderId(id: string): boolean {
  return VTEX_ORDER_ID.test(id);
}

/** A Get order asked for an id that cannot be one; retrying cannot help. */
export class InvalidOrderIdError extends Error {
  constructor() {
    super(`not a VTEX order id (${VTEX_ORDER_ID_MESSAGE.replace(/^expected /, '')}); never requested`);
    this.name = 'InvalidOrderIdError';
  }
}
