import type { Logger } from 'pino';
import { quarantine } from '../../quarantine/quarantine.js';
import type { Warehouse } from '../../warehouse/warehouse.js';
import { VTEX_NOTIFICATION_ENTITY, VTEX_ORDERS } from '../sources/vtex-orders/vtex-orders-names.js';
import type { HookInbox } from './hook-inbox.js';
import type { OrderNotification } from './vtex-hook-payload.js';

/**
 * Makes a VTEX hook notification durable before the HTTP answer goes out: it is committed to
 * the hook inbox (grouped with concurrent notifications), from where it moves into bronze with
 * the fetch of the order it names. Bodies that are not notifications are quarantined.
 */
export class OrderHookReceiver {
  constructor(
    private readonly inbox: HookInbox,
    private readonly warehouse: Warehouse,
    private readonly logger: Logger,
  ) {}

  /** Resolves once durable; rejects if the write failed (the caller then answers 5xx so VTEX retries). */
  accept(notification: OrderNotification, raw: string, exactBase64?: string): Promise<void> {
    return this.inbox.accept({
      source: VTEX_ORDERS, entity: VTEX_NOTIFICATION_ENTITY, naturalKey: notification.OrderId, payload: raw, receivedAt: new Date(),
      ...(exactBase64 === undefined ? {} : { payloadBase64: exactBase64 }),
    });
  }

  /** Keeps a body that failed validation, with the reason, so nothing sent to us is lost. */
  async reject(raw: string, reason: string): Promise<void> {
    await this.warehouse.transaction((tx) =>
      quarantine(tx, [
        { source: VTEX_ORDERS, entity: VTEX_NOTIFICATION_ENTITY, naturalKey: null, reason, payload: raw.slice(0, 65_536), bronzeRecordId: null },
      ]),
    );
    this.logger.debug({ reason }, 'hook body quarantined');
  }

  get pending(): number {
    return this.inbox.pending;
  }
}
