import type { SourceModule } from '../source-module.js';
import { stageVtexOrders } from './vtex-order-staging.js';
import { VTEX_ORDER_ENTITY } from './vtex-orders-names.js';

export interface VtexOrdersSourceOptions {
  /** The VTEX account, for lineage (`vtex://<account>`). */
  readonly account: string;
}

/**
 * VTEX orders. Today they arrive by push: the order hook names an order, the fetch worker gets it
 * from OMS into bronze, and the pipeline's refresh takes it to gold. Every way an order lands
 * (hook, bulk load, backfill) shares `stage`, the one mapping of a Get-order payload to silver.
 */
export function createVtexOrdersSource(opts: VtexOrdersSourceOptions): SourceModule {
  return {
    kind: 'vtex-orders',
    title: 'VTEX orders (OMS)',
    system: `vtex://${opts.account}`,
    silverEntities: [VTEX_ORDER_ENTITY],
    entity: 'orders',
    defaultSchedule: undefined,
    stage: stageVtexOrders,
  };
}
