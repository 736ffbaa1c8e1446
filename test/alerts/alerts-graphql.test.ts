import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertRuleSchema } from '../../src/alerts/alert-rules.js';
import { AlertsService } from '../../src/alerts/alerts-service.js';
import { Authenticator } from '../../src/auth/index.js';
import { ClubMemberIndex, Customer360Service } from '../../src/customers/index.js';
import { parse, type OperationDefinitionNode } from 'graphql';
import { buildGraphqlSchema } from '../../src/schema/build-schema.js';
import { measureOperation } from '../../src/schema/query-cost.js';
import { registerGraphql } from '../../src/schema/index.js';
import { graphql } from '../fixtures/graphql-client.js';
import { BUSINESS_TZ } from '../metrics/gold-fixtures.js';
import { seededWarehouse, silentLogger, type SeededWarehouse } from './alerts-fixture.js';

/** `alerts`, `silences`, `acknowledgeAlert` and `silence` over HTTP, under the shared security module. */
const KEYS = { admin: 'admin-key-0123456789abcdef', analyst: 'analyst-key-0123456789abcdef', app: 'app-key-0123456789abcdef', pos: 'pos-key-0123456789abcdef' };
let w: SeededWarehouse;
let app: FastifyInstance;
let url: string;
let service: AlertsService;
const now = { t: new Date('2025-06-02T12:00:00Z') };

beforeAll(async () => {
  w = await seededWarehouse('2025-01-01', '2025-01-01');
  service = new AlertsService({
    warehouse: w.warehouse, metrics: w.metrics, channels: [], timezone: BUSINESS_TZ, logger: silentLogger, now: () => now.t,
    rules: { routes: {}, rules: [alertRuleSchema.parse({ name: 'runs', kind: 'pipeline_failure' })] },
  });
  // A failed run whose error quotes a customer's e-mail: analysts must not read it.
  await w.warehouse.execute(
    `INSERT INTO ops.runs (run_id, source, entity, trigger, status, started_at, ended_at, error) VALUES ('r1', 'vtex-customers', 'customer', 'schedule', 'failed', ?, ?, ?)`,
    [new Date('2025-06-02T11:00:00Z'), new Date('2025-06-02T11:01:00Z'), 'Master Data refused maria.silva@example.com (CPF 123.456.789-09)'],
  );
  await service.evaluate();
  app = Fastify({ logger: false });
  const authenticator = new Authenticator({
    config: { apiKeys: Object.entries(KEYS).map(([role, key]) => ({ kind: 'plain' as const, key, role })), jwt: undefined, accessFile: undefined },
  });
  await registerGraphql(app, {
    metrics: w.metrics, customers: new Customer360Service(w.warehouse, w.dataVersions), clubIndex: new ClubMemberIndex(w.warehouse, w.dataVersions),
    authenticator, logger: silentLogger, alerts: service,
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
}, 60_000);
afterAll(async () => {
  await app?.close();
  await service?.stop();
  await w?.cleanup();
});

const LIST = 'query($s: AlertState, $n: Int) { alerts(state: $s, limit: $n) { id rule kind severity series state title summary firedAt acknowledgedAt acknowledgedBy } }';

describe('alerts over GraphQL', () => {
  it('admins read alerts with the text as stored; analysts read them with personal data scrubbed; app and pos keys are refused', async () => {
    const admin = await graphql<{ alerts: { summary: string; state: string; series: string }[] }>(url, KEYS.admin, LIST, { s: 'FIRING' });
    expect(admin.errors).toBeUndefined();
    expect(admin.data?.alerts).toHaveLength(1);
    expect(admin.data?.alerts[0]).toMatchObject({ state: 'FIRING', series: 'vtex-customers' });
    expect(admin.data?.alerts[0]?.summary).toContain('maria.silva@example.com');
    const analyst = await graphql<{ alerts: { summary: string }[] }>(url, KEYS.analyst, LIST);
    expect(analyst.data?.alerts[0]?.summary).not.toContain('maria.silva');
    expect(analyst.data?.alerts[0]?.summary).not.toContain('123.456.789-09');
    for (const key of [KEYS.app, KEYS.pos]) {
      const r = await graphql(url, key, LIST);
      expect(r.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
    const none = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: LIST }) });
    expect(none.status).toBe(401);
  });

  it('each alert asked for counts toward the cost, so many aliases of a large list are refused before anything runs', async () => {
    const fields = 'id rule kind severity series state title summary value expectedLow expectedHigh firedAt resolvedAt acknowledgedAt acknowledgedBy link';
    const q = `{ ${Array.from({ length: 100 }, (_, i) => `a${i}: alerts(limit: 500) { ${fields} }`).join(' ')} }`;
    const r = await graphql(url, KEYS.analyst, q);
    expect(r.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_EXPENSIVE');
    const schema = await buildGraphqlSchema();
    const doc = parse(`{ alerts(limit: 500) { ${fields} } }`);
    const budget = { maxCost: 1e9, maxDepth: 100, maxFields: 1e6 };
    expect(measureOperation(schema, doc.definitions[0] as OperationDefinitionNode, {}, {}, budget).cost).toBe(1 + 16 * 500);
    expect(measureOperation(schema, parse(`{ alerts { id } }`).definitions[0] as OperationDefinitionNode, {}, {}, budget).cost).toBe(1 + 50);
    const few = await graphql(url, KEYS.analyst, `{ ${Array.from({ length: 3 }, (_, i) => `a${i}: alerts(limit: 500) { ${fields} }`).join(' ')} }`);
    expect(few.errors).toBeUndefined();
  });

  it('only alertsManage acknowledges and silences; bad input names the field', async () => {
    const id = (await service.list({ limit: 1 }))[0]!.id;
    const ACK = 'mutation($id: ID!) { acknowledgeAlert(id: $id) { id acknowledgedAt acknowledgedBy } }';
    expect((await graphql(url, KEYS.analyst, ACK, { id })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const ok = await graphql<{ acknowledgeAlert: { acknowledgedBy: string; acknowledgedAt: string } }>(url, KEYS.admin, ACK, { id });
    expect(ok.errors).toBeUndefined();
    expect(ok.data?.acknowledgeAlert.acknowledgedBy).toMatch(/^[0-9a-f]/);
    expect(ok.data?.acknowledgeAlert.acknowledgedBy).not.toContain(KEYS.admin);
    for (const bad of ['00000000-0000-0000-0000-000000000000', "x' OR 1=1 --", 'a'.repeat(10_000)]) {
      const r = await graphql(url, KEYS.admin, ACK, { id: bad });
      expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'acknowledgeAlert.id' });
    }

    const SIL = 'mutation($r: String!, $s: String, $m: Int!, $why: String) { silence(rule: $r, series: $s, minutes: $m, reason: $why) { id rule series until reason createdBy } }';
    expect((await graphql(url, KEYS.analyst, SIL, { r: 'runs', m: 60 })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await graphql(url, KEYS.admin, SIL, { r: 'nope', m: 60 })).errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'silence.rule' });
    for (const m of [0, -5, 60 * 24 * 31]) expect((await graphql(url, KEYS.admin, SIL, { r: 'runs', m })).errors?.[0]?.extensions).toMatchObject({ field: 'silence.minutes' });
    expect((await graphql(url, KEYS.admin, SIL, { r: 'runs', m: 60, why: 'x'.repeat(501) })).errors?.[0]?.extensions).toMatchObject({ field: 'silence.reason' });
    expect((await graphql(url, KEYS.admin, SIL, { r: 'runs', m: '60' })).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const s = await graphql<{ silence: { until: string; series: string | null } }>(url, KEYS.admin, SIL, { r: 'runs', s: 'vtex-orders', m: 90, why: 'migration' });
    expect(s.errors).toBeUndefined();
    expect(s.data?.silence).toMatchObject({ series: 'vtex-orders', until: new Date(now.t.getTime() + 90 * 60_000).toISOString() });
    const list = await graphql<{ silences: { rule: string; reason: string }[] }>(url, KEYS.analyst, '{ silences { rule reason createdBy } }');
    expect(list.data?.silences).toEqual([expect.objectContaining({ rule: 'runs', reason: 'migration' })]);
    for (const n of [0, 501]) expect((await graphql(url, KEYS.admin, LIST, { n })).errors?.[0]?.extensions).toMatchObject({ field: 'alerts.limit' });
  });
});
