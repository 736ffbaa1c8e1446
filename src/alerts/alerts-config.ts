import { z } from 'zod';
import type { ChannelKind } from './alert-rules.js';

/**
 * The alerts' piece of the environment, composed into src/config.ts (the only reader of
 * `process.env`). Webhook URLs are credentials: they are kept here and handed to the channels,
 * never logged or shown (`describeAlerts` names channels only).
 */
const emptyToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const webhookUrl = (example: string) => z.preprocess(emptyToUndefined, z.url({ protocol: /^https?$/, message: `expected an http(s) webhook URL, e.g. ${example}` }).optional());

export const alertsEnvSchema = z.object({
  /** YAML rules (see README "Alerts"); unset: the default rules when a webhook is set. */
  FAROL_ALERTS_FILE: z.preprocess(emptyToUndefined, z.string().trim().optional()),
  SLACK_WEBHOOK_URL: webhookUrl('https://hooks.slack.com/services/T…/B…/…'),
  TEAMS_WEBHOOK_URL: webhookUrl('https://<tenant>.webhook.office.com/webhookb2/…'),
  /** The address links in messages point at (the web page); defaults to FAROL_PUBLIC_URL. */
  FAROL_ALERTS_LINK_BASE: z.preprocess(emptyToUndefined, z.url({ protocol: /^https?$/ }).optional()),
});
export type AlertsEnv = z.infer<typeof alertsEnvSchema>;

export interface AlertsConfig {
  readonly rulesFile: string | undefined;
  readonly webhooks: Readonly<Partial<Record<ChannelKind, string>>>;
  readonly linkBase: string | undefined;
}

export function alertsConfigFrom(e: AlertsEnv, publicUrl: string | undefined): AlertsConfig {
  return {
    rulesFile: e.FAROL_ALERTS_FILE,
    webhooks: { ...(e.SLACK_WEBHOOK_URL ? { slack: e.SLACK_WEBHOOK_URL } : {}), ...(e.TEAMS_WEBHOOK_URL ? { teams: e.TEAMS_WEBHOOK_URL } : {}) },
    linkBase: (e.FAROL_ALERTS_LINK_BASE ?? publicUrl)?.replace(/\/+$/, ''),
  };
}

/** For the banner: which channels and rules, never a URL. */
export function describeAlerts(c: AlertsConfig): string {
  const channels = Object.keys(c.webhooks);
  if (channels.length === 0) return c.rulesFile ? `rules from ${c.rulesFile}, recorded only (set SLACK_WEBHOOK_URL or TEAMS_WEBHOOK_URL to send)` : 'off (set SLACK_WEBHOOK_URL or TEAMS_WEBHOOK_URL)';
  return `${c.rulesFile ? `rules from ${c.rulesFile}` : 'default rules'} → ${channels.join(', ')}`;
}
