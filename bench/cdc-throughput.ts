import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CdcConfig } from '../src/ingest/cdc/cdc-config.js';
import { createClubRegistrySource } from '../src/ingest/sources/club-registry/club-registry-source.js';
import { startTestPostgres } from '../test/fixtures/embedded-pg.js';
import { tempPipeline } from '../test/fixtures/temp-pipeline.js';

export interface CdcThroughputOptions {
  /** Changes streamed after the snapshot: inserts, then updates of a third, then deletes of a tenth. */
  readonly changes?: number;
  /** Rows present before the first run, read by the snapshot. */
  readonly snapshotRows?: number;
  /** Changes per bronze page (the reader's default when unset). */
  readonly pageSize?: number;
  /** Rows per PostgreSQL transaction while generating changes. */
  readonly rowsPerTransaction?: number;
}

export interface CdcThroughputResult {
  readonly snapshotRows: number;
  readonly snapshotSeconds: number;
  readonly snapshotRowsPerSecond: number;
  readonly changes: number;
  /** From the start of the run that streams the changes to its end: pages landed, silver merged. */
  readonly streamSeconds: number;
  readonly eventsPerSecond: number;
  readonly silverRows: number;
}

const DEFAULT_CHANGES = 50_000;

/**
 * CDC events per second from PostgreSQL (embedded, logical decoding on) to silver.club_members
 * through the real source, runner and merge: one run takes the snapshot, then `changes` changes
 * are committed and a second run streams them into bronze and silver. Checks that silver ends
 * equal to the table's row count.
 */
export async function benchCdcThroughput(opts: CdcThroughputOptions = {}): Promise<CdcThroughputResult> {
  const changes = opts.changes ?? DEFAULT_CHANGES;
  const snapshotRows = opts.snapshotRows ?? Math.round(changes / 5);
  const perTx = opts.rowsPerTransaction ?? 1_000;
  const pg = await startTestPostgres();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'farol-cdc-bench-'));
  try {
    await pg.sql(`CREATE TABLE public.club_members (
      id BIGINT PRIMARY KEY, document TEXT, name TEXT, email TEXT, phone TEXT, club_status TEXT NOT NULL, tier TEXT,
      marketing_opt_in BOOLEAN, signup_store TEXT, campaign TEXT, updated_at TIMESTAMPTZ NOT NULL DEFAULT now())`);
    const insertRange = (from: number, to: number) =>
      pg.sql(`INSERT INTO public.club_members (id, document, name, email, phone, club_status, tier, marketing_opt_in, signup_store, campaign)
        SELECT i, lpad((i * 7919 % 100000000000)::TEXT, 11, '0'), 'Member ' || i, 'm' || i || '@example.com', '(11) 9' || lpad((i % 100000000)::TEXT, 8, '0'),
               (ARRAY['active', 'suspended', 'canceled'])[1 + i % 3], 'gold', i % 2 = 0, 'loja-' || (i % 40), 'verao'
        FROM generate_series($1::BIGINT, $2::BIGINT) i`, [from, to]);
    for (let i = 1; i <= snapshotRows; i += perTx) await insertRange(i, Math.min(snapshotRows, i + perTx - 1));

    const cdc: CdcConfig = { url: pg.url, tables: [{ schema: 'public', name: 'club_members' }], slot: 'farol_bench', publication: 'farol_bench' };
    const p = await tempPipeline({
      dir,
      registry: (base) => ({
        ...base,
        'club-registry': createClubRegistrySource({ cdc, reader: { idleMs: 500, ...(opts.pageSize ? { pageSize: opts.pageSize } : {}) } }),
      }),
    });
    try {
      const s0 = performance.now();
      await p.runner.run('club-registry', { trigger: 'cli' });
      const snapshotSeconds = (performance.now() - s0) / 1000;

      const inserts = Math.round(changes * 0.6);
      const updates = Math.round(changes * 0.3);
      const deletes = changes - inserts - updates;
      const base = snapshotRows + 1;
      for (let i = 0; i < inserts; i += perTx) await insertRange(base + i, base + Math.min(inserts, i + perTx) - 1);
      for (let i = 0; i < updates; i += perTx) {
        await pg.sql(`UPDATE public.club_members SET tier = 'platinum', updated_at = now() WHERE id BETWEEN $1 AND $2`, [1 + i, Math.min(updates, i + perTx)]);
      }
      for (let i = 0; i < deletes; i += perTx) {
        const from = updates + 1 + i;
        await pg.sql('DELETE FROM public.club_members WHERE id BETWEEN $1 AND $2', [from, updates + Math.min(deletes, i + perTx)]);
      }

      const t0 = performance.now();
      const run = await p.runner.run('club-registry', { trigger: 'cli' });
      const streamSeconds = (performance.now() - t0) / 1000;
      const [source] = await pg.sql<{ n: string }>('SELECT count(*) AS n FROM public.club_members');
      const [silver] = await p.warehouse.query<{ n: number }>('SELECT count(*)::INT AS n FROM silver.club_members');
      if (Number(source?.n) !== silver?.n) throw new Error(`silver holds ${silver?.n} members, the registry ${source?.n}`);
      if (run.landed !== changes) throw new Error(`the stream landed ${run.landed} changes, ${changes} were made`);
      return {
        snapshotRows, snapshotSeconds, snapshotRowsPerSecond: snapshotRows / snapshotSeconds,
        changes, streamSeconds, eventsPerSecond: changes / streamSeconds, silverRows: silver.n,
      };
    } finally {
      await p.close();
    }
  } finally {
    await pg.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const changes = process.argv[2] ? Number(process.argv[2]) : undefined;
  benchCdcThroughput(changes === undefined ? {} : { changes }).then(
    (r) => process.stdout.write(`${JSON.stringify(r, null, 2)}\n`),
    (err: unknown) => {
      process.stderr.write(`${String(err)}\n`);
      process.exit(1);
    },
  );
}
