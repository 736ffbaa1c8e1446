import { describe, expect, it } from 'vitest';
import { parseInstant } from './master-data-query.js';
import { parseWhere, type WhereNode } from './master-data-where.js';

function node(text: string): WhereNode {
  const parsed = parseWhere(text);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.node;
}

describe('parseWhere', () => {
  it('reads the documented forms, AND binding tighter than OR', () => {
    expect(node('(createdIn>2025-01-01T00:00:00.000Z OR updatedIn>2025-01-01T00:00:00.000Z)')).toEqual({
      kind: 'or',
      operands: [
        { kind: 'compare', field: 'createdIn', op: '>', value: '2025-01-01T00:00:00.000Z' },
        { kind: 'compare', field: 'updatedIn', op: '>', value: '2025-01-01T00:00:00.000Z' },
      ],
    });
    expect(node('firstName=Jon OR lastName=Smith AND isCorporate=true')).toEqual({
      kind: 'or',
      operands: [
        { kind: 'compare', field: 'firstName', op: '=', value: 'Jon' },
        {
          kind: 'and',
          operands: [
            { kind: 'compare', field: 'lastName', op: '=', value: 'Smith' },
            { kind: 'compare', field: 'isCorporate', op: '=', value: 'true' },
          ],
        },
      ],
    });
    expect(node('createdIn between 2001-01-01 AND 2016-01-01')).toEqual({ kind: 'between', field: 'createdIn', low: '2001-01-01', high: '2016-01-01' });
    expect(node('updatedIn is null')).toEqual({ kind: 'null', field: 'updatedIn', negated: false });
    expect(node('firstName IS NOT NULL')).toEqual({ kind: 'null', field: 'firstName', negated: true });
    expect(node(`firstName<>"Ana Maria" and lastName='Souza'`)).toEqual({
      kind: 'and',
      operands: [
        { kind: 'compare', field: 'firstName', op: '<>', value: 'Ana Maria' },
        { kind: 'compare', field: 'lastName', op: '=', value: 'Souza' },
      ],
    });
  });

  it('refuses what VTEX does not document, saying what is wrong', () => {
    for (const [text, why] of [
      ['createdIn>=2025-01-01', '>='],
      ['firstName!=Ana', '!='],
      ['firstName like Ana', 'operator'],
      ['firstName=Ana Maria', 'unexpected "Maria"'],
      ['(firstName=Ana', 'expected ")"'],
      ['createdIn between 2001-01-01 2016-01-01', 'AND'],
      ['updatedIn is', 'null'],
      ['firstName="Ana', 'unterminated'],
      ['', 'empty'],
      ['NOT firstName=Ana', 'field name'],
    ] as const) {
      const parsed = parseWhere(text);
      expect(parsed.ok, text).toBe(false);
      if (!parsed.ok) expect(parsed.message, text).toContain(why);
    }
  });
});

describe('parseInstant', () => {
  it('keeps the 7th fractional digit and honours offsets', () => {
    expect(parseInstant('2025-03-14T13:22:05.1234567Z')).toEqual({ ms: Date.parse('2025-03-14T13:22:05.123Z'), sub: 4567 });
    expect(parseInstant('2025-03-14T10:22:05.5-03:00')).toEqual({ ms: Date.parse('2025-03-14T13:22:05.500Z'), sub: 0 });
    expect(parseInstant('2001-01-01')).toEqual({ ms: Date.parse('2001-01-01T00:00:00Z'), sub: 0 });
    expect(parseInstant('2025-02-30')).toBeUndefined();
    expect(parseInstant('yesterday')).toBeUndefined();
  });
});
