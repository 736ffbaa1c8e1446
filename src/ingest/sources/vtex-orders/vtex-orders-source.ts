import type { ExtractRequest, SourceModule } from '../source-module.js';
import { backfillOrders, type BackfillOptions } from './vtex-order-backfill.js';
import { stageVtexOrdersInSession } from './vtex-order-staging.js';
import { VTEX_ORDER_ENTITY } from './vtex-orders-names.js';

export interface VtexOrdersSourceOptions {
  /** The VTEX account, for lineage (`vtex://<account>`). */
  readonly account: string;
  /** With an account to list orders from, `farol ingest vtex-orders` backfills; without, the source is push-only. */
  readonly backfill?: BackfillOptions | undefined;
}

/**
 * VTEX orders. They arrive by push: the order hook names an order, the fetch worker gets it from
 * OMS into bronze, and the pipeline's refresh takes it to gold. With a backfill configured they
 * are also pulled: List orders by creation-date window, then Get order for what silver lacks
 * (`vtex-order-backfill.ts`). Every way an order lands (hook, bulk load, backfill) shares
 * `stage`, the one mapping of a Get-order payload to silver.
 */
export function createVtexOrdersSource(opts: VtexOrdersSourceOptions): SourceModule {
  const backfill = opts.backfill;
  return {
    kind: 'vtex-orders',
    title: 'VTEX orders (OMS)',
    system: `vtex://${opts.account}`,
    silverEntities: [VTEX_ORDER_ENTITY],
    entity: 'orders',
    // Listing an account hourly heals hooks VTEX never delivered; without one the source is push-only.
    defaultSchedule: backfill ? '1h' : undefined,
    ...(backfill
      ? { extract: (req: ExtractRequest) => backfillOrders(backfill, req) }
      : { pullHint: 'set VTEX_ACCOUNT, VTEX_APP_KEY and VTEX_APP_TOKEN to list and backfill a real store' }),
    stage: stageVtexOrdersInSession,
  };
}
