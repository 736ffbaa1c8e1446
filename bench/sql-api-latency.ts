import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import Cursor from 'pg-cursor';
import { loadConfig } from '../src/config.js';
import { startFarol } from '../src/main.js';
import { silentLogger } from '../src/observability/logger.js';
import { freePort } from '../test/fixtures/farol-process.js';
import { waitForQuietService } from './quiet-service.js';
import { DuckDbWarehouse } from '../src/warehouse/duckdb/duckdb-warehouse.js';
import { median, timeIt } from './stats.js';

const KEY = 'bench-sql-key-0123456789abcdef';
const TZ = 'America/Sao_Paulo';

export interface SqlApiComparison {
  /** Hand-written SQL on a bare DuckDB connection to the service's own database. */
  readonly directMedianMs: number;
  /** The same question through the SQL API (node-postgres, simple protocol), the result cache missed on every run. */
  readonly sqlApiMedianMs: number;
  readonly ratio: number;
  readonly runs: number;
  /** Every answer compared with the hand-written one, to the cent. */
  readonly answersEqual: boolean;
}

export interface SqlApiLatency {
  readonly grouped: SqlApiComparison & { readonly rows: number };
  readonly fast: SqlApiComparison;
  /** Rows per second of a 100,000-row answer read through a cursor, 10,000 at a time. */
  readonly streamRows: number;
  readonly streamSeconds: number;
  readonly streamRowsPerSecond: number;
  /** The same rows by hand in DuckDB, for what the wire and the engine add. */
  readonly streamDirectSeconds: number;
  /** Whether the model's rollups could answer (they do for the grouped and one-day questions when on). */
  readonly preAggregations: boolean;
}

/**
 * Farol's SQL API as `npm start` serves it (the whole service, on a copy of the bench warehouse),
 * asked by node-postgres as Power BI's or Looker's driver would. Each uncached run asks from a
 * different first day, so the result cache never answers; DuckDB's buffers are warm on both sides.
 */
export async function benchSqlApi(warehousePath: string, opts: { readonly runs?: number; readonly preAggregations?: boolean } = {}): Promise<SqlApiLatency> {
  const runs = opts.runs ?? 20;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'farol-sql-bench-'));
  const db = path.join(dir, path.basename(warehousePath));
  fs.copyFileSync(warehousePath, db);
  const sqlPort = await freePort();
  const app = await startFarol(
    loadConfig({
      FAROL_WAREHOUSE: `duckdb:${db}`,
      FAROL_API_KEYS: `${KEY}:admin`,
      FAROL_HOST: '127.0.0.1',
      FAROL_PORT: '0',
      FAROL_SQL_PORT: String(sqlPort),
      FAROL_PREAGGREGATIONS: opts.preAggregations === false ? 'off' : 'on',
      FAROL_LOG_LEVEL: 'silent',
      FAROL_SANDBOX: 'on',
      FAROL_SANDBOX_PORT: '0',
      FAROL_SANDBOX_HISTORY_ORDERS: '0',
      FAROL_SANDBOX_ORDERS_PER_MINUTE: '0',
    }),
    silentLogger(),
  );
  const warehouse = app.pipeline.warehouse;
  if (!(warehouse instanceof DuckDbWarehouse)) throw new Error('the SQL API bench needs the embedded DuckDB warehouse');
  const bare = await warehouse.bareConnection();
  const client = new pg.Client({ host: '127.0.0.1', port: sqlPort, user: 'bench', database: 'farol', password: KEY });
  await client.connect();
  try {
    await waitForQuietService(app);
    const byHand = async (sql: string) => (await bare.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[];
    const days = (await byHand(
      `SELECT strftime(timezone('${TZ}', created_at), '%Y-%m-%d') AS day FROM gold.fct_orders GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT ${runs * 6}`,
    )).map((r) => String(r.day));
    const sortedDays = [...days].sort();
    const dayAt = (i: number) => days[i % days.length] as string;
    const fromAt = (i: number) => sortedDays[i % sortedDays.length] as string;
    // Revenue and orders by channel and month from a first day on.
    const groupedSql = (from: string) =>
      `SELECT channel, DATE_TRUNC('month', order_date) AS month, MEASURE(revenue) AS revenue, MEASURE(orders) AS orders FROM sales WHERE order_date >= '${from}' GROUP BY 1, 2`;
    const groupedByHand = (from: string) => `
      SELECT c.channel_name AS channel, date_trunc('month', timezone('${TZ}', o.created_at)) AS month,
             sum(o.total) FILTER (WHERE o.is_sale) AS revenue, count(*) FILTER (WHERE o.is_sale) AS orders
      FROM gold.fct_orders o LEFT JOIN gold.dim_channel c ON c.channel_key = o.channel_key
      WHERE o.created_at >= timezone('${TZ}', TIMESTAMP '${from} 00:00:00')
      GROUP BY 1, 2`;
    const grouped = await compare({
      runs,
      direct: (i) => byHand(groupedByHand(fromAt(i))),
      served: async (i) => (await client.query(groupedSql(fromAt(i)))).rows,
      same: (served, hand) => sameRows(served, hand, ['channel', 'month'], ['revenue', 'orders']),
    });
    // One São Paulo day: milliseconds in DuckDB, so the fixed cost of the wire and the engine shows.
    const nextDay = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    // A date literal is midnight, as in PostgreSQL: the day is [day, next day).
    const fastSql = (day: string) =>
      `SELECT MEASURE(revenue) AS revenue, MEASURE(orders) AS orders FROM sales WHERE order_date >= '${day}' AND order_date < '${nextDay(day)}'`;
    const fastByHand = (day: string) => `
      SELECT sum(total) FILTER (WHERE is_sale) AS revenue, count(*) FILTER (WHERE is_sale) AS orders FROM gold.fct_orders
      WHERE created_at >= timezone('${TZ}', TIMESTAMP '${day} 00:00:00') AND created_at < timezone('${TZ}', TIMESTAMP '${day} 00:00:00' + INTERVAL 1 DAY)`;
    const fast = await compare({
      runs: runs * 2,
      direct: (i) => byHand(fastByHand(dayAt(i))),
      served: async (i) => (await client.query(fastSql(dayAt(i)))).rows,
      same: (served, hand) => sameRows(served, hand, [], ['revenue', 'orders']),
    });

    // 100,000 rows: orders with their revenue, read through a cursor as a BI extract would.
    const STREAM = 100_000;
    const streamSql = `SELECT order_id, channel, MEASURE(revenue) AS revenue FROM sales GROUP BY 1, 2 ORDER BY 1 LIMIT ${STREAM}`;
    let streamed = 0;
    const streamSeconds = (await timeIt(async () => {
      // The extended protocol's row limit pages the portal: the server writes as the client reads.
      const cursor = client.query(new Cursor(streamSql));
      for (;;) {
        const rows = await cursor.read(10_000);
        if (rows.length === 0) break;
        streamed += rows.length;
      }
      await cursor.close();
    })) / 1000;
    const streamDirectSeconds = (await timeIt(() => byHand(`
      SELECT o.order_id, c.channel_name, sum(o.total) FILTER (WHERE o.is_sale) AS revenue
      FROM gold.fct_orders o LEFT JOIN gold.dim_channel c ON c.channel_key = o.channel_key GROUP BY 1, 2 ORDER BY 1 LIMIT ${STREAM}`))) / 1000;

    return {
      grouped: { ...grouped, rows: (await byHand(groupedByHand(fromAt(0)))).length },
      fast,
      streamRows: streamed,
      streamSeconds,
      streamRowsPerSecond: streamed / streamSeconds,
      streamDirectSeconds,
      preAggregations: opts.preAggregations !== false,
    };
  } finally {
    await client.end().catch(() => undefined);
    bare.closeSync();
    await app.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function compare(c: {
  readonly runs: number;
  readonly direct: (i: number) => Promise<Record<string, unknown>[]>;
  readonly served: (i: number) => Promise<Record<string, unknown>[]>;
  readonly same: (served: Record<string, unknown>[], hand: Record<string, unknown>[]) => boolean;
}): Promise<SqlApiComparison> {
  let answersEqual = true;
  for (let i = 0; i < Math.min(c.runs, 5); i++) answersEqual &&= c.same(await c.served(i + 2 * c.runs), await c.direct(i + 2 * c.runs));
  // Runs ask from other days than the check did, so none is answered from the result cache.
  const direct: number[] = [];
  const served: number[] = [];
  for (let i = 0; i < c.runs; i++) {
    direct.push(await timeIt(() => c.direct(i)));
    served.push(await timeIt(() => c.served(i)));
  }
  const d = median(direct);
  return { directMedianMs: d, sqlApiMedianMs: median(served), ratio: median(served) / d, runs: c.runs, answersEqual };
}

const cents = (v: unknown) => (v === null || v === undefined ? null : Math.round(Number(v) * 100));
const dayKey = (v: unknown) => (v instanceof Date ? v.toISOString() : String(v)).slice(0, 10);

function sameRows(served: Record<string, unknown>[], hand: Record<string, unknown>[], keys: string[], numbers: string[]): boolean {
  const key = (r: Record<string, unknown>) => keys.map((k) => (k === 'month' ? dayKey(r[k]).slice(0, 7) : String(r[k]))).join('|');
  const expected = new Map(hand.map((r) => [key(r), numbers.map((n) => cents(r[n]))]));
  if (served.length !== expected.size) return false;
  return served.every((r) => {
    const want = expected.get(key(r));
    return want !== undefined && numbers.every((n, i) => cents(r[n]) === want[i]);
  });
}
