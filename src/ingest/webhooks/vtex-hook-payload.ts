import { z } from 'zod';
import { VTEX_ORDER_ID, VTEX_ORDER_ID_MESSAGE } from '../sources/vtex-orders/vtex-order-id.js';

/**
 * VTEX order hook bodies. The ping is sent when the hook is saved and must get a 200. A
 * notification names the order and its new state; it is not the order: the worker fetches that.
 * VTEX's own guide omits `LastState`/`CurrentChange` in an example, so they are optional.
 */
export const hookPingSchema = z.object({ hookConfig: z.literal('ping') });

const timestamp = z.string().regex(/^\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:?\d{2})?$/, 'expected an ISO-8601 timestamp');

export const orderNotificationSchema = z.object({
  Domain: z.string().optional(),
  OrderId: z.string().regex(VTEX_ORDER_ID, VTEX_ORDER_ID_MESSAGE),
  State: z.string().trim().min(1, 'must not be empty').max(100),
  LastState: z.string().nullish(),
  LastChange: timestamp.nullish(),
  CurrentChange: timestamp.nullish(),
  Origin: z.object({ Account: z.string().nullish(), Key: z.string().nullish() }).nullish(),
});

export type OrderNotification = z.infer<typeof orderNotificationSchema>;

export type HookBody = { kind: 'ping' } | { kind: 'notification'; notification: OrderNotification };
