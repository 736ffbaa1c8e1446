import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEYS, sqlState, startSqlApiHarness, type SqlApiHarness } from './sql-api-harness.js';

/**
 * Semantic SQL through a real node-postgres client over the gold fixture
 * (test/metrics/gold-fixtures.ts). Sales per São Paulo day: 2025-03-14 345.00 (3 orders),
 * 03-15 365.35 (2), 03-16 70.00 (1); by channel: Site 405.10 (4 orders), Mercado Livre 375.25 (2).
 */
let h: SqlApiHarness;
beforeAll(async () => {
  h = await startSqlApiHarness();
});
afterAll(async () => {
  await h?.close();
});

describe('semantic SQL', () => {
  it('groups a measure by a dimension, filtered, ordered and limited', async () => {
    const c = await h.client(KEYS.analyst);
    const res = await c.query("SELECT channel, MEASURE(revenue) FROM sales WHERE order_date >= '2025-01-01' GROUP BY 1 ORDER BY 2 DESC LIMIT 10");
    expect(res.fields.map((f) => [f.name, f.dataTypeID])).toEqual([['channel', 25], ['measure', 1700]]);
    expect(res.rows).toEqual([
      { channel: 'Site', measure: '405.1' },
      { channel: 'Mercado Livre', measure: '375.25' },
    ]);
  });
});
