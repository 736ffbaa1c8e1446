import type { AlertMessage } from '../alert-record.js';
import { formatChange, formatValue, sparkline } from '../format-value.js';

/** The lines every channel shows, in one place so Slack and Teams say the same thing. */
export interface AlertFacts {
  readonly heading: string;
  readonly text: string;
  readonly facts: readonly { readonly title: string; readonly value: string }[];
  readonly sparkline: string | undefined;
  readonly footer: string;
  readonly link: string | undefined;
}

const ICON = { critical: '🔴', warning: '🟠', info: '🔵' } as const;
/** Longest summary a message carries: Teams refuses messages over ~28 KB, Slack sections over 3,000 characters. */
export const MAX_MESSAGE_TEXT = 2_000;
const clip = (s: string, n: number) => (s.length <= n ? s : `${s.slice(0, n - 1)}…`);

export function alertFacts(m: AlertMessage): AlertFacts {
  const a = m.alert;
  const resolved = m.event === 'resolved';
  const facts: { title: string; value: string }[] = [];
  if (m.kpiTitle) facts.push({ title: 'KPI', value: m.kpiTitle });
  if (a.value !== null) facts.push({ title: 'Actual', value: formatValue(a.value, m.currency) });
  if (a.expectedLow !== null || a.expectedHigh !== null) {
    facts.push({ title: a.expectedLow !== null && a.expectedHigh !== null ? 'Expected range' : 'Limit', value: [a.expectedLow, a.expectedHigh].filter((v) => v !== null).map((v) => formatValue(v, m.currency)).join(' – ') });
  }
  const expected = a.expectedLow !== null && a.expectedHigh !== null ? (a.expectedLow + a.expectedHigh) / 2 : null;
  const change = m.kpiTitle ? formatChange(a.value, expected) : undefined;
  if (change) facts.push({ title: 'Change vs expected', value: change });
  if (a.series !== null) facts.push({ title: 'Series', value: clip(a.series, 200) });
  return {
    heading: clip(`${resolved ? '✅ Resolved: ' : `${ICON[a.severity]} `}${a.title}`, 300),
    text: clip(a.summary, MAX_MESSAGE_TEXT),
    facts,
    sparkline: m.recent && m.recent.length > 1 ? sparkline(m.recent) : undefined,
    footer: `rule ${a.rule} · ${a.kind} · ${a.severity} · fired ${a.firedAt}${a.resolvedAt ? ` · resolved ${a.resolvedAt}` : ''}`,
    link: a.link ?? undefined,
  };
}
