import type { SqlExecutor, WarehouseDialect } from '../../warehouse/warehouse.js';
import { CHANGED_CLUB_MEMBERS_SQL } from '../silver/merge-club-members.js';
import { refreshCustomer360 } from './customer-360.js';
import type { GoldRefreshOptions } from './refresh-order-gold.js';

/**
 * The gold a change of club members refreshes: identity and customer 360 of the customers those
 * members belong to, before and after the change (the club merge lists deleted members among the
 * changed). Called by the club entity's `refreshGold`, in the refresh transaction.
 */
export async function refreshClubGold(tx: SqlExecutor, opts: GoldRefreshOptions, dialect: WarehouseDialect = 'duckdb'): Promise<void> {
  await refreshCustomer360(tx, opts, `SELECT source, member_id AS source_id FROM (${CHANGED_CLUB_MEMBERS_SQL}) AS changed_members`, dialect);
}
