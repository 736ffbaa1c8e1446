import type { SourceKind } from '../source-kind.js';

/** The VTEX orders source and the bronze entities it lands. */
export const VTEX_ORDERS = 'vtex-orders' satisfies SourceKind;
/** A Get-order payload: what silver reads. */
export const VTEX_ORDER_ENTITY = 'order';
/** An order hook notification: names an order to fetch; kept in bronze as received. */
export const VTEX_NOTIFICATION_ENTITY = 'order_notification';
