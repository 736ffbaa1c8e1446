import type { SqlExecutor } from '../warehouse/warehouse.js';
import { refreshOrderFacts, type GoldRefreshOptions } from './gold/refresh-order-facts.js';
import { quarantine, type QuarantineEntry } from '../quarantine/quarantine.js';
import { clearSilverStaging, upsertSilverOrders } from './silver/upsert-orders.js';
import { mapVtexOrder, type MappedOrder } from './silver/vtex/map-vtex-order.js';

export interface OrderVersion {
  readonly bronzeRecordId: string;
  readonly orderId: string;
  /** The Get-order JSON, parsed. */
  readonly payload: unknown;
  /** The same, as text, for the quarantine row when it fails validation. */
  readonly rawPayload: string;
}

export interface ApplyResult {
  readonly received: number;
  /** Orders whose silver (and so gold) rows changed; 0 when every version was older or equal. */
  readonly changed: number;
  readonly quarantined: number;
}

/**
 * bronze → silver → gold for a batch of VTEX order versions, in the caller's transaction: map and
 * validate each payload, quarantine the invalid ones with their reason, merge the rest into
 * silver (latest `lastChange` wins) and rebuild gold for the orders that changed.
 */
export async function applyVtexOrders(
  tx: SqlExecutor,
  versions: readonly OrderVersion[],
  gold: GoldRefreshOptions,
): Promise<ApplyResult> {
  const now = new Date().toISOString();
  const mapped: MappedOrder[] = [];
  const rejected: QuarantineEntry[] = [];
  for (const v of versions) {
    const result = mapVtexOrder(v.payload, v.bronzeRecordId, now);
    if (result.ok) mapped.push(result.value);
    else
      rejected.push({
        source: 'vtex', entity: 'order', naturalKey: v.orderId, reason: result.reason,
        payload: v.rawPayload, bronzeRecordId: v.bronzeRecordId,
      });
  }
  await quarantine(tx, rejected);
  const changed = await upsertSilverOrders(tx, mapped);
  if (changed > 0) await refreshOrderFacts(tx, gold);
  await clearSilverStaging(tx);
  return { received: versions.length, changed, quarantined: rejected.length };
}
