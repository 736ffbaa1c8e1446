import { placeholders, type SqlExecutor } from '../../warehouse/warehouse.js';

/**
 * For each id, the `last_change` (epoch ms) of the order version silver holds for `source`;
 * ids it does not hold are absent. What a backfill asks before fetching an order again.
 *
 * One SQL text for both warehouses: the instant comes back as the port's ISO text (milliseconds,
 * truncated, on both) and becomes epoch ms here, as DuckDB's `epoch_ms` would give it.
 */
export async function heldOrderChanges(ex: SqlExecutor, source: string, orderIds: readonly string[]): Promise<Map<string, number>> {
  const held = new Map<string, number>();
  // Bounded IN lists: a window lists at most 3,000 orders.
  for (let i = 0; i < orderIds.length; i += 1_000) {
    const ids = orderIds.slice(i, i + 1_000);
    const rows = await ex.query<{ order_id: string; last_change: string }>(
      `SELECT order_id, last_change FROM silver.orders WHERE source = ? AND order_id IN (${placeholders(ids.length)})`,
      [source, ...ids],
    );
    for (const r of rows) held.set(r.order_id, Date.parse(r.last_change));
  }
  return held;
}
