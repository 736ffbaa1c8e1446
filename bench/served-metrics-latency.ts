import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Pool } from 'undici';
import { loadConfig } from '../src/config.js';
import { startFarol } from '../src/main.js';
import { silentLogger } from '../src/observability/logger.js';
import { DuckDbWarehouse } from '../src/warehouse/duckdb/duckdb-warehouse.js';
import { waitForQuietService } from './quiet-service.js';
import { median, quantile, timeIt } from './stats.js';

const KEY = 'bench-served-key-0123456789abcdef';
const TZ = 'America/Sao_Paulo';

const METRICS = `query M($q: MetricsQueryInput!) { metrics(query: $q) { rows cached servedFrom } }`;
const TYPENAME = '{ __typename }';

/** Revenue and orders of one São Paulo day: a few milliseconds in DuckDB, so fixed costs show. */
const fastQuery = (day: string) => ({
  measures: ['sales.revenue', 'sales.orders'],
  timeDimensions: [{ dimension: 'sales.order_date', dateRange: [day, day] }],
  timezone: TZ,
});

const fastByHand = (day: string) => `
  SELECT sum(total) FILTER (WHERE is_sale) AS revenue, count(*) FILTER (WHERE is_sale) AS orders FROM gold.fct_orders
  WHERE created_at >= timezone('${TZ}', TIMESTAMP '${day} 00:00:00')
    AND created_at < timezone('${TZ}', TIMESTAMP '${day} 00:00:00' + INTERVAL 1 DAY)`;

/** The same measures by channel and month over every order. */
const GROUPED_QUERY = {
  measures: ['sales.revenue', 'sales.orders'],
  dimensions: ['sales.channel', 'sales.order_date.month'],
  timezone: TZ,
};

const GROUPED_BY_HAND = `
  SELECT c.channel_name AS channel, date_trunc('month', timezone('${TZ}', o.created_at)) AS month,
         sum(o.total) FILTER (WHERE o.is_sale) AS revenue, count(*) FILTER (WHERE o.is_sale) AS orders
  FROM gold.fct_orders o LEFT JOIN gold.dim_channel c ON c.channel_key = o.channel_key
  GROUP BY 1, 2`;

export interface UncachedComparison {
  /** Where the service's uncached answers came from (`warehouse`, or `pre-aggregation` when a rollup matched). */
  readonly servedFrom: string;
  /** Hand-written SQL on a bare DuckDB connection to the service's own database. */
  readonly directMedianMs: number;
  /** GraphQL over HTTP, result cache bypassed (`renewQuery`), SQL plan of the shape kept. */
  readonly planWarmMedianMs: number;
  readonly planWarmRatio: number;
  /** The same with every plan dropped before each request: Cube plans the shape again. */
  readonly planColdMedianMs: number;
  readonly planColdRatio: number;
  readonly runs: number;
  /** Every answer compared with the hand-written one (to the cent). */
  readonly answersEqual: boolean;
}

/** One answer asked through each face of the service: `metrics`, the typed view field, Cube's `load`. */
export interface FaceComparison {
  readonly rows: number;
  readonly metricsMedianMs: number;
  readonly typedMedianMs: number;
  readonly cubeMedianMs: number;
  /** Typed field ÷ metrics, and Cube's API ÷ metrics (target ≤ 1.1 each). */
  readonly typedRatio: number;
  readonly cubeRatio: number;
  readonly runs: number;
  /** The three answers carried the same numbers (to the cent). */
  readonly answersEqual: boolean;
}

export interface ServedMetricsLatency {
  readonly fast: UncachedComparison & { readonly days: number };
  /** The one-day question, uncached (plans of the shape kept), and cached; then a large answer (day × channel, every day) cached. */
  readonly faces: { readonly fastUncached: FaceComparison; readonly fastCached: FaceComparison; readonly largeCached: FaceComparison };
  readonly grouped: UncachedComparison & { readonly rows: number };
  readonly cachedMedianMs: number;
  readonly cachedP99Ms: number;
  readonly typenameMedianMs: number;
  readonly typenameP99Ms: number;
  readonly cachedRuns: number;
  /** Gold versions published while measuring, after start-up settled (a refresh empties the result cache). */
  readonly dataVersionChanges: number;
}

/**
 * Farol as `npm start` runs it (the composition root: hook receiver, fetch worker, scheduler,
 * refresh loop, GraphQL with auth, cost plugin and caches), against a copy of `warehousePath`,
 * measured over HTTP with one keep-alive connection. The sandbox stands in for VTEX with no
 * history and no live orders, so the copy's data stays what it was.
 */
export async function benchServedMetrics(warehousePath: string, opts: { readonly copy?: boolean; readonly runs?: number; readonly cachedRuns?: number } = {}): Promise<ServedMetricsLatency> {
  const runs = opts.runs ?? 40;
  const cachedRuns = opts.cachedRuns ?? 3_000;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'farol-served-bench-'));
  const db = opts.copy === false ? warehousePath : copyWarehouse(warehousePath, dir);
  const config = loadConfig({
    FAROL_WAREHOUSE: `duckdb:${db}`,
    FAROL_API_KEYS: `${KEY}:admin`,
    FAROL_HOST: '127.0.0.1',
    FAROL_PORT: '0',
    FAROL_SQL_PORT: 'off',
    FAROL_LOG_LEVEL: 'silent',
    FAROL_SANDBOX: 'on',
    FAROL_SANDBOX_PORT: '0',
    FAROL_SANDBOX_HISTORY_ORDERS: '0',
    FAROL_SANDBOX_ORDERS_PER_MINUTE: '0',
  });
  const app = await startFarol(config, silentLogger());
  const pool = new Pool(app.url, { connections: 1 });
  const warehouse = app.pipeline.warehouse;
  if (!(warehouse instanceof DuckDbWarehouse)) throw new Error('the served bench needs the embedded DuckDB warehouse');
  const bare = await warehouse.bareConnection();
  let versionAtStart = app.pipeline.dataVersions.current();
  try {
    // Start-up runs of the scheduled sources publish gold once or twice; measuring through them
    // would time the refreshes. Wait until the service is quiet, as it is between pulls.
    versionAtStart = await waitForQuietService(app);
    const post = async (query: string, variables?: unknown) => {
      const res = await pool.request({
        path: '/graphql', method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` },
        body: JSON.stringify(variables === undefined ? { query } : { query, variables }),
      });
      const json = (await res.body.json()) as { data?: { metrics?: { rows: Record<string, unknown>[]; servedFrom?: string } }; errors?: unknown };
      if (!json.data) throw new Error(`GraphQL error: ${JSON.stringify(json.errors)}`);
      return json.data;
    };
    const metrics = async (q: object, renewQuery: boolean) => (await post(METRICS, { q: { ...q, renewQuery } })).metrics?.rows ?? [];
    const servedFrom = async (q: object) => String((await post(METRICS, { q: { ...q, renewQuery: true } })).metrics?.servedFrom);
    const byHand = async (sql: string) => (await bare.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[];

    // The busiest days: each uncached run asks for another one, so no cache could answer it.
    const days = (await byHand(
      `SELECT strftime(timezone('${TZ}', created_at), '%Y-%m-%d') AS day FROM gold.fct_orders GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT ${runs}`,
    )).map((r) => String(r.day));
    if (days.length === 0) throw new Error('the bench warehouse has no orders');
    const dayAt = (i: number) => days[i % days.length] as string;

    const fastCompare = (renew: boolean) => (i: number) => metrics(fastQuery(dayAt(i)), renew);
    const sameFast = async (i: number) => sameNumbers(await metrics(fastQuery(dayAt(i)), true), await byHand(fastByHand(dayAt(i))), ['sales.revenue', 'sales.orders'], ['revenue', 'orders']);
    const fast = await compare({
      runs,
      direct: (i) => byHand(fastByHand(dayAt(i))),
      served: fastCompare(true),
      dropPlans: () => app.metrics.dropQueryPlans(),
      check: sameFast,
    });

    const groupedRows = await byHand(GROUPED_BY_HAND);
    const grouped = await compare({
      runs: Math.max(10, Math.round(runs / 2)),
      direct: () => byHand(GROUPED_BY_HAND),
      served: () => metrics(GROUPED_QUERY, true),
      dropPlans: () => app.metrics.dropQueryPlans(),
      check: async () => sameGroups(await metrics(GROUPED_QUERY, true), groupedRows),
    });

    // Cached: one answer stored, then asked again and again as a client would. As many untimed
    // requests first: the median is of the request path once V8 has compiled it, as in a service
    // that has been up for a minute, not of its first thousand requests.
    const cachedQuery = fastQuery(dayAt(0));
    for (let i = 0; i < cachedRuns; i++) await metrics(cachedQuery, false);
    const cachedMs: number[] = [];
    for (let i = 0; i < cachedRuns; i++) cachedMs.push(await timeIt(() => metrics(cachedQuery, false)));
    const typenameMs: number[] = [];
    for (let i = 0; i < cachedRuns; i++) typenameMs.push(await timeIt(() => post(TYPENAME)));

    const faces = await compareFaces(pool, dayAt, runs);

    return {
      fast: { ...fast, days: days.length, servedFrom: await servedFrom(fastQuery(dayAt(0))) },
      faces,
      grouped: { ...grouped, rows: groupedRows.length, servedFrom: await servedFrom(GROUPED_QUERY) },
      cachedMedianMs: median(cachedMs),
      cachedP99Ms: quantile(cachedMs, 0.99),
      typenameMedianMs: median(typenameMs),
      typenameP99Ms: quantile(typenameMs, 0.99),
      cachedRuns,
      dataVersionChanges: app.pipeline.dataVersions.current() - versionAtStart,
    };
  } finally {
    bare.closeSync();
    await pool.close();
    await app.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function compare(c: {
  readonly runs: number;
  readonly direct: (i: number) => Promise<unknown>;
  readonly served: (i: number) => Promise<unknown>;
  readonly dropPlans: () => void;
  readonly check: (i: number) => Promise<boolean>;
}): Promise<Omit<UncachedComparison, 'servedFrom'>> {
  let answersEqual = true;
  for (let i = 0; i < Math.min(c.runs, 5); i++) answersEqual &&= await c.check(i);
  // Warm-up: DuckDB's buffers and the connection on both sides.
  for (let i = 0; i < 3; i++) {
    await c.direct(i);
    await c.served(i);
  }
  const direct: number[] = [];
  const warm: number[] = [];
  const cold: number[] = [];
  for (let i = 0; i < c.runs; i++) {
    // Interleaved, so drift (page cache, other processes on the machine) hits every side alike.
    direct.push(await timeIt(() => c.direct(i)));
    warm.push(await timeIt(() => c.served(i)));
    c.dropPlans();
    cold.push(await timeIt(() => c.served(i)));
  }
  const d = median(direct);
  return {
    directMedianMs: d,
    planWarmMedianMs: median(warm),
    planWarmRatio: median(warm) / d,
    planColdMedianMs: median(cold),
    planColdRatio: median(cold) / d,
    runs: c.runs,
    answersEqual,
  };
}

const TYPED_FAST = `query T($d: String!, $tz: String, $renew: Boolean) {
  sales(where: { orderDate: { inDateRange: [$d, $d] } }, timezone: $tz, renewQuery: $renew) { rows { revenue orders } servedFrom } }`;
const TYPED_LARGE = `query T($tz: String, $renew: Boolean) {
  sales(timezone: $tz, renewQuery: $renew, limit: 10000) { rows { channel revenue orders orderDate { day } } servedFrom } }`;
const LARGE_QUERY = {
  measures: ['sales.revenue', 'sales.orders'],
  dimensions: ['sales.channel'],
  timeDimensions: [{ dimension: 'sales.order_date', granularity: 'day' }],
  timezone: TZ,
  limit: 10_000,
};

/**
 * The same question through `metrics`, the typed `sales` field and Cube's `/cubejs-api/v1/load`,
 * interleaved, over the same keep-alive connection. Uncached runs ask for a new day each time
 * (`renewQuery`); cached runs repeat one question after as many untimed requests.
 */
async function compareFaces(pool: Pool, dayAt: (i: number) => string, runs: number): Promise<ServedMetricsLatency['faces']> {
  const send = async (method: 'GET' | 'POST', pathAndQuery: string, body?: string) => {
    const res = await pool.request({
      path: pathAndQuery, method,
      headers: { 'content-type': 'application/json', authorization: method === 'GET' ? KEY : `Bearer ${KEY}` },
      ...(body === undefined ? {} : { body }),
    });
    const json = (await res.body.json()) as Record<string, unknown>;
    if (res.statusCode !== 200) throw new Error(`${pathAndQuery.slice(0, 40)} answered ${res.statusCode}: ${JSON.stringify(json).slice(0, 300)}`);
    return json;
  };
  type Rows = Record<string, unknown>[];
  const viaMetrics = async (q: object): Promise<Rows> =>
    ((await send('POST', '/graphql', JSON.stringify({ query: METRICS, variables: { q } }))) as { data: { metrics: { rows: Rows } } }).data.metrics.rows;
  const viaTyped = async (query: string, variables: object): Promise<Rows> =>
    ((await send('POST', '/graphql', JSON.stringify({ query, variables }))) as { data: { sales: { rows: Rows } } }).data.sales.rows;
  const viaCube = async (q: object): Promise<Rows> =>
    ((await send('GET', `/cubejs-api/v1/load?query=${encodeURIComponent(JSON.stringify(q))}`)) as { data: Rows }).data;

  const measure = async (n: number, warm: number, ask: { metrics: (i: number) => Promise<Rows>; typed: (i: number) => Promise<Rows>; cube: (i: number) => Promise<Rows> }): Promise<FaceComparison> => {
    const [m, t, c] = [await ask.metrics(0), await ask.typed(0), await ask.cube(0)];
    const sum = (rows: Rows, keys: string[]) => keys.map((k) => rows.reduce((a, r) => a + (cents(r[k]) ?? 0), 0));
    const answersEqual = m.length === t.length && m.length === c.length &&
      isSame(sum(m, ['sales.revenue', 'sales.orders']), sum(t, ['revenue', 'orders'])) && isSame(sum(m, ['sales.revenue', 'sales.orders']), sum(c, ['sales.revenue', 'sales.orders']));
    for (let i = 0; i < warm; i++) {
      await ask.metrics(i);
      await ask.typed(i);
      await ask.cube(i);
    }
    const times = { metrics: [] as number[], typed: [] as number[], cube: [] as number[] };
    for (let i = 0; i < n; i++) {
      times.metrics.push(await timeIt(() => ask.metrics(i)));
      times.typed.push(await timeIt(() => ask.typed(i)));
      times.cube.push(await timeIt(() => ask.cube(i)));
    }
    const [mm, tm, cm] = [median(times.metrics), median(times.typed), median(times.cube)];
    return { rows: m.length, metricsMedianMs: mm, typedMedianMs: tm, cubeMedianMs: cm, typedRatio: tm / mm, cubeRatio: cm / mm, runs: n, answersEqual };
  };

  const fastQ = (day: string, renewQuery: boolean) => ({ ...fastQuery(day), renewQuery });
  const fastTyped = (day: string, renew: boolean) => ({ d: day, tz: TZ, renew });
  // Uncached: a new day per run, the same day for each face within a run.
  const fastUncached = await measure(runs, 3, {
    metrics: (i) => viaMetrics(fastQ(dayAt(i), true)),
    typed: (i) => viaTyped(TYPED_FAST, fastTyped(dayAt(i), true)),
    cube: (i) => viaCube(fastQ(dayAt(i), true)),
  });
  const fastCached = await measure(1_000, 1_000, {
    metrics: () => viaMetrics(fastQ(dayAt(0), false)),
    typed: () => viaTyped(TYPED_FAST, fastTyped(dayAt(0), false)),
    cube: () => viaCube(fastQ(dayAt(0), false)),
  });
  const largeCached = await measure(30, 5, {
    metrics: () => viaMetrics({ ...LARGE_QUERY, renewQuery: false }),
    typed: () => viaTyped(TYPED_LARGE, { tz: TZ, renew: false }),
    cube: () => viaCube({ ...LARGE_QUERY, renewQuery: false }),
  });
  return { fastUncached, fastCached, largeCached };
}

const isSame = (a: (number | null)[], b: (number | null)[]) => a.length === b.length && a.every((v, i) => v === b[i]);

const cents = (v: unknown) => (v === null || v === undefined ? null : Math.round(Number(v) * 100));

function sameNumbers(served: Record<string, unknown>[], hand: Record<string, unknown>[], servedKeys: string[], handKeys: string[]): boolean {
  if (served.length !== 1 || hand.length !== 1) return false;
  return servedKeys.every((k, i) => cents(served[0]?.[k]) === cents(hand[0]?.[handKeys[i] as string]));
}

function sameGroups(served: Record<string, unknown>[], hand: Record<string, unknown>[]): boolean {
  const key = (channel: unknown, month: unknown) => `${String(channel)}|${String(month).slice(0, 7)}`;
  const expected = new Map(hand.map((r) => [key(r.channel, r.month), [cents(r.revenue), cents(r.orders)]]));
  if (served.length !== expected.size) return false;
  return served.every((r) => {
    const want = expected.get(key(r['sales.channel'], r['sales.order_date.month']));
    return want !== undefined && want[0] === cents(r['sales.revenue']) && want[1] === cents(r['sales.orders']);
  });
}

/** The DuckDB file and its bronze folder, copied so the service can own (and write) them. */
function copyWarehouse(db: string, dir: string): string {
  const target = path.join(dir, path.basename(db));
  fs.copyFileSync(db, target);
  const bronze = db.replace(/\.duckdb$/i, '.bronze');
  if (fs.existsSync(bronze)) fs.cpSync(bronze, target.replace(/\.duckdb$/i, '.bronze'), { recursive: true });
  return target;
}
