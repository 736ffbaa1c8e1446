import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callAdminJson, closeAdminClient } from '../../src/admin/admin-client.js';
import { readAdminFile } from '../../src/admin/admin-file.js';
import { loadConfig } from '../../src/config.js';
import { startFarol, type FarolApp } from '../../src/main.js';
import { silentLogger } from '../../src/observability/logger.js';
import { receiver, type Receiver } from '../alerts/alerts-fixture.js';
import { graphql } from '../fixtures/graphql-client.js';
import { waitFor } from '../fixtures/wait-for.js';

/** Alerts as the service runs them: rules from FAROL_ALERTS_FILE, Slack from SLACK_WEBHOOK_URL, history over GraphQL. */
const ADMIN_KEY = 'alerts-e2e-admin-key-0123456789';
let dir: string;
let app: FarolApp | undefined;
let slack: Receiver;

function env(extra: Record<string, string> = {}): Record<string, string> {
  return {
    FAROL_PORT: '0', FAROL_HOST: '127.0.0.1', FAROL_WAREHOUSE: `duckdb:${path.join(dir, 'farol.duckdb')}`, FAROL_API_KEYS: `${ADMIN_KEY}:admin`,
    FAROL_SANDBOX_PORT: '0', FAROL_SANDBOX_HISTORY_ORDERS: '20', FAROL_SANDBOX_HISTORY_DAYS: '2', FAROL_SANDBOX_ORDERS_PER_MINUTE: '0',
    FAROL_ALERTS_FILE: path.join(dir, 'alerts.yml'), SLACK_WEBHOOK_URL: slack.url, ...extra,
  };
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'farol-alerts-e2e-'));
  slack = await receiver();
}, 30_000);
afterAll(async () => {
  await app?.close();
  await slack?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('alerts in the service', () => {
  it('a bad rules file, or a rule naming a KPI the model does not have, stops start-up naming the rule and field', async () => {
    fs.writeFileSync(path.join(dir, 'alerts.yml'), 'rules:\n  - { name: runs, kind: pipeline_failure, severity: urgent }\n');
    await expect(startFarol(loadConfig(env()), silentLogger())).rejects.toThrow(/rule "runs", field severity: /);
    fs.writeFileSync(path.join(dir, 'alerts.yml'), 'rules:\n  - { name: typo, kind: anomaly, measure: sales.revenu, timeDimension: sales.order_date }\n  - { name: mixed, kind: threshold, measure: sales.revenue, timeDimension: sales.channel, above: 1 }\n');
    await expect(startFarol(loadConfig(env()), silentLogger())).rejects.toThrow(
      /rule "typo", field measure: "sales.revenu" is not a member of any public view\n.*rule "mixed", field timeDimension: "sales.channel" is not a time dimension/s,
    );
  }, 120_000);

  it('a failed run published by the pipeline reaches Slack, and the alert is readable over GraphQL', async () => {
    fs.writeFileSync(path.join(dir, 'alerts.yml'), 'rules:\n  - { name: runs, kind: pipeline_failure, severity: critical, sources: [store-targets] }\n');
    app = await startFarol(loadConfig(env()), silentLogger());
    expect(app.alerts.rules.map((r) => r.name)).toEqual(['runs']);
    const wh = app.pipeline.warehouse;
    await wh.execute(`INSERT INTO ops.runs (run_id, source, entity, trigger, status, started_at, ended_at, error) VALUES ('e2e-1', 'store-targets', 'target', 'cli', 'failed', now(), now(), 'no "store" column')`);
    app.pipeline.dataVersions.publish(app.pipeline.dataVersions.current() + 1);
    await waitFor('the Slack message', async () => slack.bodies.length === 1, 30_000);
    expect(JSON.stringify(slack.bodies[0])).toContain('store-targets run failed');
    const r = await graphql<{ alerts: { rule: string; state: string }[] }>(app.url, ADMIN_KEY, '{ alerts { rule state } }');
    expect(r.data?.alerts).toEqual([{ rule: 'runs', state: 'FIRING' }]);

    // `farol alerts test` while the service holds the warehouse goes through the admin endpoint.
    const endpoint = readAdminFile(dir);
    expect(endpoint).toBeDefined();
    try {
      const report = (await callAdminJson(endpoint!, '/admin/alerts-test', { rule: 'runs', from: new Date(Date.now() - 86_400_000).toISOString() })) as { events: { event: string; series: string }[] };
      expect(report.events).toEqual([expect.objectContaining({ event: 'firing', series: 'store-targets' })]);
      await expect(callAdminJson(endpoint!, '/admin/alerts-test', { rule: "runs' OR 1=1" })).rejects.toThrow(/unknown alert rule/);
    } finally {
      await closeAdminClient();
    }
  }, 180_000);
});
