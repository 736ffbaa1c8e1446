/**
 * What the alerts module reports per delivery attempt's outcome, injected through its options:
 * the composition root passes `FarolMetrics`. `channel` is the channel kind (`slack`, `teams`),
 * never a webhook URL, which is a secret and would also make a series per URL.
 */
export interface AlertDeliveryObserver {
  alertSent(channel: string): void;
  alertFailed(channel: string): void;
}
