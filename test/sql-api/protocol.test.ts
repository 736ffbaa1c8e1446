import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Cursor from 'pg-cursor';
import { serialize } from 'pg-protocol';
import type { MetricsQuery } from '../../src/metrics/metrics-query.js';
import { CATALOG_SERVER_VERSION } from '../../src/sql-api/catalog/server-version.js';
import type { MetricsService } from '../../src/metrics/metrics-service.js';
import { dataRowFields, RawPgClient } from './raw-pg-client.js';
import { KEYS, sqlState, startSqlApiHarness, type SqlApiHarness } from './sql-api-harness.js';

/** Generated orders beside the fixture's 8: enough for a result larger than the engine's page. */
const BULK_ORDERS = 120_000;

/** Holds `load` calls asking for `sales.gmv` until released: a query in flight, for CancelRequest. */
class Gate {
  entered!: Promise<void>;
  #enter!: () => void;
  #release!: () => void;
  #released!: Promise<void>;
  constructor() {
    this.reset();
  }
  reset(): void {
    this.entered = new Promise((r) => (this.#enter = r));
    this.#released = new Promise((r) => (this.#release = r));
  }
  wrap(inner: MetricsService): MetricsService {
    return {
      load: async (q: MetricsQuery, ctx) => {
        if (q.measures.includes('sales.gmv')) {
          this.#enter();
          await this.#released;
        }
        return inner.load(q, ctx);
      },
      loadCompareDateRange: (q, ctx) => inner.loadCompareDateRange(q, ctx),
      catalog: (ctx) => inner.catalog(ctx),
      toSql: (q, ctx) => inner.toSql(q, ctx),
    };
  }
  release(): void {
    this.#release();
  }
}

const gate = new Gate();
let h: SqlApiHarness;
beforeAll(async () => {
  h = await startSqlApiHarness({
    wrap: (engine) => gate.wrap(engine),
    seed: async (fixture) => {
      await fixture.warehouse.query(
        `INSERT INTO gold.fct_orders (order_key, source, order_id, order_date, created_at, status, is_sale, is_canceled, channel_key, store_key, customer_key,
           coupon, utm_campaign, items_count, items_total, discounts_total, shipping_total, total, last_change)
         SELECT 'bulk:' || i, 'vtex-orders', 'b' || lpad(i::VARCHAR, 6, '0'), DATE '2024-01-01', TIMESTAMPTZ '2024-01-01 12:00:00+00', 'invoiced', true, false,
           'sc:1', 'centro', NULL, NULL, NULL, 1, 1.00, 0, 0, 1.00, TIMESTAMPTZ '2024-01-01 12:00:00+00'
         FROM range(${BULK_ORDERS}) t(i)`,
      );
    },
  });
}, 120_000);
afterAll(async () => {
  await h?.close();
});

describe('start-up', () => {
  it('reports the server parameters clients read, and a cancel key', async () => {
    const c = await h.client(KEYS.analyst);
    const params = (c as unknown as { connectionParameters: unknown; processID: number; secretKey: number });
    expect(params.processID).toBeGreaterThan(0);
    expect((await c.query('SHOW server_version')).rows).toEqual([{ server_version: CATALOG_SERVER_VERSION }]);
    expect((await c.query("SELECT current_setting('TimeZone') AS tz, current_setting('integer_datetimes') AS idt")).rows).toEqual([{ tz: 'America/Sao_Paulo', idt: 'on' }]);
    expect((await c.query('SELECT version()')).rows[0].version).toBe(`PostgreSQL ${CATALOG_SERVER_VERSION} (Farol SQL API), 64-bit`);
    await c.query('SET application_name = $$bi$$');
    expect((await c.query('SHOW application_name')).rows).toEqual([{ application_name: 'bi' }]);
    await c.query('BEGIN');
    await c.query('COMMIT');
  });
});

describe('extended protocol', () => {
  it('prepares a named statement once and runs it with parameters again and again', async () => {
    const c = await h.client(KEYS.analyst);
    const q = (channel: string) => c.query({ name: 'by-channel', text: "SELECT MEASURE(orders) AS n FROM sales WHERE channel = $1 AND order_date >= '2025-01-01'", values: [channel] });
    expect((await q('Site')).rows).toEqual([{ n: '4' }]);
    expect((await q('Mercado Livre')).rows).toEqual([{ n: '2' }]);
  });

  it('answers binary results when Bind asks for them: timestamp, text, bool, numeric, int8, float8', async () => {
    const raw = await RawPgClient.connect(h.server.port, KEYS.analyst);
    const sql = "SELECT DATE_TRUNC('day', order_date) AS d, channel, is_sale, MEASURE(revenue) AS r, MEASURE(orders) AS n, MEASURE(cancellation_rate) AS cr FROM sales WHERE order_date >= '2025-03-15' AND order_date < '2025-03-16' AND channel = $1 GROUP BY 1, 2, 3 ORDER BY 3";
    raw.send(
      serialize.parse({ text: sql }),
      serialize.bind({ values: ['Site'], valueMapper: undefined, binary: true } as never),
      serialize.describe({ type: 'P' }),
      serialize.execute(),
      serialize.sync(),
    );
    const msgs = await raw.until('Z');
    expect(msgs.map((m) => m.type)).toEqual(['1', '2', 'T', 'D', 'D', 'C', 'Z']);
    // 2025-03-15 (São Paulo) on Site: o7 (a sale, 40.10 at 23:59:59 local), o4 (canceled) and o5 (pending).
    const [notSale, sale] = msgs.filter((m) => m.type === 'D').map((m) => dataRowFields(m.body));
    const pgMicros = (iso: string) => (BigInt(Date.parse(iso)) - BigInt(Date.UTC(2000, 0, 1))) * 1000n;
    expect(sale?.[0]?.readBigInt64BE(0)).toBe(pgMicros('2025-03-15T00:00:00Z'));
    expect(sale?.[1]?.toString('utf8')).toBe('Site');
    expect(sale?.[2]).toEqual(Buffer.from([1]));
    expect(notSale?.[2]).toEqual(Buffer.from([0]));
    // numeric 40.1: base-10000 digits 40 and 1000, weight 0, positive, scale 1.
    expect(sale?.[3]).toEqual(Buffer.from([0, 2, 0, 0, 0, 0, 0, 1, 0, 40, 0x03, 0xe8]));
    expect(sale?.[4]?.readBigInt64BE(0)).toBe(1n);
    expect(notSale?.[4]?.readBigInt64BE(0)).toBe(0n);
    expect(notSale?.[5]?.readDoubleBE(0)).toBe(0.5);
    raw.close();
  });

  it('reads a large result through a cursor, a page per Execute (PortalSuspended between)', async () => {
    const c = await h.client(KEYS.analyst);
    const cursor = c.query(new Cursor('SELECT order_id FROM sales WHERE order_date < $1 GROUP BY 1 ORDER BY 1', ['2024-01-02']));
    const first = await cursor.read(1000);
    const second = await cursor.read(1000);
    expect(first).toHaveLength(1000);
    expect(first[0]).toEqual({ order_id: 'b000000' });
    expect(second[0]).toEqual({ order_id: 'b001000' });
    await cursor.close();
    expect((await c.query('SELECT MEASURE(orders) FROM sales WHERE channel = $1', ['Site'])).rows).toEqual([{ measure: `${4 + BULK_ORDERS}` }]);
  });

  it('streams 100,000 rows (more than one engine page), each once, in order', async () => {
    const c = await h.client(KEYS.analyst);
    const cursor = c.query(new Cursor('SELECT order_id FROM sales GROUP BY 1 ORDER BY 1 LIMIT 100000'));
    let n = 0;
    let last = '';
    for (;;) {
      const batch = (await cursor.read(10_000)) as { order_id: string }[];
      if (batch.length === 0) break;
      for (const row of batch) {
        expect(row.order_id > last).toBe(true);
        last = row.order_id;
        n++;
      }
    }
    expect(n).toBe(100_000);
    await cursor.close();
    // The same through the simple protocol, in one go.
    const all = await c.query({ text: 'SELECT order_id FROM sales GROUP BY 1 ORDER BY 1 LIMIT 100000', rowMode: 'array' });
    expect(all.rows).toHaveLength(100_000);
    expect(new Set(all.rows.map((r) => (r as string[])[0])).size).toBe(100_000);
  }, 60_000);
});

describe('cancel and concurrency', () => {
  it('CancelRequest stops the running statement with 57014; the connection goes on', async () => {
    const c = await h.client(KEYS.analyst);
    const { processID, secretKey } = c as unknown as { processID: number; secretKey: number };
    gate.reset();
    const running = sqlState(c.query('SELECT MEASURE(gmv) FROM sales'));
    await gate.entered;
    await sendCancel(h.server.port, processID, secretKey + 1);
    await sendCancel(h.server.port, processID, secretKey);
    expect(await running).toMatchObject({ code: '57014', message: 'canceling statement due to user request' });
    gate.release();
    expect((await c.query('SELECT MEASURE(orders) FROM sales WHERE channel = $1', ['Mercado Livre'])).rows).toEqual([{ measure: '2' }]);
  });

  it('serves 20 connections at once, each its own answer', async () => {
    const clients = await Promise.all(Array.from({ length: 20 }, () => h.client(KEYS.analyst)));
    const answers = await Promise.all(
      clients.map((c, i) => c.query('SELECT MEASURE(orders) AS n FROM sales WHERE channel = $1 AND order_date >= $2', [i % 2 ? 'Site' : 'Mercado Livre', '2025-03-15'])),
    );
    expect(answers.map((a) => a.rows[0].n)).toEqual(Array.from({ length: 20 }, (_, i) => (i % 2 ? '2' : '1')));
  });

  it('refuses oversized messages and closes the connection, without harm to others', async () => {
    const c = await h.client(KEYS.analyst);
    const other = await h.client(KEYS.analyst);
    const err = await sqlState(c.query(`SELECT MEASURE(orders) FROM sales WHERE channel IN (${Array.from({ length: 120_000 }, () => "'xxxxxxxxx'").join(',')})`));
    expect(err.code === '54000' || /terminated|closed|ECONNRESET/i.test(err.message)).toBe(true);
    expect((await other.query('SELECT MEASURE(orders) FROM sales WHERE channel = $1', ['Site'])).rows).toEqual([{ measure: `${4 + BULK_ORDERS}` }]);
  });

  it('shuts down while the catalog engine is still starting without reporting it as a failure', async () => {
    const fresh = await startSqlApiHarness();
    // The first authenticated connection starts the catalog engine in the background (seconds).
    await fresh.client(KEYS.analyst);
    await fresh.close();
    await new Promise((resolve) => setImmediate(resolve));
    const warnings = fresh.logLines.map((l) => JSON.parse(l) as { level: number; msg: string }).filter((l) => l.level >= 40);
    expect(warnings).toEqual([]);
  }, 60_000);

  it('on shutdown tells connected clients why (57P01)', async () => {
    const c = await h.client(KEYS.analyst);
    const ended = new Promise<Error>((resolve) => c.once('error', resolve));
    await h.server.close();
    expect((await ended as Error & { code?: string }).code).toBe('57P01');
  });
});

function sendCancel(port: number, processId: number, secret: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1', () => {
      const b = Buffer.alloc(16);
      b.writeInt32BE(16, 0);
      b.writeInt32BE(80877102, 4);
      b.writeInt32BE(processId, 8);
      b.writeInt32BE(secret | 0, 12);
      s.end(b);
    });
    s.on('close', () => resolve());
    s.on('error', reject);
  });
}
