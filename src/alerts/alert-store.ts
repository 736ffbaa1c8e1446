import { randomUUID } from 'node:crypto';
import type { SqlExecutor, SqlValue } from '../warehouse/warehouse.js';
import type { AlertEvent, AlertRecord, AlertState, SilenceRecord } from './alert-record.js';
import type { ChannelKind, RuleKind, Severity } from './alert-rules.js';

/**
 * SQL over ops.alerts, ops.alert_deliveries and ops.alert_silences; every value a parameter, ids
 * and times made here; each statement valid on DuckDB and BigQuery.
 */
const ALERT_COLUMNS = `alert_id, rule, kind, severity, series, state, title, summary, value, expected_low, expected_high, period, link,
  fired_at, resolved_at, acknowledged_at, acknowledged_by, notified`;

interface AlertRow {
  alert_id: string; rule: string; kind: string; severity: string; series: string | null; state: string; title: string; summary: string;
  value: number | null; expected_low: number | null; expected_high: number | null; period: string | null; link: string | null;
  fired_at: string; resolved_at: string | null; acknowledged_at: string | null; acknowledged_by: string | null; notified: boolean;
  [k: string]: unknown;
}

/**
 * A nullable number's place in SQL: `?`, or the literal NULL when it is null. BigQuery types a
 * NULL parameter STRING, which it will not store in a FLOAT64 column, and the two warehouses
 * share no name for a double to CAST to; a NULL literal takes the column's type on both.
 */
const numberSlot = (v: number | null): { sql: string; params: SqlValue[] } => (v === null ? { sql: 'NULL', params: [] } : { sql: '?', params: [v] });

function toRecord(r: AlertRow): AlertRecord {
  const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return {
    id: r.alert_id, rule: r.rule, kind: r.kind as RuleKind, severity: r.severity as Severity, series: r.series, state: r.state as AlertState,
    title: r.title, summary: r.summary, value: num(r.value), expectedLow: num(r.expected_low), expectedHigh: num(r.expected_high),
    period: r.period, link: r.link, firedAt: r.fired_at, resolvedAt: r.resolved_at, acknowledgedAt: r.acknowledged_at,
    acknowledgedBy: r.acknowledged_by, notified: r.notified,
  };
}

export async function openAlerts(ex: SqlExecutor, rule: string): Promise<AlertRecord[]> {
  const rows = await ex.query<AlertRow>(`SELECT ${ALERT_COLUMNS} FROM ops.alerts WHERE rule = ? AND state = 'FIRING'`, [rule]);
  return rows.map(toRecord);
}

/** When each series of a rule last notified (its resolution, or its firing while open); for cooldowns. */
export async function lastNotifiedAt(ex: SqlExecutor, rule: string): Promise<Map<string, number>> {
  // `AT` is a reserved word in BigQuery, so never an alias here.
  const rows = await ex.query<{ series: string | null; last_at: string }>(
    `SELECT series, max(coalesce(resolved_at, fired_at)) AS last_at FROM ops.alerts WHERE rule = ? AND notified GROUP BY series`, [rule]);
  return new Map(rows.map((r) => [r.series ?? '', Date.parse(r.last_at)]));
}

export type NewAlert = Omit<AlertRecord, 'id' | 'state' | 'resolvedAt' | 'acknowledgedAt' | 'acknowledgedBy' | 'firedAt'>;

export async function insertAlert(ex: SqlExecutor, a: NewAlert, now: Date): Promise<AlertRecord> {
  const id = randomUUID();
  const [value, low, high] = [numberSlot(a.value), numberSlot(a.expectedLow), numberSlot(a.expectedHigh)];
  await ex.execute(
    `INSERT INTO ops.alerts (alert_id, rule, kind, severity, series, state, title, summary, value, expected_low, expected_high, period, link,
       fired_at, notified, updated_at) VALUES (?, ?, ?, ?, ?, 'FIRING', ?, ?, ${value.sql}, ${low.sql}, ${high.sql}, ?, ?, ?, ?, ?)`,
    [id, a.rule, a.kind, a.severity, a.series, a.title, a.summary, ...value.params, ...low.params, ...high.params, a.period, a.link, now, a.notified, now],
  );
  return { ...a, id, state: 'FIRING', firedAt: now.toISOString(), resolvedAt: null, acknowledgedAt: null, acknowledgedBy: null };
}

/** Keeps an open alert's latest numbers (the message already sent is not repeated). */
export async function refreshAlert(ex: SqlExecutor, id: string, a: Pick<AlertRecord, 'summary' | 'value' | 'expectedLow' | 'expectedHigh' | 'period'>, now: Date): Promise<void> {
  const [value, low, high] = [numberSlot(a.value), numberSlot(a.expectedLow), numberSlot(a.expectedHigh)];
  await ex.execute(
    `UPDATE ops.alerts SET summary = ?, value = ${value.sql}, expected_low = ${low.sql}, expected_high = ${high.sql}, period = ?, updated_at = ? WHERE alert_id = ?`,
    [a.summary, ...value.params, ...low.params, ...high.params, a.period, now, id],
  );
}

export async function resolveAlert(ex: SqlExecutor, id: string, summary: string, now: Date): Promise<void> {
  await ex.execute(`UPDATE ops.alerts SET state = 'RESOLVED', resolved_at = ?, summary = ?, updated_at = ? WHERE alert_id = ?`, [now, summary, now, id]);
}

export async function getAlert(ex: SqlExecutor, id: string): Promise<AlertRecord | undefined> {
  const rows = await ex.query<AlertRow>(`SELECT ${ALERT_COLUMNS} FROM ops.alerts WHERE alert_id = ?`, [id]);
  return rows[0] ? toRecord(rows[0]) : undefined;
}

export async function listAlerts(ex: SqlExecutor, opts: { state?: AlertState | undefined; limit: number }): Promise<AlertRecord[]> {
  const rows = await ex.query<AlertRow>(
    `SELECT ${ALERT_COLUMNS} FROM ops.alerts WHERE (? IS NULL OR state = ?) ORDER BY fired_at DESC, alert_id LIMIT ?`,
    [opts.state ?? null, opts.state ?? null, opts.limit],
  );
  return rows.map(toRecord);
}

/** Acknowledges once: a second acknowledgement keeps the first one's time and person. */
export async function acknowledgeAlert(ex: SqlExecutor, id: string, by: string, now: Date): Promise<AlertRecord | undefined> {
  await ex.execute(`UPDATE ops.alerts SET acknowledged_at = ?, acknowledged_by = ?, updated_at = ? WHERE alert_id = ? AND acknowledged_at IS NULL`, [now, by, now, id]);
  return getAlert(ex, id);
}

export async function enqueueDelivery(ex: SqlExecutor, alertId: string, event: AlertEvent, channel: ChannelKind, payload: unknown, now: Date): Promise<void> {
  await ex.execute(
    `INSERT INTO ops.alert_deliveries (delivery_id, alert_id, event, channel, payload, status, attempts, next_attempt_at, created_at)
     VALUES (?, ?, ?, ?, ?, 'pending', 0, ?, ?)`,
    [randomUUID(), alertId, event, channel, JSON.stringify(payload), now, now],
  );
}

export interface PendingDelivery {
  readonly id: string;
  readonly alertId: string;
  readonly event: AlertEvent;
  readonly channel: ChannelKind;
  readonly payload: unknown;
  readonly attempts: number;
}

export async function dueDeliveries(ex: SqlExecutor, now: Date, limit: number): Promise<PendingDelivery[]> {
  const rows = await ex.query<{ delivery_id: string; alert_id: string; event: string; channel: string; payload: string; attempts: number }>(
    `SELECT delivery_id, alert_id, event, channel, payload, attempts FROM ops.alert_deliveries
     WHERE status = 'pending' AND next_attempt_at <= ? ORDER BY created_at, delivery_id LIMIT ?`,
    [now, limit],
  );
  return rows.map((r) => ({
    id: r.delivery_id, alertId: r.alert_id, event: r.event as AlertEvent, channel: r.channel as ChannelKind, payload: JSON.parse(r.payload) as unknown, attempts: Number(r.attempts),
  }));
}

/** The earliest time a pending delivery is due; undefined when none is pending. */
export async function nextDeliveryDue(ex: SqlExecutor): Promise<Date | undefined> {
  const rows = await ex.query<{ due_at: string | null }>(`SELECT min(next_attempt_at) AS due_at FROM ops.alert_deliveries WHERE status = 'pending'`);
  return rows[0]?.due_at ? new Date(rows[0].due_at) : undefined;
}

export async function markDelivered(ex: SqlExecutor, id: string, now: Date): Promise<void> {
  await ex.execute(`UPDATE ops.alert_deliveries SET status = 'sent', attempts = attempts + 1, sent_at = ?, last_error = NULL WHERE delivery_id = ?`, [now, id]);
}

export async function markAttemptFailed(ex: SqlExecutor, id: string, error: string, next: Date | 'never'): Promise<void> {
  const params: SqlValue[] = next === 'never' ? [error, id] : [error, next, id];
  await ex.execute(
    next === 'never'
      ? `UPDATE ops.alert_deliveries SET status = 'failed', attempts = attempts + 1, last_error = ? WHERE delivery_id = ?`
      : `UPDATE ops.alert_deliveries SET attempts = attempts + 1, last_error = ?, next_attempt_at = ? WHERE delivery_id = ?`,
    params,
  );
}

export async function activeSilences(ex: SqlExecutor, now: Date, rule?: string): Promise<SilenceRecord[]> {
  const rows = await ex.query<{ silence_id: string; rule: string; series: string | null; until: string; reason: string | null; created_by: string }>(
    `SELECT silence_id, rule, series, until, reason, created_by FROM ops.alert_silences
     WHERE until > ? AND (? IS NULL OR rule = ?) ORDER BY until DESC, silence_id`,
    [now, rule ?? null, rule ?? null],
  );
  return rows.map((r) => ({ id: r.silence_id, rule: r.rule, series: r.series, until: r.until, reason: r.reason, createdBy: r.created_by }));
}

export async function insertSilence(ex: SqlExecutor, s: Omit<SilenceRecord, 'id' | 'until'>, until: Date, now: Date): Promise<SilenceRecord> {
  const id = randomUUID();
  await ex.execute(
    `INSERT INTO ops.alert_silences (silence_id, rule, series, until, reason, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
    [id, s.rule, s.series, until, s.reason, s.createdBy, now],
  );
  return { ...s, id, until: until.toISOString() };
}
