import fs from 'node:fs';
import path from 'node:path';
import type { SqlExecutor, Warehouse } from '../../warehouse/warehouse.js';
import { placeholders } from '../../warehouse/warehouse.js';
import {
  BRONZE_RELATION_COLUMNS, type BatchWrite, type BronzeQuery, type BronzeStorage, type PendingSegment, type PendingSegmentFile,
} from './bronze-storage.js';
import { fileLiteral, writeSegmentFile } from './segment-file.js';

/**
 * Bronze beyond the write-ahead table on DuckDB: zstd Parquet segment files under `dir`
 * (`<dir>/<source>/<YYYY-MM-DD>/<segment id>.parquet`), named in `bronze.segments` and read with
 * `read_parquet`. Compaction (bronze-compactor.ts) moves the table's rows into them.
 */
export class ParquetSegmentStorage implements BronzeStorage {
  constructor(
    private readonly warehouse: Warehouse,
    readonly dir: string,
  ) {}

  async maxSeq(): Promise<number> {
    // DuckDB's greatest skips NULLs, so an empty table or registry does not hide the other's max.
    const [row] = await this.warehouse.query<{ n: number | null }>(
      `SELECT greatest((SELECT max(seq) FROM bronze.records), (SELECT max(max_seq) FROM bronze.segments)) AS n`,
    );
    return Number(row?.n ?? 0);
  }

  /**
   * Segment files that no registry row names (a crash between writing a file and registering it,
   * or after unregistering one) are deleted: they are not part of bronze, their records are still
   * in the table or were never landed.
   */
  async removeOrphans(): Promise<void> {
    fs.mkdirSync(this.dir, { recursive: true });
    const known = new Set(
      (await this.warehouse.query<{ path: string }>('SELECT path FROM bronze.segments')).map((r) => path.normalize(r.path)),
    );
    for (const file of listParquetFiles(this.dir)) {
      const rel = path.normalize(path.relative(this.dir, file));
      if (!known.has(rel)) fs.rmSync(file, { force: true });
    }
  }

  async writeBatch(w: BatchWrite): Promise<PendingSegmentFile> {
    const file = await writeSegmentFile(this.warehouse, { dir: this.dir, ...w });
    return { kind: 'segment-file', ...file, source: w.source };
  }

  async register(tx: SqlExecutor, seg: PendingSegment): Promise<void> {
    const s = ownSegment(seg);
    await tx.execute(
      `INSERT INTO bronze.segments VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, now())`,
      [s.segmentId, s.source, s.partitionDate, s.relativePath, s.minSeq, s.maxSeq, s.records, s.entities.join(','), s.bytes],
    );
  }

  async settle(seg: PendingSegment, committed: boolean): Promise<void> {
    if (!committed) fs.rmSync(path.join(this.dir, ownSegment(seg).relativePath), { force: true });
  }

  /**
   * The segments that can hold such rows, then the table. Must run in the transaction that reads
   * the segment list (the caller's), so a concurrent compaction cannot move rows between the two.
   */
  async relationParts(ex: SqlExecutor, source: string, entities: readonly string[], afterSeq: number, upToSeq: number): Promise<BronzeQuery[]> {
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
    return parts;
  }
}

function ownSegment(seg: PendingSegment): PendingSegmentFile {
  if (seg.kind !== 'segment-file') throw new Error(`a ${seg.kind} is not a DuckDB bronze segment`);
  return seg;
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
