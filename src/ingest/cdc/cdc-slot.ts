import type pg from 'pg';
import { qualifiedName, type CdcTable } from './cdc-config.js';
import { parseLsn, type Lsn } from './lsn.js';

/** The publication's tables: created FOR TABLE them when missing; an existing one is used as it is. */
export async function ensurePublication(client: pg.Client, publication: string, tables: readonly CdcTable[]): Promise<'created' | 'existing'> {
  const found = await client.query('SELECT 1 FROM pg_publication WHERE pubname = $1', [publication]);
  if (found.rowCount) return 'existing';
  // TRUNCATE is left out: a truncate is not a per-row change, and silver has no way to apply one safely.
  await client.query(
    `CREATE PUBLICATION "${publication}" FOR TABLE ${tables.map(qualifiedName).join(', ')} WITH (publish = 'insert, update, delete')`,
  );
  return 'created';
}

export interface SlotState {
  readonly plugin: string | null;
  readonly active: boolean;
  readonly confirmedFlush: Lsn | undefined;
}

export async function slotState(client: pg.Client, slot: string): Promise<SlotState | undefined> {
  const res = await client.query<{ plugin: string | null; active: boolean; confirmed_flush_lsn: string | null }>(
    'SELECT plugin, active, confirmed_flush_lsn::text FROM pg_replication_slots WHERE slot_name = $1',
    [slot],
  );
  const row = res.rows[0];
  if (!row) return undefined;
  return { plugin: row.plugin, active: row.active, confirmedFlush: row.confirmed_flush_lsn ? parseLsn(row.confirmed_flush_lsn) : undefined };
}

export async function dropSlot(client: pg.Client, slot: string): Promise<void> {
  await client.query('SELECT pg_drop_replication_slot($1)', [slot]);
}

export interface CreatedSlot {
  readonly consistentPoint: Lsn;
  /** Valid only while the replication connection that created the slot stays open and idle. */
  readonly snapshotName: string;
}

/** CREATE_REPLICATION_SLOT … LOGICAL pgoutput, exporting the snapshot the slot starts after. */
export async function createSlotExportingSnapshot(replication: pg.Client, slot: string): Promise<CreatedSlot> {
  const res = await replication.query<{ consistent_point: string; snapshot_name: string }>(
    `CREATE_REPLICATION_SLOT "${slot}" LOGICAL pgoutput (SNAPSHOT 'export')`,
  );
  const row = res.rows[0];
  if (!row?.snapshot_name) throw new Error(`creating replication slot ${slot} exported no snapshot`);
  return { consistentPoint: parseLsn(row.consistent_point), snapshotName: row.snapshot_name };
}

/** The primary key columns of each table, in key order; a table without one cannot be keyed. */
export async function primaryKeys(client: pg.Client, tables: readonly CdcTable[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for (const t of tables) {
    const res = await client.query<{ attname: string }>(
      `SELECT a.attname FROM pg_index i
       JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord) ON true
       JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
       WHERE i.indrelid = to_regclass($1) AND i.indisprimary ORDER BY k.ord`,
      [qualifiedName(t)],
    );
    out.set(`${t.schema}.${t.name}`, res.rows.map((r) => r.attname));
  }
  return out;
}
