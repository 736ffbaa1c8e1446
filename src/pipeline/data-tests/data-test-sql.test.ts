import { describe, expect, it } from 'vitest';
import type { DataTest } from './data-test.js';
import {
  distinctValuesStatement,
  failingRowsStatement,
  failingValuesStatement,
  freshnessStatement,
  sampleKeyExpression,
  scopeCondition,
} from './data-test-sql.js';

const ITEMS = {
  table: 'silver.order_items', keyColumns: ['source', 'order_id', 'item_index'], scopeColumns: ['source', 'order_id'],
  severity: 'error',
} as const;
const SCOPE = 'SELECT source, order_id FROM silver.stage_changed_orders';

describe('failingRowsStatement', () => {
  it('binds accepted values and bounds as parameters, never as SQL text', () => {
    const accepted = failingRowsStatement({ ...ITEMS, kind: 'accepted_values', column: 'seller_id', values: [`O'Brien`, 1, true] });
    expect(accepted.sql).toContain('t."seller_id" NOT IN (?, ?, ?)');
    expect(accepted.sql).not.toContain('Brien');
    expect(accepted.params).toEqual([`O'Brien`, 1, true]);

    const range = failingRowsStatement({ ...ITEMS, kind: 'range', column: 'quantity', min: 0, max: 999 });
    expect(range.sql).toContain('t."quantity" IS NOT NULL AND (t."quantity" < ? OR t."quantity" > ?)');
    expect(range.params).toEqual([0, 999]);
    expect(failingRowsStatement({ ...ITEMS, kind: 'range', column: 'quantity', max: 5 }).params).toEqual([5]);
  });

  it('returns a count and at most 10 sorted distinct sample keys from one statement', () => {
    const { sql } = failingRowsStatement({ ...ITEMS, kind: 'not_null', column: 'sku_id' });
    expect(sql.match(/;/g)).toBeNull();
    expect(sql).toContain('WITH failing AS MATERIALIZED');
    expect(sql).toContain('count(*) FROM failing) AS failing_count');
    expect(sql).toContain('SELECT DISTINCT sample_key FROM failing ORDER BY sample_key LIMIT 10');
  });

  it('scopes with an EXISTS semi-join on the scope columns, and only when asked', () => {
    const test: DataTest = { ...ITEMS, kind: 'not_null', column: 'sku_id' };
    expect(failingRowsStatement(test).sql).not.toContain('scope_keys');
    const scoped = failingRowsStatement(test, SCOPE).sql;
    expect(scoped).toContain(
      `EXISTS (SELECT 1 FROM (${SCOPE}) AS scope_keys WHERE scope_keys."source" = t."source" AND scope_keys."order_id" = t."order_id")`,
    );
  });

  it('groups only the values of scoped rows for unique, over the whole table', () => {
    const sql = failingRowsStatement({ ...ITEMS, kind: 'unique', columns: ['source', 'order_id', 'item_index'] }, SCOPE).sql;
    expect(sql).toContain('GROUP BY dup."source", dup."order_id", dup."item_index" HAVING count(*) > 1');
    expect(sql).toContain('FROM "silver"."order_items" AS scoped WHERE EXISTS');
  });

  it('anti-joins the referenced table for a relationship, column by column, skipping null references', () => {
    const sql = failingRowsStatement({
      ...ITEMS, kind: 'relationship', columns: ['source', 'order_id'],
      to: { table: 'silver.orders', columns: ['source', 'order_id'] },
    }).sql;
    expect(sql).toContain('t."source" IS NOT NULL AND t."order_id" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "silver"."orders" AS ref');
    expect(sql).toContain('ref."source" = t."source" AND ref."order_id" = t."order_id"');
  });

  it('adds the where fragment as a parenthesised condition', () => {
    const sql = failingRowsStatement({ ...ITEMS, kind: 'not_null', column: 'sku_id', where: `is_gift OR quantity > 0` }).sql;
    expect(sql).toContain('WHERE (is_gift OR quantity > 0)\n    AND (t."sku_id" IS NULL)');
  });

  it('validates before building', () => {
    expect(() => failingRowsStatement({ ...ITEMS, kind: 'not_null', column: 'sku id' })).toThrow(/invalid SQL identifier/);
    expect(() => failingRowsStatement({ ...ITEMS, kind: 'not_null', column: 'sku_id' }, 'SELECT 1; DROP TABLE x')).toThrow(
      /scope relation must not contain/,
    );
  });
});

describe('value and freshness statements', () => {
  const doc: DataTest & { kind: 'document' } = { ...ITEMS, kind: 'document', column: 'ean' };

  it('reads distinct non-null values as VARCHAR', () => {
    const st = distinctValuesStatement(doc, SCOPE);
    expect(st.sql).toMatch(/^SELECT DISTINCT CAST\(t\."ean" AS VARCHAR\) AS value FROM "silver"\."order_items" AS t WHERE t\."ean" IS NOT NULL AND EXISTS/);
    expect(st.params).toEqual([]);
  });

  it('passes every invalid value in one JSON parameter', () => {
    const values = [`'; DROP TABLE silver.orders; --`, 'x'];
    const st = failingValuesStatement(doc, values);
    expect(st.params).toEqual([JSON.stringify(values)]);
    expect(st.sql).not.toContain('DROP');
  });

  it('compares the newest value with a bound cutoff, ignoring scope', () => {
    const st = freshnessStatement(
      { ...ITEMS, kind: 'freshness', column: 'last_change', maxAgeHours: 1, where: `source = 'vtex-orders'` },
      new Date('2025-03-14T00:00:00.000Z'),
    );
    expect(st.sql).toBe(
      `SELECT count(t."last_change") AS row_count, max(t."last_change") AS latest, ` +
        `max(t."last_change") < CAST(? AS TIMESTAMPTZ) AS stale FROM "silver"."order_items" AS t WHERE (source = 'vtex-orders')`,
    );
    expect(st.params).toEqual(['2025-03-14T00:00:00.000Z']);
  });
});

describe('sample keys and scope conditions', () => {
  it('join key parts with : and keep null parts visible', () => {
    expect(sampleKeyExpression(['order_key'], 't')).toBe(`coalesce(CAST(t."order_key" AS VARCHAR), 'null')`);
    expect(sampleKeyExpression(['a', 'b'], 'x')).toBe(
      `concat_ws(':', coalesce(CAST(x."a" AS VARCHAR), 'null'), coalesce(CAST(x."b" AS VARCHAR), 'null'))`,
    );
  });

  it('refuse an empty scope relation', () => {
    expect(() => scopeCondition(['a'], 't', '  ')).toThrow(/empty/);
  });
});
