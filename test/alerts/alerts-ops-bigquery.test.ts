import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeEach, describe, expect, it } from 'vitest';
import { applyObservations } from '../../src/alerts/alert-engine.js';
import { dataQualityRuleSchema, freshnessRuleSchema, pipelineFailureRuleSchema } from '../../src/alerts/alert-rules.js';
import {
  acknowledgeAlert, activeSilences, dueDeliveries, insertSilence, listAlerts, markAttemptFailed, markDelivered, nextDeliveryDue,
} from '../../src/alerts/alert-store.js';
import type { AlertChannel } from '../../src/alerts/channels/alert-channel.js';
import type { EvaluationContext } from '../../src/alerts/evaluation-context.js';
import type { Observation } from '../../src/alerts/observation.js';
import { evaluateDataQuality, evaluateFreshness, evaluatePipelineFailure } from '../../src/alerts/ops-evaluators.js';
import { replayRule } from '../../src/alerts/rule-replay.js';
import { completeFetches, dueFetches, enqueueFetches, failFetches, queueDepth } from '../../src/ingest/state/fetch-queue.js';
import { ALERTS_DDL } from '../../src/pipeline/alert-ops-ddl.js';
import { BIGQUERY_WAREHOUSE_MIGRATIONS, WAREHOUSE_MIGRATIONS } from '../../src/pipeline/warehouse-migrations.js';
import { BigQueryWarehouse } from '../../src/warehouse/bigquery/bigquery-warehouse.js';
import {
  CONTROL, expectBigQuerySql, expectOneTransaction, goldenText, paramsOf, typesOf,
} from '../fixtures/bigquery-sql-checks.js';
import { FAKE_TOKEN, wireRow, type FakeBigQuery } from '../fixtures/fake-bigquery.js';
import { fakeBigQueryPerFile } from '../fixtures/fake-bigquery-per-file.js';

/**
 * The alerts' reads of ops (freshness, pipeline failure, data quality, replay), their own tables
 * (alerts, deliveries, silences) and the fetch queue on the BigQuery adapter, against the fake
 * BigQuery REST server: the 0005 DDL job, every statement BigQuery SQL with values only as typed
 * parameters, writes the code puts in a transaction between BEGIN and COMMIT in one session.
 * `test/golden/alerts-ops/bigquery.sql` holds an alert's life and a fetch's as BigQuery receives
 * them (rewrite with `UPDATE_GOLDEN=1 npx vitest run test/alerts/alerts-ops-bigquery.test.ts`).
 */
const authClient = { getRequestHeaders: async () => new Headers({ authorization: `Bearer ${FAKE_TOKEN}` }) };
const AT = new Date('2025-03-14T13:00:00.000Z');
const micros = (d: Date) => String(d.getTime() * 1000);
const HOUR = 3_600_000;
const ERROR = 'VTEX answered 503 three times';
const ORDER = '1234567890-01';
/** Values the tests pass; none may ever appear in SQL text. */
const VALUES = ['vtex-orders', 'vtex-catalog', 'orders-fresh', 'runs-ok', 'quality', ERROR, ORDER, 'silver.orders.currency.accepted_values', 'key:ab12', 'deploy window'];
const GOLDEN = fileURLToPath(new URL('../golden/alerts-ops/bigquery.sql', import.meta.url));
const T = (table: string) => `\`farol-test.analytics.${table}\``;

const freshness = freshnessRuleSchema.parse({ name: 'orders-fresh', kind: 'freshness', source: 'vtex-orders', slaSeconds: 3_600 });
const pipeline = pipelineFailureRuleSchema.parse({ name: 'runs-ok', kind: 'pipeline_failure', sources: ['vtex-catalog', 'vtex-orders'] });
const quality = dataQualityRuleSchema.parse({ name: 'quality', kind: 'data_quality' });

/** Renders a fixed body; never sends (deliveries are only stored here). */
const slack: AlertChannel = { kind: 'slack', render: (m) => ({ text: `${m.event}: ${m.alert.title}` }), send: async () => undefined };

let fake: FakeBigQuery;

fakeBigQueryPerFile((f) => (fake = f));
beforeEach(() => {
  // tables.get of the fetch queue's staging table, for tx.append's own staging table.
  fake.tables.set('analytics.ops_fetch_queue_stage', {
    schema: { fields: [['source', 'STRING'], ['entity', 'STRING'], ['natural_key', 'STRING'], ['requested_seq', 'INT64'], ['requested_at', 'TIMESTAMP']].map(([name, type]) => ({ name: name!, type: type!, mode: 'REQUIRED' })) },
    resource: {},
  });
});

function open(): BigQueryWarehouse {
  return new BigQueryWarehouse({ projectId: 'farol-test', dataset: 'analytics', location: 'southamerica-east1', apiEndpoint: fake.url, authClient, pollMs: 1 });
}

function context(wh: BigQueryWarehouse, now = AT): EvaluationContext {
  // Ops rules read the warehouse only; the engine and security context are never touched.
  return { warehouse: wh, metrics: undefined as never, security: undefined as never, timezone: 'America/Sao_Paulo', now };
}

const queries = () => fake.jobs.filter((j) => j.kind === 'query');
const sqls = () => queries().map((j) => j.sql!);
const expectSql = (jobs = queries()) => expectBigQuerySql(jobs.filter((j) => !CONTROL.has(j.sql!)), VALUES);

describe('migration 0005-alerts-ops', () => {
  it('creates the alerts\' tables and the fetch queue in BigQuery DDL, once, after 0004-silver', async () => {
    fake.answer((sql) => (sql.startsWith('SELECT version FROM')
      ? { schema: [{ name: 'version', type: 'STRING' }], rows: ['0001-serving', '0002-bronze', '0003-ops', '0004-silver'].map((v) => wireRow([v])) }
      : undefined));
    expect(await open().migrate(BIGQUERY_WAREHOUSE_MIGRATIONS)).toEqual({ applied: ['0005-alerts-ops', '0006-gold-seed'], current: '0006-gold-seed' });
    const ddl = sqls()[2]!;
    for (const table of ['ops_alerts', 'ops_alert_deliveries', 'ops_alert_silences', 'ops_fetch_queue', 'ops_fetch_queue_stage']) {
      expect(ddl).toContain(`CREATE TABLE IF NOT EXISTS ${T(table)} (`);
    }
    expect(ddl).toContain('alert_id         STRING PRIMARY KEY NOT ENFORCED');
    expect(ddl).toContain('PRIMARY KEY (source, entity, natural_key) NOT ENFORCED');
    expect(ddl).toContain('attempts         INT64 DEFAULT 0 NOT NULL');
    expect(ddl).toContain('value            FLOAT64');
    expect(ddl).toContain('notified         BOOL NOT NULL');
    expect(ddl).toContain('until            TIMESTAMP NOT NULL');
    expect(ddl).not.toMatch(/CREATE SCHEMA|BIGINT|VARCHAR|TIMESTAMPTZ|DOUBLE|BOOLEAN/);
    expectSql([fake.jobs[2]!]);
    expect(paramsOf(fake.jobs[3]!)).toEqual([{ parameterType: { type: 'STRING' }, parameterValue: { value: '0005-alerts-ops' } }]);
    // The DuckDB list keeps its released SQL.
    expect(WAREHOUSE_MIGRATIONS.find((m) => m.version === '0008-alerts')?.sql).toBe(ALERTS_DDL);
  });
});

describe('ops rules read ops on BigQuery', () => {
  it('freshness: the last success by CASE inside max, the moment a TIMESTAMP parameter, the age computed here', async () => {
    fake.answer(() => ({
      schema: [{ name: 'last_success', type: 'TIMESTAMP' }, { name: 'first_start', type: 'TIMESTAMP' }],
      rows: [wireRow([micros(new Date(AT.getTime() - 2 * HOUR)), micros(new Date(AT.getTime() - 48 * HOUR))])],
    }));
    const [o] = await evaluateFreshness(context(open()), freshness);
    expect(o).toMatchObject({ series: 'vtex-orders', firing: true, value: 7_200, expectedHigh: 3_600 });
    expect(sqls()[0]).toContain("max(CASE WHEN status = 'succeeded' AND ended_at <= ? THEN ended_at END) AS last_success");
    expect(typesOf(queries()[0]!)).toEqual(['TIMESTAMP', 'STRING', 'TIMESTAMP']);
    expectSql();
  });

  it('pipeline failure: the latest finished run per source by row_number, sources as parameters', async () => {
    fake.answer(() => ({
      schema: ['source', 'last_status', 'last_error', 'last_run', 'state', 'message'].map((name) => ({ name, type: 'STRING' })),
      rows: [wireRow(['vtex-catalog', 'succeeded', null, 'run-1', null, null]), wireRow(['vtex-orders', 'failed', ERROR, 'run-2', 'active', null])],
    }));
    const obs = await evaluatePipelineFailure(context(open()), pipeline);
    expect(obs.map((o) => [o.series, o.firing, o.title])).toEqual([['vtex-catalog', false, 'vtex-catalog runs again'], ['vtex-orders', true, 'vtex-orders run failed']]);
    expect(sqls()[0]).toMatch(/^WITH s AS \(SELECT \? AS source UNION ALL SELECT \? AS source\)/);
    expect(sqls()[0]).toContain('row_number() OVER (PARTITION BY source ORDER BY started_at DESC, run_id DESC)');
    expect(typesOf(queries()[0]!)).toEqual(['STRING', 'STRING', 'TIMESTAMP']);
    expectSql();
  });

  it('data quality: the latest result per test from a subquery, not QUALIFY', async () => {
    fake.answer(() => ({
      schema: [
        ...['test_id', 'severity', 'status'].map((name) => ({ name, type: 'STRING' })), { name: 'failing_count', type: 'INT64' },
        { name: 'message', type: 'STRING' }, { name: 'table_name', type: 'STRING' },
      ],
      rows: [wireRow(['silver.orders.currency.accepted_values', 'error', 'failed', '3', null, 'silver.orders'])],
    }));
    const [o] = await evaluateDataQuality(context(open()), quality);
    expect(o).toMatchObject({ series: 'silver.orders.currency.accepted_values', firing: true, value: 3 });
    expect(sqls()[0]).toContain(') latest WHERE n = 1 ORDER BY test_id');
    expect(typesOf(queries()[0]!)).toEqual(['TIMESTAMP']);
    expectSql();
  });

  it('replay: the moments are read with the SLA span as shifted TIMESTAMP bounds and shifted back here', async () => {
    const from = new Date(AT.getTime() - 24 * HOUR);
    const ended = new Date(AT.getTime() - 3 * HOUR);
    fake.answer((sql) => {
      if (sql.startsWith('SELECT DISTINCT t, shifted')) {
        return { schema: [{ name: 't', type: 'TIMESTAMP' }, { name: 'shifted', type: 'INT64' }], rows: [wireRow([micros(ended), '0']), wireRow([micros(ended), '1'])] };
      }
      // At the run's end it is fresh; an SLA (and a second) later, stale.
      return { schema: [{ name: 'last_success', type: 'TIMESTAMP' }, { name: 'first_start', type: 'TIMESTAMP' }], rows: [wireRow([micros(ended), micros(from)])] };
    });
    const events = await replayRule(context(open()), freshness, from, AT);
    expect(events.map((e) => [e.at, e.event])).toEqual([[new Date(ended.getTime() + 3_601_000).toISOString(), 'firing']]);
    const moments = queries()[0]!;
    expect(typesOf(moments)).toEqual(['TIMESTAMP', 'TIMESTAMP', 'INT64', 'TIMESTAMP', 'TIMESTAMP', 'INT64']);
    expect(paramsOf(moments).map((p) => p.parameterValue.value)).toEqual([
      from.toISOString(), AT.toISOString(), 3_600, new Date(from.getTime() - 3_601_000).toISOString(), new Date(AT.getTime() - 3_601_000).toISOString(), 40_002,
    ]);
    expect(queries().slice(1).map((j) => paramsOf(j)[0]!.parameterValue.value)).toEqual([ended.toISOString(), new Date(ended.getTime() + 3_601_000).toISOString(), AT.toISOString()]);
    expectSql();
  });
});

describe('alerts\' own tables on BigQuery', () => {
  const firing: Observation = { series: 'vtex-orders', firing: true, title: 'vtex-orders run failed', summary: `vtex-orders run run-2 failed: ${ERROR}`, value: null, expectedLow: null, expectedHigh: null };

  it('an alert and its delivery are stored in one transaction; a null number is a NULL literal, never a STRING parameter', async () => {
    const { fired } = await applyObservations(open(), pipeline, [firing], [slack], AT);
    expect(fired).toHaveLength(1);
    const [openRead, silences, notified, insert, delivery] = expectOneTransaction(queries());
    expect(openRead!.sql).toContain(`FROM ${T('ops_alerts')} WHERE rule = ? AND state = 'FIRING'`);
    expect(typesOf(silences!)).toEqual(['TIMESTAMP', 'STRING', 'STRING']);
    expect(notified!.sql).toContain('max(coalesce(resolved_at, fired_at))');
    expect(insert!.sql).toContain("VALUES (?, ?, ?, ?, ?, 'FIRING', ?, ?, NULL, NULL, NULL, ?, ?, ?, ?, ?)");
    expect(typesOf(insert!)).toEqual(['STRING', 'STRING', 'STRING', 'STRING', 'STRING', 'STRING', 'STRING', 'STRING', 'STRING', 'TIMESTAMP', 'BOOL', 'TIMESTAMP']);
    expect(paramsOf(insert!)[0]!.parameterValue.value).toBe(fired[0]!.id);
    expect(typesOf(delivery!)).toEqual(['STRING', 'STRING', 'STRING', 'STRING', 'STRING', 'TIMESTAMP', 'TIMESTAMP']);
    expect(paramsOf(delivery!)[4]!.parameterValue.value).toBe(JSON.stringify({ text: 'firing: vtex-orders run failed' }));
    expectSql();
  });

  it('an open alert is refreshed with its numbers as parameters, and resolved', async () => {
    const current = {
      alert_id: 'a-1', rule: 'runs-ok', kind: 'pipeline_failure', severity: 'warning', series: 'vtex-orders', state: 'FIRING', title: 't', summary: 's',
      value: null, expected_low: null, expected_high: null, period: null, link: null, fired_at: micros(AT), resolved_at: null, acknowledged_at: null,
      acknowledged_by: null, notified: 'true',
    };
    fake.answer((sql) => (sql.includes("state = 'FIRING'") ? {
      schema: Object.keys(current).map((name) => ({ name, type: /_at$/.test(name) ? 'TIMESTAMP' : name === 'notified' ? 'BOOL' : /value|expected/.test(name) ? 'FLOAT64' : 'STRING' })),
      rows: [wireRow(Object.values(current))],
    } : undefined));
    const wh = open();
    await applyObservations(wh, freshness, [{ ...firing, value: 7_200.5, expectedHigh: 3_600 }], [], AT);
    const refresh = expectOneTransaction(queries())[3]!;
    expect(refresh.sql).toBe(`UPDATE ${T('ops_alerts')} SET summary = ?, value = ?, expected_low = NULL, expected_high = ?, period = ?, updated_at = ? WHERE alert_id = ?`);
    expect(typesOf(refresh)).toEqual(['STRING', 'FLOAT64', 'INT64', 'STRING', 'TIMESTAMP', 'STRING']);
    expectSql();
    fake.jobs.length = 0;
    const { resolved } = await applyObservations(wh, freshness, [{ ...firing, firing: false }], [slack], AT);
    expect(resolved).toHaveLength(1);
    const [, , , resolve, delivery] = expectOneTransaction(queries());
    expect(resolve!.sql).toBe(`UPDATE ${T('ops_alerts')} SET state = 'RESOLVED', resolved_at = ?, summary = ?, updated_at = ? WHERE alert_id = ?`);
    expect(delivery!.sql).toMatch(new RegExp(`^INSERT INTO ${T('ops_alert_deliveries').replace(/[.`-]/g, '\\$&')}`));
    expectSql();
  });

  it('are listed, acknowledged, silenced and delivered with typed parameters', async () => {
    const wh = open();
    await listAlerts(wh, { state: 'FIRING', limit: 50 });
    await listAlerts(wh, { limit: 50 });
    await wh.transaction((tx) => acknowledgeAlert(tx, 'a-1', 'key:ab12', AT));
    await wh.transaction((tx) => insertSilence(tx, { rule: 'runs-ok', series: null, reason: 'deploy window', createdBy: 'key:ab12' }, new Date(AT.getTime() + HOUR), AT));
    await activeSilences(wh, AT);
    await dueDeliveries(wh, AT, 20);
    await nextDeliveryDue(wh);
    await markDelivered(wh, 'd-1', AT);
    await markAttemptFailed(wh, 'd-2', 'slack answered 503', new Date(AT.getTime() + 60_000));
    await markAttemptFailed(wh, 'd-3', 'slack answered 404', 'never');
    const [byState, all] = queries();
    expect(typesOf(byState!)).toEqual(['STRING', 'STRING', 'INT64']);
    expect(paramsOf(all!).map((p) => [p.parameterType.type, p.parameterValue.value])).toEqual([['STRING', null], ['STRING', null], ['INT64', 50]]);
    expect(sqls().filter((s) => s === 'BEGIN TRANSACTION')).toHaveLength(2);
    expect(sqls().find((s) => s.startsWith('INSERT INTO') && s.includes('ops_alert_silences'))).toBeDefined();
    expectSql();
  });
});

describe('the fetch queue on BigQuery', () => {
  const req = { source: 'vtex-orders', entity: 'order', naturalKey: ORDER };

  it('enqueues through a load into its staging table and one MERGE, then clears the stage with a WHERE', async () => {
    await open().transaction((tx) => enqueueFetches(tx, [req, req]));
    const load = fake.jobs.find((j) => j.kind === 'load')!;
    expect(load.data!.trim().split('\n')).toHaveLength(2);
    // The adapter's own staging table is dropped after COMMIT, outside the session.
    const drop = queries().findIndex((j) => j.sql!.startsWith('DROP TABLE IF EXISTS `farol-test.analytics.ops_stage_'));
    expect(sqls()[drop - 1]).toBe('COMMIT TRANSACTION');
    const [copy, merge, clear] = expectOneTransaction(queries().filter((_, i) => i !== drop));
    expect(copy!.sql).toMatch(new RegExp(`^INSERT INTO ${T('ops_fetch_queue_stage').replace(/[.`-]/g, '\\$&')} `));
    expect(merge!.sql).toMatch(/^MERGE INTO `farol-test\.analytics\.ops_fetch_queue` AS t/);
    expect(merge!.sql).toContain('next_attempt_at = least(t.next_attempt_at, s.first_requested_at)');
    expect(clear!.sql).toBe(`DELETE FROM ${T('ops_fetch_queue_stage')} WHERE true`);
    expectSql();
  });

  it('claims due rows by a TIMESTAMP parameter, clears done ones with EXISTS, and backs failures off with the next try as a TIMESTAMP', async () => {
    fake.answer((sql) => (sql.startsWith('SELECT natural_key') ? {
      schema: [{ name: 'natural_key', type: 'STRING' }, { name: 'requested_seq', type: 'INT64' }, { name: 'attempts', type: 'INT64' }],
      rows: [wireRow([ORDER, '1741957200000000', '2'])],
    } : undefined));
    const wh = open();
    const due = await dueFetches(wh, 'vtex-orders', 'order', 200, AT);
    expect(due).toEqual([{ ...req, requestedSeq: 1741957200000000, attempts: 2 }]);
    expect(typesOf(queries()[0]!)).toEqual(['STRING', 'STRING', 'TIMESTAMP', 'INT64']);
    await wh.transaction((tx) => completeFetches(tx, due));
    await wh.transaction((tx) => failFetches(tx, [{ fetch: due[0]!, error: ERROR }, { fetch: due[0]!, error: ERROR, retryAfterMs: 30_000 }], { baseMs: 1_000, maxMs: 600_000 }, AT));
    await queueDepth(wh, 'vtex-orders', 'order');
    const del = queries().find((j) => j.sql!.startsWith('DELETE FROM `farol-test.analytics.ops_fetch_queue` q'))!;
    expect(del.sql).toContain('WHERE EXISTS (SELECT 1 FROM `farol-test.analytics.ops_fetch_queue_stage` d');
    const update = queries().find((j) => j.sql!.startsWith('UPDATE'))!;
    // Listed twice, counted once: the last entry's Retry-After (30 s) beats the 4 s back-off.
    expect(paramsOf(update).map((p) => [p.parameterType.type, p.parameterValue.value])).toEqual([
      ['STRING', 'vtex-orders'], ['STRING', 'order'], ['STRING', ORDER], ['STRING', ERROR], ['TIMESTAMP', new Date(AT.getTime() + 30_000).toISOString()],
    ]);
    expectSql();
  });
});

describe('an alert\'s life and a fetch\'s on BigQuery', () => {
  it('send exactly the statements in the golden file', async () => {
    fake.answer(() => undefined);
    const wh = open();
    await evaluatePipelineFailure(context(wh), pipeline);
    await applyObservations(wh, pipeline, [{ series: 'vtex-orders', firing: true, title: 'vtex-orders run failed', summary: ERROR, value: 3, expectedLow: null, expectedHigh: 0 }], [slack], AT);
    await dueDeliveries(wh, AT, 20);
    await markDelivered(wh, 'd-1', AT);
    await evaluateFreshness(context(wh), freshness);
    await evaluateDataQuality(context(wh), quality);
    await wh.transaction((tx) => enqueueFetches(tx, [{ source: 'vtex-orders', entity: 'order', naturalKey: ORDER }]));
    await dueFetches(wh, 'vtex-orders', 'order', 200, AT);
    const due = { source: 'vtex-orders', entity: 'order', naturalKey: ORDER, requestedSeq: 1741957200000000, attempts: 0 };
    await wh.transaction((tx) => failFetches(tx, [{ fetch: due, error: ERROR }], undefined, AT));
    await wh.transaction((tx) => completeFetches(tx, [due]));
    expectSql();
    // Ids, staging tables and a request's time change per run; the rest is fixed.
    const text = goldenText(queries())
      .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<uuid>')
      .replace(/ops_stage_[0-9a-f]{32}/g, 'ops_stage_<uuid>');
    if (process.env.UPDATE_GOLDEN === '1') fs.writeFileSync(GOLDEN, text);
    expect(text, 'review, then UPDATE_GOLDEN=1 npx vitest run test/alerts/alerts-ops-bigquery.test.ts').toBe(fs.readFileSync(GOLDEN, 'utf8'));
  });
});
