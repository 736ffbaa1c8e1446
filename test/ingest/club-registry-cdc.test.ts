import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CdcConfig } from '../../src/ingest/cdc/cdc-config.js';
import { parseLsn } from '../../src/ingest/cdc/lsn.js';
import { readCdc } from '../../src/ingest/cdc/cdc-reader.js';
import type { CdcChange } from '../../src/ingest/cdc/cdc-change.js';
import { silentLogger } from '../../src/observability/logger.js';
import { createClubRegistrySource } from '../../src/ingest/sources/club-registry/club-registry-source.js';
import { parseClubCursor } from '../../src/ingest/sources/club-registry/club-registry-cursor.js';
import { readCursor } from '../../src/ingest/state/cursor-store.js';
import { rebuild } from '../../src/pipeline/rebuild.js';
import { startTestPostgres, type TestPostgres } from '../fixtures/embedded-pg.js';
import { tempPipeline, type TempPipeline } from '../fixtures/temp-pipeline.js';

let pg: TestPostgres;
beforeAll(async () => {
  pg = await startTestPostgres();
}, 120_000);
afterAll(async () => {
  await pg?.stop();
});

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

let n = 0;
/** A registry table, its own slot and publication, and a pipeline reading them. */
async function registry(opts: { pageSize?: number } = {}) {
  n++;
  const table = `club_members_${n}`;
  const cdc: CdcConfig = { url: pg.url, tables: [{ schema: 'public', name: table }], slot: `farol_club_${n}`, publication: `farol_club_${n}` };
  await pg.sql(`CREATE TABLE public.${table} (
    id TEXT PRIMARY KEY, document TEXT, name TEXT, email TEXT, phone TEXT, club_status TEXT, tier TEXT,
    marketing_opt_in BOOLEAN, signup_store TEXT, campaign TEXT, updated_at TIMESTAMPTZ NOT NULL DEFAULT now())`);
  const p = await tempPipeline({
    registry: (base) => ({
      ...base,
      'club-registry': createClubRegistrySource({ cdc, reader: { pageSize: opts.pageSize ?? 100, idleMs: 150 } }),
    }),
  });
  closers.push(() => p.cleanup());
  closers.push(async () => {
    await pg.sql(`SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = $1 AND NOT active`, [cdc.slot]);
  });
  return { table, cdc, p };
}

type Member = [id: string, document: string | null, email: string | null, status: string, phone?: string | null];

async function insert(table: string, members: readonly Member[]): Promise<void> {
  for (const [id, document, email, status, phone] of members) {
    await pg.sql(
      `INSERT INTO public.${table} (id, document, name, email, phone, club_status, tier, marketing_opt_in, signup_store, campaign)
       VALUES ($1, $2, $3, $4, $5, $6, 'gold', true, 'loja-01', 'verao')`,
      [id, document, `Name ${id}`, email, phone ?? null, status],
    );
  }
}

/** The registry's rows as silver should hold them (valid statuses only), sorted. */
async function sourceRows(table: string): Promise<string[]> {
  const rows = await pg.sql<{ id: string; email: string | null; club_status: string; tier: string | null; name: string | null }>(
    `SELECT id, lower(trim(email)) AS email, club_status, tier, name FROM public.${table} WHERE club_status IN ('active', 'suspended', 'canceled')`,
  );
  return rows.map((r) => JSON.stringify([r.id, r.email, r.club_status, r.tier, r.name])).sort();
}

async function silverRows(p: TempPipeline): Promise<string[]> {
  const rows = await p.warehouse.query<{ member_id: string; email: string | null; club_status: string; tier: string | null; name: string | null }>(
    'SELECT member_id, email, club_status, tier, name FROM silver.club_members',
  );
  return rows.map((r) => JSON.stringify([r.member_id, r.email, r.club_status, r.tier, r.name])).sort();
}

/** The slot's confirmed position and the position bronze's cursor holds. */
async function positions(p: TempPipeline, cdc: CdcConfig): Promise<{ confirmed: bigint; durable: bigint | undefined }> {
  const [slot] = await pg.sql<{ lsn: string }>('SELECT confirmed_flush_lsn::text AS lsn FROM pg_replication_slots WHERE slot_name = $1', [cdc.slot]);
  const cursor = parseClubCursor(await readCursor(p.warehouse, 'club-registry', 'extract'));
  return { confirmed: parseLsn(slot?.lsn ?? '0/0'), durable: cursor?.lsn };
}

async function bronzeDuplicates(p: TempPipeline): Promise<number> {
  const [row] = await p.warehouse.query<{ n: number }>(
    `SELECT count(*)::INT AS n FROM (
       SELECT natural_key, payload FROM bronze.records WHERE source = 'club-registry' GROUP BY ALL HAVING count(*) > 1)`,
  );
  return row?.n ?? 0;
}

const CPF = '529.982.247-25';
const CNPJ = '11.222.333/0001-81';

describe('club registry over PostgreSQL logical replication', () => {
  it('lands a snapshot of existing rows, then the inserts, updates and deletes made while it read; bad statuses are quarantined', async () => {
    const { table, cdc, p } = await registry({ pageSize: 3 });
    await insert(table, [
      ['1', CPF, ' Ana@Example.COM ', 'active', '(11) 98765-4321'],
      ['2', CNPJ, 'loja@example.com', 'suspended'],
      ['3', '123.456.789-00', 'bad-doc@example.com', 'active'],
      ['4', null, 'vip@example.com', 'canceled'],
      ['5', null, 'x@example.com', 'frozen'],
    ]);
    let changed = false;
    const run = await p.runner.run('club-registry', {
      trigger: 'cli',
      // After the first snapshot page: these commit after the slot's consistent point and arrive by the stream.
      onProgress: (pr) => {
        if (pr.phase === 'extract' && !changed) {
          changed = true;
          void (async () => {
            await insert(table, [['6', null, 'new@example.com', 'active']]);
            await pg.sql(`UPDATE public.${table} SET tier = 'platinum', updated_at = now() WHERE id = '1'`);
            await pg.sql(`DELETE FROM public.${table} WHERE id = '4'`);
          })();
        }
      },
    });
    expect(run.quarantined).toBe(1);
    // The concurrent changes may land in this run or the next; the next run drains whatever is left.
    await new Promise((r) => setTimeout(r, 300));
    await p.runner.run('club-registry', { trigger: 'cli' });
    expect(await silverRows(p)).toEqual(await sourceRows(table));

    const [ana] = await p.warehouse.query<Record<string, unknown>>(`SELECT * FROM silver.club_members WHERE member_id = '1'`);
    expect(ana).toMatchObject({ document: '52998224725', document_type: 'cpf', email: 'ana@example.com', phone: '+5511987654321', customer_key: 'cpf:52998224725', marketing_opt_in: true });
    const types = await p.warehouse.query<{ member_id: string; document_type: string | null }>(`SELECT member_id, document_type FROM silver.club_members ORDER BY member_id`);
    expect(Object.fromEntries(types.map((t) => [t.member_id, t.document_type]))).toMatchObject({ '2': 'cnpj', '3': null });

    const q = await p.warehouse.query<{ natural_key: string; reason: string }>(`SELECT natural_key, reason FROM silver.quarantine WHERE source = 'club-registry'`);
    expect(q).toEqual([{ natural_key: '5', reason: expect.stringMatching(/^club_status: expected one of active, suspended, canceled, received "frozen"/) }]);

    // Snapshot rows carry the consistent point; later changes carry higher commit LSNs.
    const lsns = await p.warehouse.query<{ member_id: string; lsn: bigint }>(`SELECT member_id, lsn FROM silver.club_members ORDER BY member_id`);
    const byId = Object.fromEntries(lsns.map((r) => [r.member_id, BigInt(r.lsn)]));
    expect(byId['1']).toBeGreaterThan(byId['2'] as bigint);
    expect(byId['2']).toBe(byId['3']);

    const { confirmed, durable } = await positions(p, cdc);
    expect(durable).toBeDefined();
    expect(confirmed).toBe(durable);
    const tests = await p.warehouse.query<{ test_id: string; status: string }>(
      `SELECT test_id, status FROM ops.data_tests WHERE test_id LIKE '%club_members%'`,
    );
    expect(tests.length).toBeGreaterThan(0);
    expect(tests.filter((t) => t.status === 'failed' && /unique|accepted/.test(t.test_id))).toEqual([]);
  });

  it('a run stopped between pages resumes from its cursor; the slot is never confirmed past what bronze holds', async () => {
    const { table, cdc, p } = await registry({ pageSize: 4 });
    await insert(table, [['a', CPF, 'a@example.com', 'active']]);
    await p.runner.run('club-registry', { trigger: 'cli' });
    const before = await positions(p, cdc);
    for (let i = 0; i < 30; i++) {
      await pg.sql(`INSERT INTO public.${table} (id, club_status, email) VALUES ($1, 'active', $2)`, [`m${i}`, `m${i}@example.com`]);
      if (i % 3 === 0) await pg.sql(`UPDATE public.${table} SET club_status = 'suspended' WHERE id = $1`, [`m${i}`]);
      if (i % 5 === 0) await pg.sql(`DELETE FROM public.${table} WHERE id = $1`, [`m${i}`]);
    }
    const stop = new AbortController();
    let pages = 0;
    await expect(
      p.runner.run('club-registry', {
        trigger: 'cli', signal: stop.signal,
        onProgress: (pr) => {
          if (pr.phase === 'extract' && ++pages === 3) stop.abort();
        },
      }),
    ).rejects.toThrow();
    const mid = await positions(p, cdc);
    expect(mid.durable).toBeDefined();
    expect(mid.durable as bigint).toBeGreaterThan(before.durable as bigint);
    expect(mid.confirmed).toBeLessThanOrEqual(mid.durable as bigint);
    expect(await silverRows(p)).not.toEqual(await sourceRows(table));

    // A restart (a new process on the same files) finishes the stream.
    const again = await p.reopen();
    closers.push(() => again.cleanup());
    await again.runner.run('club-registry', { trigger: 'cli' });
    expect(await silverRows(again)).toEqual(await sourceRows(table));
    const end = await positions(again, cdc);
    expect(end.confirmed).toBe(end.durable);
    expect(await bronzeDuplicates(again)).toBe(0);
  });

  it('a run whose bronze write fails confirms nothing past the last committed page; the next run lands what it lost', async () => {
    const { table, cdc, p } = await registry({ pageSize: 5 });
    await p.runner.run('club-registry', { trigger: 'cli' });
    const start = await positions(p, cdc);
    for (let i = 0; i < 24; i++) await insert(table, [[`w${i}`, null, `w${i}@example.com`, i % 2 ? 'active' : 'canceled']]);
    await pg.sql(`UPDATE public.${table} SET tier = 'silver' WHERE id LIKE 'w1%'`);
    const append = p.bronze.append.bind(p.bronze);
    let calls = 0;
    p.bronze.append = async (...args: Parameters<typeof append>) => {
      if (++calls === 3) throw new Error('disk full (injected)');
      return append(...args);
    };
    await expect(p.runner.run('club-registry', { trigger: 'cli' })).rejects.toThrow(/disk full/);
    const failed = await positions(p, cdc);
    expect(failed.durable as bigint).toBeGreaterThan(start.durable as bigint);
    expect(failed.confirmed).toBeLessThanOrEqual(failed.durable as bigint);
    p.bronze.append = append;

    await p.runner.run('club-registry', { trigger: 'cli' });
    expect(await silverRows(p)).toEqual(await sourceRows(table));
    expect(await bronzeDuplicates(p)).toBe(0);
    // Rebuilt from bronze alone, silver is the same.
    await rebuild(p.runner);
    expect(await silverRows(p)).toEqual(await sourceRows(table));
  });

  it('the reader confirms a page only when asked for the next; a consumer that stops without storing it gets it again', async () => {
    const { table, cdc, p } = await registry();
    await p.runner.run('club-registry', { trigger: 'cli' });
    const from = parseClubCursor(await readCursor(p.warehouse, 'club-registry', 'extract'));
    for (let i = 0; i < 6; i++) await insert(table, [[`r${i}`, null, null, 'active']]);
    const read = (position: typeof from) => readCdc({ config: cdc, from: position, signal: new AbortController().signal, logger: silentLogger(), pageSize: 2, idleMs: 150 });
    const slotLsn = async () => (await positions(p, cdc)).confirmed;
    const before = await slotLsn();

    // Received but never stored: the slot stays where it was.
    const first = read(from);
    const page1 = (await first.next()).value;
    expect(page1?.changes.map((c: CdcChange) => c.key)).toEqual(['r0', 'r1']);
    await first.return(undefined);
    expect(await slotLsn()).toBe(before);

    // Stored (the consumer asks for the next page): page 1's position is confirmed, and a reader
    // resuming after page 1 never sees its changes again.
    const second = read(from);
    const again1 = (await second.next()).value;
    expect(again1?.changes.map((c: CdcChange) => c.key)).toEqual(['r0', 'r1']);
    await second.next();
    expect(await slotLsn()).toBe(again1?.position.lsn);
    await second.return(undefined);
    const keys: string[] = [];
    for await (const page of read(again1?.position)) keys.push(...page.changes.map((c) => c.key));
    expect(keys).toEqual(['r2', 'r3', 'r4', 'r5']);
  });

  it('a snapshot stopped part-way is finished by the next run', async () => {
    const { table, p } = await registry({ pageSize: 2 });
    await insert(table, Array.from({ length: 9 }, (_, i): Member => [`s${i}`, null, `s${i}@example.com`, 'active']));
    const stop = new AbortController();
    await expect(
      p.runner.run('club-registry', { trigger: 'cli', signal: stop.signal, onProgress: (pr) => pr.phase === 'extract' && stop.abort() }),
    ).rejects.toThrow();
    expect(parseClubCursor(await readCursor(p.warehouse, 'club-registry', 'extract'))?.phase).toBe('snapshot');
    await pg.sql(`DELETE FROM public.${table} WHERE id = 's0'`);
    await pg.sql(`UPDATE public.${table} SET tier = 'bronze' WHERE id = 's8'`);
    await p.runner.run('club-registry', { trigger: 'cli' });
    expect(await silverRows(p)).toEqual(await sourceRows(table));
  });

  it('SQL and path characters in ids are data, not syntax', async () => {
    const { table, p } = await registry();
    const ids = [`x'); DROP TABLE silver.club_members; --`, '../../etc/passwd', 'a|b', 'C:\\temp\\"q"', '%_*?'];
    await insert(table, ids.map((id) => [id, null, 'odd@example.com', 'active'] as Member));
    await p.runner.run('club-registry', { trigger: 'cli' });
    await pg.sql(`DELETE FROM public.${table} WHERE id = $1`, [ids[1]]);
    await pg.sql(`UPDATE public.${table} SET club_status = 'canceled' WHERE id = $1`, [ids[0]]);
    await p.runner.run('club-registry', { trigger: 'cli' });
    expect(await silverRows(p)).toEqual(await sourceRows(table));
    expect((await silverRows(p)).length).toBe(4);
  });

  it('a --full run takes a new snapshot: rows deleted while nothing was recording leave silver', async () => {
    const { table, cdc, p } = await registry();
    await insert(table, [['k1', null, 'k1@example.com', 'active'], ['k2', null, 'k2@example.com', 'active']]);
    await p.runner.run('club-registry', { trigger: 'cli' });
    // The slot is dropped (an operator, or invalidation) and a row goes while no slot records.
    await pg.sql('SELECT pg_drop_replication_slot($1)', [cdc.slot]);
    await pg.sql(`DELETE FROM public.${table} WHERE id = 'k1'`);
    await expect(p.runner.run('club-registry', { trigger: 'cli' })).rejects.toThrow(/--full/);
    await p.runner.run('club-registry', { trigger: 'cli', full: true });
    expect(await silverRows(p)).toEqual(await sourceRows(table));
  });

  it('without CDC_DATABASE_URL the source is unscheduled and a run says what to set, naming no secret', async () => {
    const source = createClubRegistrySource({ cdc: undefined });
    expect(source.defaultSchedule).toBeUndefined();
    const p = await tempPipeline();
    closers.push(() => p.cleanup());
    await expect(p.runner.run('club-registry', { trigger: 'cli' })).rejects.toThrow(/CDC_DATABASE_URL/);
  });

  it('a connection failure never shows the password', async () => {
    const { cdc } = await registry();
    const source = createClubRegistrySource({ cdc: { ...cdc, url: pg.url.replace('test-secret-pw', 'wrong-secret-pw') } });
    const p = await tempPipeline({ registry: (base) => ({ ...base, 'club-registry': source }) });
    closers.push(() => p.cleanup());
    const err = await p.runner.run('club-registry', { trigger: 'cli' }).catch((e: unknown) => e as Error);
    expect(String((err as Error).message)).not.toContain('wrong-secret-pw');
    expect(String((err as Error).stack)).not.toContain('wrong-secret-pw');
    const [run] = await p.warehouse.query<{ error: string | null }>(`SELECT error FROM ops.runs WHERE source = 'club-registry'`);
    expect(run?.error ?? '').not.toContain('wrong-secret-pw');
  });
});
