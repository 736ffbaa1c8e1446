import type { Logger } from 'pino';
import type { SourceKind } from '../ingest/sources/source-kind.js';
import type { MetricsService } from '../metrics/metrics-service.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { BUILT_IN_ROLES, createSecurityContext, type RolePolicy } from '../auth/index.js';
import type { AlertRules } from './alert-rules.js';
import type { AlertsConfig } from './alerts-config.js';
import { AlertsService } from './alerts-service.js';
import type { AlertChannel } from './channels/alert-channel.js';
import { SlackChannel } from './channels/slack-channel.js';
import { TeamsChannel } from './channels/teams-channel.js';
import { defaultRules } from './default-rules.js';
import { kpiRuleProblems } from './kpi-rule-check.js';
import { AlertRulesError, loadRulesFile } from './rules-file.js';

/** The configured channels, Slack first. */
export function channelsFrom(config: AlertsConfig): AlertChannel[] {
  const out: AlertChannel[] = [];
  if (config.webhooks.slack) out.push(new SlackChannel(config.webhooks.slack));
  if (config.webhooks.teams) out.push(new TeamsChannel(config.webhooks.teams));
  return out;
}

/**
 * The rules in force: the rules file when set (a bad file stops start-up naming each problem);
 * else the defaults when a channel is configured; else none (history stays readable).
 */
export function rulesFrom(config: AlertsConfig, configuredSources: readonly SourceKind[]): AlertRules {
  if (config.rulesFile) return loadRulesFile(config.rulesFile);
  if (Object.keys(config.webhooks).length > 0) return defaultRules(configuredSources);
  return { routes: {}, rules: [] };
}

/** The service with its rules checked against the model: a rule naming a missing KPI stops start-up. */
export async function createAlertsService(opts: {
  config: AlertsConfig; warehouse: Warehouse; metrics: MetricsService; dataVersions: AlertsServiceDataVersions; timezone: string;
  configuredSources: readonly SourceKind[]; logger: Logger;
}): Promise<AlertsService> {
  const rules = rulesFrom(opts.config, opts.configuredSources);
  const problems = await kpiRuleProblems(rules, opts.metrics, createSecurityContext(BUILT_IN_ROLES.admin as RolePolicy, { credential: 'api-key', subject: 'farol-alerts' }));
  if (problems.length > 0) throw new AlertRulesError(opts.config.rulesFile ?? 'default rules', problems);
  return new AlertsService({
    warehouse: opts.warehouse, metrics: opts.metrics, dataVersions: opts.dataVersions, rules,
    channels: channelsFrom(opts.config), timezone: opts.timezone, linkBase: opts.config.linkBase, logger: opts.logger,
  });
}

type AlertsServiceDataVersions = { onChange(listener: () => void): () => void };
