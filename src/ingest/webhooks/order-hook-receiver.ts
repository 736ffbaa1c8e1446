import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Warehouse } from '../../warehouse/warehouse.js';
import { appendBronze } from '../bronze/bronze-writer.js';
import { enqueueFetches } from '../state/fetch-queue.js';
import { quarantine } from '../../quarantine/quarantine.js';
import { GroupCommitter } from './group-commit.js';
import type { OrderNotification } from './vtex-hook-payload.js';

interface Accepted {
  readonly notification: OrderNotification;
  readonly raw: string;
  readonly receivedAt: Date;
}

/**
 * Makes a hook notification durable: its bronze row and the order's fetch request commit in one
 * transaction (grouped with concurrent notifications) before the HTTP answer goes out.
 */
export class OrderHookReceiver {
  private readonly committer: GroupCommitter<Accepted>;
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly warehouse: Warehouse,
    private readonly logger: Logger,
  ) {
    this.committer = new GroupCommitter((batch) => this.write(batch));
  }

  /** Resolves once durable; rejects if the write failed (the caller then answers 5xx so VTEX retries). */
  accept(notification: OrderNotification, raw: string): Promise<void> {
    return this.committer.submit({ notification, raw, receivedAt: new Date() });
  }

  /** Keeps a body that failed validation, with the reason, so nothing sent to us is lost. */
  async reject(raw: string, reason: string): Promise<void> {
    await this.warehouse.transaction((tx) =>
      quarantine(tx, [
        { source: 'vtex', entity: 'order_notification', naturalKey: null, reason, payload: raw.slice(0, 65_536), bronzeRecordId: null },
      ]),
    );
  }

  /** Called after each commit that enqueued fetches; the worker uses it to wake up. */
  onEnqueued(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get pending(): number {
    return this.committer.pending;
  }

  private async write(batch: Accepted[]): Promise<void> {
    const batchId = `hook-${randomUUID()}`;
    await this.warehouse.transaction(async (tx) => {
      await appendBronze(
        tx,
        batch.map((a) => ({
          source: 'vtex', entity: 'order_notification', naturalKey: a.notification.OrderId, payload: a.raw, receivedAt: a.receivedAt,
        })),
        batchId,
      );
      await enqueueFetches(tx, batch.map((a) => ({ source: 'vtex', entity: 'order', naturalKey: a.notification.OrderId })));
    });
    this.logger.debug({ batchId, notifications: batch.length }, 'hook notifications committed');
    for (const l of this.listeners) l();
  }
}
