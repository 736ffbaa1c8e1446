import { randomUUID } from 'node:crypto';
import type { OrderVersion } from '../../../transform/apply-vtex-orders.js';
import { applyVtexOrders } from '../../../transform/apply-vtex-orders.js';
import type { GoldRefreshOptions } from '../../../transform/gold/refresh-order-facts.js';
import type { DataVersions } from '../../../warehouse/data-version.js';
import type { Warehouse } from '../../../warehouse/warehouse.js';
import { appendBronze } from '../../bronze/bronze-writer.js';

export const DEFAULT_LOAD_BATCH = 10_000;

export interface BulkLoadProgress {
  readonly loaded: number;
  readonly changed: number;
  readonly quarantined: number;
}

export interface BulkLoadOptions {
  readonly warehouse: Warehouse;
  readonly dataVersions: DataVersions;
  readonly gold: GoldRefreshOptions;
  readonly batchSize?: number;
  readonly onProgress?: (p: BulkLoadProgress) => void;
}

/**
 * Loads Get-order payloads (a backfill, an export, or generated sandbox orders) through the same
 * bronze → silver → gold path as the hook worker, one transaction per batch, so a crash loses at
 * most the batch in flight and a re-run is harmless (same orders → no change).
 */
export async function loadVtexOrders(orders: Iterable<unknown>, opts: BulkLoadOptions): Promise<BulkLoadProgress> {
  const batchSize = opts.batchSize ?? DEFAULT_LOAD_BATCH;
  const runId = `load-${randomUUID()}`;
  let loaded = 0;
  let changed = 0;
  let quarantined = 0;
  let batch: unknown[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const current = batch;
    batch = [];
    const { result, version } = await opts.warehouse.transaction(async (tx) => {
      const raw = current.map((o) => JSON.stringify(o));
      const records = await appendBronze(
        tx,
        current.map((o, i) => ({ source: 'vtex', entity: 'order', naturalKey: orderIdOf(o), payload: raw[i] as string })),
        runId,
      );
      const versions: OrderVersion[] = records.map((r, i) => ({
        bronzeRecordId: r.recordId, orderId: r.naturalKey, payload: current[i], rawPayload: r.payload,
      }));
      const applied = await applyVtexOrders(tx, versions, opts.gold);
      const v = applied.changed > 0 ? await opts.dataVersions.bumpInTransaction(tx) : undefined;
      return { result: applied, version: v };
    });
    if (version !== undefined) opts.dataVersions.publish(version);
    loaded += result.received;
    changed += result.changed;
    quarantined += result.quarantined;
    opts.onProgress?.({ loaded, changed, quarantined });
  };
  for (const order of orders) {
    batch.push(order);
    if (batch.length >= batchSize) await flush();
  }
  await flush();
  return { loaded, changed, quarantined };
}

function orderIdOf(o: unknown): string {
  const id = (o as { orderId?: unknown } | null)?.orderId;
  return typeof id === 'string' && id !== '' ? id : '(missing orderId)';
}
