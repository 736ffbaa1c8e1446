/**
 * What the alert resolvers need from src/alerts, typed here structurally so this face does not
 * import another face; main.ts hands in the running `AlertsService`.
 */
/** Alerts one `alerts` field returns by default and at most (query-cost.ts counts them). */
export const DEFAULT_ALERTS_LIMIT = 50;
export const MAX_ALERTS_LIMIT = 500;

export type AlertStateValue = 'FIRING' | 'RESOLVED';

export interface AlertView {
  readonly id: string;
  readonly rule: string;
  readonly kind: string;
  readonly severity: string;
  readonly series: string | null;
  readonly state: AlertStateValue;
  readonly title: string;
  readonly summary: string;
  readonly value: number | null;
  readonly expectedLow: number | null;
  readonly expectedHigh: number | null;
  readonly firedAt: string;
  readonly resolvedAt: string | null;
  readonly acknowledgedAt: string | null;
  readonly acknowledgedBy: string | null;
  readonly link: string | null;
}

export interface SilenceView {
  readonly id: string;
  readonly rule: string;
  readonly series: string | null;
  readonly until: string;
  readonly reason: string | null;
  readonly createdBy: string;
}

export interface AlertsApi {
  list(opts: { state?: AlertStateValue | undefined; limit: number }): Promise<readonly AlertView[]>;
  silences(): Promise<readonly SilenceView[]>;
  /** undefined: no alert has this id. */
  acknowledge(id: string, by: string): Promise<AlertView | undefined>;
  ruleNames(): readonly string[];
  silence(input: { rule: string; series: string | null; minutes: number; reason: string | null }, by: string): Promise<SilenceView>;
}
