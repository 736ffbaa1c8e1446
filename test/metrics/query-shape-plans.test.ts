import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RowFilter } from '../../src/auth/index.js';
import { compileModel, type CompiledModel } from '../../src/metrics/cube/model-compiler.js';
import { ModelCatalog } from '../../src/metrics/cube/model-catalog.js';
import { QueryPlanner, type QueryPlan } from '../../src/metrics/cube/query-planner.js';
import { resolveQuery } from '../../src/metrics/cube/query-resolution.js';
import { BUSINESS_TZ, MODEL_DIR, openGoldFixture, type GoldFixture } from './gold-fixtures.js';

/**
 * The planner keeps Cube's SQL per query shape and binds each query's literals as parameters.
 * Every plan here is compared with one Cube builds for that query alone (a planner that keeps
 * nothing), on the SQL it runs and on the answer the fixture star gives.
 */
let fixture: GoldFixture;
let model: CompiledModel;
let catalog: ModelCatalog;
let shaped: QueryPlanner;
/** Keeps nothing: every plan is built by Cube from the query's own values. */
let fresh: QueryPlanner;

/** After the fixture's last order (2025-03-16 in São Paulo). */
const NOW = new Date('2025-03-17T15:00:00Z');

beforeAll(async () => {
  fixture = await openGoldFixture();
  model = await compileModel(MODEL_DIR);
  catalog = ModelCatalog.fromCompilers(model.compilers);
  shaped = new QueryPlanner(model.compilers, catalog, 'duckdb');
  fresh = new QueryPlanner(model.compilers, catalog, 'duckdb', { maxEntries: 0 });
  shaped.warmUp();
});

afterAll(async () => {
  await fixture?.cleanup();
});

function plans(input: unknown, rowFilters: RowFilter[] = [], tz = BUSINESS_TZ): { shapedPlan: QueryPlan; freshPlan: QueryPlan } {
  const { query, key } = resolveQuery(input, tz, NOW);
  const fullKey = rowFilters.length ? `${key}\u0001${JSON.stringify(rowFilters)}` : key;
  return { shapedPlan: shaped.plan(query, fullKey, rowFilters), freshPlan: fresh.plan(query, fullKey, rowFilters) };
}

async function rows(plan: QueryPlan): Promise<unknown[]> {
  return fixture.warehouse.query(plan.sql, plan.params);
}

/** Plans `inputs` (one shape) and checks each against Cube's own plan; returns the shaped plans. */
async function sameShape(inputs: unknown[], rowFilters: RowFilter[][] = []): Promise<QueryPlan[]> {
  const out: QueryPlan[] = [];
  for (const [i, input] of inputs.entries()) {
    const { shapedPlan, freshPlan } = plans(input, rowFilters[i] ?? []);
    expect(await rows(shapedPlan), JSON.stringify(input)).toEqual(await rows(freshPlan));
    out.push(shapedPlan);
  }
  for (const p of out) expect(p.sql).toBe(out[0]?.sql);
  expect(new Set(out.map((p) => JSON.stringify(p.params))).size, 'each query keeps its own parameters').toBe(out.length);
  return out;
}

const revenue = (extra: Record<string, unknown>) => ({ measures: ['sales.revenue', 'sales.orders'], ...extra });

describe('planning by query shape', () => {
  it('serves a new date range, limit and offset with the same SQL text and new parameters', async () => {
    const before = shaped.shapeStats().templates;
    const [first] = await sameShape([
      revenue({ timeDimensions: [{ dimension: 'sales.order_date', granularity: 'day', dateRange: ['2025-03-14', '2025-03-15'] }], limit: 10, offset: 1 }),
      revenue({ timeDimensions: [{ dimension: 'sales.order_date', granularity: 'day', dateRange: ['2025-03-15', '2025-03-16'] }], limit: 2, offset: 1 }),
      revenue({ timeDimensions: [{ dimension: 'sales.order_date', granularity: 'day', dateRange: ['2025-03-01T00:00:00', '2025-03-31T12:30:00'] }], limit: 1, offset: 2 }),
    ]);
    expect(first?.sql).toMatch(/LIMIT \? OFFSET \?$/);
    expect(first?.params.slice(-2)).toEqual([10, 1]);
    expect(shaped.shapeStats().templates).toBe(before + 1);
  });

  it('resolves relative ranges before binding: last 7 days and today are ordinary bounds', async () => {
    const [last7, today] = await sameShape([
      revenue({ timeDimensions: [{ dimension: 'sales.order_date', dateRange: 'last 7 days' }] }),
      revenue({ timeDimensions: [{ dimension: 'sales.order_date', dateRange: 'today' }] }),
      revenue({ timeDimensions: [{ dimension: 'sales.order_date', dateRange: ['2025-03-14', '2025-03-14'] }] }),
    ]);
    expect(last7?.params.slice(0, 2)).toEqual(['2025-03-10T03:00:00.000Z', '2025-03-17T02:59:59.999Z']);
    expect(today?.params.slice(0, 2)).toEqual(['2025-03-17T03:00:00.000Z', '2025-03-18T02:59:59.999Z']);
  });

  it('binds filter values of every kind, including date operators and LIKE wildcards', async () => {
    const q = (coupon: string, min: string, before: string, status: string) => ({
      measures: ['sales.revenue'],
      dimensions: ['sales.status'],
      filters: [
        { member: 'sales.coupon', operator: 'contains', values: [coupon] },
        { member: 'sales.revenue', operator: 'gt', values: [min] },
        { or: [{ member: 'sales.coupon', operator: 'startsWith', values: [coupon] }, { member: 'sales.status', operator: 'equals', values: [status] }] },
        { member: 'sales.order_date', operator: 'beforeDate', values: [before] },
      ],
    });
    const [a] = await sameShape([
      q('BEM', '10', '2025-03-16', 'invoiced'),
      q('VINDO', '0.5', '2025-03-15T12:00:00', 'canceled'),
      // SQL and LIKE characters stay data: parameters, escaped as Cube escapes them.
      q("%_\\'; DROP TABLE gold.fct_orders; --", '1e3', '2026-01-01', "o'brien"),
    ]);
    expect(a?.sql).not.toContain('BEM');
  });

  it("binds each role's row-filter values into one plan", async () => {
    const store = (...values: string[]): RowFilter[] => [{ member: 'stores.store_key', operator: 'equals', values }];
    const input = revenue({ dimensions: ['sales.channel'] });
    await sameShape([input, input, input], [store('centro'), store('sul'), store("x' OR '1'='1")]);
  });

  it('treats a list of another length, another timezone or another member as another shape', async () => {
    const inList = (...values: string[]) => revenue({ filters: [{ member: 'sales.status', operator: 'equals', values }] });
    const one = plans(inList('invoiced'));
    const two = plans(inList('invoiced', 'canceled'));
    const three = plans(inList('invoiced', 'canceled', 'handling'));
    expect(new Set([one, two, three].map((p) => p.shapedPlan.sql)).size).toBe(3);
    for (const p of [one, two, three]) expect(await rows(p.shapedPlan)).toEqual(await rows(p.freshPlan));

    const byDay = (tz: string) => plans(revenue({ timeDimensions: [{ dimension: 'sales.order_date', granularity: 'day', dateRange: ['2025-03-14', '2025-03-16'] }] }), [], tz);
    const sp = byDay('America/Sao_Paulo');
    const utc = byDay('UTC');
    const tokyo = byDay('Asia/Tokyo');
    expect(sp.shapedPlan.sql).toContain("timezone('America/Sao_Paulo'");
    expect(utc.shapedPlan.sql).toContain("timezone('UTC'");
    expect(tokyo.shapedPlan.params).toEqual([...tokyo.freshPlan.params, 10000]);
    for (const p of [sp, utc, tokyo]) expect(await rows(p.shapedPlan)).toEqual(await rows(p.freshPlan));
  });

  it('keeps validating values per query: a shape planned before does not let a bad value through', () => {
    const q = (min: string) => ({ measures: ['sales.revenue'], filters: [{ member: 'sales.revenue', operator: 'gt', values: [min] }] });
    plans(q('10'));
    expect(() => plans(q('ten'))).toThrow(/sales\.revenue/);
  });

  it('gives a daylight-saving date range the offsets Cube gives it', () => {
    for (const day of ['2025-03-08', '2025-03-09', '2025-11-01', '2025-11-02']) {
      const p = plans(revenue({ timeDimensions: [{ dimension: 'sales.order_date', granularity: 'hour', dateRange: [day, day] }] }), [], 'America/New_York');
      expect(p.shapedPlan.params).toEqual([...p.freshPlan.params, 10000]);
    }
  });
});

describe('planning rollup reads by query shape', () => {
  /** Reads rollups where Cube's rules allow: one keeping plans, one building every plan afresh. */
  let rolled: QueryPlanner;
  let rolledFresh: QueryPlanner;
  beforeAll(() => {
    rolled = new QueryPlanner(model.compilers, catalog, 'duckdb', { readsRollups: true });
    rolledFresh = new QueryPlanner(model.compilers, catalog, 'duckdb', { readsRollups: true, maxEntries: 0 });
  });

  const byChannel = (dateRange: [string, string]) => resolveQuery(
    { measures: ['sales.revenue', 'sales.orders'], dimensions: ['sales.channel'], timeDimensions: [{ dimension: 'sales.order_date', dateRange }] }, BUSINESS_TZ, NOW,
  );
  /** A template's bound `LIMIT ?` written back as the number Cube writes into its own SQL. */
  const inlineLimit = (p: QueryPlan) =>
    p.sql.endsWith(' LIMIT ?') ? { sql: `${p.sql.slice(0, -1)}${String(p.params.at(-1))}`, params: p.params.slice(0, -1) } : { sql: p.sql, params: p.params };
  /** The kept plan, after checking it is the plan Cube builds for this query alone. */
  const planBoth = (dateRange: [string, string]): QueryPlan => {
    const { query, key } = byChannel(dateRange);
    const kept = rolled.plan(query, key);
    const own = rolledFresh.plan(query, key);
    expect({ ...inlineLimit(kept), rollup: kept.rollup }, JSON.stringify(dateRange)).toEqual({ sql: own.sql, params: own.params, rollup: own.rollup });
    return kept;
  };

  it('shares one template among whole-day ranges, each bound to its own days and read from the rollup', () => {
    const before = rolled.shapeStats().templates;
    const days = ['2025-03-13', '2025-03-14', '2025-03-15', '2025-03-16'];
    const kept = days.map((d) => planBoth([d, d]));
    expect(kept.every((p) => p.rollup === 'orders.sales_daily')).toBe(true);
    expect(rolled.shapeStats().templates).toBe(before + 1);
    expect(kept.map((p) => p.params[0])).toEqual(days.map((d) => `${d}T00:00:00.000`));
  });

  it('plans a range cutting through a day on its own, on gold, after whole days of the same shape took the rollup', () => {
    planBoth(['2025-03-14', '2025-03-15']);
    const cut = planBoth(['2025-03-14T12:00:00', '2025-03-15T23:59:59.999']);
    expect(cut.rollup).toBeUndefined();
    expect(cut.sql).toMatch(/gold\.fct_orders/);
  });
});

