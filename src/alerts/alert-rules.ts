import { z } from 'zod';
import { isSourceKind, SOURCE_KINDS } from '../ingest/sources/source-kind.js';

/**
 * The alert rules, as the rules file (`FAROL_ALERTS_FILE`) writes them. Each rule is one
 * `kind` of the discriminated union; `rules-file.ts` parses YAML into these and names the rule
 * and field of every mistake.
 */
export const SEVERITIES = ['critical', 'warning', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];
export const CHANNEL_KINDS = ['slack', 'teams'] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];
export const GRAINS = ['hour', 'day'] as const;
export type Grain = (typeof GRAINS)[number];

/** Same weekday (and hour) over this many past weeks forms an anomaly rule's baseline. */
export const DEFAULT_BASELINE_WEEKS = 8;
/** Fewer past values than this and a period is not judged (a new store, a new channel). */
export const DEFAULT_MIN_HISTORY = 4;
/** How many scaled MADs from the median a value may stray before it is anomalous. */
export const DEFAULT_SENSITIVITY = 4;
/**
 * The band is never narrower than this share of the expected value: a series that was flat for
 * weeks has a MAD of zero, and a 1% dip would otherwise fire.
 */
export const DEFAULT_MIN_DEVIATION = 0.15;
/** A period is complete this long after it ends: orders arrive over the hook with some delay. */
export const DEFAULT_SETTLE_MINUTES = 5;
/** A key that fired and resolved does not notify again within this time. */
export const DEFAULT_COOLDOWN_MINUTES = 60;

const memberName = z.string().regex(/^[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*$/, 'expected a view member such as sales.revenue');
const sourceName = z.string().refine(isSourceKind, { message: `expected one of ${SOURCE_KINDS.join(', ')}` });

const common = {
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,79}$/, 'expected 1-80 letters, digits, "-", "_" or "." (starting with a letter or digit)'),
  severity: z.enum(SEVERITIES).default('warning'),
  /** Channels for this rule; absent: the file's `routes` for its severity, else every configured channel. */
  channels: z.array(z.enum(CHANNEL_KINDS)).max(CHANNEL_KINDS.length).optional(),
  cooldownMinutes: z.number().int().min(0).max(7 * 24 * 60).default(DEFAULT_COOLDOWN_MINUTES),
  description: z.string().max(500).optional(),
};

const kpi = {
  /** A measure of a public view, e.g. `sales.revenue`. */
  measure: memberName,
  /** The view's time dimension the grain applies to, e.g. `sales.order_date`. */
  timeDimension: memberName,
  grain: z.enum(GRAINS).default('hour'),
  /** Judge each value of this dimension as its own series (e.g. `sales.channel`). */
  dimension: memberName.optional(),
  settleMinutes: z.number().int().min(0).max(24 * 60).default(DEFAULT_SETTLE_MINUTES),
};

export const anomalyRuleSchema = z.strictObject({
  ...common,
  kind: z.literal('anomaly'),
  ...kpi,
  weeks: z.number().int().min(2).max(52).default(DEFAULT_BASELINE_WEEKS),
  minHistory: z.number().int().min(2).max(52).default(DEFAULT_MIN_HISTORY),
  sensitivity: z.number().positive().max(100).default(DEFAULT_SENSITIVITY),
  minDeviation: z.number().min(0).max(10).default(DEFAULT_MIN_DEVIATION),
  direction: z.enum(['drop', 'spike', 'both']).default('both'),
  /** Scale the baseline by how the same week of last year stood against its own weeks (Black Friday). */
  yearOverYear: z.boolean().default(true),
});

export const thresholdRuleSchema = z
  .strictObject({
    ...common,
    kind: z.literal('threshold'),
    ...kpi,
    above: z.number().finite().optional(),
    below: z.number().finite().optional(),
  })
  .refine((r) => r.above !== undefined || r.below !== undefined, { message: 'set "above", "below" or both', path: ['above'] });

export const freshnessRuleSchema = z.strictObject({
  ...common,
  kind: z.literal('freshness'),
  source: sourceName,
  /** Overrides the source's default SLA (src/pipeline/freshness-sla.ts). */
  slaSeconds: z.number().int().min(1).max(30 * 24 * 3_600).optional(),
});

export const pipelineFailureRuleSchema = z.strictObject({
  ...common,
  kind: z.literal('pipeline_failure'),
  /** Sources watched; absent: every source. */
  sources: z.array(sourceName).min(1).optional(),
});

export const dataQualityRuleSchema = z.strictObject({
  ...common,
  kind: z.literal('data_quality'),
  /** Test severities that fire; `warn` included by default. */
  severities: z.array(z.enum(['error', 'warn'])).min(1).default(['error', 'warn']),
});

export const alertRuleSchema = z.discriminatedUnion('kind', [
  anomalyRuleSchema, thresholdRuleSchema, freshnessRuleSchema, pipelineFailureRuleSchema, dataQualityRuleSchema,
]);

export type AnomalyRule = z.infer<typeof anomalyRuleSchema>;
export type ThresholdRule = z.infer<typeof thresholdRuleSchema>;
export type FreshnessRule = z.infer<typeof freshnessRuleSchema>;
export type PipelineFailureRule = z.infer<typeof pipelineFailureRuleSchema>;
export type DataQualityRule = z.infer<typeof dataQualityRuleSchema>;
export type AlertRule = z.infer<typeof alertRuleSchema>;
export type RuleKind = AlertRule['kind'];
export type KpiRule = AnomalyRule | ThresholdRule;

export const rulesFileSchema = z.strictObject({
  /** Channels by severity, for rules that name none. */
  routes: z.partialRecord(z.enum(SEVERITIES), z.array(z.enum(CHANNEL_KINDS))).optional(),
  rules: z.array(alertRuleSchema).max(500),
});

export interface AlertRules {
  readonly routes: Readonly<Partial<Record<Severity, readonly ChannelKind[]>>>;
  readonly rules: readonly AlertRule[];
}

/** Where a rule's notifications go, among the channels that are configured. */
export function channelsFor(rule: AlertRule, rules: AlertRules, configured: readonly ChannelKind[]): ChannelKind[] {
  const wanted = rule.channels ?? rules.routes[rule.severity] ?? configured;
  return wanted.filter((c) => configured.includes(c));
}
