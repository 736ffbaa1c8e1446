/**
 * The alert history with acknowledge and silence (the alerts GraphQL). On a server without those
 * fields the panel says alerts are not available; a role without `alerts` sees it may not, and a
 * role without `alertsManage` gets the server's refusal when it tries to act.
 */
import { ApiError, explain, graphql } from './api-client.js';
import { el, table, when } from './dom.js';
import { parts } from './operations-panels.js';

interface Alert {
  readonly id: string; readonly rule: string; readonly kind: string; readonly severity: string; readonly series: string | null; readonly state: 'FIRING' | 'RESOLVED';
  readonly title: string; readonly summary: string; readonly value: number | null; readonly expectedLow: number | null; readonly expectedHigh: number | null;
  readonly firedAt: string; readonly resolvedAt: string | null; readonly acknowledgedAt: string | null; readonly acknowledgedBy: string | null; readonly link: string | null;
}

const ALERTS = `{ alerts(limit: 50) { id rule kind severity series state title summary value expectedLow expectedHigh firedAt resolvedAt acknowledgedAt acknowledgedBy link } }`;
const ACKNOWLEDGE = 'mutation Ack($id: ID!) { acknowledgeAlert(id: $id) { id acknowledgedAt acknowledgedBy } }';
const SILENCE = 'mutation Silence($rule: String!, $series: String, $minutes: Int!, $reason: String) { silence(rule: $rule, series: $series, minutes: $minutes, reason: $reason) { id until } }';
/** How long the Silence button silences; the server bounds it too. */
const SILENCE_MINUTES = 60;

export async function loadAlerts(panel: HTMLElement): Promise<void> {
  const { status, body } = parts(panel);
  let alerts: Alert[];
  try {
    alerts = (await graphql<{ alerts: Alert[] }>(ALERTS)).alerts;
  } catch (err) {
    body.replaceChildren();
    status.textContent = explain(err, 'alerts');
    return;
  }
  const act = async (what: string, verb: string, run: () => Promise<unknown>) => {
    try {
      await run();
      await loadAlerts(panel);
      status.textContent = `${what}.`;
    } catch (err) {
      status.textContent = err instanceof ApiError && err.code === 'FORBIDDEN' ? `Your role may not ${verb}.` : explain(err, verb);
    }
  };
  status.textContent = `${alerts.filter((a) => a.state === 'FIRING').length} firing, ${alerts.length} in the history shown.`;
  body.replaceChildren(
    table(
      ['state', 'severity', 'alert', 'value', 'expected', 'fired', 'resolved', 'acknowledged', ''],
      alerts.map((a) => {
        const ack = el('button', { type: 'button', class: 'ack' }, 'Acknowledge');
        ack.disabled = a.acknowledgedAt !== null;
        ack.addEventListener('click', () => void act('Acknowledged', 'acknowledge alerts', () => graphql(ACKNOWLEDGE, { id: a.id })));
        const silence = el('button', { type: 'button', class: 'silence' }, `Silence ${SILENCE_MINUTES} min`);
        silence.addEventListener('click', () => void act('Silenced', 'silence alerts', () => graphql(SILENCE, { rule: a.rule, series: a.series, minutes: SILENCE_MINUTES, reason: 'silenced from the page' })));
        return [
          el('span', { class: a.state === 'FIRING' ? 'bad' : 'good' }, a.state), a.severity,
          el('div', {}, el('strong', {}, a.title), el('div', { class: 'muted' }, a.summary), a.link && /^https?:\/\//.test(a.link) ? el('a', { href: a.link, rel: 'noopener noreferrer' }, 'query') : null),
          a.value ?? '—', a.expectedLow === null && a.expectedHigh === null ? '—' : `${a.expectedLow ?? '…'} – ${a.expectedHigh ?? '…'}`,
          when(a.firedAt), when(a.resolvedAt), a.acknowledgedAt ? `${when(a.acknowledgedAt)} by ${a.acknowledgedBy ?? '?'}` : '—',
          el('div', {}, ack, silence),
        ];
      }),
    ),
  );
}
