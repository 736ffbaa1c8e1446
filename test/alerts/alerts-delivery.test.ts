import fs from 'node:fs';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertsService } from '../../src/alerts/alerts-service.js';
import { decodeState } from '../../web/src/explorer-query.js';
import { defaultRules } from '../../src/alerts/default-rules.js';
import { SlackChannel } from '../../src/alerts/channels/slack-channel.js';
import { TeamsChannel } from '../../src/alerts/channels/teams-channel.js';
import { BUSINESS_TZ } from '../metrics/gold-fixtures.js';
import { receiver, seededWarehouse, silentLogger, type Receiver, type SeededWarehouse } from './alerts-fixture.js';
import type { Drop } from './seeded-sales-history.js';

/**
 * The service end to end: the default rules over the seeded history with a drop injected,
 * notifications posted to HTTP receivers on 127.0.0.1 standing in for Slack and Teams.
 */
const DROP: Drop = { hours: ['2025-12-09T14', '2025-12-09T15', '2025-12-09T16'], factor: 0.35 };
const sp = (local: string) => new Date(`${local}-03:00`);
const FAST = { baseMs: 10, maxMs: 40 };

const schema = JSON.parse(fs.readFileSync(new URL('../fixtures/adaptive-cards/adaptive-card-1.4.schema.json', import.meta.url), 'utf8')) as Record<string, unknown>;
const { id, $schema: _draft, ...rest } = schema;
const ajv = new Ajv({ strict: false, allErrors: true });
(addFormatsModule as unknown as (a: Ajv) => Ajv)(ajv);
const validateCard = ajv.compile({ ...rest, $id: id as string });

/** Block Kit's rules for the blocks these messages use (api.slack.com/reference/block-kit/blocks). */
function checkBlockKit(body: { text?: unknown; blocks?: unknown[] }): string[] {
  const problems: string[] = [];
  if (typeof body.text !== 'string' || body.text === '') problems.push('text: a non-empty fallback is required');
  if (!Array.isArray(body.blocks) || body.blocks.length === 0 || body.blocks.length > 50) problems.push('blocks: 1 to 50 blocks');
  const textObj = (t: unknown, where: string, types: string[], max: number) => {
    const o = t as { type?: unknown; text?: unknown };
    if (!o || !types.includes(String(o.type))) problems.push(`${where}.type: one of ${types.join(', ')}`);
    if (typeof o?.text !== 'string' || o.text.length === 0 || o.text.length > max) problems.push(`${where}.text: 1 to ${max} characters`);
  };
  (body.blocks ?? []).forEach((b, i) => {
    const block = b as Record<string, unknown>;
    const at = `blocks[${i}]`;
    switch (block.type) {
      case 'header': textObj(block.text, `${at}.text`, ['plain_text'], 150); break;
      case 'section': {
        if (block.text === undefined && block.fields === undefined) problems.push(`${at}: text or fields`);
        if (block.text !== undefined) textObj(block.text, `${at}.text`, ['plain_text', 'mrkdwn'], 3000);
        const fields = block.fields as unknown[] | undefined;
        if (fields !== undefined && (!Array.isArray(fields) || fields.length > 10)) problems.push(`${at}.fields: at most 10`);
        fields?.forEach((f, j) => textObj(f, `${at}.fields[${j}]`, ['plain_text', 'mrkdwn'], 2000));
        break;
      }
      case 'context': {
        const els = block.elements as unknown[];
        if (!Array.isArray(els) || els.length === 0 || els.length > 10) problems.push(`${at}.elements: 1 to 10`);
        els?.forEach((e, j) => textObj(e, `${at}.elements[${j}]`, ['plain_text', 'mrkdwn'], 3000));
        break;
      }
      case 'actions': {
        const els = block.elements as Record<string, unknown>[];
        if (!Array.isArray(els) || els.length === 0 || els.length > 25) problems.push(`${at}.elements: 1 to 25`);
        els?.forEach((e, j) => {
          if (e.type !== 'button') problems.push(`${at}.elements[${j}].type: button`);
          textObj(e.text, `${at}.elements[${j}].text`, ['plain_text'], 75);
          if (typeof e.url !== 'string' || e.url.length > 3000 || !/^https?:\/\//.test(e.url)) problems.push(`${at}.elements[${j}].url: http(s), at most 3000 characters`);
        });
        break;
      }
      default: problems.push(`${at}.type: unexpected ${String(block.type)}`);
    }
  });
  return problems;
}

let w: SeededWarehouse;
let slack: Receiver;
let teams: Receiver;
beforeAll(async () => {
  w = await seededWarehouse('2024-09-01', '2025-12-13', DROP);
  slack = await receiver('ok');
  teams = await receiver('1');
}, 120_000);
afterAll(async () => {
  await slack?.close();
  await teams?.close();
  await w?.cleanup();
});

function service(now: { t: Date }, ww: SeededWarehouse = w): AlertsService {
  return new AlertsService({
    warehouse: ww.warehouse, metrics: ww.metrics, rules: { routes: {}, rules: defaultRules([]).rules.filter((r) => r.kind === 'anomaly') },
    channels: [new SlackChannel(slack.url), new TeamsChannel(teams.url)], timezone: BUSINESS_TZ, linkBase: 'https://farol.example.com',
    logger: silentLogger, now: () => now.t, backoff: FAST,
  });
}

/** Drains deliveries until none is pending, letting back-off times pass. */
async function deliverAll(s: AlertsService): Promise<void> {
  for (let i = 0; i < 50; i++) {
    await s.worker.drain();
    const [{ n }] = await w.warehouse.query<{ n: number }>(`SELECT count(*)::INT AS n FROM ops.alert_deliveries WHERE status = 'pending'`) as [{ n: number }];
    if (n === 0) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('deliveries still pending');
}

describe('alerts to Slack and Teams', () => {
  it('the vendored Adaptive Card schema does refuse a malformed card', () => {
    expect(validateCard({ type: 'AdaptiveCard', version: '1.4', body: [{ type: 'TextBlock' }] })).toBe(false);
    expect(validateCard({ type: 'AdaptiveCard', version: '1.4', body: [{ type: 'FactSet', facts: [{ title: 'KPI' }] }] })).toBe(false);
  });

  it('a normal hour sends nothing; the drop fires once to both, with the numbers; the next hours of it add nothing; recovery sends one resolved', async () => {
    const now = { t: sp('2025-12-09T14:06:00') };
    const s = service(now);
    await s.evaluate();
    await deliverAll(s);
    expect(slack.bodies).toHaveLength(0);
    expect(teams.bodies).toHaveLength(0);

    now.t = sp('2025-12-09T15:06:00');
    await s.evaluate();
    await deliverAll(s);
    expect(slack.bodies).toHaveLength(1);
    expect(teams.bodies).toHaveLength(1);
    const alerts = await s.list({ limit: 10 });
    expect(alerts).toHaveLength(1);
    const a = alerts[0]!;
    expect(a).toMatchObject({ rule: 'revenue-hourly', kind: 'anomaly', severity: 'critical', series: null, state: 'FIRING', period: '2025-12-09T14:00:00.000' });
    expect(a.value).toBeLessThan(a.expectedLow as number);

    const sBody = slack.bodies[0] as { text: string; blocks: Record<string, unknown>[] };
    expect(checkBlockKit(sBody)).toEqual([]);
    const text = JSON.stringify(sBody.blocks);
    expect(sBody.blocks[0]).toMatchObject({ type: 'header', text: { text: expect.stringMatching(/^🔴 Sales Revenue dropped 6\d% \(Tue 09\/12 14:00\)$/) } });
    for (const label of ['*KPI*\\nSales Revenue', '*Actual*', '*Expected range*', '*Change vs expected*\\n-6', 'Recent: `']) expect(text).toContain(label);
    const button = sBody.blocks.at(-1) as { elements: { url: string }[] };
    // The web page's explorer, opened on the KPI (its state in the fragment, see web/src/explorer-query.ts).
    const opened = decodeState(new URL(button.elements[0]!.url).hash);
    expect(opened).toMatchObject({ state: { view: 'sales', measures: ['sales.revenue'], timeDimension: 'sales.order_date' } });

    const tBody = teams.bodies[0] as { type: string; attachments: { contentType: string; content: unknown }[] };
    expect(tBody.type).toBe('message');
    expect(tBody.attachments[0]!.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(validateCard(tBody.attachments[0]!.content), JSON.stringify(validateCard.errors)).toBe(true);
    expect(JSON.stringify(tBody)).toContain('"title":"Expected range"');

    // 15:00 and 16:00 are still low: the open alert keeps its key; nothing new is sent.
    for (const t of ['2025-12-09T16:06:00', '2025-12-09T17:06:00']) {
      now.t = sp(t);
      await s.evaluate();
      await deliverAll(s);
    }
    expect(slack.bodies).toHaveLength(1);
    expect((await s.list({ limit: 10 }))[0]).toMatchObject({ state: 'FIRING', period: '2025-12-09T16:00:00.000' });

    now.t = sp('2025-12-09T18:06:00');
    await s.evaluate();
    await deliverAll(s);
    expect(slack.bodies).toHaveLength(2);
    expect(teams.bodies).toHaveLength(2);
    expect(JSON.stringify(slack.bodies[1])).toContain('✅ Resolved: ');
    expect(validateCard((teams.bodies[1] as { attachments: { content: unknown }[] }).attachments[0]!.content)).toBe(true);
    expect((await s.list({ state: 'RESOLVED', limit: 10 }))).toHaveLength(1);
    await s.stop();
  }, 120_000);

  it('retries after the receiver answers 500s, and a delivery left pending is sent by the next process', async () => {
    const before = { slack: slack.bodies.length, teams: teams.bodies.length };
    await w.warehouse.execute('DELETE FROM ops.alerts');
    await w.warehouse.execute('DELETE FROM ops.alert_deliveries');
    slack.failWith.push(500, 503);
    // Teams is down for as long as this process runs.
    teams.failWith.push(...Array<number>(1_000).fill(502));
    const now = { t: sp('2025-12-09T15:06:00') };
    const s1 = service(now);
    await s1.evaluate();
    const slackRow = async () => (await w.warehouse.query<{ attempts: number; status: string }>(`SELECT attempts, status FROM ops.alert_deliveries WHERE channel = 'slack'`))[0];
    for (let i = 0; i < 50 && (await slackRow())?.status !== 'sent'; i++) {
      await s1.worker.drain();
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(slack.bodies.length - before.slack).toBe(1);
    expect(await slackRow()).toMatchObject({ attempts: 3, status: 'sent' });
    await s1.stop();
    const [pending] = await w.warehouse.query<{ status: string; attempts: number; last_error: string }>(`SELECT status, attempts, last_error FROM ops.alert_deliveries WHERE channel = 'teams'`);
    expect(pending).toMatchObject({ status: 'pending', last_error: 'Teams answered 502: receiver trouble' });
    expect(pending!.attempts).toBeGreaterThan(1);
    expect(teams.bodies.length - before.teams).toBe(0);
    teams.failWith.length = 0;

    w = await w.reopen();
    const s2 = service(now, w);
    await deliverAll(s2);
    await s2.stop();
    expect(teams.bodies.length - before.teams).toBe(1);
    expect(validateCard((teams.bodies.at(-1) as { attachments: { content: unknown }[] }).attachments[0]!.content)).toBe(true);
  }, 120_000);

  it('a receiver that refuses the message (404) is not retried forever: the delivery is kept as failed with the reason', async () => {
    await w.warehouse.execute('DELETE FROM ops.alerts');
    await w.warehouse.execute('DELETE FROM ops.alert_deliveries');
    slack.failWith.push(404);
    const s = service({ t: sp('2025-12-09T15:06:00') });
    await s.evaluate();
    await deliverAll(s);
    await s.stop();
    const rows = await w.warehouse.query<{ status: string; attempts: number; last_error: string }>(`SELECT status, attempts, last_error FROM ops.alert_deliveries WHERE channel = 'slack'`);
    expect(rows).toEqual([{ status: 'failed', attempts: 1, last_error: 'Slack answered 404: receiver trouble' }]);
  }, 60_000);
});
