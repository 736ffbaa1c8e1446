import { request } from 'undici';
import type { AlertMessage } from '../alert-record.js';
import { DeliveryError, retryableStatus, type AlertChannel } from './alert-channel.js';
import { WEBHOOK_TIMEOUT_MS } from './slack-channel.js';
import { teamsMessage } from './teams-card.js';

/** Microsoft Teams through an incoming webhook (or a Workflows webhook): an Adaptive Card in a message. */
export class TeamsChannel implements AlertChannel {
  readonly kind = 'teams' as const;

  constructor(
    private readonly url: string,
    private readonly timeoutMs = WEBHOOK_TIMEOUT_MS,
  ) {}

  render(message: AlertMessage): unknown {
    return teamsMessage(message);
  }

  async send(payload: unknown): Promise<void> {
    let status: number;
    let body: string;
    try {
      const res = await request(this.url, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload),
        headersTimeout: this.timeoutMs, bodyTimeout: this.timeoutMs,
      });
      status = res.statusCode;
      body = await res.body.text();
    } catch (err) {
      // undici's messages name the host at most, never the path that holds the webhook's secret.
      throw new DeliveryError(`Teams could not be reached: ${(err as Error).message}`, true);
    }
    if (status < 200 || status >= 300) throw new DeliveryError(`Teams answered ${status}${body ? `: ${body.slice(0, 200)}` : ''}`, retryableStatus(status));
  }
}
