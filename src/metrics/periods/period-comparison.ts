import type { CompareMode } from '../metrics-query.js';
import type { MemberAnnotation, MetricsResult } from '../metrics-service.js';
import type { ResultRow, ResultValue } from '../result-rows.js';
import type { PriorPeriod } from './prior-period.js';

/** The keys added for each measure `m`, in this order. */
export const COMPARISON_SUFFIXES = ['previous', 'change', 'percentChange'] as const;

const PERIOD_TITLES: Record<CompareMode, string> = {
  PREVIOUS_PERIOD: 'previous period',
  SAME_PERIOD_LAST_YEAR: 'same period last year',
};

export interface ComparisonSpec {
  readonly mode: CompareMode;
  /** The time dimension whose range is compared, `view.member`. */
  readonly dimension: string;
  readonly prior: PriorPeriod;
}

/**
 * Adds to each current row, for each measure `m`, `m.previous` (the prior row's value),
 * `m.change` (current − previous) and `m.percentChange` ((current − previous) / |previous|).
 * Rows meet on every dimension and on the compared time dimension's buckets mapped by
 * `prior.bucketOf`; other time dimensions meet as they are. Without a prior row, or with a null
 * on either side, change is null; percentChange is also null when previous is 0. Prior rows no
 * current row meets are left out: the answer keeps the current period's rows.
 */
export function compareRows(current: MetricsResult, previous: MetricsResult, spec: ComparisonSpec): Pick<MetricsResult, 'rows' | 'annotation'> {
  const measures = current.annotation.measures.map((m) => m.name);
  const keys = current.annotation.dimensions.map((d) => ({ name: d.name, granularity: undefined as string | undefined }));
  for (const td of current.annotation.timeDimensions) {
    const compared = td.granularity !== undefined && td.name === `${spec.dimension}.${td.granularity}`;
    keys.push({ name: td.name, granularity: compared ? td.granularity : undefined });
  }
  const rowKey = (row: ResultRow, mapped: boolean): string =>
    JSON.stringify(keys.map(({ name, granularity }) => {
      const value = row[name] ?? null;
      return mapped && granularity !== undefined && typeof value === 'string' ? spec.prior.bucketOf(value, granularity) : value;
    }));

  const prior = new Map<string, ResultRow>();
  for (const row of previous.rows) prior.set(rowKey(row, false), row);

  const rows = current.rows.map((row) => {
    const before = prior.get(rowKey(row, true));
    const out: Record<string, ResultValue> = { ...row };
    for (const m of measures) {
      const now = asNumber(row[m]);
      const then = before ? asNumber(before[m]) : null;
      const change = now === null || then === null ? null : now - then;
      out[`${m}.previous`] = then;
      out[`${m}.change`] = change;
      out[`${m}.percentChange`] = change === null || then === null || then === 0 ? null : change / Math.abs(then);
    }
    return Object.freeze(out);
  });

  const period = PERIOD_TITLES[spec.mode];
  const extra = (m: MemberAnnotation): MemberAnnotation[] => [
    m,
    Object.freeze({ ...m, name: `${m.name}.previous`, title: `${m.title} (${period})`, shortTitle: `${m.shortTitle} (${period})` }),
    Object.freeze({ ...m, name: `${m.name}.change`, title: `${m.title} change vs ${period}`, shortTitle: `${m.shortTitle} change` }),
    Object.freeze({
      ...m, name: `${m.name}.percentChange`, title: `${m.title} % change vs ${period}`, shortTitle: `${m.shortTitle} % change`,
      type: 'number', format: 'percent', currency: undefined,
    }),
  ];
  return {
    rows: Object.freeze(rows),
    annotation: Object.freeze({ ...current.annotation, measures: Object.freeze(current.annotation.measures.flatMap(extra)) }),
  };
}

function asNumber(v: ResultValue | undefined): number | null {
  return typeof v === 'number' ? v : null;
}
