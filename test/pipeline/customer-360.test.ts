import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isValidCpf } from '../../src/shared/brazil-documents.js';
import { refreshCustomer360 } from '../../src/transform/gold/customer-360.js';
import type { GoldRefreshOptions } from '../../src/transform/gold/refresh-order-gold.js';
import { runDataTests } from '../../src/pipeline/data-tests/run-data-tests.js';
import { dataTestsFor } from '../../src/pipeline/data-tests/data-test-catalog.js';
import { EXPECTED_SALE_STATUSES } from '../fixtures/sale-statuses.js';
import {
  applyClubMembers, applyMasterData, applyOrders, BUSINESS_TZ, openC360Warehouse, tableRows, type C360Warehouse, type ClubMemberFixture,
} from '../fixtures/customer-360-fixtures.js';
import { CLUB, JOAO_CPF, loadPeople, MARIANA_CPF, PEDRO_CPF } from '../fixtures/customer-360-people.js';

let clock = new Date('2025-06-30T15:00:00Z');
const gold: GoldRefreshOptions = { timezone: BUSINESS_TZ, now: () => clock };

let db: C360Warehouse;
beforeEach(async () => {
  clock = new Date('2025-06-30T15:00:00Z');
  db = await openC360Warehouse();
});
afterEach(async () => db.cleanup());

const loadEverything = () => loadPeople(db.warehouse, gold);

/** Empties both tables and computes them from scratch, every record at once. */
async function fullRecompute(): Promise<void> {
  await db.warehouse.transaction(async (tx) => {
    await tx.execute('DELETE FROM gold.customer_identity');
    await tx.execute('DELETE FROM gold.customer_360');
    await refreshCustomer360(tx, gold, 'SELECT NULL::VARCHAR AS source, NULL::VARCHAR AS source_id WHERE false');
  });
}

async function snapshot(): Promise<{ identity: string[]; c360: string[] }> {
  return { identity: await tableRows(db.warehouse, 'gold.customer_identity'), c360: await tableRows(db.warehouse, 'gold.customer_360') };
}

const SALE_STATUSES = [...EXPECTED_SALE_STATUSES].map((s) => `'${s}'`).join(', ');

/**
 * Customer 360 written again, straight from silver and the identity, without the production SQL:
 * the sale rule from the test's own status list, days from São Paulo wall-clock dates, and the
 * RFM rules as the README states them.
 */
function independentCustomer360Sql(today: string): string {
  return `
  WITH o AS (
    SELECT i.customer_id, o.*, timezone('${BUSINESS_TZ}', o.created_at)::DATE AS d, o.status IN (${SALE_STATUSES}) AS sale
    FROM silver.orders o JOIN gold.customer_identity i ON i.source = o.source AND i.source_id = o.customer_key
  ),
  s AS (
    SELECT customer_id, count(*) AS n, sum(total) AS ltv, min(created_at) AS fa, max(created_at) AS la, min(d) AS fd, max(d) AS ld,
           sum(CASE WHEN d > DATE '${today}' - INTERVAL 365 DAY THEN 1 ELSE 0 END) AS n365
    FROM o WHERE sale GROUP BY customer_id
  ),
  lo AS (SELECT * FROM o QUALIFY row_number() OVER (PARTITION BY customer_id ORDER BY created_at DESC, source DESC, order_id DESC) = 1),
  lp AS (SELECT customer_id, user_profile_id FROM o WHERE user_profile_id IS NOT NULL
         QUALIFY row_number() OVER (PARTITION BY customer_id ORDER BY created_at DESC, source DESC, order_id DESC) = 1),
  md AS (SELECT i.customer_id, c.customer_id AS md_id, c.user_id, c.first_name, c.last_name, c.email, c.phone, c.newsletter_opt_in FROM silver.customers c JOIN gold.customer_identity i ON i.source = c.source AND i.source_id = c.customer_id
         QUALIFY row_number() OVER (PARTITION BY i.customer_id ORDER BY c.changed_at DESC, c.customer_id DESC) = 1),
  cl AS (SELECT i.customer_id, m.* FROM silver.club_members m JOIN gold.customer_identity i ON i.source = m.source AND i.source_id = m.member_id
         QUALIFY row_number() OVER (PARTITION BY i.customer_id ORDER BY (m.club_status = 'active') DESC, m.lsn DESC, m.member_id DESC) = 1),
  c AS (
    SELECT ids.customer_id, coalesce(s.n, 0) AS n, coalesce(s.ltv, 0) AS ltv, s.fa, s.la, s.fd, s.ld, coalesce(s.n365, 0) AS n365,
           DATE '${today}' - s.ld AS days
    FROM (SELECT DISTINCT customer_id FROM gold.customer_identity) ids LEFT JOIN s USING (customer_id)
  )
  SELECT
    c.customer_id, split_part(c.customer_id, ':', 1),
    coalesce(lp.user_profile_id, md.user_id), md.md_id, cl.member_id,
    coalesce(CASE WHEN md.first_name IS NOT NULL THEN trim(md.first_name || coalesce(' ' || md.last_name, '')) END, cl.name,
             CASE WHEN lo.first_name IS NOT NULL THEN trim(lo.first_name || coalesce(' ' || lo.last_name, '')) END),
    coalesce(md.first_name, split_part(cl.name, ' ', 1), lo.first_name),
    CASE WHEN c.customer_id LIKE 'cpf:%' OR c.customer_id LIKE 'cnpj:%' THEN split_part(c.customer_id, ':', 2) END,
    CASE WHEN c.customer_id LIKE 'cpf:%' THEN 'cpf' WHEN c.customer_id LIKE 'cnpj:%' THEN 'cnpj' END,
    coalesce(lower(md.email), lower(cl.email), CASE WHEN c.customer_id LIKE 'email:%' THEN substr(c.customer_id, 7) END),
    coalesce(cl.phone, CASE WHEN md.phone LIKE '+%' THEN '+' || regexp_replace(md.phone, '[^0-9]', '', 'g') END,
             CASE WHEN c.customer_id LIKE 'phone:%' THEN substr(c.customer_id, 7) END),
    lo.ship_state, lo.ship_city, c.fa, c.la, c.fd, c.ld,
    c.n::INTEGER, c.ltv::DECIMAL(18,2),
    CASE WHEN c.n = 0 THEN NULL ELSE round(c.ltv / c.n, 2)::DECIMAL(18,2) END,
    CASE WHEN c.n < 2 THEN NULL ELSE datediff('day', c.fd, c.ld) / (c.n - 1.0) END::DOUBLE,
    c.n365::INTEGER, c.days::INTEGER, c.n >= 2,
    CASE
      WHEN c.n = 0 THEN 'prospect'
      WHEN c.n >= 4 AND c.days <= 90 THEN 'champions'
      WHEN c.n = 1 AND c.days <= 90 THEN 'new'
      WHEN c.n >= 2 AND c.days <= 180 THEN 'loyal'
      WHEN c.n >= 2 AND c.days <= 365 THEN 'at_risk'
      WHEN c.days <= 365 THEN 'hibernating'
      ELSE 'lost'
    END,
    cl.club_status, cl.tier, coalesce(cl.marketing_opt_in, md.newsletter_opt_in), cl.signup_store, DATE '${today}'
  FROM c LEFT JOIN lo USING (customer_id) LEFT JOIN lp USING (customer_id) LEFT JOIN md USING (customer_id) LEFT JOIN cl USING (customer_id)`;
}

async function expectEqualToIndependentSql(today: string): Promise<void> {
  const cols = await db.warehouse.query<{ name: string; type: string }>(
    "SELECT column_name AS name, data_type AS type FROM information_schema.columns WHERE table_schema = 'gold' AND table_name = 'customer_360' ORDER BY ordinal_position",
  );
  const expected = await db.warehouse.query<{ r: string }>(
    `SELECT {${cols.map((c, i) => `${c.name}: col${i}::${c.type}`).join(', ')}}::VARCHAR AS r
     FROM (${independentCustomer360Sql(today)}) AS x(${cols.map((_, i) => `col${i}`).join(', ')}) ORDER BY 1`,
  );
  const actual = await db.warehouse.query<{ r: string }>(
    `SELECT {${cols.map((c) => `${c.name}: ${c.name}`).join(', ')}}::VARCHAR AS r FROM gold.customer_360 ORDER BY 1`,
  );
  expect(actual.map((x) => x.r)).toEqual(expected.map((x) => x.r));
}

describe('customer identity across VTEX orders, Master Data and the club registry', () => {
  it('resolves one person seen in all three to one customer holding every id', async () => {
    expect(isValidCpf(JOAO_CPF) && isValidCpf(PEDRO_CPF)).toBe(true);
    await loadEverything();
    const identity = await db.warehouse.query('SELECT source, source_id, customer_id, matched_by FROM gold.customer_identity ORDER BY ALL');
    expect(identity).toEqual([
      { source: 'club-registry', source_id: '101', customer_id: `cpf:${MARIANA_CPF}`, matched_by: 'document' },
      { source: 'club-registry', source_id: '202', customer_id: `cpf:${JOAO_CPF}`, matched_by: 'document' },
      { source: 'vtex-customers', source_id: 'md-ana', customer_id: 'email:ana@example.com', matched_by: 'email' },
      { source: 'vtex-customers', source_id: 'md-joao', customer_id: `cpf:${JOAO_CPF}`, matched_by: 'email' },
      { source: 'vtex-customers', source_id: 'md-mari', customer_id: `cpf:${MARIANA_CPF}`, matched_by: 'document' },
      { source: 'vtex-orders', source_id: `cpf:${PEDRO_CPF}`, customer_id: `cpf:${PEDRO_CPF}`, matched_by: 'document' },
      { source: 'vtex-orders', source_id: 'phone:+5521999990000', customer_id: 'phone:+5521999990000', matched_by: 'phone' },
      { source: 'vtex-orders', source_id: 'profile:p-joao', customer_id: `cpf:${JOAO_CPF}`, matched_by: 'profile' },
      { source: 'vtex-orders', source_id: 'profile:p-mari', customer_id: `cpf:${MARIANA_CPF}`, matched_by: 'profile' },
      { source: 'vtex-orders', source_id: 'profile:p-rui', customer_id: 'profile:p-rui', matched_by: 'profile' },
    ]);
    const [mariana] = await db.warehouse.query(`SELECT * FROM gold.customer_360 WHERE customer_id = 'cpf:${MARIANA_CPF}'`);
    expect(mariana).toMatchObject({
      key_type: 'cpf', vtex_user_profile_id: 'P-MARI', master_data_id: 'md-mari', club_member_id: '101', name: 'Mariana Souza',
      first_name: 'Mariana', document: MARIANA_CPF, document_type: 'cpf', email: 'mariana.souza@example.com', phone: '+5511987654321',
      state: 'SP', city: 'Santos', orders: 2, is_returning: true, club_status: 'active', club_tier: 'gold', marketing_opt_in: false,
      club_store: 'loja-centro', orders_last_365d: 2, days_since_last_order: 107, segment: 'loyal',
    });
    expect(Number(mariana?.['ltv'])).toBe(350.5);
    expect(Number(mariana?.['average_ticket'])).toBe(175.25);
    expect(mariana?.['average_days_between_orders']).toBe(64);
    expect(await db.warehouse.query('SELECT customer_id, segment, orders FROM gold.customer_360 ORDER BY customer_id')).toEqual([
      { customer_id: `cpf:${JOAO_CPF}`, segment: 'new', orders: 1 },
      { customer_id: `cpf:${MARIANA_CPF}`, segment: 'loyal', orders: 2 },
      { customer_id: `cpf:${PEDRO_CPF}`, segment: 'champions', orders: 5 },
      { customer_id: 'email:ana@example.com', segment: 'prospect', orders: 0 },
      { customer_id: 'phone:+5521999990000', segment: 'lost', orders: 1 },
      { customer_id: 'profile:p-rui', segment: 'loyal', orders: 2 },
    ]);
  });

  it('fills every column of customer 360 as an independent SQL over silver computes it, and passes its data tests', async () => {
    await loadEverything();
    await expectEqualToIndependentSql('2025-06-30');
    const results = await db.warehouse.transaction((tx) =>
      runDataTests(tx, dataTestsFor(['gold.customer_identity', 'gold.customer_360']), { kind: 'all' }));
    expect(results.length).toBeGreaterThan(10);
    expect(results.filter((r) => r.status !== 'passed').map((r) => r.message)).toEqual([]);
  });

  it('refreshes incrementally to what a full recompute gives, through new orders, a cancellation, a Master Data change and club changes', async () => {
    await loadEverything();
    // Ana buys for the first time; Mariana buys again; Pedro's last order is canceled.
    await applyOrders(db.warehouse, gold, [
      { orderId: 'a1', createdAt: '2025-06-28T12:00:00Z', status: 'invoiced', total: '42.00', userProfileId: 'P-ANA', state: 'BA', city: 'Salvador' },
      { orderId: 'm4', createdAt: '2025-06-29T12:00:00Z', status: 'ready-for-handling', total: '19.99', userProfileId: 'P-MARI', state: 'SP', city: 'Campinas' },
      { orderId: 'p5', createdAt: '2025-06-25T15:00:00Z', lastChange: '2025-06-29T10:00:00Z', status: 'canceled', total: '50.33', userProfileId: 'P-PEDRO', document: PEDRO_CPF },
    ]);
    // Rui's only key was his profile: Master Data now ties it to a document, moving his orders.
    await applyMasterData(db.warehouse, gold, [
      { id: 'md-rui', userId: 'P-RUI', email: 'rui@example.com', document: '11144477735', firstName: 'Rui', lastName: 'Costa', changedAt: '2025-06-29T00:00:00Z' },
    ]);
    // Mariana's membership is suspended; João leaves the club, so his orders fall back to his Master Data e-mail.
    await applyClubMembers(db.warehouse, gold, [{ ...(CLUB[0] as ClubMemberFixture), status: 'suspended', lsn: 30 }], ['202']);
    const incremental = await snapshot();
    expect(await db.warehouse.query(
      "SELECT source_id, customer_id, matched_by FROM gold.customer_identity WHERE source_id IN ('profile:p-rui', 'profile:p-joao', 'md-rui') ORDER BY 1",
    )).toEqual([
      { source_id: 'md-rui', customer_id: 'cpf:11144477735', matched_by: 'document' },
      { source_id: 'profile:p-joao', customer_id: 'email:joao@example.com', matched_by: 'profile' },
      { source_id: 'profile:p-rui', customer_id: 'cpf:11144477735', matched_by: 'profile' },
    ]);
    expect(incremental.c360.some((r) => r.includes('profile:p-rui'))).toBe(false);
    await expectEqualToIndependentSql('2025-06-30');
    await fullRecompute();
    expect(await snapshot()).toEqual(incremental);
  });

  it('moves every customer\'s time-relative columns when the business day turns, even customers nothing changed for', async () => {
    await loadEverything();
    // 02:59 UTC on July 1st is still June 30th in São Paulo: nothing moves.
    clock = new Date('2025-07-01T02:59:00Z');
    await applyClubMembers(db.warehouse, gold, [{ ...(CLUB[1] as ClubMemberFixture), tier: 'gold', lsn: 40 }]);
    expect(await db.warehouse.query('SELECT DISTINCT refreshed_on::VARCHAR AS d FROM gold.customer_360')).toEqual([{ d: '2025-06-30' }]);
    clock = new Date('2025-12-31T12:00:00Z');
    await applyClubMembers(db.warehouse, gold, [{ ...(CLUB[1] as ClubMemberFixture), tier: 'platinum', lsn: 41 }]);
    expect(await db.warehouse.query('SELECT DISTINCT refreshed_on::VARCHAR AS d FROM gold.customer_360')).toEqual([{ d: '2025-12-31' }]);
    expect(await db.warehouse.query(`SELECT days_since_last_order, orders_last_365d, segment FROM gold.customer_360 WHERE customer_id = 'cpf:${PEDRO_CPF}'`))
      .toEqual([{ days_since_last_order: 189, orders_last_365d: 5, segment: 'at_risk' }]);
    await expectEqualToIndependentSql('2025-12-31');
    const rolled = await snapshot();
    await fullRecompute();
    expect(await snapshot()).toEqual(rolled);
  });
});
