import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SqlResultSet } from '../../../src/sql-api/catalog-responder.js';
import { PgliteCatalogResponder } from '../../../src/sql-api/catalog/pglite-catalog-responder.js';
import { CATALOG_VERSION_STRING } from '../../../src/sql-api/catalog/server-version.js';
import { clientQuery, clientQueryNames } from '../../fixtures/pg-client-queries.js';
import { ANALYST_TABLES, POS_TABLES, newSession } from './catalog-tables.js';

// The catalog queries real clients send, recorded from their source or from psql -E
// (test/fixtures/pg-client-queries/), answered for a role that sees ANALYST_TABLES or POS_TABLES.
let catalog: PgliteCatalogResponder;
const run = (client: 'npgsql' | 'pgjdbc' | 'psql', name: string, tables = ANALYST_TABLES, substitute: Record<string, string> = {}): Promise<SqlResultSet> => {
  const q = clientQuery(client, name, substitute);
  return catalog.run(q.sql, q.params, tables, newSession());
};
const named = (r: SqlResultSet, column: string) => {
  const i = r.fields.findIndex((f) => f.name === column);
  if (i < 0) throw new Error(`no column ${column} in ${r.fields.map((f) => f.name).join(', ')}`);
  return r.rows.map((row) => row[i]);
};

beforeAll(async () => {
  catalog = new PgliteCatalogResponder({ database: 'farol' });
  await catalog.start();
}, 180_000);
afterAll(() => catalog?.close());

describe('Npgsql (Power BI) start-up', () => {
  it('version() is Farol\'s and mentions no dialect Npgsql switches on', async () => {
    const r = await run('npgsql', '1-version');
    expect(r.rows).toEqual([[CATALOG_VERSION_STRING]]);
    expect(CATALOG_VERSION_STRING.toLowerCase()).not.toContain('redshift');
  });

  it('the type-loading query returns the base types Farol\'s columns use, with their OIDs', async () => {
    const r = await run('npgsql', '2-load-types');
    expect(r.fields.map((f) => f.name)).toEqual(['nspname', 'oid', 'typname', 'typtype', 'typnotnull', 'elemtypoid']);
    const byName = new Map(r.rows.map((row) => [row[2], row]));
    for (const [typname, oid] of [['text', '25'], ['numeric', '1700'], ['int8', '20'], ['float8', '701'], ['bool', '16'], ['date', '1082'], ['timestamp', '1114'], ['timestamptz', '1184']]) {
      expect(byName.get(typname), typname).toEqual(['pg_catalog', oid, typname, 'b', 'f', null]);
    }
    // Arrays come after their elements, as Npgsql's ORDER BY promises; table row types are not loaded.
    expect(byName.get('_numeric')?.[3]).toBe('a');
    expect(byName.has('sales')).toBe(false);
  });

  it('the composite and enum queries answer (empty: Farol defines neither)', async () => {
    expect((await run('npgsql', '3-load-composite-types')).rows).toEqual([]);
    expect((await run('npgsql', '4-load-enum-fields')).rows).toEqual([]);
  });

  it.each(clientQueryNames('npgsql'))('%s is answered for a role that sees less', async (name) => {
    await expect(run('npgsql', name, POS_TABLES)).resolves.toMatchObject({ command: expect.stringMatching(/^SELECT \d+$/) });
  });
});

describe('pgJDBC (Looker) metadata', () => {
  it('getTables for public lists the role\'s views as tables, with their descriptions, and not hidden ones', async () => {
    const analyst = await run('pgjdbc', 'get-tables');
    expect(named(analyst, 'TABLE_NAME')).toEqual(['customers', 'sales']);
    expect(named(analyst, 'TABLE_CAT')).toEqual(['farol', 'farol']);
    expect(named(analyst, 'TABLE_TYPE')).toEqual(['TABLE', 'TABLE']);
    expect(named(analyst, 'REMARKS')).toEqual(['Customer 360', 'Sales by order item, in BRL']);
    expect(named(await run('pgjdbc', 'get-tables', POS_TABLES), 'TABLE_NAME')).toEqual(['sales']);
  });

  it('getColumns for sales lists its columns in order with their types and descriptions', async () => {
    const r = await run('pgjdbc', 'get-columns');
    expect(named(r, 'attname')).toEqual(['channel', 'order_date', 'revenue', 'orders', 'avg_ticket', 'is_first_order', 'order_day', 'paid_at']);
    expect(named(r, 'atttypid')).toEqual(['25', '1114', '1700', '20', '701', '16', '1082', '1184']);
    expect(named(r, 'attnum')).toEqual(['1', '2', '3', '4', '5', '6', '7', '8']);
    expect(named(r, 'description').slice(0, 3)).toEqual(['Sales channel', 'When the order was placed (local time)', 'Revenue in BRL']);
    expect(named(await run('pgjdbc', 'get-columns', POS_TABLES), 'attname')).toEqual(['channel', 'order_date', 'orders']);
  });

  it('getTypeInfo and the type cache see the base types', async () => {
    expect(named(await run('pgjdbc', 'get-type-info'), 'typname')).toEqual(expect.arrayContaining(['text', 'numeric', 'int8', 'float8', 'bool', 'date', 'timestamp', 'timestamptz']));
    const cache = await run('pgjdbc', 'type-info-cache');
    expect(cache.rows.find((row) => row[2] === 'timestamptz')).toEqual(['f', 'b', 'timestamptz', '1184']);
  });

  it('getSchemas lists public and the system schemas only; getCatalogs lists the database and template1', async () => {
    expect(named(await run('pgjdbc', 'get-schemas'), 'TABLE_SCHEM')).toEqual(['information_schema', 'pg_catalog', 'public']);
    // template1 accepts connections in every PostgreSQL; pgJDBC lists it too.
    expect(named(await run('pgjdbc', 'get-catalogs'), 'TABLE_CAT')).toEqual(['farol', 'template1']);
  });
});

describe('psql meta-commands', () => {
  it('\\dt lists the role\'s views as tables in public', async () => {
    const r = await run('psql', 'dt');
    expect(r.rows).toEqual([['public', 'customers', 'table', 'postgres'], ['public', 'sales', 'table', 'postgres']]);
    expect((await run('psql', 'dt', POS_TABLES)).rows).toEqual([['public', 'sales', 'table', 'postgres']]);
  });

  it('\\d sales finds the table, then its columns with types, through every query psql sends', async () => {
    const lookup = await run('psql', 'd-sales-1');
    expect(lookup.rows).toHaveLength(1);
    const [oid, schema, name] = lookup.rows[0]!;
    expect([schema, name]).toEqual(['public', 'sales']);
    const table = await run('psql', 'd-sales-2', ANALYST_TABLES, { oid: oid! });
    expect(named(table, 'relkind')).toEqual(['r']);
    const columns = await run('psql', 'd-sales-3', ANALYST_TABLES, { oid: oid! });
    expect(columns.rows.map((row) => [row[0], row[1]])).toEqual([
      ['channel', 'text'], ['order_date', 'timestamp without time zone'], ['revenue', 'numeric'], ['orders', 'bigint'],
      ['avg_ticket', 'double precision'], ['is_first_order', 'boolean'], ['order_day', 'date'], ['paid_at', 'timestamp with time zone'],
    ]);
    for (const rest of ['d-sales-4', 'd-sales-5', 'd-sales-6', 'd-sales-7', 'd-sales-8']) {
      expect((await run('psql', rest, ANALYST_TABLES, { oid: oid! })).rows, rest).toEqual([]);
    }
  });

  it('\\d sales for a role without revenue shows no revenue column', async () => {
    const [oid] = (await run('psql', 'd-sales-1', POS_TABLES)).rows[0]!;
    const columns = await run('psql', 'd-sales-3', POS_TABLES, { oid: oid! });
    expect(columns.rows.map((row) => row[0])).toEqual(['channel', 'order_date', 'orders']);
  });

  it('\\l lists the one database, even with psql 15\'s pre-17 column name', async () => {
    const r = await run('psql', 'l');
    expect(named(r, 'Name')).toEqual(['farol', 'template0', 'template1']);
    expect(named(r, 'Encoding')[0]).toBe('UTF8');
  });
});
