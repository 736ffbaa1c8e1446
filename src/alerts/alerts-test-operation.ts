import { z } from 'zod';
import { BUILT_IN_ROLES, createSecurityContext } from '../auth/index.js';
import type { MetricsService } from '../metrics/metrics-service.js';
import type { SqlExecutor } from '../warehouse/warehouse.js';
import type { AlertRule } from './alert-rules.js';
import { replayRule, type ReplayEvent } from './rule-replay.js';

/** Days `farol alerts test` replays without `--from`. */
export const DEFAULT_REPLAY_DAYS = 7;
/** Longest range one replay covers. */
export const MAX_REPLAY_DAYS = 400;
const DAY_MS = 86_400_000;

const isoDate = z.string().max(40).refine((v) => !Number.isNaN(Date.parse(v)), 'expected a date such as 2025-01-01');
export const alertsTestRequestSchema = z.object({
  rule: z.string().min(1).max(80),
  from: isoDate.optional(),
  to: isoDate.optional(),
});
export type AlertsTestRequest = z.infer<typeof alertsTestRequestSchema>;

export interface AlertsTestDeps {
  readonly rules: readonly AlertRule[];
  readonly metrics: MetricsService;
  readonly warehouse: SqlExecutor;
  readonly timezone: string;
  readonly linkBase?: string | undefined;
}

/** A caller's mistake in `farol alerts test` (exit 2). */
export class AlertsTestUsageError extends Error {}

export interface AlertsTestReport {
  readonly rule: string;
  readonly kind: string;
  readonly from: string;
  readonly to: string;
  readonly events: readonly ReplayEvent[];
}

/** Replays one rule over history: what it would have sent, and when. Nothing is stored or sent. */
export async function alertsTestOperation(deps: AlertsTestDeps, req: AlertsTestRequest, now = new Date()): Promise<AlertsTestReport> {
  const rule = deps.rules.find((r) => r.name === req.rule);
  if (!rule) throw new AlertsTestUsageError(`unknown alert rule "${req.rule}"; rules: ${deps.rules.map((r) => r.name).join(', ') || '(none: set FAROL_ALERTS_FILE or a webhook for the defaults)'}`);
  const to = req.to ? new Date(req.to) : now;
  const from = req.from ? new Date(req.from) : new Date(to.getTime() - DEFAULT_REPLAY_DAYS * DAY_MS);
  if (from >= to) throw new AlertsTestUsageError(`--from (${from.toISOString()}) must be before --to (${to.toISOString()})`);
  if (to.getTime() - from.getTime() > MAX_REPLAY_DAYS * DAY_MS) throw new AlertsTestUsageError(`replay at most ${MAX_REPLAY_DAYS} days at a time`);
  const security = createSecurityContext(BUILT_IN_ROLES.admin as NonNullable<(typeof BUILT_IN_ROLES)['admin']>, { credential: 'api-key', subject: 'farol-alerts' });
  const events = await replayRule({ warehouse: deps.warehouse, metrics: deps.metrics, security, timezone: deps.timezone, linkBase: deps.linkBase }, rule, from, to);
  return { rule: rule.name, kind: rule.kind, from: from.toISOString(), to: to.toISOString(), events };
}

/** The report as a person reads it: one block per message that would have gone out. */
export function formatAlertsTestReport(r: AlertsTestReport): string {
  const head = `rule ${r.rule} (${r.kind}), ${r.from} → ${r.to}: ${r.events.filter((e) => e.event === 'firing').length} alert(s) would have fired\n`;
  return head + r.events.map((e) => `\n${e.at}  ${e.event === 'firing' ? 'FIRING  ' : 'RESOLVED'}  ${e.title}\n  ${e.summary}\n`).join('');
}
