import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertRuleSchema, type AlertRule } from '../../src/alerts/alert-rules.js';
import { AlertsService } from '../../src/alerts/alerts-service.js';
import { SlackChannel } from '../../src/alerts/channels/slack-channel.js';
import { defaultRules } from '../../src/alerts/default-rules.js';
import { replayRule } from '../../src/alerts/rule-replay.js';
import { BUSINESS_TZ } from '../metrics/gold-fixtures.js';
import { roleContext } from '../fixtures/security-contexts.js';
import { receiver, seededWarehouse, silentLogger, type Receiver, type SeededWarehouse } from './alerts-fixture.js';

/** Freshness, pipeline-failure and data-quality rules over ops tables written as the pipeline writes them. */
let w: SeededWarehouse;
let slack: Receiver;
beforeAll(async () => {
  w = await seededWarehouse('2025-01-01', '2025-01-01');
  slack = await receiver();
}, 60_000);
afterAll(async () => {
  await slack?.close();
  await w?.cleanup();
});

const at = (hhmm: string) => new Date(`2025-06-02T${hhmm}:00Z`);
let runN = 0;
async function run(source: string, status: 'succeeded' | 'failed' | 'cancelled', start: string, end: string, error: string | null = null): Promise<void> {
  await w.warehouse.execute(
    `INSERT INTO ops.runs (run_id, source, entity, trigger, status, started_at, ended_at, error) VALUES (?, ?, 'order', 'schedule', ?, ?, ?, ?)`,
    [`run-${++runN}`, source, status, at(start), at(end), error],
  );
}

const rules: AlertRule[] = [
  ...defaultRules(['vtex-orders']).rules.filter((r) => r.kind !== 'anomaly'),
  alertRuleSchema.parse({ name: 'catalog-freshness', kind: 'freshness', source: 'vtex-catalog', slaSeconds: 3_600 }),
];

function service(now: { t: Date }): AlertsService {
  return new AlertsService({
    warehouse: w.warehouse, metrics: w.metrics, rules: { routes: {}, rules }, channels: [new SlackChannel(slack.url)],
    timezone: BUSINESS_TZ, logger: silentLogger, now: () => now.t, backoff: { baseMs: 10, maxMs: 20 },
  });
}

const headers = () => slack.bodies.map((b) => ((b as { blocks: { text: { text: string } }[] }).blocks[0]!.text.text));

describe('ops alerts', () => {
  it('a source past its SLA fires once, stays quiet while stale, resolves when it runs again; a silence keeps the next one quiet', async () => {
    const now = { t: at('10:04') };
    const s = service(now);
    await run('vtex-orders', 'succeeded', '09:59', '10:00');
    await s.evaluate();
    await s.worker.drain();
    expect(slack.bodies).toHaveLength(0);

    for (const t of ['10:06', '10:07', '10:20']) {
      now.t = at(t);
      await s.evaluate();
      await s.worker.drain();
    }
    expect(headers()).toEqual(['🔴 vtex-orders is stale: last successful run ended 6 min ago (SLA 5 min)']);

    await run('vtex-orders', 'succeeded', '10:20', '10:21');
    now.t = at('10:21');
    await s.evaluate();
    await s.worker.drain();
    expect(headers()).toHaveLength(2);
    expect(headers()[1]).toBe('✅ Resolved: vtex-orders is stale: last successful run ended 6 min ago (SLA 5 min)');

    await s.silence({ rule: 'freshness-vtex-orders', series: null, minutes: 120, reason: 'planned VTEX maintenance' }, 'key-admin');
    now.t = at('10:40');
    await s.evaluate();
    await s.worker.drain();
    expect(headers()).toHaveLength(2);
    const open = await s.list({ state: 'FIRING', limit: 10 });
    expect(open.map((a) => [a.rule, a.notified])).toEqual([['freshness-vtex-orders', false]]);
    expect((await s.silences()).map((x) => [x.rule, x.reason, x.createdBy])).toEqual([['freshness-vtex-orders', 'planned VTEX maintenance', 'key-admin']]);
    await s.stop();
  }, 60_000);

  it('a failed run (a revoked VTEX token) fires pipeline_failure within one evaluation, naming the error; a good run resolves it', async () => {
    slack.bodies.length = 0;
    const now = { t: at('11:00') };
    const s = service(now);
    await run('vtex-catalog', 'succeeded', '10:30', '10:31');
    await run('vtex-catalog', 'failed', '10:59', '10:59', 'VTEX answered 401 Unauthorized: the app token was revoked');
    await w.warehouse.execute(`INSERT INTO ops.source_status VALUES ('vtex-catalog', 'stopped', 'VTEX refuses the app key and token (401); set new credentials', ?)`, [at('10:59')]);
    await s.evaluate((r) => r.kind === 'pipeline_failure');
    await s.worker.drain();
    expect(headers()).toEqual(['🔴 vtex-catalog stopped']);
    expect(JSON.stringify(slack.bodies[0])).toContain('VTEX refuses the app key and token (401)');

    await w.warehouse.execute(`UPDATE ops.source_status SET state = 'active', message = NULL WHERE source = 'vtex-catalog'`);
    await run('vtex-catalog', 'succeeded', '11:05', '11:06');
    now.t = at('11:06');
    await s.evaluate((r) => r.kind === 'pipeline_failure');
    await s.worker.drain();
    expect(headers()).toEqual(['🔴 vtex-catalog stopped', '✅ Resolved: vtex-catalog stopped']);
    await s.stop();
  }, 60_000);

  it('a run cancelled by a shutdown neither fires pipeline_failure nor resolves an open one', async () => {
    slack.bodies.length = 0;
    const now = { t: at('13:00') };
    const s = service(now);
    await run('vtex-customers', 'succeeded', '12:00', '12:01');
    await run('vtex-customers', 'cancelled', '12:59', '12:59', 'run cancelled before it finished; what landed is kept and the next run resumes from its cursor');
    await s.evaluate((r) => r.kind === 'pipeline_failure');
    await s.worker.drain();
    expect(headers()).toEqual([]);

    await run('vtex-customers', 'failed', '13:01', '13:02', 'VTEX answered 503');
    await run('vtex-customers', 'cancelled', '13:03', '13:03', 'run cancelled before it finished; what landed is kept and the next run resumes from its cursor');
    now.t = at('13:04');
    await s.evaluate((r) => r.kind === 'pipeline_failure');
    await s.worker.drain();
    expect(headers()).toEqual(['🔴 vtex-customers run failed']);
    // Only a run that succeeds resolves it.
    await run('vtex-customers', 'succeeded', '13:05', '13:06');
    now.t = at('13:06');
    await s.evaluate((r) => r.kind === 'pipeline_failure');
    await s.worker.drain();
    expect(headers()).toEqual(['🔴 vtex-customers run failed', '✅ Resolved: vtex-customers run failed']);
    await s.stop();
  }, 60_000);

  it('a failing data test fires data_quality; its next passing result resolves it', async () => {
    slack.bodies.length = 0;
    const now = { t: at('12:00') };
    const s = service(now);
    const test = (status: string, count: number, when: string) => w.warehouse.execute(
      `INSERT INTO ops.data_tests VALUES (?, 'vtex-orders', 'silver.orders.total.not_null', 'silver.orders', 'total', 'not_null', 'error', ?, ?, '["o1"]', ?, ?)`,
      [`run-t-${when}`, status, count, status === 'failed' ? `${count} orders without a total` : null, at(when)]);
    await test('failed', 3, '11:50');
    await s.evaluate((r) => r.kind === 'data_quality');
    await s.worker.drain();
    expect(headers()).toEqual(['🟠 Data test silver.orders.total.not_null failed (error, 3 rows)']);
    await test('passed', 0, '12:10');
    now.t = at('12:11');
    await s.evaluate((r) => r.kind === 'data_quality');
    await s.worker.drain();
    expect(headers()[1]).toMatch(/^✅ Resolved: /);
    await s.stop();
  }, 60_000);

  it('evaluates after each gold publish, without waiting for the schedule', async () => {
    slack.bodies.length = 0;
    const now = { t: at('13:00') };
    const s = new AlertsService({
      warehouse: w.warehouse, metrics: w.metrics, dataVersions: w.dataVersions, rules: { routes: {}, rules: rules.filter((r) => r.kind === 'pipeline_failure') },
      channels: [new SlackChannel(slack.url)], timezone: BUSINESS_TZ, logger: silentLogger, now: () => now.t,
      // The schedule alone would not come round during this test.
      opsEveryMs: 3_600_000,
    });
    s.start();
    await s.evaluate(() => false); // the start-up pass has run
    await run('store-targets', 'failed', '12:59', '12:59', 'the spreadsheet has no "store" column');
    w.dataVersions.publish(w.dataVersions.current() + 1);
    for (let i = 0; i < 100 && slack.bodies.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(headers()).toEqual(['🔴 store-targets run failed']);
    await s.stop();
  }, 60_000);

  it('replays freshness over the runs: what it would have sent, when', async () => {
    const rule = rules.find((r) => r.name === 'freshness-vtex-orders') as AlertRule;
    const events = await replayRule({ warehouse: w.warehouse, metrics: w.metrics, security: roleContext('admin'), timezone: BUSINESS_TZ }, rule, at('09:00'), at('10:30'));
    expect(events.map((e) => [e.event, e.at])).toEqual([
      // One second past the SLA, then the moment the next run ended.
      ['firing', '2025-06-02T10:05:01.000Z'],
      ['resolved', at('10:21').toISOString()],
    ]);
  }, 60_000);
});
