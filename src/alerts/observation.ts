/**
 * What evaluating a rule says about one series at one moment: firing or not, and the numbers
 * behind it. Every series a rule looked at comes back, firing or not, so an open alert whose
 * series is healthy again can be resolved.
 */
export interface Observation {
  /** The series within the rule (a channel, a source, a test); null for a rule with one series. */
  readonly series: string | null;
  readonly firing: boolean;
  readonly title: string;
  readonly summary: string;
  readonly value: number | null;
  readonly expectedLow: number | null;
  readonly expectedHigh: number | null;
  /** The period judged (local ISO start), for KPI rules. */
  readonly period?: string | undefined;
  /** Recent values, oldest first, for the sparkline. */
  readonly recent?: readonly number[] | undefined;
  /** Where to look: the query in the web page, for KPI rules. */
  readonly link?: string | undefined;
  /** The KPI's title and format, for KPI rules. */
  readonly kpi?: { readonly name: string; readonly title: string; readonly currency?: string | undefined } | undefined;
}
