import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClubMemberIndex, Customer360Service } from '../../src/customers/index.js';
import type { CdcConfig } from '../../src/ingest/cdc/cdc-config.js';
import { createClubRegistrySource } from '../../src/ingest/sources/club-registry/club-registry-source.js';
import { formatCpf } from '../../src/shared/brazil-documents.js';
import { fixtureCpf } from '../customers/customer-fixtures.js';
import { startTestPostgres, type TestPostgres } from '../fixtures/embedded-pg.js';
import { tempPipeline, type TempPipeline } from '../fixtures/temp-pipeline.js';

/**
 * A store's club registry in PostgreSQL → logical replication → bronze → silver → customer 360
 * → the till's in-memory index: a status change made in PostgreSQL reaches `validateCustomer`
 * within one refresh of the source.
 */
let pg: TestPostgres;
let p: TempPipeline;
let index: ClubMemberIndex;
const cdc: CdcConfig = { url: '', tables: [{ schema: 'public', name: 'club_members' }], slot: 'farol_till', publication: 'farol_till' };
const ANA = fixtureCpf(41);
const BRUNO = fixtureCpf(42);

beforeAll(async () => {
  pg = await startTestPostgres();
  await pg.sql(`CREATE TABLE public.club_members (
    id TEXT PRIMARY KEY, document TEXT, name TEXT, email TEXT, phone TEXT, club_status TEXT, tier TEXT,
    marketing_opt_in BOOLEAN, signup_store TEXT, campaign TEXT, updated_at TIMESTAMPTZ NOT NULL DEFAULT now())`);
  await pg.sql(
    `INSERT INTO public.club_members (id, document, name, email, phone, club_status, tier, marketing_opt_in, signup_store, campaign) VALUES
     ('m-1', $1, 'Ana Souza', 'Ana.Souza@Exemplo.com.br', '(11) 98765-4321', 'active', 'ouro', true, 'loja-01', 'verao'),
     ('m-2', $2, 'Bruno Lima', 'bruno@exemplo.com.br', NULL, 'suspended', 'prata', false, 'loja-02', NULL)`,
    [formatCpf(ANA), BRUNO],
  );
  p = await tempPipeline({
    registry: (base) => ({ ...base, 'club-registry': createClubRegistrySource({ cdc: { ...cdc, url: pg.url }, reader: { pageSize: 100, idleMs: 150 } }) }),
  });
  index = new ClubMemberIndex(p.warehouse, p.dataVersions, { minIntervalMs: 0 });
}, 180_000);

afterAll(async () => {
  index?.stop();
  await p?.cleanup();
  await pg?.stop();
});

describe('club registry → customer 360 → till', () => {
  it('answers from the snapshot: an active member with tier, first name and opt-in; a suspended one as not active', async () => {
    await p.runner.run('club-registry', { trigger: 'cli' });
    await index.whenCurrent();
    expect(index.validate(formatCpf(ANA))).toEqual({ documentValid: true, activeMember: true, tier: 'ouro', firstName: 'Ana', marketingOptIn: true });
    expect(index.validate(BRUNO)).toEqual({ documentValid: true, activeMember: false, tier: null, firstName: null, marketingOptIn: null });
    const ana = await new Customer360Service(p.warehouse, p.dataVersions).find({ document: ANA });
    expect(ana).toMatchObject({ id: `cpf:${ANA}`, email: 'ana.souza@exemplo.com.br', phone: '+5511987654321', club: { status: 'active', tier: 'ouro', optIn: true, store: 'loja-01' }, orders: 0 });
  });

  it('follows a status change, a reinstatement and a deletion made in PostgreSQL within one refresh each', async () => {
    await pg.sql(`UPDATE public.club_members SET club_status = 'canceled', updated_at = now() WHERE id = 'm-1'`);
    await pg.sql(`UPDATE public.club_members SET club_status = 'active', tier = 'ouro', updated_at = now() WHERE id = 'm-2'`);
    await p.runner.run('club-registry', { trigger: 'schedule' });
    await index.whenCurrent();
    expect(index.validate(ANA).activeMember).toBe(false);
    expect(index.validate(BRUNO)).toMatchObject({ activeMember: true, tier: 'ouro', firstName: 'Bruno', marketingOptIn: false });

    await pg.sql(`DELETE FROM public.club_members WHERE id = 'm-2'`);
    await p.runner.run('club-registry', { trigger: 'schedule' });
    await index.whenCurrent();
    expect(index.validate(BRUNO).activeMember).toBe(false);
    const [row] = await p.warehouse.query<{ club_status: string | null }>('SELECT club_status FROM gold.customer_360 WHERE customer_id = ?', [`cpf:${BRUNO}`]);
    expect(row?.club_status ?? null).toBeNull();
  });
});
