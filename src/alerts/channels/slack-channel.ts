import { IncomingWebhook, type IncomingWebhookSendArguments } from '@slack/webhook';
import type { AlertMessage } from '../alert-record.js';
import { DeliveryError, retryableStatus, type AlertChannel } from './alert-channel.js';
import { slackMessage } from './slack-message.js';

/** One attempt may take this long; the delivery worker retries later with back-off. */
export const WEBHOOK_TIMEOUT_MS = 10_000;

/**
 * Slack through its official incoming-webhook client. The client's own retries are off: the
 * delivery worker retries from the warehouse, so a retry survives a restart. Errors never carry
 * the webhook URL (it is the credential).
 */
export class SlackChannel implements AlertChannel {
  readonly kind = 'slack' as const;
  readonly #webhook: IncomingWebhook;

  constructor(url: string, timeoutMs = WEBHOOK_TIMEOUT_MS) {
    this.#webhook = new IncomingWebhook(url, { timeout: timeoutMs, retryConfig: { retries: 0 } });
  }

  render(message: AlertMessage): unknown {
    return slackMessage(message);
  }

  async send(payload: unknown): Promise<void> {
    try {
      await this.#webhook.send(payload as IncomingWebhookSendArguments);
    } catch (err) {
      const e = err as { statusCode?: number; body?: string; original?: Error; code?: string };
      if (typeof e.statusCode === 'number') {
        throw new DeliveryError(`Slack answered ${e.statusCode}${e.body ? `: ${String(e.body).slice(0, 200)}` : ''}`, retryableStatus(e.statusCode));
      }
      throw new DeliveryError(`Slack could not be reached: ${e.original?.message ?? (err as Error).message}`, true);
    }
  }
}
