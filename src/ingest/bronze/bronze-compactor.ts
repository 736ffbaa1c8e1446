import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import { placeholders } from '../../warehouse/warehouse.js';
import type { BronzeStore } from './bronze-store.js';
import { copyToSegment, fileLiteral, SEGMENT_COLUMNS, segmentRelativePath } from './segment-file.js';

/** How often the service compacts bronze; the write-ahead table holds at most about this much. */
export const DEFAULT_COMPACT_INTERVAL_MINUTES = 10;

export interface CompactionOptions {
  /** Segments of days older than this are deleted; 0 keeps bronze forever (the default). */
  readonly retentionDays: number;
  readonly now?: Date;
  readonly logger?: Logger;
}

export interface CompactionResult {
  readonly recordsMoved: number;
  readonly segmentsWritten: number;
  readonly partitionsMerged: number;
  readonly partitionsDropped: number;
}

/**
 * Keeps bronze compact without ever losing or duplicating a record:
 * 1. moves committed rows of the write-ahead table into one segment per source and day (the file
 *    is written and synced first; registering it and deleting the rows is one transaction);
 * 2. merges the segments of each closed day into one file, so a year of bronze is a few hundred
 *    files to read on a rebuild, not tens of thousands;
 * 3. with a retention, deletes segments of days past it and records the loss in
 *    `bronze.dropped_partitions` (a rebuild refuses to run over a gap unless forced).
 * Files are deleted only after the transaction that stopped referring to them committed; a crash
 * in between leaves orphans that `BronzeStore.open` removes.
 */
export async function compactBronze(store: BronzeStore, opts: CompactionOptions): Promise<CompactionResult> {
  // On BigQuery `bronze.records` is all of bronze: the table is already columnar, compressed
  // storage and BigQuery merges its blocks itself, so there is nothing to move or merge (and no
  // `read_parquet`). Retention there is the table's partition expiration (bronze-ddl-bigquery.ts).
  if (store.warehouse.dialect === 'bigquery') return { recordsMoved: 0, segmentsWritten: 0, partitionsMerged: 0, partitionsDropped: 0 };
  const moved = await moveTableToSegments(store);
  const merged = await mergeClosedDays(store, opts.now ?? new Date());
  const dropped = opts.retentionDays > 0 ? await dropExpired(store, opts.retentionDays, opts.now ?? new Date()) : 0;
  const result = { ...moved, partitionsMerged: merged, partitionsDropped: dropped };
  if (moved.recordsMoved > 0 || merged > 0 || dropped > 0) opts.logger?.info(result, 'bronze compacted');
  return result;
}

async function moveTableToSegments(store: BronzeStore): Promise<{ recordsMoved: number; segmentsWritten: number }> {
  const wh = store.warehouse;
  const groups = await wh.query<{ source: string; partition_date: string; min_seq: number; max_seq: number; n: number; entities: string }>(
    `SELECT source, partition_date::VARCHAR AS partition_date, min(seq) AS min_seq, max(seq) AS max_seq, count(*) AS n,
            string_agg(DISTINCT entity, ',' ORDER BY entity) AS entities
     FROM bronze.records GROUP BY source, partition_date ORDER BY source, partition_date`,
  );
  let recordsMoved = 0;
  for (const g of groups) {
    const segmentId = randomUUID();
    const relativePath = segmentRelativePath(g.source, g.partition_date, segmentId);
    const file = path.join(store.dir, relativePath);
    const where = 'source = ? AND partition_date = ? AND seq BETWEEN ? AND ?';
    const params = [g.source, g.partition_date, g.min_seq, g.max_seq];
    await copyToSegment(wh, `SELECT ${SEGMENT_COLUMNS} FROM bronze.records WHERE ${where} ORDER BY seq`, params, file);
    try {
      await wh.transaction(async (tx) => {
        // Rows of a committed range never change, so the delete removes exactly what the file holds.
        const deleted = await tx.execute(`DELETE FROM bronze.records WHERE ${where}`, params);
        if (deleted !== Number(g.n)) throw new Error(`bronze compaction: expected to move ${g.n} records, found ${deleted}`);
        await tx.execute('INSERT INTO bronze.segments VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, now())', [
          segmentId, g.source, g.partition_date, relativePath, g.min_seq, g.max_seq, g.n, g.entities, fs.statSync(file).size,
        ]);
      });
    } catch (err) {
      fs.rmSync(file, { force: true });
      throw err;
    }
    recordsMoved += Number(g.n);
  }
  return { recordsMoved, segmentsWritten: groups.length };
}

async function mergeClosedDays(store: BronzeStore, now: Date): Promise<number> {
  const wh = store.warehouse;
  const today = now.toISOString().slice(0, 10);
  const days = await wh.query<{ source: string; partition_date: string }>(
    `SELECT source, partition_date::VARCHAR AS partition_date FROM bronze.segments
     WHERE partition_date < ?::DATE GROUP BY 1, 2 HAVING count(*) > 1 ORDER BY 1, 2`,
    [today],
  );
  for (const d of days) {
    const parts = await wh.query<{ segment_id: string; path: string; entities: string }>(
      'SELECT segment_id, path, entities FROM bronze.segments WHERE source = ? AND partition_date = ?',
      [d.source, d.partition_date],
    );
    const segmentId = randomUUID();
    const relativePath = segmentRelativePath(d.source, d.partition_date, segmentId);
    const file = path.join(store.dir, relativePath);
    const inputs = parts.map((p) => path.join(store.dir, p.path));
    await copyToSegment(wh, `SELECT ${SEGMENT_COLUMNS} FROM read_parquet([${inputs.map(fileLiteral).join(', ')}], union_by_name = true) ORDER BY seq`, [], file);
    const entities = [...new Set(parts.flatMap((p) => p.entities.split(',')))].sort().join(',');
    try {
      await wh.transaction(async (tx) => {
        await tx.execute(`DELETE FROM bronze.segments WHERE segment_id IN (${placeholders(parts.length)})`, parts.map((p) => p.segment_id));
        await tx.execute(
          `INSERT INTO bronze.segments
           SELECT ?, ?, ?, ?, min(seq), max(seq), count(*), ?, ?, now() FROM read_parquet(${fileLiteral(file)})`,
          [segmentId, d.source, d.partition_date, relativePath, entities, fs.statSync(file).size],
        );
      });
    } catch (err) {
      fs.rmSync(file, { force: true });
      throw err;
    }
    for (const f of inputs) fs.rmSync(f, { force: true });
  }
  return days.length;
}

async function dropExpired(store: BronzeStore, retentionDays: number, now: Date): Promise<number> {
  const wh = store.warehouse;
  const cutoff = new Date(now.getTime() - retentionDays * 86_400_000).toISOString().slice(0, 10);
  const expired = await wh.query<{ segment_id: string; source: string; partition_date: string; path: string; records: number }>(
    `SELECT segment_id, source, partition_date::VARCHAR AS partition_date, path, records FROM bronze.segments WHERE partition_date < ?::DATE`,
    [cutoff],
  );
  if (expired.length === 0) return 0;
  await wh.transaction(async (tx) => {
    await tx.execute(`DELETE FROM bronze.segments WHERE segment_id IN (${placeholders(expired.length)})`, expired.map((e) => e.segment_id));
    await tx.execute(
      `INSERT INTO bronze.dropped_partitions
       SELECT source, partition_date::DATE, sum(records), now() FROM (VALUES ${expired.map(() => '(?, ?, ?)').join(', ')}) v(source, partition_date, records)
       GROUP BY 1, 2`,
      expired.flatMap((e) => [e.source, e.partition_date, Number(e.records)]),
    );
  });
  for (const e of expired) fs.rmSync(path.join(store.dir, e.path), { force: true });
  return new Set(expired.map((e) => `${e.source}/${e.partition_date}`)).size;
}
