import type { SqlExecutor } from '../../../warehouse/warehouse.js';
import { enqueueFetches } from '../../state/fetch-queue.js';
import { VTEX_ORDER_ENTITY, VTEX_ORDERS } from './vtex-orders-names.js';

/**
 * What a landed order notification implies, however it arrived (hook or feed): a Get order of the
 * order it names, queued in the landing transaction. Duplicates share one queued fetch.
 */
export function enqueueOrderFetches(tx: SqlExecutor, notifications: readonly { readonly naturalKey: string }[]): Promise<void> {
  return enqueueFetches(tx, notifications.map((n) => ({ source: VTEX_ORDERS, entity: VTEX_ORDER_ENTITY, naturalKey: n.naturalKey })));
}
