import type { Logger } from 'pino';
import type pg from 'pg';
import type { Pgoutput } from 'pg-logical-replication';
import { TerminalSourceError } from '../sources/source-module.js';
import { qualifiedName, redactPostgresUrl, type CdcConfig } from './cdc-config.js';
import type { CdcChange, CdcPage, CdcPosition } from './cdc-change.js';
import { createSlotExportingSnapshot, dropSlot, ensurePublication, primaryKeys, slotState } from './cdc-slot.js';
import { formatLsn, maxLsn, parseLsn, type Lsn } from './lsn.js';
import { closeQuietly, connectPlain, connectReplication, scrubSecret } from './pg-connections.js';
import { ReplicationStream } from './replication-stream.js';

/** Changes per page: each page is one bronze transaction. */
export const DEFAULT_CDC_PAGE_SIZE = 2_000;
/** A run ends when the stream has been quiet this long outside a transaction (caught up). */
export const DEFAULT_CDC_IDLE_MS = 1_000;
/** A run ends at the first transaction boundary past this many changes; the next run goes on. */
export const DEFAULT_CDC_MAX_CHANGES_PER_RUN = 500_000;

export interface CdcReadOptions {
  readonly config: CdcConfig;
  /** Where the previous run stopped; undefined (first run, `--full`) takes a new snapshot. */
  readonly from: CdcPosition | undefined;
  readonly signal: AbortSignal;
  readonly logger: Logger;
  readonly pageSize?: number;
  readonly idleMs?: number;
  readonly maxChanges?: number;
}

const APPLICATION_NAME = 'farol-cdc';
/** A transaction's changes are cut into pages only past this many pages' worth. */
const OVERSIZED_TRANSACTION_PAGES = 10;

/**
 * Reads the configured tables through their logical replication slot, in pages. The consumer
 * must make each page durable before asking for the next: a page's position is confirmed to the
 * slot only when the generator is resumed after yielding it (and at a clean finish), never when
 * the consumer stops early or fails, so the server keeps (and sends again) whatever Farol has
 * not stored.
 *
 * Without a position: the slot is (re)created exporting its snapshot, the tables are read in a
 * REPEATABLE READ transaction set to that snapshot (`snapshot` rows at the consistent point, then
 * one `snapshot_end`), and streaming starts at the consistent point. A snapshot interrupted
 * part-way is finished on the next run from a fresh read of the tables it had not completed:
 * labelled with the same consistent point, such a row is at least as new as the point, and every
 * change after the point is streamed after it with a higher LSN, so the result converges.
 * Then each run streams committed transactions from the position until the stream stays idle.
 */
export async function* readCdc(opts: CdcReadOptions): AsyncGenerator<CdcPage> {
  const { config, logger } = opts;
  const where = redactPostgresUrl(config.url);
  let plain: pg.Client | undefined;
  try {
    plain = await connectPlain({ url: config.url, applicationName: APPLICATION_NAME });
    const publication = await ensurePublication(plain, config.publication, config.tables);
    if (publication === 'created') logger.info({ publication: config.publication, where }, 'created the publication');
    const keys = await primaryKeys(plain, config.tables);
    for (const [table, cols] of keys) {
      if (cols.length === 0) throw new TerminalSourceError(`${table} at ${where}: no such table, or it has no primary key (CDC keys rows by it)`);
    }
    const slot = await slotState(plain, config.slot);
    if (slot && slot.plugin !== 'pgoutput') {
      throw new TerminalSourceError(`replication slot ${config.slot} at ${where} uses ${slot.plugin ?? 'no plugin'}, not pgoutput; set CDC_SLOT to another name`);
    }
    let position = opts.from;
    if (position && !slot) {
      throw new TerminalSourceError(
        `replication slot ${config.slot} is gone from ${where} (dropped, or invalidated for retaining too much WAL): changes since ${formatLsn(position.lsn)} are lost; run \`farol ingest club-registry --full\` to read the tables again`,
      );
    }
    if (!position) {
      if (slot?.active) throw new Error(`replication slot ${config.slot} at ${where} is in use by another connection`);
      if (slot) await dropSlot(plain, config.slot);
      const replication = await connectReplication({ url: config.url, applicationName: APPLICATION_NAME });
      let snapshotName: string;
      try {
        const created = await createSlotExportingSnapshot(replication, config.slot);
        position = { phase: 'snapshot', lsn: created.consistentPoint, tablesDone: [] };
        snapshotName = created.snapshotName;
        // The exported snapshot lives as long as the connection that exported it: import it first.
        await beginSnapshotRead(plain, snapshotName);
      } finally {
        await closeQuietly(replication);
      }
      logger.info({ slot: config.slot, consistentPoint: formatLsn(position.lsn) }, 'created the replication slot; reading the snapshot');
    } else if (position.phase === 'snapshot') {
      await beginSnapshotRead(plain, undefined);
      logger.info({ slot: config.slot, tablesDone: position.tablesDone }, 'finishing an interrupted snapshot');
    }
    if (position.phase === 'snapshot') {
      yield* readSnapshot(plain, opts, keys, position);
      await plain.query('COMMIT');
      position = { phase: 'stream', lsn: position.lsn, tablesDone: [] };
    }
    await closeQuietly(plain);
    plain = undefined;
    yield* stream(opts, position);
  } catch (err) {
    throw scrubSecret(err, config.url);
  } finally {
    await closeQuietly(plain);
  }
}

async function beginSnapshotRead(client: pg.Client, snapshotName: string | undefined): Promise<void> {
  await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  if (snapshotName !== undefined) await client.query(`SET TRANSACTION SNAPSHOT '${snapshotName.replace(/'/g, "''")}'`);
}

async function* readSnapshot(
  client: pg.Client,
  opts: CdcReadOptions,
  keys: ReadonlyMap<string, readonly string[]>,
  start: CdcPosition,
): AsyncGenerator<CdcPage> {
  const pageSize = opts.pageSize ?? DEFAULT_CDC_PAGE_SIZE;
  const done = [...start.tablesDone];
  for (const table of opts.config.tables) {
    const name = `${table.schema}.${table.name}`;
    if (done.includes(name)) continue;
    const keyCols = keys.get(name) ?? [];
    await client.query(`DECLARE farol_snapshot NO SCROLL CURSOR FOR SELECT * FROM ${qualifiedName(table)}`);
    for (;;) {
      opts.signal.throwIfAborted();
      const res = await client.query<Record<string, unknown>>(`FETCH ${pageSize} FROM farol_snapshot`);
      const changes = res.rows.map((row): CdcChange => ({ op: 'snapshot', lsn: start.lsn, table: name, key: keyOf(row, keyCols), row }));
      const last = res.rows.length < pageSize;
      if (last) done.push(name);
      yield { changes, position: { phase: 'snapshot', lsn: start.lsn, tablesDone: [...done] } };
      if (last) break;
    }
    await client.query('CLOSE farol_snapshot');
  }
  const end: CdcChange = { op: 'snapshot_end', lsn: start.lsn, table: '', key: '(snapshot)', row: {} };
  yield { changes: [end], position: { phase: 'stream', lsn: start.lsn, tablesDone: [] } };
}

/** Streams committed transactions after `from.lsn` until idle; see `readCdc` for when positions are confirmed. */
async function* stream(opts: CdcReadOptions, from: CdcPosition): AsyncGenerator<CdcPage> {
  const { config, signal } = opts;
  const pageSize = opts.pageSize ?? DEFAULT_CDC_PAGE_SIZE;
  const idleMs = opts.idleMs ?? DEFAULT_CDC_IDLE_MS;
  const maxChanges = opts.maxChanges ?? DEFAULT_CDC_MAX_CHANGES_PER_RUN;
  const client = await connectReplication({ url: config.url, applicationName: APPLICATION_NAME });
  const replication = ReplicationStream.start(client, config.slot, config.publication, from.lsn);
  const tables = new Set(config.tables.map((t) => `${t.schema}.${t.name}`));
  /** Everything committed before this is in a yielded page or in `buffer`. */
  let known: Lsn = from.lsn;
  let buffer: CdcChange[] = [];
  let txn: { lsn: Lsn; skip: boolean } | undefined;
  let total = 0;
  let pinged = false;
  const page = (): CdcPage => {
    const p = { changes: buffer, position: { phase: 'stream' as const, lsn: known, tablesDone: [] } };
    buffer = [];
    return p;
  };
  try {
    for (;;) {
      const ev = await replication.next(idleMs, signal);
      if (ev.kind === 'end') break;
      if (ev.kind === 'idle') {
        if (txn) continue;
        // Quiet outside a transaction: ask how far the server has sent (so a slot whose tables
        // are quiet still moves past other tables' WAL), then stop at the next quiet spell.
        if (pinged) break;
        pinged = true;
        replication.ping();
        continue;
      }
      if (ev.kind === 'keepalive') {
        if (!txn) known = maxLsn(known, ev.walEnd);
        continue;
      }
      pinged = false;
      const m = ev.message;
      if (m.tag === 'begin') {
        const lsn = m.commitLsn === null ? 0n : parseLsn(m.commitLsn);
        // Already in bronze: the cursor is past its commit (a redelivery after a lost confirmation).
        txn = { lsn, skip: lsn < from.lsn };
      } else if (m.tag === 'commit') {
        known = maxLsn(known, m.commitEndLsn === null ? 0n : parseLsn(m.commitEndLsn));
        txn = undefined;
        if (total >= maxChanges) break;
      } else if (txn && !txn.skip && (m.tag === 'insert' || m.tag === 'update' || m.tag === 'delete')) {
        const change = toChange(m, txn.lsn);
        if (tables.has(change.table)) {
          buffer.push(change);
          total++;
        }
      }
      // Pages end at commits, so a page's position covers every change in it. Only a transaction
      // too large for memory is cut; its pieces keep the position before it until its commit,
      // so after a stop it is sent again whole (silver keeps one version: same LSN, later landing).
      if (txn ? buffer.length >= pageSize * OVERSIZED_TRANSACTION_PAGES : buffer.length >= pageSize) {
        const p = page();
        yield p;
        replication.confirm(p.position.lsn);
      }
    }
    const p = page();
    yield p;
    replication.confirm(p.position.lsn);
    opts.logger.info({ changes: total, position: formatLsn(p.position.lsn) }, 'replication stream caught up');
  } finally {
    await replication.stop();
  }
}

function toChange(m: Pgoutput.MessageInsert | Pgoutput.MessageUpdate | Pgoutput.MessageDelete, lsn: Lsn): CdcChange {
  const table = `${m.relation.schema}.${m.relation.name}`;
  const row = m.tag === 'delete' ? (m.key ?? m.old ?? {}) : m.new;
  return { op: m.tag, lsn, table, key: keyOf(row, m.relation.keyColumns), row };
}

function keyOf(row: Readonly<Record<string, unknown>>, keyCols: readonly string[]): string {
  return keyCols.map((c) => (row[c] === null || row[c] === undefined ? '' : String(row[c]))).join('|');
}
