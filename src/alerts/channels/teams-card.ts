import type { AlertMessage } from '../alert-record.js';
import { alertFacts } from './alert-facts.js';

/** Teams renders Adaptive Cards up to 1.5 in incoming-webhook messages; 1.4 is what every client shows. */
export const ADAPTIVE_CARD_VERSION = '1.4';

export function adaptiveCard(m: AlertMessage): Record<string, unknown> {
  const f = alertFacts(m);
  const body: unknown[] = [
    { type: 'TextBlock', text: f.heading, weight: 'Bolder', size: 'Medium', wrap: true, color: m.event === 'resolved' ? 'Good' : m.alert.severity === 'info' ? 'Accent' : 'Attention' },
    { type: 'TextBlock', text: f.text, wrap: true },
  ];
  if (f.facts.length > 0) body.push({ type: 'FactSet', facts: f.facts.map((x) => ({ title: x.title, value: x.value })) });
  if (f.sparkline) body.push({ type: 'TextBlock', text: `Recent: ${f.sparkline}`, fontType: 'Monospace', wrap: true });
  body.push({ type: 'TextBlock', text: f.footer, isSubtle: true, size: 'Small', wrap: true });
  return {
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    type: 'AdaptiveCard',
    version: ADAPTIVE_CARD_VERSION,
    body,
    ...(f.link ? { actions: [{ type: 'Action.OpenUrl', title: 'Open the query', url: f.link }] } : {}),
  };
}

/** The incoming-webhook envelope Teams (and Workflows' "post to a channel") expects around a card. */
export function teamsMessage(m: AlertMessage): Record<string, unknown> {
  return {
    type: 'message',
    attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', contentUrl: null, content: adaptiveCard(m) }],
  };
}
