import type { SourceKind } from '../ingest/sources/source-kind.js';
import { DEFAULT_FRESHNESS_SLA_SECONDS } from '../pipeline/freshness-sla.js';
import { alertRuleSchema, type AlertRule, type AlertRules } from './alert-rules.js';

/**
 * The rules in force when a webhook is set and no rules file is: pipeline failure, data
 * quality, freshness for each source this deployment runs (and that has an SLA), and revenue
 * anomalies by hour and by day. Parsed through the same schema as a file, so defaults fill in.
 */
export function defaultRules(configuredSources: readonly SourceKind[]): AlertRules {
  const raw: unknown[] = [
    { name: 'pipeline-failure', kind: 'pipeline_failure', severity: 'critical' },
    { name: 'data-quality', kind: 'data_quality', severity: 'warning' },
    ...configuredSources
      .filter((s) => DEFAULT_FRESHNESS_SLA_SECONDS[s] !== undefined)
      .map((source) => ({ name: `freshness-${source}`, kind: 'freshness', source, severity: 'critical' })),
    { name: 'revenue-hourly', kind: 'anomaly', measure: 'sales.revenue', timeDimension: 'sales.order_date', grain: 'hour', direction: 'drop', severity: 'critical', sensitivity: 5 },
    { name: 'revenue-daily', kind: 'anomaly', measure: 'sales.revenue', timeDimension: 'sales.order_date', grain: 'day', direction: 'both', severity: 'warning' },
  ];
  return { routes: {}, rules: raw.map((r): AlertRule => alertRuleSchema.parse(r)) };
}
