/**
 * The RFM segment of gold.customer_360, as data: the SQL that assigns it and the table in the
 * README are both generated from `RFM_SEGMENT_RULES`, and a test compares the README with
 * `rfmRuleTableMarkdown()`, so the documented rule and the computed one cannot drift apart.
 *
 * Recency is `days_since_last_order` (business days since the last sale, as of `refreshed_on`),
 * frequency is `orders` (sales ever). Monetary value is left out on purpose: a BRL threshold is
 * store-specific, and `ltv` is in the table for whoever wants to rank by it.
 */
export interface RfmSegmentRule {
  readonly segment: string;
  /** Inclusive bounds on `orders`; absent means unbounded. */
  readonly minOrders?: number;
  readonly maxOrders?: number;
  /** Inclusive upper bound on `days_since_last_order`; absent means any recency. */
  readonly maxDaysSinceLastOrder?: number;
  readonly meaning: string;
}

/** Evaluated top to bottom; the first rule a customer satisfies is their segment. Every customer matches one. */
export const RFM_SEGMENT_RULES: readonly RfmSegmentRule[] = [
  { segment: 'prospect', minOrders: 0, maxOrders: 0, meaning: 'known to a source, no sale yet' },
  { segment: 'champions', minOrders: 4, maxDaysSinceLastOrder: 90, meaning: 'buy often and bought recently' },
  { segment: 'new', minOrders: 1, maxOrders: 1, maxDaysSinceLastOrder: 90, meaning: 'first sale in the last 90 days' },
  { segment: 'loyal', minOrders: 2, maxDaysSinceLastOrder: 180, meaning: 'came back, and bought in the last 180 days' },
  { segment: 'at_risk', minOrders: 2, maxDaysSinceLastOrder: 365, meaning: 'came back before, quiet for 6 to 12 months' },
  { segment: 'hibernating', minOrders: 1, maxDaysSinceLastOrder: 365, meaning: 'one sale, 3 to 12 months ago' },
  { segment: 'lost', minOrders: 1, meaning: 'no sale in the last 365 days' },
];

export const RFM_SEGMENTS: readonly string[] = RFM_SEGMENT_RULES.map((r) => r.segment);

function conditions(rule: RfmSegmentRule, orders: string, days: string): string[] {
  const out: string[] = [];
  if (rule.minOrders !== undefined) out.push(`${orders} >= ${rule.minOrders}`);
  if (rule.maxOrders !== undefined) out.push(`${orders} <= ${rule.maxOrders}`);
  if (rule.maxDaysSinceLastOrder !== undefined) out.push(`${days} <= ${rule.maxDaysSinceLastOrder}`);
  return out;
}

/** A SQL CASE giving the segment from SQL expressions for `orders` and `days_since_last_order`. */
export function rfmSegmentSql(orders: string, daysSinceLastOrder: string): string {
  const whens = RFM_SEGMENT_RULES.map((rule) => {
    const c = conditions(rule, orders, daysSinceLastOrder);
    return `WHEN ${c.length > 0 ? c.join(' AND ') : 'true'} THEN '${rule.segment}'`;
  });
  return `CASE ${whens.join(' ')} END`;
}

/** The rule table as the README shows it. */
export function rfmRuleTableMarkdown(): string {
  const bound = (min: number | undefined, max: number | undefined) =>
    min === undefined && max === undefined ? 'any' : min === max ? `${min}` : max === undefined ? `≥ ${min}` : min === undefined ? `≤ ${max}` : `${min}–${max}`;
  const lines = [
    '| order | segment | orders (sales) | days since last sale | meaning |',
    '|---|---|---|---|---|',
    ...RFM_SEGMENT_RULES.map((r, i) =>
      `| ${i + 1} | \`${r.segment}\` | ${bound(r.minOrders, r.maxOrders)} | ${r.maxDaysSinceLastOrder === undefined ? 'any' : `≤ ${r.maxDaysSinceLastOrder}`} | ${r.meaning} |`,
    ),
  ];
  return lines.join('\n');
}
