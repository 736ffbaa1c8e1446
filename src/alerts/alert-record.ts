import type { RuleKind, Severity } from './alert-rules.js';

export type AlertState = 'FIRING' | 'RESOLVED';
export type AlertEvent = 'firing' | 'resolved';

/** One alert as ops.alerts keeps it and the API shows it. */
export interface AlertRecord {
  readonly id: string;
  readonly rule: string;
  readonly kind: RuleKind;
  readonly severity: Severity;
  readonly series: string | null;
  readonly state: AlertState;
  readonly title: string;
  readonly summary: string;
  readonly value: number | null;
  readonly expectedLow: number | null;
  readonly expectedHigh: number | null;
  readonly period: string | null;
  readonly link: string | null;
  readonly firedAt: string;
  readonly resolvedAt: string | null;
  readonly acknowledgedAt: string | null;
  readonly acknowledgedBy: string | null;
  readonly notified: boolean;
}

export interface SilenceRecord {
  readonly id: string;
  readonly rule: string;
  readonly series: string | null;
  readonly until: string;
  readonly reason: string | null;
  readonly createdBy: string;
}

/** What a notification shows beyond the record: numbers for the message body. */
export interface AlertMessage {
  readonly alert: AlertRecord;
  readonly event: AlertEvent;
  readonly kpiTitle?: string | undefined;
  readonly currency?: string | undefined;
  readonly recent?: readonly number[] | undefined;
}
