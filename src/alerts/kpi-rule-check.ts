import type { SecurityContext } from '../auth/index.js';
import type { MetricsService } from '../metrics/metrics-service.js';
import type { AlertRules } from './alert-rules.js';

/**
 * Problems with the KPI members of anomaly and threshold rules against the compiled model, each
 * naming the rule and field: a measure that is not one, a time dimension that is not of type
 * time, members of different views. Checked once at start-up so a typo fails there, not every
 * minute in the log.
 */
export async function kpiRuleProblems(rules: AlertRules, metrics: MetricsService, security: SecurityContext): Promise<string[]> {
  const members = new Map<string, { kind: string; type: string }>();
  for (const view of await metrics.catalog(security)) {
    for (const m of view.measures) members.set(m.name, { kind: 'measure', type: m.type });
    for (const d of view.dimensions) members.set(d.name, { kind: 'dimension', type: d.type });
  }
  const problems: string[] = [];
  for (const r of rules.rules) {
    if (r.kind !== 'anomaly' && r.kind !== 'threshold') continue;
    const view = r.measure.split('.')[0];
    const check = (field: string, name: string, want: 'measure' | 'time' | 'dimension') => {
      const m = members.get(name);
      if (!m) problems.push(`rule "${r.name}", field ${field}: "${name}" is not a member of any public view`);
      else if (want === 'measure' && m.kind !== 'measure') problems.push(`rule "${r.name}", field ${field}: "${name}" is not a measure`);
      else if (want === 'time' && (m.kind !== 'dimension' || m.type !== 'time')) problems.push(`rule "${r.name}", field ${field}: "${name}" is not a time dimension`);
      else if (want === 'dimension' && (m.kind !== 'dimension' || m.type === 'time')) problems.push(`rule "${r.name}", field ${field}: "${name}" is not a dimension (time dimensions go in timeDimension)`);
      else if (name.split('.')[0] !== view) problems.push(`rule "${r.name}", field ${field}: "${name}" is not in the view "${view}" of the measure; a query reads one view`);
    };
    check('measure', r.measure, 'measure');
    check('timeDimension', r.timeDimension, 'time');
    if (r.dimension) check('dimension', r.dimension, 'dimension');
  }
  return problems;
}
