import { z } from 'zod';
import { hookFilterSchema, mixedFilterConflict, type HookFilter } from './hook-config.js';

/**
 * `POST /api/orders/feed/config` bodies. The filter is the hook's (same shapes, same 409 when
 * FromWorkflow and FromOrders fields are mixed, FromOrders expressions not evaluated); without one
 * the feed takes every status, as VTEX's guide says. The OpenAPI requires `filter` and `queue`;
 * the guide leaves both optional, and so does the sandbox, with the OpenAPI's example values
 * (250 s visibility, 4 days retention) as defaults.
 */

/** The visibility timeout VTEX's OpenAPI and guide use in their examples. */
export const DEFAULT_VISIBILITY_TIMEOUT_SECONDS = 250;
/** The queue behind the feed (SQS) hides a read message for at most 12 hours. */
export const MAX_VISIBILITY_TIMEOUT_SECONDS = 43_200;
/** 4 days: the least retention VTEX accepts, and the default. */
export const MIN_RETENTION_SECONDS = 345_600;
/** 14 days. */
export const MAX_RETENTION_SECONDS = 1_209_600;

/** The statuses the OpenAPI lists as available to filter: what "every status" means by default. */
export const DOCUMENTED_FEED_STATUSES = [
  'order-created', 'on-order-completed', 'on-order-completed-ffm', 'payment-pending', 'waiting-for-order-authorization',
  'approve-payment', 'payment-approved', 'request-cancel', 'waiting-for-seller-decision', 'waiting-ffmt-authorization',
  'waiting-for-authorization', 'waiting-for-manual-authorization', 'authorize-fulfillment', 'order-create-error',
  'order-creation-error', 'window-to-cancel', 'window-to-change-seller', 'waiting-for-mkt-authorization',
  'waiting-seller-handling', 'ready-for-handling', 'start-handling', 'handling', 'invoice-after-cancellation-deny',
  'order-accepted', 'invoice', 'invoiced', 'replaced', 'cancellation-requested', 'cancel', 'canceled',
] as const;

const queueSchema = z.object({
  visibilityTimeoutInSeconds: z.number().int().min(0).max(MAX_VISIBILITY_TIMEOUT_SECONDS).default(DEFAULT_VISIBILITY_TIMEOUT_SECONDS),
  MessageRetentionPeriodInSeconds: z
    .number()
    .int()
    .min(MIN_RETENTION_SECONDS, `MessageRetentionPeriodInSeconds must be between ${MIN_RETENTION_SECONDS} and ${MAX_RETENTION_SECONDS}`)
    .max(MAX_RETENTION_SECONDS, `MessageRetentionPeriodInSeconds must be between ${MIN_RETENTION_SECONDS} and ${MAX_RETENTION_SECONDS}`)
    .default(MIN_RETENTION_SECONDS),
});

const feedConfigSchema = z.object({
  filter: hookFilterSchema.default(() => ({ type: 'FromWorkflow' as const, status: [...DOCUMENTED_FEED_STATUSES] })),
  queue: queueSchema.default(() => ({ visibilityTimeoutInSeconds: DEFAULT_VISIBILITY_TIMEOUT_SECONDS, MessageRetentionPeriodInSeconds: MIN_RETENTION_SECONDS })),
});

export type FeedConfig = z.infer<typeof feedConfigSchema>;
export type FeedQueueSettings = FeedConfig['queue'];
export type { HookFilter as FeedFilter };

export type FeedConfigParse =
  | { readonly ok: true; readonly config: FeedConfig }
  | { readonly ok: false; readonly status: 400 | 409; readonly message: string };

export function parseFeedConfig(body: unknown): FeedConfigParse {
  if (!isObject(body)) return { ok: false, status: 400, message: 'body must be a JSON object with optional "filter" and "queue"' };
  const conflict = mixedFilterConflict(body.filter);
  if (conflict !== null) return { ok: false, status: 409, message: conflict };
  const queue = normalizeQueue(body.queue);
  if (!queue.ok) return { ok: false, status: 400, message: queue.message };
  const parsed = feedConfigSchema.safeParse({ ...body, queue: queue.value });
  if (!parsed.success) {
    const message = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`).join('; ');
    return { ok: false, status: 400, message };
  }
  return { ok: true, config: parsed.data };
}

/**
 * The OpenAPI spells the retention key `MessageRetentionPeriodInSeconds`, VTEX's guide
 * `messageRetentionPeriodInSeconds`; both are read. Giving both is ambiguous and refused.
 */
function normalizeQueue(queue: unknown): { ok: true; value: unknown } | { ok: false; message: string } {
  if (!isObject(queue)) return { ok: true, value: queue };
  const { messageRetentionPeriodInSeconds: lower, ...rest } = queue;
  if (lower === undefined) return { ok: true, value: queue };
  if (rest.MessageRetentionPeriodInSeconds !== undefined) {
    return { ok: false, message: 'queue: give MessageRetentionPeriodInSeconds or messageRetentionPeriodInSeconds, not both' };
  }
  return { ok: true, value: { ...rest, MessageRetentionPeriodInSeconds: lower } };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
