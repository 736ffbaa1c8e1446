import type { AlertMessage } from '../alert-record.js';
import type { ChannelKind } from '../alert-rules.js';

/**
 * Where notifications go. `render` builds the body once, when the event happens (it is stored
 * with the delivery); `send` posts a stored body and throws `DeliveryError` saying whether a
 * later attempt could succeed.
 */
export interface AlertChannel {
  readonly kind: ChannelKind;
  render(message: AlertMessage): unknown;
  send(payload: unknown): Promise<void>;
}

export class DeliveryError extends Error {
  constructor(
    message: string,
    /** False when the receiver refused the message itself (400, 403, 404): retrying cannot help. */
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}

/** 408, 429 and 5xx are the receiver's trouble and pass; other 4xx are about this message or URL. */
export function retryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}
