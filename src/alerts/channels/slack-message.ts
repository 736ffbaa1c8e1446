import type { AlertMessage } from '../alert-record.js';
import { alertFacts } from './alert-facts.js';

/** Block Kit's limits: header text 150 characters, section text 3000, a field 2000, at most 10 fields. */
export const SLACK_LIMITS = { header: 150, sectionText: 3000, field: 2000, fields: 10, buttonText: 75 } as const;

/** Slack's mrkdwn control characters; values (series names, errors) must not become markup or mentions. */
export function escapeMrkdwn(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const clip = (s: string, n: number) => (s.length <= n ? s : `${s.slice(0, n - 1)}…`);

/** An incoming-webhook body: `text` for notifications and old clients, `blocks` for the message. */
export function slackMessage(m: AlertMessage): { text: string; blocks: unknown[] } {
  const f = alertFacts(m);
  const blocks: unknown[] = [
    { type: 'header', text: { type: 'plain_text', text: clip(f.heading, SLACK_LIMITS.header), emoji: true } },
    { type: 'section', text: { type: 'mrkdwn', text: clip(escapeMrkdwn(f.text), SLACK_LIMITS.sectionText) } },
  ];
  if (f.facts.length > 0) {
    blocks.push({
      type: 'section',
      fields: f.facts.slice(0, SLACK_LIMITS.fields).map((x) => ({ type: 'mrkdwn', text: clip(`*${x.title}*\n${escapeMrkdwn(x.value)}`, SLACK_LIMITS.field) })),
    });
  }
  if (f.sparkline) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: `Recent: \`${f.sparkline}\`` } });
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: clip(escapeMrkdwn(f.footer), SLACK_LIMITS.sectionText) }] });
  if (f.link) blocks.push({ type: 'actions', elements: [{ type: 'button', text: { type: 'plain_text', text: 'Open the query' }, url: f.link }] });
  return { text: clip(f.heading, SLACK_LIMITS.sectionText), blocks };
}
