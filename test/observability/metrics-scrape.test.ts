import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { startFarol, type FarolApp } from '../../src/main.js';
import { METRIC } from '../../src/observability/farol-metrics.js';
import { createLogger } from '../../src/observability/logger.js';
import { DataTestFailure } from '../../src/pipeline/data-tests/record-data-tests.js';
import { SourceBusyError, type RunOptions } from '../../src/pipeline/pipeline-runner.js';
import { setSourceStatus, sourceHealth } from '../../src/pipeline/run-log.js';
import { graphql } from '../fixtures/graphql-client.js';
import { histogramCount, parseScrape, sample } from '../fixtures/prometheus-text.js';
import { whenIngestDrained } from '../fixtures/ingest-drained.js';

const ANALYST_KEY = 'obs-analyst-key-0123456789abcdef';
const ADMIN_KEY = 'obs-admin-key-0123456789abcdef01';
const METRICS_TOKEN = 'scrape-token-0123456789abcdef';
const TARGETS = ['store,month,revenue_target', '1,2026-10,1000.50', '2,2026-10,2000'].join('\n');

let dir: string;
let app: FarolApp;
let logLines: Record<string, unknown>[] = [];

async function scrape(authorization = `Bearer ${METRICS_TOKEN}`) {
  const res = await fetch(`${app.url}/metrics`, { headers: { authorization } });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return parseScrape(await res.text());
}

/** A run of store-targets once the scheduler's own (it runs every scheduled source at start) has let go of the source. */
async function runTargets(opts: Omit<RunOptions, 'trigger'> = {}) {
  for (;;) {
    try {
      return await app.pipeline.runner.run('store-targets', { trigger: 'cli', ...opts });
    } catch (err) {
      if (!(err instanceof SourceBusyError)) throw err;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

const REVENUE_BY_DAY = `query RevenueByDay($q: MetricsQueryInput!) { metrics(query: $q) { rows cached } }`;
const revenueQuery = { q: { measures: ['sales.revenue'], timeDimensions: [{ dimension: 'sales.order_date', granularity: 'day', dateRange: 'last 30 days' }] } };

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'farol-obs-'));
  const targets = path.join(dir, 'targets.csv');
  fs.writeFileSync(targets, TARGETS);
  const config = loadConfig({
    FAROL_PORT: '0',
    FAROL_HOST: '127.0.0.1',
    FAROL_WAREHOUSE: `duckdb:${path.join(dir, 'farol.duckdb')}`,
    FAROL_API_KEYS: `${ANALYST_KEY}:analyst,${ADMIN_KEY}:admin`,
    FAROL_METRICS_TOKEN: METRICS_TOKEN,
    FAROL_STORE_TARGETS_FILE: targets,
    FAROL_SANDBOX_PORT: '0',
    FAROL_SANDBOX_HISTORY_ORDERS: '60',
    FAROL_SANDBOX_HISTORY_DAYS: '3',
    FAROL_SANDBOX_ORDERS_PER_MINUTE: '0',
  });
  // The service's real JSON log lines, kept to check request and run ids.
  const destination = new (await import('node:stream')).Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n')) if (line.trim() !== '') logLines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  app = await startFarol(config, createLogger({ level: 'info', destination }));
  await app.sandbox!.whenAllDelivered(90_000);
  await whenIngestDrained(app);
}, 180_000);

afterAll(async () => {
  await app?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('/metrics scraped from the running service', () => {
  it('has process metrics and every Farol metric family, parsed as Prometheus text', async () => {
    const m = await scrape();
    expect(m.get('farol_process_cpu_user_seconds_total')?.type).toBe('COUNTER');
    expect(m.get('farol_nodejs_eventloop_lag_seconds')?.type).toBe('GAUGE');
    for (const name of Object.values(METRIC)) expect(m.has(name), name).toBe(true);
  });

  it('counts the records the hook and fetch worker landed, and the hook acknowledgements', async () => {
    const m = await scrape();
    const landed = await app.pipeline.warehouse.query<{ entity: string; n: number }>(
      "SELECT entity, count(*)::INT AS n FROM bronze.records WHERE source = 'vtex-orders' GROUP BY entity ORDER BY entity",
    );
    expect(landed.map((r) => r.entity)).toEqual(['order', 'order_notification']);
    for (const { entity, n } of landed) expect(sample(m, METRIC.recordsIngested, { source: 'vtex-orders', entity }), entity).toBe(n);
    // Each acknowledged notification is one bronze row (duplicates included; silver dedups them).
    expect(histogramCount(m, METRIC.hookAckSeconds)).toBe(landed.find((r) => r.entity === 'order_notification')?.n);
    expect(histogramCount(m, METRIC.refreshSeconds, { source: 'vtex-orders' })).toBeGreaterThan(0);
  });

  it('moves the GraphQL latency histogram by operation name and the cache counters with traffic', async () => {
    const before = await scrape();
    const hits0 = sample(before, METRIC.cacheHits) ?? 0;
    const misses0 = sample(before, METRIC.cacheMisses) ?? 0;
    const first = await graphql<{ metrics: { cached: boolean } }>(app.url, ANALYST_KEY, REVENUE_BY_DAY, revenueQuery);
    const second = await graphql<{ metrics: { cached: boolean } }>(app.url, ANALYST_KEY, REVENUE_BY_DAY, revenueQuery);
    expect([first.data?.metrics.cached, second.data?.metrics.cached]).toEqual([false, true]);
    await graphql(app.url, ANALYST_KEY, '{ metrics(query: { measures: ["sales.revenue"] }) { rows } }');
    const after = await scrape();
    expect(histogramCount(after, METRIC.graphqlSeconds, { operation: 'RevenueByDay' }) - histogramCount(before, METRIC.graphqlSeconds, { operation: 'RevenueByDay' })).toBe(2);
    expect(histogramCount(after, METRIC.graphqlSeconds, { operation: 'anonymous' })).toBeGreaterThanOrEqual(1);
    expect((sample(after, METRIC.cacheHits) ?? 0) - hits0).toBe(1);
    expect((sample(after, METRIC.cacheMisses) ?? 0) - misses0).toBe(2);
  });

  it('keeps client-chosen operation names from growing the series without bound', async () => {
    await graphql(app.url, ANALYST_KEY, 'query Evil_Name_123 { __typename }');
    await graphql(app.url, ANALYST_KEY, 'query Refused_Name { noSuchField }');
    await graphql(app.url, ANALYST_KEY, `query ${'A'.repeat(150)} { __typename }`);
    const m = await scrape();
    expect(histogramCount(m, METRIC.graphqlSeconds, { operation: 'Evil_Name_123' })).toBe(1);
    expect(histogramCount(m, METRIC.graphqlSeconds, { operation: 'Refused_Name' })).toBe(1);
    expect(histogramCount(m, METRIC.graphqlSeconds, { operation: 'other' })).toBeGreaterThanOrEqual(1);
    expect(m.get(METRIC.graphqlSeconds)?.metrics.some((s) => s.labels?.operation?.startsWith('AAAA'))).toBe(false);
  });

  it('reports freshness at scrape time for every source with a successful run, and a failed run and data test by name', async () => {
    await runTargets();
    let m = await scrape();
    const health = await sourceHealth(app.pipeline.warehouse, ['store-targets']);
    expect(health[0]?.lagSeconds).not.toBeNull();
    const fresh = sample(m, METRIC.freshnessSeconds, { source: 'store-targets' });
    expect(fresh).toBeGreaterThanOrEqual(0);
    expect(fresh).toBeLessThan(3_600);
    // A source that never succeeded has no freshness series rather than a made-up number.
    expect(sample(m, METRIC.freshnessSeconds, { source: 'club-registry' })).toBeUndefined();
    expect(histogramCount(m, METRIC.refreshSeconds, { source: 'store-targets' })).toBeGreaterThanOrEqual(1);

    const bad = path.join(dir, 'bad-targets.csv');
    fs.writeFileSync(bad, ['store,month,revenue_target', '1,2026-10,-5'].join('\n'));
    const err = await runTargets({ file: bad }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataTestFailure);
    m = await scrape();
    expect(sample(m, METRIC.runFailures, { source: 'store-targets' })).toBe(1);
    expect(sample(m, METRIC.dataTestFailures, { table: 'silver.store_targets', test: 'range', severity: 'error' })).toBe(1);
  });

  it('puts the run id on every log line of a pipeline run', async () => {
    logLines = [];
    const summary = await runTargets({ full: true });
    const ofRun = logLines.filter((l) => l.runId === summary.runId);
    expect(ofRun.map((l) => l.msg)).toEqual(expect.arrayContaining(['run started', 'run succeeded']));
    expect(ofRun.every((l) => l.source === 'store-targets')).toBe(true);
  });
});

describe('/metrics access with FAROL_METRICS_TOKEN set', () => {
  it('refuses a loopback scraper without the token, a wrong token and a non-admin key; accepts the token and an admin key', async () => {
    const get = (authorization?: string) => fetch(`${app.url}/metrics`, authorization ? { headers: { authorization } } : {});
    const none = await get();
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(((await none.json()) as { message: string }).message).toMatch(/FAROL_METRICS_TOKEN/);
    expect((await get(`Bearer ${METRICS_TOKEN}x`)).status).toBe(403);
    expect((await get(`Bearer ${ANALYST_KEY}`)).status).toBe(403);
    expect((await get(`Basic ${Buffer.from(`x:${METRICS_TOKEN}`).toString('base64')}`)).status).toBe(403);
    expect((await get(`Bearer ${METRICS_TOKEN}`)).status).toBe(200);
    expect((await get(`bearer   ${METRICS_TOKEN}`)).status).toBe(200);
    expect((await get(`Bearer ${ADMIN_KEY}`)).status).toBe(200);
  });

  it('never writes the token or keys into a log line', async () => {
    logLines = [];
    await fetch(`${app.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}x` } });
    await fetch(`${app.url}/metrics`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } });
    const text = JSON.stringify(logLines);
    expect(text).not.toContain(METRICS_TOKEN);
    expect(text).not.toContain(ADMIN_KEY);
  });
});

describe('request ids', () => {
  it('gives every request an id in x-request-id, keeps a well-formed one the caller sent, replaces anything else', async () => {
    const fresh = await fetch(`${app.url}/healthz`);
    expect(fresh.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const kept = await fetch(`${app.url}/healthz`, { headers: { 'x-request-id': 'lb-7f3a.42' } });
    expect(kept.headers.get('x-request-id')).toBe('lb-7f3a.42');
    for (const hostile of ['a b', 'x'.repeat(200), '"}{\\n', "'; DROP TABLE ops.runs; --", '../../etc/passwd']) {
      const res = await fetch(`${app.url}/healthz`, { headers: { 'x-request-id': hostile } });
      expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it('puts the request id on the log lines of that request', async () => {
    logLines = [];
    const id = 'req-for-logs-1';
    const res = await fetch(`${app.url}/graphql?query=secret-variables`, { method: 'POST', headers: { 'x-request-id': id, authorization: 'Bearer not-a-key', 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' });
    expect(res.status).toBe(401);
    const lines = logLines.filter((l) => l.reqId === id);
    expect(lines).toEqual([expect.objectContaining({ msg: 'request answered', method: 'POST', path: '/graphql', status: 401 })]);
    expect(JSON.stringify(lines)).not.toContain('secret-variables');
  });
});

describe('/healthz and /readyz', () => {
  it('is ready while the warehouse answers and no source is stopped; names a stopped source', async () => {
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${app.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', reasons: [] });

    await setSourceStatus(app.pipeline.warehouse, 'vtex-catalog', 'stopped', 'VTEX answered 401: the app token was revoked');
    const stopped = await fetch(`${app.url}/readyz`);
    expect(stopped.status).toBe(503);
    expect(await stopped.json()).toEqual({ status: 'not ready', reasons: ['source vtex-catalog is stopped: VTEX answered 401: the app token was revoked'] });
    await setSourceStatus(app.pipeline.warehouse, 'vtex-catalog', 'active', null);
    expect((await fetch(`${app.url}/readyz`)).status).toBe(200);
  });

  // Last: it closes the warehouse under the running service.
  it('is not ready once the warehouse is closed, and says so, while /healthz and /metrics still answer', async () => {
    await app.pipeline.warehouse.close();
    const res = await fetch(`${app.url}/readyz`);
    expect(res.status).toBe(503);
    const body = (await res.json()) as { reasons: string[] };
    expect(body.reasons).toHaveLength(1);
    expect(body.reasons[0]).toMatch(/^warehouse: /);
    // The freshness gauge needs the warehouse; the scrape still succeeds without it.
    const m = await scrape();
    expect(m.get(METRIC.freshnessSeconds)?.metrics ?? []).toEqual([]);
  });
});
