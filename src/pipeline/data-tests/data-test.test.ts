import { describe, expect, it } from 'vitest';
import { dataTestColumnLabel, dataTestId, parseTableName, quoteTableName, validateDataTest, type DataTest } from './data-test.js';

const ORDERS = { table: 'silver.orders', keyColumns: ['source', 'order_id'], severity: 'error' } as const;

describe('data test ids', () => {
  it('are <table>.<column(s)>.<kind>', () => {
    expect(dataTestId({ ...ORDERS, kind: 'accepted_values', column: 'currency', values: ['BRL'] })).toBe(
      'silver.orders.currency.accepted_values',
    );
    const unique: DataTest = { ...ORDERS, kind: 'unique', columns: ['source', 'order_id'] };
    expect(dataTestId(unique)).toBe('silver.orders.source,order_id.unique');
    expect(dataTestColumnLabel(unique)).toBe('source,order_id');
  });

  it('do not depend on severity, where or bounds, so history stays comparable', () => {
    const a: DataTest = { ...ORDERS, kind: 'range', column: 'total', min: 0 };
    const b: DataTest = { ...ORDERS, kind: 'range', column: 'total', min: 1, severity: 'warn', where: 'total IS NOT NULL' };
    expect(dataTestId(a)).toBe(dataTestId(b));
  });
});

describe('table names', () => {
  it('parse schema.table and quote both parts', () => {
    expect(parseTableName('gold.fct_orders')).toEqual({ schema: 'gold', table: 'fct_orders' });
    expect(quoteTableName('gold.fct_orders')).toBe('"gold"."fct_orders"');
  });

  it.each(['orders', 'a.b.c', 'silver.orders; DROP TABLE x', 'silver."orders"', 'silver.'])('refuse %j', (name) => {
    expect(() => parseTableName(name)).toThrow();
  });
});

describe('validateDataTest', () => {
  const bad: [string, DataTest, RegExp][] = [
    ['a column that is not an identifier', { ...ORDERS, kind: 'not_null', column: 'total; --' }, /invalid SQL identifier/],
    ['a key that is not an identifier', { ...ORDERS, keyColumns: ['a b'], kind: 'not_null', column: 'x' }, /invalid SQL identifier/],
    ['no key', { ...ORDERS, keyColumns: [], kind: 'not_null', column: 'x' }, /keyColumns is empty/],
    ['no unique columns', { ...ORDERS, kind: 'unique', columns: [] }, /no column/],
    ['no accepted values', { ...ORDERS, kind: 'accepted_values', column: 'currency', values: [] }, /at least one value/],
    ['a range without bounds', { ...ORDERS, kind: 'range', column: 'total' }, /min and\/or max/],
    ['an inverted range', { ...ORDERS, kind: 'range', column: 'total', min: 2, max: 1 }, /min is above max/],
    ['an infinite bound', { ...ORDERS, kind: 'range', column: 'total', max: Infinity }, /finite/],
    [
      'relationship columns that do not pair up',
      { ...ORDERS, kind: 'relationship', columns: ['source', 'order_id'], to: { table: 'silver.orders', columns: ['order_id'] } },
      /as many target columns/,
    ],
    [
      'a relationship target that is not a table',
      { ...ORDERS, kind: 'relationship', columns: ['order_id'], to: { table: 'orders', columns: ['order_id'] } },
      /schema\.table/,
    ],
    ['a non-positive freshness', { ...ORDERS, kind: 'freshness', column: 'last_change', maxAgeHours: 0 }, /positive/],
    ['a where with a parameter', { ...ORDERS, kind: 'not_null', column: 'x', where: 'status = ?' }, /must not contain/],
    ['a where with a second statement', { ...ORDERS, kind: 'not_null', column: 'x', where: 'true; DROP TABLE x' }, /must not contain/],
  ];

  it.each(bad)('refuses %s, naming the test', (_why, test, message) => {
    expect(() => validateDataTest(test)).toThrow(message);
    expect(() => validateDataTest(test)).toThrow(/^data test silver\.orders\./);
  });

  it('accepts a well-formed test of every kind', () => {
    const ok: DataTest[] = [
      { ...ORDERS, kind: 'not_null', column: 'status' },
      { ...ORDERS, kind: 'unique', columns: ['source', 'order_id'] },
      { ...ORDERS, kind: 'accepted_values', column: 'currency', values: ['BRL'] },
      { ...ORDERS, kind: 'relationship', columns: ['source'], to: { table: 'ops.source_status', columns: ['source'] } },
      { ...ORDERS, kind: 'range', column: 'total', min: 0, max: 0 },
      { ...ORDERS, kind: 'document', column: 'document', where: `document_type = 'cpf'` },
      { ...ORDERS, kind: 'email', column: 'customer_email' },
      { ...ORDERS, kind: 'freshness', column: 'last_change', maxAgeHours: 0.5 },
    ];
    for (const t of ok) expect(() => validateDataTest(t)).not.toThrow();
  });
});
