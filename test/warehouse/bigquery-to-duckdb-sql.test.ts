import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readWireRows } from '../../src/warehouse/bigquery/bigquery-values.js';
import { BigQueryOnDuckDb } from '../fixtures/bigquery-on-duckdb.js';
import { translateScript, translateStatement } from '../fixtures/bigquery-to-duckdb-sql.js';

/**
 * The BigQuery → DuckDB translator of the executing fake BigQuery server. Each mapped function is
 * run on DuckDB through the emulator and its answer decoded as the adapter decodes BigQuery's
 * (`readWireRows`); the expected values are BigQuery's documented results, including where
 * DuckDB's nearest built-in differs (noted per case).
 */
let engine: BigQueryOnDuckDb;

beforeAll(async () => {
  engine = await BigQueryOnDuckDb.open(':memory:');
});
afterAll(() => engine.close());

type Param = readonly [type: string, value: string | null];

async function run(sql: string, params: readonly Param[] = []): Promise<{ rows: Record<string, unknown>[]; types: string[] }> {
  const a = await engine.query(sql, params.map(([type, value]) => ({ parameterType: { type }, parameterValue: { value } })), {});
  if (a.error) throw new Error(a.error.message);
  return { rows: readWireRows(a.schema ?? [], (a.rows ?? []) as never), types: (a.schema ?? []).map((f) => (f.mode === 'REPEATED' ? `ARRAY<${f.type}>` : f.type)) };
}

/** The value of one BigQuery expression. */
async function value(expr: string, params: readonly Param[] = []): Promise<unknown> {
  return (await run(`SELECT ${expr} AS v`, params)).rows[0]!.v;
}

async function typeOf(expr: string): Promise<string> {
  return (await run(`SELECT ${expr} AS v`)).types[0]!;
}

const J = `'{"a":{"b":1},"s":"x","n":1.5,"t":true,"z":null,"arr":[1,"two",null],"objs":[{"id":"p1"},{"id":"p2"}]}'`;

describe('literals, names and comments', () => {
  it.each([
    [`'it\\'s'`, "it's"],
    [`"double-quoted is a string"`, 'double-quoted is a string'],
    [`r'\\d+\\.'`, '\\d+\\.'],
    [`'\\\\d'`, '\\d'],
    [`'''triple 'quoted' text'''`, "triple 'quoted' text"],
    [`'line\\nbreak'`, 'line\nbreak'],
    [`'-- not a comment'`, '-- not a comment'],
    [`'gold.fct_orders stays text'`, 'gold.fct_orders stays text'],
  ])('%s is the string BigQuery reads', async (lit, expected) => {
    expect(await value(lit)).toBe(expected);
  });

  it('leaves comments and literals alone, and maps backticked tables to layer schemas and _SESSION to temp', () => {
    const st = translateStatement("SELECT 'STRING `x.y.z`' AS s, `source` -- STRING `p.d.ops_runs` IF(\nFROM `farol-test.analytics.ops_runs` r JOIN _SESSION.stage_orders o ON TRUE # hash comment");
    expect(st.sql).toBe("SELECT 'STRING `x.y.z`' AS s, \"source\" -- STRING `p.d.ops_runs` IF(\nFROM \"ops\".\"runs\" r JOIN temp.stage_orders o ON TRUE -- hash comment");
    expect(translateStatement('SELECT 1 FROM `p.d.no_layer_table`').sql).toBe('SELECT 1 FROM "main"."no_layer_table"');
  });

  it("lists the dataset's tables by their BigQuery ids in INFORMATION_SCHEMA.TABLES, never a session's TEMP tables", async () => {
    await run('CREATE TABLE `farol-test.analytics.gold_catalog_probe` (x INT64)');
    await run('CREATE TABLE `farol-test.analytics.preagg_catalog_probe` (x INT64)');
    await run('CREATE TEMP TABLE catalog_probe_temp AS SELECT 1 AS x');
    const { rows } = await run(
      'SELECT table_name FROM `farol-test.analytics.INFORMATION_SCHEMA.TABLES` t WHERE ENDS_WITH(table_name, ?) ORDER BY table_name',
      [['STRING', 'catalog_probe']],
    );
    expect(rows).toEqual([{ table_name: 'gold_catalog_probe' }, { table_name: 'preagg_catalog_probe' }]);
  });

  it('splits a script at semicolons outside literals and comments', () => {
    const script = translateScript("SELECT ';' AS a; -- ; in a comment\nSELECT 2;\n\n");
    expect(script.map((s) => s.bigquery)).toEqual(["SELECT ';' AS a", '-- ; in a comment\nSELECT 2']);
  });

  it('names an unnamed column f0_, f1_ as BigQuery does', async () => {
    const { rows } = await run('SELECT 1 + 1, upper(\'a\'), 3 AS three');
    expect(rows).toEqual([{ f0_: 2, f1_: 'A', three: 3 }]);
  });

  it.each([
    ["TIMESTAMP '2025-03-01 10:00:00'", 'TIMESTAMP', '2025-03-01T10:00:00.000Z'],
    ["TIMESTAMP '2025-03-01 10:00:00-03:00'", 'TIMESTAMP', '2025-03-01T13:00:00.000Z'],
    ["DATETIME '2025-03-01 10:00:00'", 'DATETIME', '2025-03-01T10:00:00.000'],
    ["DATE '2025-03-01'", 'DATE', '2025-03-01'],
    ["NUMERIC '10.50'", 'NUMERIC', 10.5],
    ['1.5', 'FLOAT', 1.5],
    ['TRUE', 'BOOLEAN', true],
    ["JSON '{\"a\":1}'", 'JSON', { a: 1 }],
  ])('%s is a %s', async (lit, type, expected) => {
    const { rows, types } = await run(`SELECT ${lit} AS v`);
    expect([types[0], rows[0]!.v]).toEqual([type, expected]);
  });
});

describe('parameters', () => {
  it('binds positional parameters with the types BigQuery declared', async () => {
    const { rows, types } = await run('SELECT ? + 1 AS i, ? * 2 AS f, ? AS b, ? AS t, ? AS s, ? IS NULL AS n', [
      ['INT64', '41'], ['FLOAT64', '1.25'], ['BOOL', 'true'], ['TIMESTAMP', '2025-03-14T13:00:00.123456Z'], ['STRING', 'ação'], ['STRING', null],
    ]);
    expect(rows).toEqual([{ i: 42, f: 2.5, b: true, t: '2025-03-14T13:00:00.123Z', s: 'ação', n: true }]);
    expect(types).toEqual(['INTEGER', 'FLOAT', 'BOOLEAN', 'TIMESTAMP', 'STRING', 'BOOLEAN']);
  });

  it('writes each parameter once in the DuckDB text, where a mapping reads an argument twice', async () => {
    const { rows } = await run(`SELECT GREATEST(?, 2) AS g, TIMESTAMP_TRUNC(?, DAY, ?) AS d,
      (SELECT STRING_AGG(JSON_VALUE(e, '$'), ',' ORDER BY o) FROM UNNEST(JSON_QUERY_ARRAY(?, '$')) AS e WITH OFFSET AS o) AS s,
      (SELECT ARRAY_AGG(x + ? IGNORE NULLS ORDER BY x) FROM UNNEST([1, NULL, 3]) AS x) AS a`, [
      ['INT64', '5'], ['TIMESTAMP', '2025-03-14T01:00:00Z'], ['STRING', 'America/Sao_Paulo'], ['STRING', '["p","q"]'], ['INT64', '10'],
    ]);
    expect(rows).toEqual([{ g: 5, d: '2025-03-13T03:00:00.000Z', s: 'p,q', a: [11, 13] }]);
  });

  it('hands each statement of a script its own parameters, in order', async () => {
    const { rows } = await run('CREATE TEMP TABLE p AS SELECT ? AS a; SELECT a, ? AS b FROM p', [['STRING', 'first'], ['INT64', '2']]);
    expect(rows).toEqual([{ a: 'first', b: 2 }]);
  });
});

describe('parameters assigned to columns', () => {
  beforeAll(async () => {
    await run('CREATE TABLE `p.d.ops_typed` (id STRING, n INT64, amount NUMERIC(18,2), f FLOAT64, at_ts TIMESTAMP, ok BOOL)');
  });

  it.each([
    ['INSERT INTO `p.d.ops_typed` (id, n) VALUES (?, ?)', [['STRING', 'a'], ['STRING', null]], 'Value of type STRING cannot be assigned to n, which has type INT64'],
    ['INSERT INTO `p.d.ops_typed` (id, amount) VALUES (?, ?)', [['STRING', 'a'], ['FLOAT64', '10.5']], 'Value of type FLOAT64 cannot be assigned to amount, which has type NUMERIC'],
    ['INSERT INTO `p.d.ops_typed` (id, ok) VALUES (?, ?), (?, ?)', [['STRING', 'a'], ['BOOL', 'true'], ['STRING', 'b'], ['INT64', '1']], 'Value of type INT64 cannot be assigned to ok, which has type BOOL'],
    ['UPDATE `p.d.ops_typed` SET n = ?, f = ? WHERE id = ?', [['INT64', '1'], ['STRING', null], ['STRING', 'a']], 'Value of type STRING cannot be assigned to f, which has type FLOAT64'],
  ])('refuses %s with %j, as BigQuery does', async (sql, params, message) => {
    await expect(run(sql, params as unknown as Param[])).rejects.toThrow(message);
  });

  it('accepts BigQuery\'s coercions: INT64 into FLOAT64 and NUMERIC, STRING into TIMESTAMP, and a cast NULL', async () => {
    await run('INSERT INTO `p.d.ops_typed` (id, n, amount, f, at_ts, ok) VALUES (?, CAST(? AS INT64), ?, ?, ?, CAST(? AS BOOL))', [
      ['STRING', 'a'], ['STRING', null], ['INT64', '10'], ['INT64', '2'], ['STRING', '2025-03-14 10:00:00'], ['STRING', null],
    ]);
    await run('UPDATE `p.d.ops_typed` SET amount = CAST(? AS NUMERIC), at_ts = ? WHERE id = ?', [['FLOAT64', '10.25'], ['TIMESTAMP', '2025-03-14T11:00:00Z'], ['STRING', 'a']]);
    expect((await run('SELECT id, n, amount, f, at_ts, ok FROM `p.d.ops_typed`')).rows).toEqual([
      { id: 'a', n: null, amount: 10.25, f: 2, at_ts: '2025-03-14T11:00:00.000Z', ok: null },
    ]);
  });
});

describe('JSON functions', () => {
  it.each([
    [`JSON_VALUE(${J}, '$.a')`, null, 'an object is NULL (DuckDB would give its text)'],
    [`JSON_VALUE(${J}, '$.arr')`, null, 'an array is NULL'],
    [`JSON_VALUE(${J}, '$.s')`, 'x', 'a string unquoted'],
    [`JSON_VALUE(${J}, '$.n')`, '1.5', 'a number as text'],
    [`JSON_VALUE(${J}, '$.t')`, 'true', 'a boolean as text'],
    [`JSON_VALUE(${J}, '$.z')`, null, 'JSON null is NULL'],
    [`JSON_VALUE(${J}, '$.missing')`, null, 'a missing path is NULL'],
    [`JSON_VALUE(${J}, '$.a.b')`, '1', 'a nested path'],
    [`JSON_VALUE(${J}, '$.objs[1].id')`, 'p2', 'an array element'],
    [`JSON_VALUE(PARSE_JSON(${J}), '$.s')`, 'x', 'on a JSON value'],
    [`JSON_QUERY(PARSE_JSON(${J}), '$.a')`, { b: 1 }, 'JSON_QUERY of JSON is JSON'],
    [`JSON_QUERY(PARSE_JSON(${J}), '$.s')`, 'x', 'a JSON string'],
    [`JSON_QUERY(PARSE_JSON(${J}), '$.missing')`, null, 'a missing path is NULL'],
    [`JSON_TYPE(PARSE_JSON(${J}))`, 'object', ''],
    [`JSON_TYPE(JSON_QUERY(${J}, '$.arr'))`, 'array', ''],
    [`JSON_TYPE(JSON_QUERY(${J}, '$.s'))`, 'string', ''],
    [`JSON_TYPE(JSON_QUERY(${J}, '$.n'))`, 'number', ''],
    [`JSON_TYPE(JSON_QUERY(${J}, '$.a.b'))`, 'number', 'an integer is a number'],
    [`JSON_TYPE(JSON_QUERY(${J}, '$.t'))`, 'boolean', ''],
    [`JSON_TYPE(JSON_QUERY(${J}, '$.z'))`, 'null', ''],
    ["SAFE.PARSE_JSON('not json')", null, 'SAFE. gives NULL instead of an error'],
    ["JSON_VALUE(SAFE.PARSE_JSON('{\"k\":\"v\"}'), '$.k')", 'v', ''],
    ["TO_JSON_STRING(STRUCT(1 AS a, 'x' AS b))", '{"a":1,"b":"x"}', ''],
    ["TO_JSON_STRING(['a', 'b'])", '["a","b"]', ''],
  ])('%s → %j %s', async (expr: string, expected: unknown, _why: string) => {
    expect(await value(expr)).toEqual(expected);
  });

  it('JSON_QUERY_ARRAY gives the elements as JSON, NULL for a non-array; JSON_VALUE_ARRAY the scalars as text', async () => {
    expect(await value(`ARRAY_LENGTH(JSON_QUERY_ARRAY(${J}, '$.objs'))`)).toBe(2);
    expect(await value(`(SELECT STRING_AGG(JSON_VALUE(o, '$.id'), ',') FROM UNNEST(JSON_QUERY_ARRAY(${J}, '$.objs')) AS o)`)).toBe('p1,p2');
    expect(await value(`JSON_QUERY_ARRAY(${J}, '$.a') IS NULL`)).toBe(true);
    // A JSON null element stays a JSON null, not a SQL NULL.
    expect(await value(`(SELECT ARRAY_AGG(JSON_TYPE(e) ORDER BY o) FROM UNNEST(JSON_QUERY_ARRAY(${J}, '$.arr')) AS e WITH OFFSET AS o)`)).toEqual(['number', 'string', 'null']);
    expect(await value(`ARRAY_LENGTH(JSON_QUERY_ARRAY('{"k":[]}', '$.k'))`)).toBe(0);
    expect(await value(`JSON_VALUE_ARRAY('{"k":["a",1,true]}', '$.k')`)).toEqual(['a', '1', 'true']);
    expect(await value(`JSON_VALUE_ARRAY(${J}, '$.objs') IS NULL`)).toBe(true);
  });

  it('PARSE_JSON of text that is not JSON fails the job', async () => {
    await expect(value("PARSE_JSON('not json')")).rejects.toThrow(/JSON/);
  });
});

describe('casts, ids, strings and regular expressions', () => {
  it.each([
    ["CAST('12' AS INT64)", 12],
    ["SAFE_CAST('x' AS INT64)", null],
    ["SAFE_CAST('2025-02-30' AS DATE)", null],
    ["CAST('10.50' AS NUMERIC)", 10.5],
    ["CAST('2025-03-01 10:00:00' AS TIMESTAMP)", '2025-03-01T10:00:00.000Z'],
    ["CAST(TIMESTAMP '2025-03-01 10:00:00' AS DATE)", '2025-03-01'],
    ["CAST(1 AS STRING)", '1'],
    ["CAST('true' AS BOOL)", true],
    ["CAST(7 AS FLOAT64) / 2", 3.5],
    ["CAST('3' AS BIGINT)", 3],
    ["REGEXP_CONTAINS('order-123', r'-\\d+$')", true],
    ["REGEXP_CONTAINS('order-123', '^\\\\d')", false],
    ["REGEXP_EXTRACT('order-123', r'-(\\d+)')", '123'],
    ["REGEXP_EXTRACT('order-123', r'\\d+')", '123'],
    ["REGEXP_EXTRACT('order', r'-(\\d+)')", null],
    ["REGEXP_REPLACE('a-b-c', '-', '+')", 'a+b+c'],
    ["REGEXP_REPLACE('2025-03-14', r'(\\d+)-(\\d+)-(\\d+)', r'\\3/\\2/\\1')", '14/03/2025'],
    ["ARRAY_LENGTH(SPLIT('a,b,,c', ','))", 4],
    ["SPLIT('a;b', ';')[OFFSET(1)]", 'b'],
    ["ARRAY_TO_STRING(['a', 'b', 'c'], '|')", 'a|b|c'],
    ["TO_HEX(MD5('a'))", '0cc175b9c0f1b6a831c399e269772661'],
    ["STARTS_WITH('vtex-orders', 'vtex')", true],
    ["ENDS_WITH('vtex-orders', 'orders')", true],
    ["TRIM('  x  ')", 'x'],
    ["LTRIM('xxa', 'x')", 'a'],
    ["RTRIM('a  ')", 'a'],
    ["UPPER('ação')", 'AÇÃO'],
    ["LENGTH('ação')", 4],
    ["SUBSTR('hello', 2, 3)", 'ell'],
    ["SUBSTR('hello', 0, 2)", 'he'],
    ["SUBSTR('hello', -3)", 'llo'],
    ["CONCAT('a', 'b', 'c')", 'abc'],
    ["CONCAT('a', NULL)", null],
    ["'a' || 'b'", 'ab'],
    ["IF(1 > 0, 'yes', 'no')", 'yes'],
    ["IFNULL(NULL, 'fallback')", 'fallback'],
    ["COALESCE(NULL, NULL, 3)", 3],
    ["NULLIF(5, 5)", null],
    ['GREATEST(1, 5, 3)', 5],
    ['GREATEST(1, NULL)', null],
    ['LEAST(3, 1, 2)', 1],
    ['LEAST(3, NULL)', null],
    ["FORMAT('%s-%d', 'a', 3)", 'a-3'],
    ["IS_NAN(CAST('NaN' AS FLOAT64))", true],
    ['IEEE_DIVIDE(1, 0)', Infinity],
    ['SAFE_DIVIDE(1, 0)', null],
    ['ARRAY_LENGTH(ARRAY<STRING>[])', 0],
    ['ARRAY<INT64>[1, 2]', [1, 2]],
  ])('%s → %j', async (expr, expected) => {
    expect(await value(expr)).toEqual(expected);
  });

  it('GENERATE_UUID gives a new uuid each call, as text', async () => {
    const { rows, types } = await run('SELECT GENERATE_UUID() AS a, GENERATE_UUID() AS b');
    expect(types).toEqual(['STRING', 'STRING']);
    expect(rows[0]!.a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(rows[0]!.a).not.toBe(rows[0]!.b);
  });

  it('STRUCT builds a record whose fields are read by name', async () => {
    expect(await value("STRUCT(1 AS a, 'x' AS b)")).toEqual({ a: 1, b: 'x' });
    expect(await value("(SELECT s.b FROM (SELECT STRUCT(1 AS a, 'x' AS b) AS s))")).toBe('x');
  });
});

describe('arrays and aggregates', () => {
  const T = `(SELECT 'a' AS g, 3 AS x, true AS ok UNION ALL SELECT 'a', 1, false UNION ALL SELECT 'b', 2, false
    UNION ALL SELECT 'b', CAST(NULL AS INT64), true)`;

  it('UNNEST … WITH OFFSET numbers elements from 0, beside the row they came from', async () => {
    const { rows } = await run(`SELECT t.id, x, o FROM (SELECT 7 AS id, ['p', 'q'] AS arr) t, UNNEST(t.arr) AS x WITH OFFSET AS o ORDER BY o`);
    expect(rows).toEqual([{ id: 7, x: 'p', o: 0 }, { id: 7, x: 'q', o: 1 }]);
    const { rows: bare } = await run("SELECT x, off FROM UNNEST(['a', 'b', 'c']) x WITH OFFSET off WHERE off > 0 ORDER BY off");
    expect(bare).toEqual([{ x: 'b', off: 1 }, { x: 'c', off: 2 }]);
    expect(await value("'q' IN UNNEST(['p', 'q'])")).toBe(true);
    const { rows: left } = await run('SELECT t.id, x FROM (SELECT 1 AS id, CAST([] AS ARRAY<STRING>) AS arr) t LEFT JOIN UNNEST(t.arr) AS x ORDER BY t.id');
    expect(left).toEqual([{ id: 1, x: null }]);
  });

  it('GENERATE_ARRAY and GENERATE_DATE_ARRAY (day steps) include both ends', async () => {
    expect(await value('GENERATE_ARRAY(1, 5, 2)')).toEqual([1, 3, 5]);
    expect(await value("GENERATE_DATE_ARRAY(DATE '2025-02-27', DATE '2025-03-02')")).toEqual(['2025-02-27', '2025-02-28', '2025-03-01', '2025-03-02']);
  });

  it('ARRAY(SELECT …) keeps its order', async () => {
    expect(await value('ARRAY(SELECT n FROM UNNEST([3, 1, 2]) AS n ORDER BY n DESC)')).toEqual([3, 2, 1]);
  });

  it('ARRAY_AGG with ORDER BY, LIMIT and IGNORE NULLS; a NULL element fails the query as on BigQuery', async () => {
    expect(await value(`(SELECT ARRAY_AGG(x IGNORE NULLS ORDER BY x DESC LIMIT 2) FROM ${T})`)).toEqual([3, 2]);
    expect(await value(`(SELECT ARRAY_AGG(g ORDER BY x LIMIT 1) FROM ${T} WHERE x IS NOT NULL)`)).toEqual(['a']);
    await expect(value(`(SELECT ARRAY_AGG(x) FROM ${T})`)).rejects.toThrow(/Array cannot have a null element/);
    const { rows } = await run(`SELECT g, ARRAY_AGG(x IGNORE NULLS ORDER BY x) AS xs FROM ${T} GROUP BY g ORDER BY g`);
    expect(rows).toEqual([{ g: 'a', xs: [1, 3] }, { g: 'b', xs: [2] }]);
  });

  it('STRING_AGG with a delimiter, ORDER BY and LIMIT; COUNTIF, LOGICAL_OR, LOGICAL_AND', async () => {
    const { rows } = await run(`SELECT STRING_AGG(g, '-' ORDER BY x DESC) AS s, STRING_AGG(CAST(x AS STRING), ',' ORDER BY x LIMIT 2) AS l,
      COUNTIF(ok) AS c, LOGICAL_OR(ok) AS any_ok, LOGICAL_AND(ok) AS all_ok, STRING_AGG(DISTINCT g) AS d FROM ${T} WHERE x IS NOT NULL`);
    expect(rows).toEqual([{ s: 'a-b-a', l: '1,2', c: 1, any_ok: true, all_ok: false, d: expect.stringMatching(/^(a,b|b,a)$/) }]);
    expect(await value(`(SELECT COUNTIF(x > 100) FROM ${T})`)).toBe(0);
  });

  it('window functions and QUALIFY beside a WHERE', async () => {
    const { rows } = await run(`SELECT g, x FROM ${T} WHERE TRUE QUALIFY ROW_NUMBER() OVER (PARTITION BY g ORDER BY x DESC) = 1 ORDER BY g`);
    expect(rows).toEqual([{ g: 'a', x: 3 }, { g: 'b', x: 2 }]);
  });
});

describe('dates and times', () => {
  const TS = "TIMESTAMP '2025-03-01 02:00:00+00'";
  it.each([
    [`DATE(${TS}, 'America/Sao_Paulo')`, '2025-02-28'],
    [`DATE(${TS})`, '2025-03-01'],
    ['DATE(2025, 3, 14)', '2025-03-14'],
    [`DATETIME(${TS}, 'America/Sao_Paulo')`, '2025-02-28T23:00:00.000'],
    ["TIMESTAMP('2025-03-01 00:00:00', 'America/Sao_Paulo')", '2025-03-01T03:00:00.000Z'],
    ["TIMESTAMP(DATETIME '2025-03-01 00:00:00', 'America/Sao_Paulo')", '2025-03-01T03:00:00.000Z'],
    ["TIMESTAMP('2025-03-01T03:00:00.000000Z')", '2025-03-01T03:00:00.000Z'],
    ["DATE_DIFF(DATE '2025-03-10', DATE '2025-03-01', DAY)", 9],
    ["DATE_DIFF(DATE '2017-10-15', DATE '2017-10-14', WEEK)", 1], // Sunday starts BigQuery's week
    ["DATE_DIFF(DATE '2017-10-15', DATE '2017-10-14', ISOWEEK)", 0],
    ["DATE_DIFF(DATE '2017-10-16', DATE '2017-10-15', ISOWEEK)", 1],
    ["DATE_DIFF(DATE '2025-03-22', DATE '2025-03-09', WEEK)", 1],
    ["DATE_DIFF(DATE '2025-03-01', DATE '2025-02-28', MONTH)", 1],
    ["TIMESTAMP_DIFF(TIMESTAMP '2025-01-01 10:59:00', TIMESTAMP '2025-01-01 10:00:00', HOUR)", 0], // whole hours, not boundaries
    ["TIMESTAMP_DIFF(TIMESTAMP '2025-01-02 09:00:00', TIMESTAMP '2025-01-01 10:00:00', DAY)", 0],
    ["TIMESTAMP_DIFF(TIMESTAMP '2025-01-01 10:00:30', TIMESTAMP '2025-01-01 10:00:00', SECOND)", 30],
    ["DATE_ADD(DATE '2025-01-31', INTERVAL 1 MONTH)", '2025-02-28'],
    ["DATE_SUB(DATE '2025-03-01', INTERVAL 2 DAY)", '2025-02-27'],
    [`TIMESTAMP_ADD(${TS}, INTERVAL 90 MINUTE)`, '2025-03-01T03:30:00.000Z'],
    [`TIMESTAMP_SUB(${TS}, INTERVAL 1 DAY)`, '2025-02-28T02:00:00.000Z'],
    ["DATETIME_ADD(DATETIME '2025-03-01 00:00:00', INTERVAL 1 HOUR)", '2025-03-01T01:00:00.000'],
    ["DATE_TRUNC(DATE '2025-03-14', MONTH)", '2025-03-01'],
    ["DATE_TRUNC(DATE '2025-03-14', WEEK)", '2025-03-09'], // the Sunday before
    ["DATE_TRUNC(DATE '2025-03-14', ISOWEEK)", '2025-03-10'],
    ["DATE_TRUNC(DATE '2025-03-14', YEAR)", '2025-01-01'],
    ["TIMESTAMP_TRUNC(TIMESTAMP '2025-03-14 12:34:56', DAY)", '2025-03-14T00:00:00.000Z'],
    ["TIMESTAMP_TRUNC(TIMESTAMP '2025-03-14 01:00:00', DAY, 'America/Sao_Paulo')", '2025-03-13T03:00:00.000Z'],
    ["TIMESTAMP_TRUNC(TIMESTAMP '2025-03-14 12:00:00', WEEK)", '2025-03-09T00:00:00.000Z'],
    ["DATETIME_TRUNC(DATETIME '2025-03-14 12:34:56', HOUR)", '2025-03-14T12:00:00.000'],
    ["FORMAT_DATE('%Y-%m', DATE '2025-03-14')", '2025-03'],
    ["FORMAT_DATE('%F', DATE '2025-03-14')", '2025-03-14'],
    ["FORMAT_TIMESTAMP('%F %T', TIMESTAMP '2025-03-14 12:00:00', 'America/Sao_Paulo')", '2025-03-14 09:00:00'],
    ["FORMAT_TIMESTAMP('%Y-%m-%dT%H:%M:%SZ', TIMESTAMP '2025-03-14 12:00:00')", '2025-03-14T12:00:00Z'],
    ["PARSE_DATE('%Y%m%d', '20250314')", '2025-03-14'],
    ["PARSE_TIMESTAMP('%Y-%m-%d %H:%M:%S', '2025-03-14 10:00:00', 'America/Sao_Paulo')", '2025-03-14T13:00:00.000Z'],
    ["PARSE_TIMESTAMP('%Y-%m-%d %H:%M:%S', '2025-03-14 10:00:00')", '2025-03-14T10:00:00.000Z'],
    ["SAFE.PARSE_TIMESTAMP('%Y-%m-%d', 'not a date')", null],
    ["EXTRACT(DAYOFWEEK FROM DATE '2025-03-09')", 1], // Sunday is 1
    ["EXTRACT(DAYOFWEEK FROM DATE '2025-03-15')", 7],
    ["EXTRACT(YEAR FROM DATE '2025-03-09')", 2025],
    [`EXTRACT(HOUR FROM ${TS} AT TIME ZONE 'America/Sao_Paulo')`, 23],
    [`EXTRACT(DATE FROM ${TS} AT TIME ZONE 'America/Sao_Paulo')`, '2025-02-28'],
    ["EXTRACT(MILLISECOND FROM TIMESTAMP '2025-03-01 10:00:05.123')", 123],
    ["EXTRACT(WEEK FROM DATE '2025-01-04')", 0], // before the year's first Sunday
    ["EXTRACT(ISOWEEK FROM DATE '2025-01-04')", 1],
  ])('%s → %j', async (expr, expected) => {
    expect(await value(expr)).toEqual(expected);
  });

  it('keeps BigQuery\'s result types: DATE_ADD a DATE, DATETIME a DATETIME, DATE_DIFF an INT64', async () => {
    expect(await typeOf("DATE_ADD(DATE '2025-01-31', INTERVAL 1 DAY)")).toBe('DATE');
    expect(await typeOf("DATE_TRUNC(DATE '2025-03-14', MONTH)")).toBe('DATE');
    expect(await typeOf("DATETIME(TIMESTAMP '2025-03-01 02:00:00', 'UTC')")).toBe('DATETIME');
    expect(await typeOf("TIMESTAMP_TRUNC(TIMESTAMP '2025-03-14 12:34:56', DAY, 'America/Sao_Paulo')")).toBe('TIMESTAMP');
    expect(await typeOf("DATE_DIFF(DATE '2025-03-10', DATE '2025-03-01', DAY)")).toBe('INTEGER');
  });

  it('takes an interval\'s count from a parameter', async () => {
    expect(await value('TIMESTAMP_ADD(?, INTERVAL ? HOUR)', [['TIMESTAMP', '2025-03-01T00:00:00Z'], ['INT64', '5']])).toBe('2025-03-01T05:00:00.000Z');
  });

  it('CURRENT_TIMESTAMP() and CURRENT_DATE() are today in UTC', async () => {
    const { rows } = await run('SELECT CURRENT_TIMESTAMP() AS ts, CURRENT_DATE() AS d');
    expect(Math.abs(Date.parse(rows[0]!.ts as string) - Date.now())).toBeLessThan(60_000);
    expect(rows[0]!.d).toBe(new Date().toISOString().slice(0, 10));
  });
});

describe('DDL and DML', () => {
  it('creates a table from BigQuery DDL, dropping partitioning, clustering, options and unenforced keys', async () => {
    await run(`CREATE TABLE IF NOT EXISTS \`p.d.ops_ddl_check\` (
      id     STRING NOT NULL,       -- the key
      n      INT64 DEFAULT 0 NOT NULL,
      amount NUMERIC(18,2),
      big    BIGNUMERIC,
      f      FLOAT64,
      ok     BOOL,
      ts     TIMESTAMP,
      local  DATETIME,
      day    DATE,
      raw    BYTES,
      doc    JSON,
      tags   ARRAY<STRING>,
      addr   STRUCT<city STRING, zip STRING>,
      PRIMARY KEY (id) NOT ENFORCED
    )
    PARTITION BY day
    CLUSTER BY id
    OPTIONS (description = 'a table; with a semicolon')`);
    const cols = await engine.read("SELECT column_name, data_type, is_nullable FROM duckdb_columns() WHERE table_name = 'ddl_check' ORDER BY column_index");
    expect(cols.map((c) => [c.column_name, c.data_type, c.is_nullable])).toEqual([
      ['id', 'VARCHAR', false], ['n', 'BIGINT', false], ['amount', 'DECIMAL(18,2)', true], ['big', 'DECIMAL(38,18)', true], ['f', 'DOUBLE', true],
      ['ok', 'BOOLEAN', true], ['ts', 'TIMESTAMP WITH TIME ZONE', true], ['local', 'TIMESTAMP', true], ['day', 'DATE', true], ['raw', 'BLOB', true],
      ['doc', 'JSON', true], ['tags', 'VARCHAR[]', true], ['addr', 'STRUCT(city VARCHAR, zip VARCHAR)', true],
    ]);
    // Keys are not enforced on BigQuery: a second row with the same key is accepted.
    await run("INSERT `p.d.ops_ddl_check` (id, tags, addr) VALUES ('k', ['x'], STRUCT('Recife', '50000')), ('k', [], NULL)");
    const { rows } = await run('SELECT id, n, tags, addr FROM `p.d.ops_ddl_check` ORDER BY ARRAY_LENGTH(tags) DESC');
    expect(rows).toEqual([{ id: 'k', n: 0, tags: ['x'], addr: { city: 'Recife', zip: '50000' } }, { id: 'k', n: 0, tags: [], addr: null }]);
  });

  it('CREATE TABLE … LIKE copies the columns; ALTER TABLE ADD COLUMN takes BigQuery types', async () => {
    await run('CREATE TABLE `p.d.ops_like_src` (a STRING, b INT64); CREATE TABLE `p.d.ops_like_copy` LIKE `p.d.ops_like_src` OPTIONS (expiration_timestamp = TIMESTAMP_ADD(CURRENT_TIMESTAMP(), INTERVAL 1 HOUR))');
    await run('ALTER TABLE `p.d.ops_like_copy` ADD COLUMN IF NOT EXISTS c NUMERIC');
    const cols = await engine.read("SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = 'like_copy' ORDER BY column_index");
    expect(cols.map((c) => `${String(c.column_name)} ${String(c.data_type)}`)).toEqual(['a VARCHAR', 'b BIGINT', 'c DECIMAL(38,9)']);
  });

  it('reports rows changed by DML, MERGE without INTO and DELETE without FROM included', async () => {
    await run('CREATE TABLE `p.d.ops_dml` (k STRING, v INT64)');
    const ins = await engine.query("INSERT `p.d.ops_dml` (k, v) VALUES ('a', 1), ('b', 2)", [], {});
    expect(ins.numDmlAffectedRows).toBe(2);
    const merge = await engine.query("MERGE `p.d.ops_dml` t USING (SELECT 'b' AS k, 20 AS v UNION ALL SELECT 'c', 3) s ON t.k = s.k WHEN MATCHED THEN UPDATE SET v = s.v WHEN NOT MATCHED THEN INSERT (k, v) VALUES (s.k, s.v)", [], {});
    expect(merge.numDmlAffectedRows).toBe(2);
    const del = await engine.query("DELETE `p.d.ops_dml` WHERE k = 'a'", [], {});
    expect(del.numDmlAffectedRows).toBe(1);
    expect((await run('SELECT k, v FROM `p.d.ops_dml` ORDER BY k')).rows).toEqual([{ k: 'b', v: 20 }, { k: 'c', v: 3 }]);
  });

  it('SELECT * EXCEPT drops the named columns', async () => {
    expect((await run("SELECT * EXCEPT (b) FROM (SELECT 1 AS a, 2 AS b, 3 AS c)")).rows).toEqual([{ a: 1, c: 3 }]);
  });
});
