import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { startFarol, type FarolApp } from '../../src/main.js';
import { silentLogger } from '../../src/observability/logger.js';
import { buildGraphqlSchema } from '../../src/schema/index.js';
import { DEFAULT_QUERY_BUDGETS } from '../../src/schema/query-budgets.js';
import { measureOperation } from '../../src/schema/query-cost.js';
import { FAILED_DATA_TEST, MANAGER_EMAIL, writeBadStoreTargets } from '../fixtures/bad-store-targets.js';
import { graphql } from '../fixtures/graphql-client.js';

const KEYS = {
  admin: 'ops-admin-key-0123456789abcdef',
  analyst: 'ops-analyst-key-0123456789abcdef',
  app: 'ops-app-key-0123456789abcdef',
  pos: 'ops-pos-key-0123456789abcdef',
} as const;

const SOURCES = '{ sources { source title state lastSuccessAt lagSeconds slaSeconds withinSla lastRunStatus lastError } }';
const RUNS = 'query ($source: String, $limit: Int) { runs(source: $source, limit: $limit) { id source entity trigger status startedAt endedAt recordsIn upserted quarantined error } }';
const DATA_TESTS = 'query ($failedOnly: Boolean, $limit: Int) { dataTests(failedOnly: $failedOnly, limit: $limit) { table test severity status failingCount sampleKeys message ranAt } }';

type Source = { source: string; title: string; state: string; slaSeconds: number | null; withinSla: boolean | null; lastRunStatus: string | null; lastError: string | null };
type Run = { id: string; source: string; status: string; startedAt: string; error: string | null };
type DataTest = { test: string; status: string; severity: string; failingCount: number; sampleKeys: string[]; ranAt: string };

describe('operations GraphQL over a running Farol with a failed store-targets run', () => {
  let dir: string;
  let app: FarolApp;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'farol-ops-api-'));
    const targets = writeBadStoreTargets(dir);
    app = await startFarol(
      loadConfig({
        FAROL_PORT: '0',
        FAROL_HOST: '127.0.0.1',
        FAROL_WAREHOUSE: `duckdb:${path.join(dir, 'farol.duckdb')}`,
        FAROL_API_KEYS: Object.entries(KEYS).map(([role, key]) => `${key}:${role}`).join(','),
        FAROL_STORE_TARGETS_FILE: targets,
        FAROL_SANDBOX_PORT: '0',
        FAROL_SANDBOX_HISTORY_ORDERS: '20',
        FAROL_SANDBOX_HISTORY_DAYS: '2',
        FAROL_SANDBOX_ORDERS_PER_MINUTE: '0',
      }),
      silentLogger(),
    );
    // The scheduler would try it after its first delay; asking now makes the failure certain.
    await app.pipeline.runner.run('store-targets', { trigger: 'cli', file: targets }).catch(() => undefined);
  }, 180_000);

  afterAll(async () => {
    await app?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('lists every source with its title, SLA and last run; the failed source says why', async () => {
    const res = await graphql<{ sources: Source[] }>(app.url, KEYS.analyst, SOURCES);
    expect(res.errors).toBeUndefined();
    const sources = res.data!.sources;
    expect(sources.map((s) => s.source).sort()).toEqual(['club-registry', 'store-targets', 'vtex-catalog', 'vtex-customers', 'vtex-orders']);
    const targets = sources.find((s) => s.source === 'store-targets')!;
    expect(targets).toMatchObject({ lastRunStatus: 'failed', slaSeconds: null, withinSla: null });
    expect(targets.lastError).toContain('revenue_target');
    expect(targets.title.length).toBeGreaterThan(0);
    expect(sources.find((s) => s.source === 'vtex-orders')).toMatchObject({ slaSeconds: 300 });
    // Nothing ever succeeded for the customers source: an SLA it cannot meet yet.
    expect(sources.find((s) => s.source === 'vtex-customers')).toMatchObject({ slaSeconds: 86_400, withinSla: false });
  });

  it('lists runs newest first, by source, with their error', async () => {
    const res = await graphql<{ runs: Run[] }>(app.url, KEYS.admin, RUNS, { source: 'store-targets' });
    expect(res.errors).toBeUndefined();
    const [run] = res.data!.runs;
    expect(run).toMatchObject({ source: 'store-targets', status: 'failed', error: expect.stringContaining(FAILED_DATA_TEST) });
    expect(new Date(run!.startedAt).getTime()).not.toBeNaN();
    const all = await graphql<{ runs: Run[] }>(app.url, KEYS.admin, RUNS, { limit: 500 });
    const started = all.data!.runs.map((r) => r.startedAt);
    expect(started).toEqual([...started].sort().reverse());
    const one = await graphql<{ runs: Run[] }>(app.url, KEYS.admin, RUNS, { limit: 1 });
    expect(one.data!.runs).toHaveLength(1);
  });

  it('lists failed data tests by default, and every latest result on request', async () => {
    const failed = await graphql<{ dataTests: DataTest[] }>(app.url, KEYS.analyst, DATA_TESTS);
    expect(failed.errors).toBeUndefined();
    expect(failed.data!.dataTests.every((t) => t.status === 'failed')).toBe(true);
    const range = failed.data!.dataTests.find((t) => t.test === FAILED_DATA_TEST);
    expect(range).toMatchObject({ severity: 'error', failingCount: 2, sampleKeys: [expect.stringContaining('centro'), expect.stringContaining('g***@l***.br')] });
    const all = await graphql<{ dataTests: DataTest[] }>(app.url, KEYS.analyst, DATA_TESTS, { failedOnly: false, limit: 500 });
    expect(all.data!.dataTests.some((t) => t.status === 'passed')).toBe(true);
    expect(all.data!.dataTests.length).toBeGreaterThan(failed.data!.dataTests.length);
  });

  it('masks personal data in keys and errors for a role without it, and shows it to admin', async () => {
    const analyst = await graphql<{ dataTests: DataTest[] }>(app.url, KEYS.analyst, DATA_TESTS);
    const admin = await graphql<{ dataTests: DataTest[] }>(app.url, KEYS.admin, DATA_TESTS);
    expect(JSON.stringify(analyst.data)).not.toContain(MANAGER_EMAIL);
    expect(admin.data!.dataTests.find((t) => t.test === FAILED_DATA_TEST)!.sampleKeys).toContainEqual(expect.stringContaining(MANAGER_EMAIL));
    const runs = await graphql<{ runs: Run[] }>(app.url, KEYS.analyst, RUNS, { source: 'store-targets' });
    expect(JSON.stringify(runs.data)).not.toContain(MANAGER_EMAIL);
  });

  it('refuses roles without the operations capability, and callers without a key', async () => {
    for (const key of [KEYS.app, KEYS.pos]) {
      for (const [query, field] of [[SOURCES, 'sources'], [RUNS, 'runs'], [DATA_TESTS, 'dataTests']] as const) {
        const res = await graphql(app.url, key, query);
        expect(res.data ?? null, `${field} for ${key}`).toBeNull();
        expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
        expect(res.errors?.[0]?.message).toContain(`Query.${field}`);
      }
    }
    const anonymous = await fetch(`${app.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: SOURCES }) });
    expect(anonymous.status).toBe(401);
  });

  it('names the argument that was wrong: unknown or hostile source names, limits out of range, wrong types', async () => {
    for (const source of ["store-targets'; DROP TABLE ops.runs; --", '../../etc/passwd', 'x'.repeat(10_000)]) {
      const res = await graphql(app.url, KEYS.analyst, RUNS, { source });
      expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'runs.source' });
      expect(res.errors?.[0]?.message.length).toBeLessThan(300);
    }
    for (const [query, field] of [[RUNS, 'runs.limit'], [DATA_TESTS, 'dataTests.limit']] as const) {
      for (const limit of [0, -1, 501, 2_147_483_647]) {
        const res = await graphql(app.url, KEYS.analyst, query, { limit });
        expect(res.errors?.[0]?.extensions, `${field} ${limit}`).toMatchObject({ code: 'BAD_USER_INPUT', field });
        expect(res.errors?.[0]?.message).toContain(field);
      }
    }
    const wrongType = await graphql(app.url, KEYS.analyst, RUNS, { limit: 'ten' });
    expect(wrongType.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    // The runs table survived the hostile names.
    const after = await graphql<{ runs: Run[] }>(app.url, KEYS.analyst, RUNS, { source: 'store-targets' });
    expect(after.data!.runs.length).toBeGreaterThan(0);
  });
});

describe('operations cost', () => {
  const cost = async (query: string) => {
    const doc = parse(query);
    const operation = doc.definitions.find((d): d is OperationDefinitionNode => d.kind === 'OperationDefinition')!;
    const fragments = Object.fromEntries(doc.definitions.filter((d): d is FragmentDefinitionNode => d.kind === 'FragmentDefinition').map((f) => [f.name.value, f]));
    return measureOperation(await buildGraphqlSchema(), operation, fragments, {}, DEFAULT_QUERY_BUDGETS.default).cost;
  };

  it('charges a list once per item it may return, its limit clamped to the maximum', async () => {
    expect(await cost('{ runs { id status } }')).toBe(1 + 50 * 2);
    expect(await cost('{ runs(limit: 500) { id status } }')).toBe(1 + 500 * 2);
    expect(await cost('{ runs(limit: 100000) { id status } }')).toBe(1 + 500 * 2);
    expect(await cost('{ dataTests(limit: 10) { test sampleKeys } }')).toBe(1 + 10 * 2);
    // Aliases are counted as the runs they would be.
    expect(await cost('{ a: runs(limit: 500) { id } b: runs(limit: 500) { id } }')).toBe(2 * (1 + 500));
  });
});
