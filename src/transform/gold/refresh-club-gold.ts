import type { SqlExecutor } from '../../warehouse/warehouse.js';
import type { GoldRefreshOptions } from './refresh-order-gold.js';

/**
 * Gold after a club registry refresh, in the refresh's transaction. Nothing in gold reads
 * silver.club_members yet: customer 360's refresh (gold.customer_360, gold.customer_identity)
 * plugs in here, for the customer keys in `temp.stage_changed_club_members` joined to
 * silver.club_members (a deleted member has no row left there, so its keys come from the staged
 * changes). Until then this is deliberately empty.
 */
export async function refreshClubGold(_tx: SqlExecutor, _opts: GoldRefreshOptions): Promise<void> {
  // Intentionally nothing: see above.
}
