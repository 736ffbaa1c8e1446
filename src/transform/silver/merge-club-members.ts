import type { SqlExecutor } from '../../warehouse/warehouse.js';
import { insertRow, onKeys, updateSet } from './merge-sql.js';
import { STAGE } from './silver-ddl.js';

export const SILVER_CLUB_MEMBER_COLUMNS = [
  'source', 'member_id', 'document', 'document_type', 'name', 'email', 'phone', 'club_status', 'tier', 'marketing_opt_in',
  'signup_store', 'campaign', 'source_updated_at', 'lsn', 'customer_key', 'bronze_record_id', 'bronze_seq', 'updated_at',
] as const;

/** Members that changed (upserted or deleted), as a relation of (source, member_id). */
export const CHANGED_CLUB_MEMBERS_SQL = `SELECT source, member_id FROM ${STAGE.changedClubMembers}`;

const KEYS = ['source', 'member_id'] as const;
const WINNERS = 'temp.club_member_winners';
/** Silver rows older than a finished snapshot of their source: absent from it, so deleted meanwhile. */
const GONE = `EXISTS (SELECT 1 FROM ${STAGE.clubSnapshots} e WHERE e.source = m.source AND e.lsn > m.lsn)`;

/**
 * Merges staged club registry changes into silver.club_members. Per (source, member_id) the
 * change with the highest LSN wins, ties going to the later landing (two changes of one row in
 * one transaction share their commit LSN and land in order; a snapshot row read again lands
 * later and is as new). A winning delete removes the row; a change no newer than the row silver
 * holds changes nothing, so duplicates and redeliveries are harmless in a batch and across
 * batches. A finished snapshot (`snapshot_end` at its consistent point) then removes every row
 * older than that point: those rows were absent from the snapshot, so they were deleted while no
 * slot was recording (a re-snapshot after `--full`).
 *
 * An older change landing after a newer delete of the same row would bring the row back; the
 * reader lands changes in commit order and skips what its cursor has passed, so bronze never holds
 * that order, and a rebuild merges all of bronze in one batch, where the delete wins.
 *
 * One SQL text for both warehouses: the winners (a delete only when silver holds the row) go to a
 * temporary table, then one MERGE deletes, updates and inserts them.
 */
export async function mergeClubMembers(tx: SqlExecutor): Promise<number> {
  await tx.execute(`CREATE OR REPLACE TEMP TABLE ${WINNERS.replace('temp.', '')} AS
    SELECT s.* FROM (
      SELECT * FROM ${STAGE.clubMembers}
      WHERE TRUE
      QUALIFY row_number() OVER (PARTITION BY source, member_id ORDER BY lsn DESC, bronze_seq DESC) = 1
    ) s
    LEFT JOIN silver.club_members c ON ${onKeys(KEYS, 'c', 's')}
    WHERE CASE WHEN c.member_id IS NULL THEN NOT s.deleted
               ELSE s.lsn > c.lsn OR (s.lsn = c.lsn AND s.bronze_seq > c.bronze_seq) END`);
  await tx.execute(`INSERT INTO ${STAGE.changedClubMembers} (source, member_id) SELECT source, member_id FROM ${WINNERS}`);
  await tx.execute(`
    MERGE INTO silver.club_members AS t
    USING ${WINNERS} AS s
    ON ${onKeys(KEYS)}
    WHEN MATCHED AND s.deleted THEN DELETE
    WHEN MATCHED THEN UPDATE SET ${updateSet(SILVER_CLUB_MEMBER_COLUMNS, KEYS)}
    WHEN NOT MATCHED THEN ${insertRow(SILVER_CLUB_MEMBER_COLUMNS)}`);
  await tx.execute(`INSERT INTO ${STAGE.changedClubMembers} (source, member_id) SELECT m.source, m.member_id FROM silver.club_members m WHERE ${GONE}`);
  await tx.execute(`DELETE FROM silver.club_members AS m WHERE ${GONE}`);
  await tx.execute(`DROP TABLE ${WINNERS}`);
  const [row] = await tx.query<{ n: number }>(`SELECT count(*) AS n FROM (SELECT DISTINCT source, member_id FROM ${STAGE.changedClubMembers})`);
  return Number(row?.n ?? 0);
}

/** `WHERE TRUE`: BigQuery refuses a DELETE without a WHERE. */
export async function clearClubMemberStaging(tx: SqlExecutor): Promise<void> {
  await tx.execute(`DELETE FROM ${STAGE.clubMembers} WHERE TRUE`);
  await tx.execute(`DELETE FROM ${STAGE.clubSnapshots} WHERE TRUE`);
  await tx.execute(`DELETE FROM ${STAGE.changedClubMembers} WHERE TRUE`);
}
