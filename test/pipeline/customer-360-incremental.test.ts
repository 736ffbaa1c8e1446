import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cpfCheckDigits } from '../../src/shared/brazil-documents.js';
import { refreshCustomer360 } from '../../src/transform/gold/customer-360.js';
import type { GoldRefreshOptions } from '../../src/transform/gold/refresh-order-gold.js';
import {
  applyClubMembers, applyMasterData, applyOrders, BUSINESS_TZ, openC360Warehouse, tableRows, type C360Warehouse, type ClubMemberFixture,
  type MasterDataFixture, type OrderFixture,
} from '../fixtures/customer-360-fixtures.js';

const gold: GoldRefreshOptions = { timezone: BUSINESS_TZ, now: () => new Date('2025-06-30T15:00:00Z') };

let db: C360Warehouse;
beforeEach(async () => {
  db = await openC360Warehouse();
});
afterEach(async () => db.cleanup());

/** A deterministic generator, so a failure can be replayed. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CPFS = ['111222333', '444555666', '777888999'].map((b) => `${b}${cpfCheckDigits(b)}`);
const TABLES = ['gold.customer_identity', 'gold.customer_identity_links', 'gold.customer_360'] as const;

async function snapshot(): Promise<string[][]> {
  return Promise.all(TABLES.map((t) => tableRows(db.warehouse, t)));
}

/** Every table emptied and computed from silver at once, as a rebuild does. */
async function fullRecompute(): Promise<void> {
  await db.warehouse.transaction(async (tx) => {
    for (const t of TABLES) await tx.execute(`DELETE FROM ${t}`);
    await refreshCustomer360(tx, gold, 'SELECT NULL::VARCHAR AS source, NULL::VARCHAR AS source_id WHERE false');
  });
}

/** Customers no change touches, so each change is a small share of identity and is resolved around it, not whole. */
async function loadBystanders(): Promise<void> {
  await applyOrders(db.warehouse, gold, Array.from({ length: 60 }, (_, i): OrderFixture => ({
    orderId: `f${i}`, createdAt: '2025-05-01T12:00:00Z', status: 'invoiced', total: '10.00', userProfileId: `F${i}`,
  })));
}

const member = (id: number, fields: Partial<ClubMemberFixture>): ClubMemberFixture => ({
  memberId: `c${id}`, document: null, name: 'Sócio', email: null, phone: null, status: 'active', tier: 'gold', marketingOptIn: true,
  store: 's1', lsn: 1, ...fields,
});

describe('incremental customer identity', () => {
  it('resolves the records a change reaches from the links beyond them, as far as the rounds go', async () => {
    // A chain c0 - c1 - ... - c6 sharing a phone or an e-mail with the next; c6's CPF reaches c3 in three rounds.
    const CPF = CPFS[0] as string;
    await loadBystanders();
    await applyClubMembers(db.warehouse, gold, [
      member(6, { document: CPF, email: 'e5@example.com' }),
      member(5, { email: 'e5@example.com', phone: '+5511999990004' }),
      member(4, { email: 'e3@example.com', phone: '+5511999990004' }),
      member(3, { email: 'e3@example.com', phone: '+5511999990002' }),
      member(2, { email: 'e1@example.com', phone: '+5511999990002' }),
      member(1, { email: 'e1@example.com', phone: '+5511999990000' }),
      member(0, { phone: '+5511999990000' }),
    ]);
    await fullRecompute();
    await applyClubMembers(db.warehouse, gold, [member(0, { phone: '+5511999990000', email: 'e9@example.com', lsn: 2 })]);
    const incremental = await snapshot();
    expect(await db.warehouse.query("SELECT source_id, customer_id FROM gold.customer_identity WHERE source_id IN ('c3', 'c2') ORDER BY 1"))
      .toEqual([{ source_id: 'c2', customer_id: 'email:e1@example.com' }, { source_id: 'c3', customer_id: `cpf:${CPF}` }]);
    await fullRecompute();
    expect(await snapshot()).toEqual(incremental);
  });

  it('moves the records a removed link used to reach', async () => {
    // c0's CPF reaches c1 by phone, c2 and c3 by e-mail; then c0 drops the phone.
    const CPF = CPFS[1] as string;
    await loadBystanders();
    await applyClubMembers(db.warehouse, gold, [
      member(0, { document: CPF, phone: '+5511999990000' }),
      member(1, { phone: '+5511999990000', email: 'e1@example.com' }),
      member(2, { email: 'e1@example.com', phone: '+5511999990002' }),
      member(3, { phone: '+5511999990002' }),
    ]);
    await fullRecompute();
    expect(await db.warehouse.query(`SELECT count(*)::INTEGER AS n FROM gold.customer_identity WHERE customer_id = 'cpf:${CPF}'`)).toEqual([{ n: 4 }]);
    await applyClubMembers(db.warehouse, gold, [member(0, { document: CPF, lsn: 2 })]);
    const incremental = await snapshot();
    expect(await db.warehouse.query(`SELECT source_id FROM gold.customer_identity WHERE customer_id = 'cpf:${CPF}'`)).toEqual([{ source_id: 'c0' }]);
    await fullRecompute();
    expect(await snapshot()).toEqual(incremental);
  });

  it('matches a full recompute after every batch of random changes that add, move and remove links several steps away', async () => {
    const rnd = prng(20250630);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
    const maybe = <T>(p: number, x: () => T): T | null => (rnd() < p ? x() : null);
    const profiles = Array.from({ length: 24 }, (_, i) => `P${i}`);
    const emails = Array.from({ length: 14 }, (_, i) => `e${i}@example.com`);
    const phones = Array.from({ length: 10 }, (_, i) => `+55 11 99999-00${String(i).padStart(2, '0')}`);
    await loadBystanders();
    let clock = 0;
    const at = () => new Date(Date.UTC(2025, 5, 1) + ++clock * 60_000).toISOString();
    for (let step = 0; step < 36; step++) {
      const kind = pick(['orders', 'orders', 'master-data', 'club'] as const);
      if (kind === 'orders') {
        await applyOrders(db.warehouse, gold, Array.from({ length: 1 + Math.floor(rnd() * 3) }, (): OrderFixture => {
          const when = at();
          return {
            orderId: `o${Math.floor(rnd() * 30)}`, createdAt: '2025-06-01T12:00:00Z', lastChange: when, status: pick(['invoiced', 'canceled']),
            total: '25.00', userProfileId: maybe(0.85, () => pick(profiles)), document: maybe(0.15, () => pick(CPFS)),
            phone: maybe(0.2, () => pick(phones)),
          };
        }));
      } else if (kind === 'master-data') {
        await applyMasterData(db.warehouse, gold, Array.from({ length: 1 + Math.floor(rnd() * 2) }, (): MasterDataFixture => ({
          id: `md${Math.floor(rnd() * 20)}`, userId: maybe(0.8, () => pick(profiles)), email: maybe(0.7, () => pick(emails)),
          document: maybe(0.25, () => pick(CPFS)), phone: maybe(0.3, () => pick(phones)), firstName: 'N', changedAt: at(),
        })));
      } else {
        const members = Array.from({ length: 1 + Math.floor(rnd() * 2) }, (): ClubMemberFixture => ({
          memberId: `c${Math.floor(rnd() * 14)}`, document: maybe(0.3, () => pick(CPFS).replace(/^(\d{3})(\d{3})(\d{3})/, '$1.$2.$3-')),
          name: 'Sócio', email: maybe(0.6, () => pick(emails)), phone: maybe(0.6, () => pick(phones)), status: 'active', tier: 'gold',
          marketingOptIn: true, store: 's1', lsn: ++clock,
        }));
        const fresh = members.filter((m, i) => members.findIndex((o) => o.memberId === m.memberId) === i);
        const deleted = rnd() < 0.3 ? [`c${Math.floor(rnd() * 14)}`].filter((id) => !fresh.some((m) => m.memberId === id)) : [];
        await applyClubMembers(db.warehouse, gold, fresh, deleted);
      }
      const incremental = await snapshot();
      await fullRecompute();
      expect(await snapshot(), `after step ${step} (${kind})`).toEqual(incremental);
    }
  });
});
