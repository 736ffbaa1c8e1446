import { beforeAll, describe, expect, it } from 'vitest';
import { loadStatementParser, planStatement } from './statement-plan.js';

beforeAll(() => loadStatementParser());

describe('planStatement', () => {
  it('points version() calls, qualified or spaced or commented, at pg_temp.version() and nothing else', () => {
    expect(planStatement("SELECT version(), 'version()' AS v, x.version FROM t x")).toEqual({
      kind: 'query', sql: "SELECT pg_temp.version(), 'version()' AS v, x.version FROM t x", callsVersion: true,
    });
    expect(planStatement('select pg_catalog.version ( /* hm */ ) as é, version()')).toMatchObject({ sql: 'select pg_temp.version() as é, pg_temp.version()' });
    expect(planStatement('SELECT 1 -- version()')).toEqual({ kind: 'query', sql: 'SELECT 1 -- version()', callsVersion: false });
  });

  it('renames daticulocale to datlocale outside strings and quoted names', () => {
    expect(planStatement(`SELECT d.daticulocale, 'daticulocale', "daticulocale" FROM pg_database d`)).toMatchObject({
      sql: `SELECT d.datlocale, 'daticulocale', "daticulocale" FROM pg_database d`,
    });
  });

  it('plans SET forms by PostgreSQL\'s grammar', () => {
    expect(planStatement("SET SESSION \"DateStyle\" TO 'ISO'")).toEqual({ kind: 'set', name: 'datestyle' });
    expect(planStatement("SET TIME ZONE 'UTC'")).toEqual({ kind: 'set', name: 'timezone' });
    expect(planStatement("SET NAMES 'UTF8'")).toEqual({ kind: 'set', name: 'client_encoding' });
    expect(planStatement('SET LOCAL search_path = x')).toEqual({ kind: 'noop', command: 'SET' });
    expect(planStatement('SET search_path TO DEFAULT')).toEqual({ kind: 'reset', name: 'search_path' });
    expect(planStatement('SET transaction_read_only = off')).toEqual({ kind: 'noop', command: 'SET' });
    expect(() => planStatement('SET "role" = postgres')).toThrow(expect.objectContaining({ code: '42501' }));
  });

  it('recognises SELECT set_config(...) alone, with literals or parameters', () => {
    expect(planStatement('SELECT set_config($1, $2::text, false) AS s')).toEqual({
      kind: 'set-config', column: 's', args: [{ kind: 'param', index: 1 }, { kind: 'param', index: 2 }, { kind: 'literal', value: 'false' }],
    });
    expect(planStatement("SELECT set_config('a.b', 'c', true) FROM pg_class")).toMatchObject({ kind: 'query' });
  });

  it('gives a syntax error its character position, after multi-byte text', () => {
    // "FORM" is read as an alias, so the error is at "x": character 20, byte 22.
    expect(() => planStatement("SELECT 'ação' FORM x")).toThrow(expect.objectContaining({ code: '42601', position: 20 }));
  });
});
