import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgliteCatalogResponder } from '../../../src/sql-api/catalog/pglite-catalog-responder.js';
import { CATALOG_SERVER_VERSION, CATALOG_SERVER_VERSION_NUM, CATALOG_VERSION_STRING } from '../../../src/sql-api/catalog/server-version.js';
import { ANALYST_TABLES, POS_TABLES, newSession } from './catalog-tables.js';

let catalog: PgliteCatalogResponder;
const analyst = (sql: string, params: (string | null)[] = [], session = newSession()) => catalog.run(sql, params, ANALYST_TABLES, session);
const pos = (sql: string, params: (string | null)[] = [], session = newSession()) => catalog.run(sql, params, POS_TABLES, session);
const column = (rows: readonly (readonly (string | null)[])[], i = 0) => rows.map((r) => r[i]);

beforeAll(async () => {
  catalog = new PgliteCatalogResponder({ database: 'farol' });
  await catalog.start();
}, 180_000);
afterAll(() => catalog?.close());

describe('PgliteCatalogResponder: what the server is', () => {
  it('reports the engine version under a Farol version(), qualified or not, consistent with server_version', async () => {
    const r = await analyst('SELECT version(), pg_catalog.version() AS v2, current_setting($1), current_setting($2)', ['server_version', 'server_version_num']);
    expect(r.fields.map((f) => f.name)).toEqual(['version', 'v2', 'current_setting', 'current_setting']);
    expect(r.rows[0]).toEqual([CATALOG_VERSION_STRING, CATALOG_VERSION_STRING, CATALOG_SERVER_VERSION, CATALOG_SERVER_VERSION_NUM]);
    expect(CATALOG_VERSION_STRING).toMatch(new RegExp(`^PostgreSQL ${CATALOG_SERVER_VERSION.replace('.', '\\.')} \\(Farol`));
    expect(r.command).toBe('SELECT 1');
  });

  it('names the configured database and lists no other user database', async () => {
    const r = await analyst('SELECT current_database(), (SELECT array_agg(datname ORDER BY datname)::text FROM pg_database)');
    expect(r.rows[0]).toEqual(['farol', '{farol,template0,template1}']);
  });

  it('answers in PostgreSQL text format with the type OIDs', async () => {
    const r = await analyst(
      "SELECT 1::int8, 1.50::numeric, 2.5::float8, true, DATE '2025-03-14', TIMESTAMP '2025-03-14 10:00:00', TIMESTAMPTZ '2025-03-14 10:00:00+00', NULL::text, $1::text",
      ["it's"],
    );
    expect(r.fields.map((f) => f.typeOid)).toEqual([20, 1700, 701, 16, 1082, 1114, 1184, 25, 25]);
    expect(r.rows[0]).toEqual(['1', '1.50', '2.5', 't', '2025-03-14', '2025-03-14 10:00:00', '2025-03-14 10:00:00+00', null, "it's"]);
  });
});

describe('PgliteCatalogResponder: each role sees its tables and nothing else', () => {
  it('lists the role tables as public tables with their types and descriptions', async () => {
    const tables = await analyst("SELECT table_name, table_type FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1");
    expect(tables.rows).toEqual([['customers', 'BASE TABLE'], ['sales', 'BASE TABLE']]);
    const cols = await analyst("SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1 ORDER BY ordinal_position", ['sales']);
    expect(cols.rows).toEqual([
      ['channel', 'text'], ['order_date', 'timestamp without time zone'], ['revenue', 'numeric'], ['orders', 'bigint'],
      ['avg_ticket', 'double precision'], ['is_first_order', 'boolean'], ['order_day', 'date'], ['paid_at', 'timestamp with time zone'],
    ]);
    const described = await analyst("SELECT obj_description('public.sales'::regclass, 'pg_class'), col_description('public.sales'::regclass, 1)");
    expect(described.rows[0]).toEqual(['Sales by order item, in BRL', 'Sales channel']);
  });

  it('a role without a table or column cannot find it in pg_class, pg_attribute, pg_namespace or information_schema', async () => {
    const classes = await pos("SELECT relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') ORDER BY 1");
    expect(column(classes.rows)).toEqual(['sales']);
    const attributes = await pos("SELECT attname FROM pg_attribute WHERE attname IN ('revenue', 'email', 'ltv')");
    expect(attributes.rows).toEqual([]);
    const everyColumn = await pos("SELECT table_name || '.' || column_name FROM information_schema.columns WHERE table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 1");
    expect(column(everyColumn.rows)).toEqual(['sales.channel', 'sales.order_date', 'sales.orders']);
    const schemas = await pos("SELECT nspname FROM pg_namespace WHERE nspname !~ '^pg_' AND nspname <> 'information_schema'");
    expect(column(schemas.rows)).toEqual(['public']);
    const described = await pos("SELECT count(*) FROM pg_description WHERE description ILIKE '%PII%' OR description ILIKE '%BRL%'");
    expect(described.rows).toEqual([['0']]);
    await expect(pos("SELECT 'public.customers'::regclass")).rejects.toMatchObject({ code: '42P01' });
  });

  it('the analyst right after still sees everything (nothing of one call survives into the next)', async () => {
    await pos('SELECT 1');
    const r = await analyst("SELECT count(*) FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND a.attnum > 0");
    expect(r.rows).toEqual([['10']]);
  });

  it('gives a table the same OID from one statement to the next, as psql\'s \\d needs', async () => {
    const first = await analyst("SELECT 'public.sales'::regclass::oid");
    await pos('SELECT 1');
    const second = await analyst("SELECT 'public.sales'::regclass::oid");
    expect(second.rows).toEqual(first.rows);
  });

  it('refuses a table list PostgreSQL cannot hold, naming the table', async () => {
    const bad = [{ name: 'x'.repeat(64), columns: [] }];
    await expect(catalog.run('SELECT 1', [], bad, newSession())).rejects.toMatchObject({ code: 'XX000', message: expect.stringContaining('0.name: must be at most 63 bytes') });
  });

  it('quotes names and descriptions with SQL characters in them', async () => {
    const odd = [{ name: 'sales"; DROP TABLE x; --', description: "it's -- $$ \\", columns: [{ name: "a'b", type: 'text' as const, description: '%I %L' }] }];
    const r = await catalog.run("SELECT c.relname, obj_description(c.oid), a.attname, col_description(c.oid, 1) FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = 1 JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public'", [], odd, newSession());
    expect(r.rows).toEqual([['sales"; DROP TABLE x; --', "it's -- $$ \\", "a'b", '%I %L']]);
  });
});

describe('PgliteCatalogResponder: session settings', () => {
  it('SET, SHOW, current_setting and RESET act on the session map only', async () => {
    const mine = newSession();
    const other = newSession();
    expect((await analyst("SET DateStyle = 'ISO, DMY'", [], mine)).command).toBe('SET');
    expect(mine.settings.get('datestyle')).toBe('ISO, DMY');
    expect((await analyst('SHOW DateStyle', [], mine)).rows).toEqual([['ISO, DMY']]);
    expect((await analyst("SELECT current_setting('DateStyle'), DATE '2025-03-14'::text", [], mine)).rows).toEqual([['ISO, DMY', '2025-03-14']]);
    expect((await analyst('SHOW DateStyle', [], other)).rows).toEqual([['ISO, MDY']]);
    expect((await analyst('RESET DateStyle', [], mine)).command).toBe('RESET');
    expect(mine.settings.has('datestyle')).toBe(false);
  });

  it('SET SESSION, SET ... TO, SET TIME ZONE and custom settings keep PostgreSQL\'s normalised value', async () => {
    const s = newSession();
    await analyst('SET SESSION extra_float_digits TO 3', [], s);
    await analyst("SET TIME ZONE 'America/Sao_Paulo'", [], s);
    await analyst("SET farol.note = 'x'", [], s);
    expect(Object.fromEntries(s.settings)).toEqual({ extra_float_digits: '3', timezone: 'America/Sao_Paulo', 'farol.note': 'x' });
    expect((await analyst("SELECT TIMESTAMPTZ '2025-03-14 12:00:00+00'::text, current_setting('farol.note')", [], s)).rows).toEqual([['2025-03-14 09:00:00-03', 'x']]);
  });

  it('select set_config(name, value, false) goes to the session map; is_local = true lasts one statement', async () => {
    const s = newSession();
    const r = await analyst('SELECT set_config($1, $2, false)', ['application_name', 'PowerBI'], s);
    expect(r).toEqual({ fields: [{ name: 'set_config', typeOid: 25 }], rows: [['PowerBI']], command: 'SELECT 1' });
    expect(s.settings.get('application_name')).toBe('PowerBI');
    await analyst("SELECT pg_catalog.set_config('search_path', 'public', true) AS sp", [], s);
    expect(s.settings.has('search_path')).toBe(false);
    expect((await analyst('SHOW application_name', [], newSession())).rows).toEqual([['']]);
  });

  it('a session setting a start-up parameter wrote in any spelling is replayed', async () => {
    const s = newSession({ DateStyle: 'ISO, YMD', client_encoding: 'UTF8', application_name: 'psql' });
    expect((await analyst("SELECT current_setting('datestyle'), current_setting('application_name')", [], s)).rows).toEqual([['ISO, YMD', 'psql']]);
  });

  it('RESET ALL and DISCARD ALL clear the map', async () => {
    const s = newSession({ application_name: 'x' });
    expect((await analyst('RESET ALL', [], s)).command).toBe('RESET');
    expect(s.settings.size).toBe(0);
    s.settings.set('application_name', 'y');
    expect((await analyst('DISCARD ALL', [], s)).command).toBe('DISCARD ALL');
    expect(s.settings.size).toBe(0);
  });

  it('rejects an unknown setting and a bad value with PostgreSQL\'s own SQLSTATE, storing nothing', async () => {
    const s = newSession();
    await expect(analyst('SET no_such_setting = 1', [], s)).rejects.toMatchObject({ code: '42704' });
    await expect(analyst("SET DateStyle = 'nonsense'", [], s)).rejects.toMatchObject({ code: '22023' });
    await expect(analyst("SELECT set_config('log_statement', 'all', false)", [], s)).rejects.toMatchObject({ code: '42501' });
    expect(s.settings.size).toBe(0);
  });

  it('transaction statements are no-ops with PostgreSQL\'s command tags', async () => {
    const tags = [];
    for (const sql of ['BEGIN', 'START TRANSACTION READ ONLY', 'COMMIT', 'END', 'ROLLBACK', 'ABORT', 'SAVEPOINT a', 'RELEASE a', 'DEALLOCATE ALL', 'DEALLOCATE s1', 'UNLISTEN *', 'CLOSE ALL', 'SET TRANSACTION ISOLATION LEVEL SERIALIZABLE', 'SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY', '', '  -- nothing']) {
      tags.push((await analyst(sql)).command);
    }
    expect(tags).toEqual(['BEGIN', 'START TRANSACTION', 'COMMIT', 'COMMIT', 'ROLLBACK', 'ROLLBACK', 'SAVEPOINT', 'RELEASE', 'DEALLOCATE ALL', 'DEALLOCATE', 'UNLISTEN', 'CLOSE CURSOR ALL', 'SET', 'SET', '', '']);
  });
});

describe('PgliteCatalogResponder: a client cannot change or escape the catalog', () => {
  it.each([
    ["INSERT INTO sales (channel) VALUES ('x')", '25006'],
    ['CREATE TABLE t (a int)', '25006'],
    ['DROP TABLE sales', '25006'],
    ['COPY sales TO STDOUT', '25006'],
    ["DO $$ BEGIN PERFORM 1; END $$", '25006'],
    ['SELECT 1 INTO t', '25006'],
    ['WITH x AS (DELETE FROM sales RETURNING 1) SELECT * FROM x', '25006'],
    ['SELECT * FROM sales FOR UPDATE', '25006'],
    ['SET ROLE postgres', '42501'],
    ['SET SESSION AUTHORIZATION postgres', '42501'],
    ['RESET ROLE', '42501'],
    ["SELECT set_config('role', 'postgres', false)", '42501'],
    ["SELECT x FROM (SELECT pg_catalog.set_config('session_authorization', 'postgres', false) AS x) s", '42501'],
    ['SELECT pg_sleep(1)', '42501'],
    ["SELECT pg_advisory_lock(1)", '42501'],
    ["SELECT lo_import('/etc/passwd')", '42501'],
    ["SELECT pg_read_file('PG_VERSION')", '42501'],
    ["SELECT pg_ls_dir('.')", '42501'],
    ['SELECT pg_terminate_backend(pg_backend_pid())', '42501'],
    ["SELECT dblink('host=x', 'select 1')", '42883'],
    ["SELECT nextval('x')", '42P01'],
    ['LISTEN x', '0A000'],
    ['PREPARE TRANSACTION \'x\'', '0A000'],
    ['SELECT 1; DROP TABLE sales', '42601'],
    ['SELEC 1', '42601'],
  ])('%s → %s', async (sql, code) => {
    await expect(analyst(sql)).rejects.toMatchObject({ code });
  });

  it('a refused statement names what was wrong, and a syntax error says where', async () => {
    await expect(analyst("INSERT INTO sales VALUES ('x')")).rejects.toThrow('the SQL API is read-only: INSERT is not allowed');
    await expect(analyst('SELECT 1 FROM sales WHERE')).rejects.toMatchObject({ code: '42601', position: 26 });
  });

  it('the catalog still answers after every refusal', async () => {
    expect((await analyst('SELECT count(*) FROM pg_class WHERE relname = $1', ['sales'])).rows).toEqual([['1']]);
  });

  it('a huge statement or parameter is answered or refused, never crashes the catalog', async () => {
    const big = 'x'.repeat(2_000_000);
    expect((await analyst('SELECT length($1)', [big])).rows).toEqual([['2000000']]);
    await expect(analyst(`SELECT ${Array.from({ length: 1_000 }, (_, i) => i).join(' + ')}`)).resolves.toMatchObject({ rows: [['499500']] });
    // Deep nesting is answered, or refused as too complex (54001): whichever, never an internal error.
    for (const deep of [`SELECT ${Array.from({ length: 20_000 }, (_, i) => i).join(' + ')}`, `SELECT ${'('.repeat(5_000)}1${')'.repeat(5_000)}`]) {
      const outcome = await analyst(deep).then((r) => r.command, (e: { code: string }) => e.code);
      expect(['SELECT 1', '54001']).toContain(outcome);
    }
    await expect(analyst('SELECT generate_series(1, 200000)')).rejects.toMatchObject({ code: '54000' });
    expect((await analyst('SELECT 1')).rows).toEqual([['1']]);
  });
});

describe('PgliteCatalogResponder: a runaway statement', () => {
  it('is cancelled with 57014 and the next statement is answered by a restarted engine', async () => {
    const quick = new PgliteCatalogResponder({ jobTimeoutMs: 1_500 });
    try {
      await quick.start();
      await expect(quick.run('SELECT count(*) FROM generate_series(1, 1000000000)', [], POS_TABLES, newSession())).rejects.toMatchObject({ code: '57014' });
      const r = await quick.run("SELECT relname FROM pg_class WHERE relname = 'sales'", [], POS_TABLES, newSession());
      expect(r.rows).toEqual([['sales']]);
    } finally {
      await quick.close();
    }
  }, 180_000);
});
