import { describe, expect, it } from 'vitest';
import type { AlertMessage } from '../alert-record.js';
import { slackMessage } from './slack-message.js';
import { teamsMessage } from './teams-card.js';

const hostile: AlertMessage = {
  event: 'firing',
  alert: {
    id: 'a1', rule: 'runs', kind: 'pipeline_failure', severity: 'critical', series: '<!channel> & <http://evil|click>', state: 'FIRING',
    title: `vtex-orders run failed ${'x'.repeat(400)}`, summary: `error: <@U123> ${'y'.repeat(50_000)}`, value: null, expectedLow: null, expectedHigh: null,
    period: null, link: null, firedAt: '2025-12-09T18:05:00.000Z', resolvedAt: null, acknowledgedAt: null, acknowledgedBy: null, notified: true,
  },
};

describe('messages built from hostile alert text', () => {
  it('Slack: mentions and links in values are escaped, every text within Block Kit limits', () => {
    const m = slackMessage(hostile);
    const json = JSON.stringify(m);
    expect(json).not.toContain('<!channel>');
    expect(json).not.toContain('<@U123>');
    expect(json).toContain('&lt;!channel&gt; &amp; &lt;http://evil|click&gt;');
    const blocks = m.blocks as { type: string; text?: { text: string }; fields?: { text: string }[] }[];
    expect(blocks[0]!.text!.text.length).toBeLessThanOrEqual(150);
    for (const b of blocks) {
      if (b.text) expect(b.text.text.length).toBeLessThanOrEqual(3000);
      for (const f of b.fields ?? []) expect(f.text.length).toBeLessThanOrEqual(2000);
    }
    expect(blocks.some((b) => b.type === 'actions')).toBe(false); // no link, no button
  });

  it('Teams: a 50 KB error becomes a card of a few KB', () => {
    expect(JSON.stringify(teamsMessage(hostile)).length).toBeLessThan(5_000);
  });
});
