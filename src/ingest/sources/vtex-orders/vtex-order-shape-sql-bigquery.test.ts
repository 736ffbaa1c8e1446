import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { vtexTimestamp } from '../../../transform/silver/vtex/vtex-order-schema.js';
import { objectShapeOf } from './vtex-order-shape.js';
import { bqRegex, bqString, bqTrimmedText, firstViolationSqlBigQuery } from './vtex-order-shape-sql-bigquery.js';

/** The RE2 text back as a JavaScript regex (`\x{hh}` is `\u{hh}` there). */
function asJs(raw: string): RegExp {
  const m = /^r'(.*)'$/s.exec(raw);
  if (!m) throw new Error(`not a raw literal: ${raw}`);
  return new RegExp((m[1] as string).replace(/\\x\{([0-9A-F]+)\}/g, '\\u{$1}'), 'u');
}

describe('bqRegex', () => {
  it('spells ? as {0,1} and drops non-capturing group marks, matching what the JavaScript regex matches', () => {
    const re = /^(?:ab)?c\?[?x]d:?$/;
    const raw = bqRegex(re);
    expect(raw).toBe(String.raw`r'^(ab){0,1}c\x{3F}[\x{3F}x]d:{0,1}$'`);
    for (const s of ['c?xd', 'abc??d:', 'abc?xd', 'c?d', 'abab c?xd', 'c?xd::']) expect(asJs(raw).test(s), s).toBe(re.test(s));
  });

  it('keeps the VTEX timestamp rule: same verdict on valid and invalid texts', () => {
    const source = (vtexTimestamp._zod.def.checks?.[0] as unknown as { _zod: { def: { pattern: RegExp } } })._zod.def.pattern;
    const raw = bqRegex(source);
    expect(raw).not.toContain('?');
    const samples = ['2025-03-14T13:22:05Z', '2025-03-14T13:22:05.1234567-03:00', '2025-03-14T13:22:05-0300', '2025-03-14T13:22:05', '2025-03-14T13:22:05.12345678Z', '14/03/2025', '2025-03-14T13:22:05+0530x'];
    for (const s of samples) expect(asJs(raw).test(s), s).toBe(source.test(s));
  });

  it.each([
    ['flags', /a/i],
    ['a lookahead', /a(?=b)/],
    ['a named group', /(?<y>a)/],
    ['a lazy quantifier', /a+?/],
    ['a back reference', /(a)\1/],
    ['a quote', /it's/],
  ])('refuses %s', (_what, re) => {
    expect(() => bqRegex(re)).toThrow('cannot be sent to BigQuery');
  });
});

describe('bqTrimmedText', () => {
  it('removes exactly what String.prototype.trim removes, at both ends only', () => {
    const raw = /REGEXP_REPLACE\(x, (r'.*'), ''\)/.exec(bqTrimmedText('x'))?.[1];
    const re = new RegExp(asJs(raw ?? '').source, 'gu');
    for (let c = 0; c <= 0xffff; c++) {
      const s = `${String.fromCharCode(c)}a${String.fromCharCode(c)}b${String.fromCharCode(c)}`;
      if (c >= 0xd800 && c <= 0xdfff) continue;
      expect(s.replace(re, ''), `U+${c.toString(16)}`).toBe(s.trim());
    }
  });
});

describe('bqString', () => {
  it('escapes with backslashes, never by doubling a quote', () => {
    expect(bqString(`it's a \\ "x"\n`)).toBe(String.raw`'it\'s a \\ \"x\"\n'`);
  });
});

describe('firstViolationSqlBigQuery', () => {
  const shape = objectShapeOf(z.object({
    id: z.string().min(1),
    n: z.number().int().min(0).nullish(),
    tags: z.array(z.object({ on: z.boolean() })).nullish(),
  }));
  const sql = firstViolationSqlBigQuery(shape, 'j', 'payload');

  it('checks the fields in schema order, array elements by offset', () => {
    const at = (s: string) => sql.indexOf(s);
    expect(at("'id: expected non-empty string, received '")).toBeGreaterThan(0);
    expect(at("'n: expected integer ≥ 0, received '")).toBeGreaterThan(at("'id: expected non-empty string, received '"));
    expect(at("'tags.' || CAST(o1 AS STRING) || '.on: expected boolean, received '")).toBeGreaterThan(at("'n: expected integer ≥ 0, received '"));
    expect(sql).toContain("FROM UNNEST(JSON_QUERY_ARRAY(JSON_QUERY(j, '$.tags'), '$')) AS e1 WITH OFFSET AS o1) WHERE r IS NOT NULL ORDER BY o1 LIMIT 1)");
    expect(sql).toContain('SAFE_CAST(JSON_VALUE(j, \'$.n\') AS FLOAT64) >= 0');
  });

  it('accepts null and absence where the schema does, and names which one came where it does not', () => {
    // nullish: the missing branch yields no reason.
    expect(sql).toMatch(/WHEN JSON_QUERY\(j, '\$\.n'\) IS NULL OR JSON_TYPE\(JSON_QUERY\(j, '\$\.n'\)\) = 'null' THEN NULL/);
    expect(sql).toContain("'id: expected non-empty string, received ' || IF(JSON_QUERY(j, '$.id') IS NULL, 'nothing', 'null')");
  });

  it('refuses a rule BigQuery cannot run, when the SQL is built', () => {
    expect(() => firstViolationSqlBigQuery(objectShapeOf(z.object({ a: z.string().regex(/x(?!y)/) })), 'j', 'payload')).toThrow('lookaround');
  });
});
