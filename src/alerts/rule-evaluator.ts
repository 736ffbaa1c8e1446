import type { AlertRule, RuleKind } from './alert-rules.js';
import type { EvaluationContext } from './evaluation-context.js';
import { evaluateAnomaly, evaluateThreshold } from './kpi-evaluators.js';
import type { Observation } from './observation.js';
import { evaluateDataQuality, evaluateFreshness, evaluatePipelineFailure } from './ops-evaluators.js';

type Evaluators = { [K in RuleKind]: (ctx: EvaluationContext, rule: Extract<AlertRule, { kind: K }>) => Promise<Observation[]> };

/** One evaluator per rule kind: a new kind fails compilation until it has one. */
const EVALUATORS: Evaluators = {
  anomaly: evaluateAnomaly,
  threshold: evaluateThreshold,
  freshness: evaluateFreshness,
  pipeline_failure: evaluatePipelineFailure,
  data_quality: evaluateDataQuality,
};

export function evaluateRule(ctx: EvaluationContext, rule: AlertRule): Promise<Observation[]> {
  return (EVALUATORS[rule.kind] as (c: EvaluationContext, r: AlertRule) => Promise<Observation[]>)(ctx, rule);
}
