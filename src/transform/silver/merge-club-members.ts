import type { SqlExecutor } from '../../warehouse/warehouse.js';
import { STAGE } from './silver-ddl.js';

export const SILVER_CLUB_MEMBER_COLUMNS = [
  'source', 'member_id', 'document', 'document_type', 'name', 'email', 'phone', 'club_status', 'tier', 'marketing_opt_in',
  'signup_store', 'campaign', 'source_updated_at', 'lsn', 'customer_key', 'bronze_record_id', 'bronze_seq', 'updated_at',
] as const;

/** Members that changed (upserted or deleted), as a relation of (source, member_id). */
export const CHANGED_CLUB_MEMBERS_SQL = `SELECT source, member_id FROM ${STAGE.changedClubMembers}`;

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
 */
export async function mergeClubMembers(tx: SqlExecutor): Promise<number> {
  const cols = SILVER_CLUB_MEMBER_COLUMNS.join(', ');
  const latest = `SELECT * FROM ${STAGE.clubMembers}
    QUALIFY row_number() OVER (PARTITION BY source, member_id ORDER BY lsn DESC, bronze_seq DESC) = 1`;
  await tx.execute(`CREATE OR REPLACE TEMP TABLE club_member_winners AS
    SELECT s.* FROM (${latest}) s
    LEFT JOIN silver.club_members c ON c.source = s.source AND c.member_id = s.member_id
    WHERE CASE WHEN c.member_id IS NULL THEN NOT s.deleted
               ELSE s.lsn > c.lsn OR (s.lsn = c.lsn AND s.bronze_seq > c.bronze_seq) END`);
  await tx.execute(`INSERT INTO ${STAGE.changedClubMembers} SELECT source, member_id FROM club_member_winners`);
  await tx.execute(`DELETE FROM silver.club_members WHERE (source, member_id) IN (SELECT source, member_id FROM club_member_winners WHERE deleted)`);
  await tx.execute(`
    INSERT INTO silver.club_members (${cols})
    SELECT ${cols} FROM club_member_winners WHERE NOT deleted
    ON CONFLICT (source, member_id) DO UPDATE SET
      ${SILVER_CLUB_MEMBER_COLUMNS.filter((c) => c !== 'source' && c !== 'member_id').map((c) => `${c} = excluded.${c}`).join(', ')}`);
  const gone = `SELECT c.source, c.member_id FROM silver.club_members c
    JOIN (SELECT source, max(lsn) AS lsn FROM ${STAGE.clubSnapshots} GROUP BY source) e ON e.source = c.source
    WHERE c.lsn < e.lsn`;
  await tx.execute(`INSERT INTO ${STAGE.changedClubMembers} ${gone}`);
  await tx.execute(`DELETE FROM silver.club_members WHERE (source, member_id) IN (${gone})`);
  await tx.execute('DROP TABLE club_member_winners');
  const [row] = await tx.query<{ n: number }>(`SELECT count(*) AS n FROM (SELECT DISTINCT source, member_id FROM ${STAGE.changedClubMembers})`);
  return Number(row?.n ?? 0);
}

export async function clearClubMemberStaging(tx: SqlExecutor): Promise<void> {
  await tx.execute(`DELETE FROM ${STAGE.clubMembers}`);
  await tx.execute(`DELETE FROM ${STAGE.clubSnapshots}`);
  await tx.execute(`DELETE FROM ${STAGE.changedClubMembers}`);
}
