import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { SqlExecutor, SqlValue, Warehouse } from '../../warehouse/warehouse.js';
import { placeholders } from '../../warehouse/warehouse.js';
import { fileLiteral, writeSegmentFile, type SegmentFile } from './segment-file.js';

export const BRONZE_RECORDS = { schema: 'bronze', table: 'records' } as const;
const RECORD_COLUMNS = [
  'seq', 'record_id', 'source', 'entity', 'natural_key', 'payload', 'payload_hash', 'received_at', 'batch_id', 'partition_date',
  'payload_base64',
] as const;

export interface BronzeInput {
  readonly entity: string;
  readonly naturalKey: string;
  /** The body as received, as text (JSON text for JSON sources). */
  readonly payload: string;
  /**
   * The body's exact bytes, base64, when they are not valid UTF-8: `payload` then holds their
   * UTF-8 reading (U+FFFD where a byte does not decode), which is what silver parses, and this
   * keeps what was sent. Absent for the common case, where `payload` is the body.
   */
  readonly payloadBase64?: string;
  readonly receivedAt?: Date;
}

export interface BronzeRecord extends BronzeInput {
  readonly seq: number;
  readonly recordId: string;
  readonly source: string;
}

/** A query over bronze rows, usable as `FROM (<sql>) b`; columns in `BRONZE_RELATION_COLUMNS`. */
export interface BronzeQuery {
  readonly sql: string;
  readonly params: readonly SqlValue[];
}

/**
 * Bronze rows as one query (`sql`, the UNION ALL of `parts`) and as one query per storage
 * (compacted segments, then the write-ahead table). A heavy reader runs the parts one after the
 * other: a UNION ALL feeding an insert keeps insertion order by running on one thread, which made
 * parsing a million payloads twice as slow on two cores.
 */
export interface BronzeRelation extends BronzeQuery {
  readonly parts: readonly BronzeQuery[];
}

export function bronzeRelation(parts: readonly BronzeQuery[]): BronzeRelation {
  if (parts.length === 0) throw new Error('a bronze relation needs at least one part');
  return { sql: parts.map((p) => p.sql).join('\nUNION ALL\n'), params: parts.flatMap((p) => p.params), parts };
}
export const BRONZE_RELATION_COLUMNS = 'seq, record_id, entity, natural_key, payload, received_at';

/** A segment file written but not yet part of bronze; `register` it in a transaction, or `discard` it. */
export interface PendingSegment extends SegmentFile {
  readonly source: string;
}

/**
 * Bronze, the one place raw records are kept: the durable write-ahead table `bronze.records` plus
 * the compacted Parquet segments registered in `bronze.segments` (see bronze-ddl.ts).
 *
 * Landing order (`seq`) is handed out here. All writes to the warehouse are serialised, so seqs
 * taken inside a transaction are in commit order. A bulk segment takes its seq range before its
 * file is written (outside any transaction); until it is registered or discarded, `readableUpTo`
 * stays below that range, so a refresh can never move its watermark past records that are about
 * to appear.
 */
export class BronzeStore {
  private nextSeq: number;
  private readonly pendingRanges = new Map<string, { readonly source: string; readonly minSeq: number }>();

  private constructor(
    readonly warehouse: Warehouse,
    /** Folder holding the segment files: `<dir>/<source>/<YYYY-MM-DD>/<segment id>.parquet`. */
    readonly dir: string,
    nextSeq: number,
  ) {
    this.nextSeq = nextSeq;
  }

  /**
   * Opens bronze over a migrated warehouse. Segment files that no registry row names (a crash
   * between writing a file and registering it, or after unregistering one) are deleted: they are
   * not part of bronze, their records are still in the table or were never landed.
   */
  static async open(warehouse: Warehouse, dir: string): Promise<BronzeStore> {
    fs.mkdirSync(dir, { recursive: true });
    const [row] = await warehouse.query<{ n: number | null }>(
      `SELECT greatest((SELECT max(seq) FROM bronze.records), (SELECT max(max_seq) FROM bronze.segments)) AS n`,
    );
    const store = new BronzeStore(warehouse, path.resolve(dir), Number(row?.n ?? 0) + 1);
    await store.removeOrphanFiles();
    return store;
  }

  /** Appends records to the write-ahead table inside the caller's (writer) transaction. */
  async append(tx: SqlExecutor, source: string, inputs: readonly BronzeInput[], batchId: string): Promise<BronzeRecord[]> {
    if (inputs.length === 0) return [];
    const now = new Date();
    const records: BronzeRecord[] = [];
    const rows: SqlValue[][] = [];
    for (const input of inputs) {
      const seq = this.nextSeq++;
      const recordId = randomUUID();
      const iso = (input.receivedAt ?? now).toISOString();
      records.push({ ...input, seq, recordId, source });
      rows.push([
        seq, recordId, source, input.entity, input.naturalKey, input.payload,
        createHash('md5').update(input.payload).digest('hex'), iso, batchId, iso.slice(0, 10), input.payloadBase64 ?? null,
      ]);
    }
    await tx.append(BRONZE_RECORDS, RECORD_COLUMNS, rows);
    return records;
  }

  /**
   * Writes records straight to a compressed segment file, for bulk loads where a row-by-row
   * append would cost more than the transform. Reserves the seq range first.
   */
  async writeSegment(source: string, inputs: readonly BronzeInput[], batchId: string, partitionDate = today()): Promise<PendingSegment> {
    const segmentId = randomUUID();
    const minSeq = this.nextSeq;
    this.nextSeq += inputs.length;
    this.pendingRanges.set(segmentId, { source, minSeq });
    try {
      const file = await writeSegmentFile(this.warehouse, {
        dir: this.dir, segmentId, source, partitionDate, minSeq, batchId, inputs,
      });
      return { ...file, source };
    } catch (err) {
      this.pendingRanges.delete(segmentId);
      throw err;
    }
  }

  /** Makes a written segment part of bronze, in the caller's transaction. */
  async register(tx: SqlExecutor, seg: PendingSegment): Promise<void> {
    await tx.execute(
      `INSERT INTO bronze.segments VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, now())`,
      [seg.segmentId, seg.source, seg.partitionDate, seg.relativePath, seg.minSeq, seg.maxSeq, seg.records, seg.entities.join(','), seg.bytes],
    );
  }

  /** Call after the registering transaction committed (or failed: then the file is removed). */
  settle(seg: PendingSegment, committed: boolean): void {
    this.pendingRanges.delete(seg.segmentId);
    if (!committed) fs.rmSync(path.join(this.dir, seg.relativePath), { force: true });
  }

  /**
   * The highest seq a reader may consume for `source` without skipping a record that could still
   * commit below it: just under the lowest pending bulk range, else everything handed out so far.
   */
  readableUpTo(source: string): number {
    let limit = this.nextSeq - 1;
    for (const p of this.pendingRanges.values()) if (p.source === source) limit = Math.min(limit, p.minSeq - 1);
    return limit;
  }

  /**
   * Bronze rows of `source` with `afterSeq < seq ≤ upToSeq` and one of `entities`, from the table
   * and every segment that can hold such rows. Must be used in the same transaction that read the
   * segment list (the caller's), so a concurrent compaction cannot move rows between the two.
   */
  async relation(
    ex: SqlExecutor,
    source: string,
    entities: readonly string[],
    afterSeq: number,
    upToSeq: number,
  ): Promise<BronzeRelation> {
    const segments = await ex.query<{ path: string }>(
      `SELECT path FROM bronze.segments WHERE source = ? AND max_seq > ? AND min_seq <= ? ORDER BY min_seq`,
      [source, afterSeq, upToSeq],
    );
    const ent = placeholders(entities.length);
    const parts: BronzeQuery[] = [];
    if (segments.length > 0) {
      parts.push({
        sql: `SELECT ${BRONZE_RELATION_COLUMNS} FROM read_parquet([${segments.map((s) => fileLiteral(path.join(this.dir, s.path))).join(', ')}], union_by_name = true)
         WHERE entity IN (${ent}) AND seq > ? AND seq <= ?`,
        params: [...entities, afterSeq, upToSeq],
      });
    }
    parts.push({
      sql: `SELECT ${BRONZE_RELATION_COLUMNS} FROM bronze.records
       WHERE source = ? AND entity IN (${ent}) AND seq > ? AND seq <= ?`,
      params: [source, ...entities, afterSeq, upToSeq],
    });
    return bronzeRelation(parts);
  }

  private async removeOrphanFiles(): Promise<void> {
    const known = new Set(
      (await this.warehouse.query<{ path: string }>('SELECT path FROM bronze.segments')).map((r) => path.normalize(r.path)),
    );
    for (const file of listParquetFiles(this.dir)) {
      const rel = path.normalize(path.relative(this.dir, file));
      if (!known.has(rel)) fs.rmSync(file, { force: true });
    }
  }
}

function today(): string {
  return new Date().toISOString().slice(0, 10);
}

export function listParquetFiles(dir: string): string[] {
  const out: string[] = [];
  if (!fs.existsSync(dir)) return out;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && (entry.name.endsWith('.parquet') || entry.name.endsWith('.parquet.tmp'))) {
      out.push(path.join(entry.parentPath, entry.name));
    }
  }
  return out;
}
