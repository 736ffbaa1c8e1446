import type { Warehouse } from '../warehouse/warehouse.js';
import type { AlertMessage, AlertRecord } from './alert-record.js';
import type { AlertRule } from './alert-rules.js';
import { activeSilences, enqueueDelivery, insertAlert, lastNotifiedAt, openAlerts, refreshAlert, resolveAlert } from './alert-store.js';
import type { AlertChannel } from './channels/alert-channel.js';
import type { Observation } from './observation.js';

export interface ApplyResult {
  readonly fired: readonly AlertRecord[];
  readonly resolved: readonly AlertRecord[];
}

/**
 * Turns a rule's observations into alerts and notifications, in one transaction, so an event
 * and its deliveries are stored together or not at all. The dedup key is (rule, series): while
 * an alert for it is open, more firing observations update its numbers and send nothing; the
 * first healthy observation resolves it and sends one "resolved" message, only if the firing
 * one was sent. A new firing is stored but not notified while a silence covers it or within the
 * rule's cooldown after the key last notified.
 */
export async function applyObservations(
  warehouse: Warehouse, rule: AlertRule, observations: readonly Observation[], channels: readonly AlertChannel[], now: Date,
): Promise<ApplyResult> {
  return warehouse.transaction(async (tx) => {
    const open = new Map((await openAlerts(tx, rule.name)).map((a) => [a.series ?? '', a]));
    const silences = await activeSilences(tx, now, rule.name);
    const notifiedAt = await lastNotifiedAt(tx, rule.name);
    const fired: AlertRecord[] = [];
    const resolved: AlertRecord[] = [];
    const enqueue = async (message: AlertMessage) => {
      for (const c of channels) await enqueueDelivery(tx, message.alert.id, message.event, c.kind, c.render(message), now);
    };
    for (const o of observations) {
      const key = o.series ?? '';
      const current = open.get(key);
      const extra = { kpiTitle: o.kpi?.title, currency: o.kpi?.currency, recent: o.recent };
      if (o.firing && !current) {
        const silenced = silences.some((s) => s.series === null || s.series === o.series);
        const last = notifiedAt.get(key);
        const cooling = last !== undefined && now.getTime() - last < rule.cooldownMinutes * 60_000;
        const notified = !silenced && !cooling && channels.length > 0;
        const alert = await insertAlert(tx, {
          rule: rule.name, kind: rule.kind, severity: rule.severity, series: o.series, title: o.title, summary: o.summary,
          value: o.value, expectedLow: o.expectedLow, expectedHigh: o.expectedHigh, period: o.period ?? null, link: o.link ?? null, notified,
        }, now);
        if (notified) await enqueue({ alert, event: 'firing', ...extra });
        fired.push(alert);
      } else if (o.firing && current) {
        await refreshAlert(tx, current.id, { summary: o.summary, value: o.value, expectedLow: o.expectedLow, expectedHigh: o.expectedHigh, period: o.period ?? null }, now);
      } else if (!o.firing && current) {
        await resolveAlert(tx, current.id, o.summary, now);
        const alert: AlertRecord = {
          ...current, state: 'RESOLVED', resolvedAt: now.toISOString(), summary: o.summary, value: o.value, expectedLow: o.expectedLow, expectedHigh: o.expectedHigh,
          title: `${current.title}`,
        };
        if (current.notified) await enqueue({ alert, event: 'resolved', ...extra });
        resolved.push(alert);
      }
    }
    return { fired, resolved };
  });
}
