import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { SignJWT } from 'jose';
import { JWT_SECRET, KEYS, sqlState, startSqlApiHarness, type SqlApiHarness } from './sql-api-harness.js';

/** Every refusal answers a SQLSTATE naming the cause, and the same connection keeps working. */
let h: SqlApiHarness;
let c: pg.Client;
beforeAll(async () => {
  h = await startSqlApiHarness();
  c = await h.client(KEYS.analyst);
});
afterAll(async () => {
  await h?.close();
});

const stillWorks = async (client: pg.Client) => expect((await client.query('SELECT MEASURE(orders) FROM sales')).rows).toEqual([{ measure: '6' }]);

describe('refusals', () => {
  const cases: [string, string, RegExp][] = [
    ["INSERT INTO sales (channel) VALUES ('x')", '25006', /read-only/],
    ['DELETE FROM sales', '25006', /read-only/],
    ['CREATE TABLE t (a int)', '25006', /read-only/],
    ['DROP TABLE sales', '25006', /read-only/],
    ['SELECT channel INTO t FROM sales', '25006', /read-only/],
    ['SELECT * FROM gold.fct_orders', '42P01', /relation "gold.fct_orders" does not exist/],
    ['SELECT * FROM silver.orders', '42P01', /relation "silver.orders" does not exist/],
    ['SELECT * FROM bronze.records', '42P01', /bronze.records/],
    ['SELECT * FROM ops.runs', '42P01', /ops.runs/],
    ['SELECT * FROM orders', '42P01', /relation "orders" does not exist/],
    ['SELECT nope FROM sales GROUP BY 1', '42703', /column "nope" does not exist in view "sales"/],
    ['SELEC channel FROM sales', '42601', /syntax error at or near "SELEC"/],
    ['SELECT upper(channel) FROM sales GROUP BY 1', '0A000', /function upper\(\) cannot be translated/],
    ['SELECT SUM(orders) FROM sales', '0A000', /SUM\(\) over measure "orders", a count/],
    ['SELECT COUNT(revenue) FROM sales', '0A000', /COUNT\(\) over measure "revenue", a sum/],
    ['SELECT COUNT(*) FROM sales', '0A000', /COUNT\(\*\) has no meaning/],
    ['SELECT revenue FROM sales', '42803', /measure: select it aggregated, as MEASURE\(revenue\)/],
    ['SELECT channel, MEASURE(revenue) FROM sales', '42803', /column "channel" must appear in the GROUP BY clause/],
    ['SELECT MEASURE(orders) FROM sales WHERE MEASURE(revenue) > 1', '42803', /not allowed in WHERE/],
    ["SELECT MEASURE(orders) FROM sales WHERE channel LIKE '%Site%'", '0A000', /case-sensitive.*ILIKE/],
    ["SELECT MEASURE(orders) FROM sales WHERE channel ILIKE 'S_te'", '0A000', /cannot be translated/],
    ["SELECT DATE_TRUNC('fortnight', order_date), MEASURE(orders) FROM sales GROUP BY 1", '22023', /unit "fortnight" not recognized/],
    ["SELECT MEASURE(orders) FROM sales WHERE order_date > '2025-03-15T00:00:00Z'", '22007', /time zone offset/],
    ['SELECT MEASURE(orders) FROM sales WHERE channel = NULL', '22004', /IS NULL/],
    ['SELECT s.channel FROM sales s JOIN product_sales p ON true GROUP BY 1', '0A000', /one view/],
    ['SELECT a.channel FROM (SELECT channel FROM sales) a', '0A000', /one view/],
    ['SELECT channel FROM sales UNION SELECT channel FROM product_sales', '0A000', /one view/],
    ['SELECT MEASURE(orders) FROM sales, pg_catalog.pg_class', '0A000', /both governed views and system catalogs/],
    ['SELECT channel FROM sales GROUP BY 1 ORDER BY 1 NULLS FIRST', '0A000', /NULLS FIRST/],
    ['SELECT channel, row_number() OVER () FROM sales GROUP BY 1', '0A000', /cannot be translated/],
    ['SELECT MEASURE(orders) FROM sales LIMIT -1', '22023', /LIMIT must be a non-negative integer/],
    ['SELECT pg_sleep(1) FROM pg_catalog.pg_class', '42501', /permission denied for function pg_sleep/],
    ["SELECT COALESCE(channel, 'none') FROM sales GROUP BY 1", '0A000', /COALESCE is translated only around an aggregated measure/],
    ['SELECT COALESCE(SUM(revenue), $1) FROM sales', '0A000', /COALESCE is translated only around an aggregated measure/],
    ['VACUUM', '25006', /read-only/],
    ['LISTEN x', '0A000', /LISTEN is not supported/],
  ];
  it.each(cases)('%s → %s', async (sql, code, message) => {
    const err = await sqlState(c.query(sql));
    expect(err.code, err.message).toBe(code);
    expect(err.message).toMatch(message);
    await stillWorks(c);
  });

  it('gives the syntax error position, 1-based as PostgreSQL does', async () => {
    const err = await sqlState(c.query('SELECT channel FROM sales WHERE'));
    expect(err).toMatchObject({ code: '42601', position: '32' });
  });

  it('refuses a member hidden from the role as GraphQL does (forbidden, named), and a view it cannot see as absent', async () => {
    const token = await new SignJWT({ role: 'store_manager', store: 'centro' }).setProtectedHeader({ alg: 'HS256' }).setExpirationTime('1h').sign(new TextEncoder().encode(JWT_SECRET));
    const manager = await h.client(token);
    const hidden = await sqlState(manager.query("SELECT MEASURE(orders) FROM sales WHERE coupon = 'X'"));
    expect(hidden).toMatchObject({ code: '42501', message: 'Access to member "sales.coupon" is forbidden' });
    expect((await sqlState(manager.query('SELECT coupon FROM sales GROUP BY 1'))).code).toBe('42501');
    expect((await sqlState(manager.query('SELECT MEASURE(customers) FROM customers'))).code).toBe('42P01');
    // Still usable, and still held to its store's rows (centro has 4 of the 6 sales).
    expect((await manager.query('SELECT MEASURE(orders) FROM sales')).rows).toEqual([{ measure: '4' }]);
  });

  it('refuses personal data in filters for a role without PII', async () => {
    const err = await sqlState(c.query("SELECT MEASURE(revenue) FROM customer_sales WHERE customer = 'cpf:12345678909'"));
    expect(err).toMatchObject({ code: '42501' });
    expect(err.message).toMatch(/personal data/);
  });

  it('keeps an aborted transaction aborted until ROLLBACK (25P02), as PostgreSQL does', async () => {
    await c.query('BEGIN');
    await sqlState(c.query('SELECT nope FROM sales'));
    expect((await sqlState(c.query('SELECT MEASURE(orders) FROM sales'))).code).toBe('25P02');
    await c.query('ROLLBACK');
    await stillWorks(c);
  });

  it('extended protocol: an error skips to Sync and the connection goes on', async () => {
    expect((await sqlState(c.query({ name: 'bad', text: 'SELECT nope FROM sales GROUP BY 1' }))).code).toBe('42703');
    expect((await sqlState(c.query('SELECT MEASURE(orders) FROM sales WHERE channel = $1', [null]))).code).toBe('22004');
    expect((await c.query('SELECT MEASURE(orders) FROM sales WHERE channel = $1', ['Site'])).rows).toEqual([{ measure: '4' }]);
  });
});

describe('authentication', () => {
  it('refuses a wrong password with 28P01, without saying why', async () => {
    const client = new pg.Client({ host: '127.0.0.1', port: h.server.port, user: 'bi', password: 'not-a-key-0123456789', database: 'farol' });
    const err = await sqlState(client.connect());
    expect(err).toMatchObject({ code: '28P01', message: 'password authentication failed for user "bi"' });
    expect(h.logLines.join('\n')).not.toContain('not-a-key-0123456789');
  });

  it('refuses no password, and a role that may not query metrics (pos)', async () => {
    const none = new pg.Client({ host: '127.0.0.1', port: h.server.port, user: 'bi', password: '', database: 'farol' });
    expect((await sqlState(none.connect())).code).toBe('28P01');
    const pos = new pg.Client({ host: '127.0.0.1', port: h.server.port, user: 'till', password: KEYS.pos, database: 'farol' });
    expect(await sqlState(pos.connect())).toMatchObject({ code: '28000', message: 'Role "pos" may not query metrics' });
  });

  it('accepts a JWT as the password, any user name', async () => {
    const token = await new SignJWT({ role: 'analyst' }).setProtectedHeader({ alg: 'HS256' }).setExpirationTime('1h').sign(new TextEncoder().encode(JWT_SECRET));
    const client = await h.client(token, { user: 'whoever' });
    await stillWorks(client);
  });
});
