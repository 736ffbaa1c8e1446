import type { SqlExecutor } from '../../warehouse/warehouse.js';
import { refreshCustomer360 } from './customer-360.js';
import type { GoldRefreshOptions } from './refresh-order-gold.js';

/**
 * The club registry's changed members, as `(source, member_id)`: the club entity's merge fills
 * `temp.stage_changed_club_members` (deleted members included) and empties it with its staging.
 */
export const CHANGED_CLUB_MEMBERS_SQL = 'SELECT source, member_id FROM temp.stage_changed_club_members';

/**
 * The gold a change of club members refreshes: identity and customer 360 of the customers those
 * members belong to, before and after the change. Called by the club entity's `refreshGold`, in
 * the refresh transaction.
 */
export async function refreshClubGold(tx: SqlExecutor, opts: GoldRefreshOptions): Promise<void> {
  await refreshCustomer360(tx, opts, `SELECT source, member_id AS source_id FROM (${CHANGED_CLUB_MEMBERS_SQL})`);
}
