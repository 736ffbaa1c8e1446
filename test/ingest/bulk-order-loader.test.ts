import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadVtexOrders } from '../../src/ingest/sources/vtex/bulk-order-loader.js';
import { generateOrders } from '../../src/sandbox/vtex/index.js';
import { DataVersions } from '../../src/warehouse/data-version.js';
import type { DuckDbWarehouse } from '../../src/warehouse/duckdb/duckdb-warehouse.js';
import { EXPECTED_SALE_STATUSES } from '../fixtures/sale-statuses.js';
import { tempWarehouse } from '../fixtures/temp-warehouse.js';

let wh: DuckDbWarehouse;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ warehouse: wh, cleanup } = await tempWarehouse()));
afterEach(async () => cleanup());

const WINDOW = { from: new Date('2026-01-01T00:00:00Z'), to: new Date('2026-03-01T00:00:00Z') };

describe('sandbox load (generated orders through bronze → silver → gold)', () => {
  it('loads in batches, matches the generated revenue to the cent, and a re-run changes nothing', async () => {
    const orders = [...generateOrders({ seed: 11, count: 1_234, ...WINDOW })];
    const dataVersions = await DataVersions.load(wh);
    const progress: number[] = [];
    const first = await loadVtexOrders(orders, {
      warehouse: wh, dataVersions, gold: { timezone: 'America/Sao_Paulo' }, batchSize: 500, onProgress: (p) => progress.push(p.loaded),
    });
    expect(first).toEqual({ loaded: 1_234, changed: 1_234, quarantined: 0 });
    expect(progress).toEqual([500, 1_000, 1_234]);
    expect(dataVersions.current()).toBe(3);

    const cents = orders.filter((o) => EXPECTED_SALE_STATUSES.has(o.status)).reduce((s, o) => s + o.value, 0);
    const items = orders.reduce((s, o) => s + o.items.length, 0);
    expect(await wh.query('SELECT sum(total) FILTER (WHERE is_sale) AS revenue, count(*) AS n FROM gold.fct_orders')).toEqual([
      { revenue: cents / 100, n: 1_234 },
    ]);
    expect(await wh.query('SELECT count(*) AS n FROM gold.fct_sales')).toEqual([{ n: items }]);

    const again = await loadVtexOrders(orders, { warehouse: wh, dataVersions, gold: { timezone: 'America/Sao_Paulo' } });
    expect(again).toEqual({ loaded: 1_234, changed: 0, quarantined: 0 });
    expect(dataVersions.current()).toBe(3); // nothing changed, so cached metrics stay valid
    expect(await wh.query('SELECT count(*) AS n FROM bronze.records')).toEqual([{ n: 2_468 }]); // bronze keeps both deliveries
  });
});
