import { isUtf8 } from 'node:buffer';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { errorText } from '../../shared/error-text.js';
import { zodReason } from '../../shared/zod-reason.js';
import { HOOK_TOKEN_HEADER, hookTokenMatches } from './hook-token.js';
import type { OrderHookReceiver } from './order-hook-receiver.js';
import { hookPingSchema, orderNotificationSchema } from './vtex-hook-payload.js';

export const ORDER_HOOK_PATH = '/webhooks/vtex/orders';
/** VTEX notifications are a few hundred bytes; anything near this is not one. */
export const HOOK_BODY_LIMIT_BYTES = 64 * 1024;

export interface OrderHookRouteOptions {
  readonly receiver: OrderHookReceiver;
  readonly hookToken: string;
  readonly logger: Logger;
  /**
   * Called with the seconds from the request's arrival to its acknowledgement (the notification
   * durable), for a latency histogram; VTEX gives up after 5 s. Must not throw.
   */
  readonly onAcknowledged?: (seconds: number) => void;
}

/**
 * `POST /webhooks/vtex/orders`. Answers the ping; 401 without the shared token; 400 with the
 * reason for a body that is not a notification (the body is quarantined); 200 only once the
 * notification is durable in bronze with its fetch enqueued; 503 if either write failed, so VTEX
 * retries rather than dropping a body nobody kept. VTEX wants every answer within 5 s; a durable
 * write takes milliseconds.
 *
 * Reasons name fields and rules, never the values sent: a body may carry a shopper's data, and
 * answers and logs are not where it belongs (the quarantine keeps the body itself).
 */
export async function registerOrderHookRoute(app: FastifyInstance, opts: OrderHookRouteOptions): Promise<void> {
  await app.register(async (scope) => {
    // The raw bytes are what bronze keeps, and garbage must reach our own validation, not a parser's 415.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: HOOK_BODY_LIMIT_BYTES }, (_req, body, done) => done(null, body));

    scope.post(ORDER_HOOK_PATH, async (req, reply) => {
      if (!hookTokenMatches(req.headers[HOOK_TOKEN_HEADER], opts.hookToken)) {
        req.log.warn({ ip: req.ip }, 'order hook call without a valid hook token');
        return reply.code(401).send({ error: `missing or invalid ${HOOK_TOKEN_HEADER} header` });
      }
      const bytes = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const raw = bytes.toString('utf8');
      // JSON is UTF-8, but a sender's bug is no reason to lose what it sent: a body that is not
      // valid UTF-8 is read as text with U+FFFD where bytes do not decode, and bronze also keeps
      // the bytes themselves.
      const exact = isUtf8(bytes) ? undefined : bytes.toString('base64');
      const refuse = async (reason: string) => {
        try {
          await opts.receiver.reject(raw, reason);
        } catch (err) {
          req.log.error({ err: errorText(err), reason }, 'could not quarantine a rejected hook body');
          return reply.code(503).send({ error: 'body not stored; retry' });
        }
        return reply.code(400).send({ error: reason });
      };
      let body: unknown;
      try {
        body = JSON.parse(raw);
      } catch {
        // JSON.parse's message quotes the text it choked on; the reason must not.
        return refuse(`body is not JSON (${Buffer.byteLength(raw)} bytes)`);
      }
      // A notification first: a body that names an order is stored even if it also says ping.
      const parsed = orderNotificationSchema.safeParse(body);
      if (!parsed.success) {
        if (hookPingSchema.safeParse(body).success) return reply.code(200).send({ ok: true, ping: true });
        return refuse(`not a VTEX order notification: ${zodReason(parsed.error)}`);
      }
      try {
        await opts.receiver.accept(parsed.data, raw, exact);
      } catch (err) {
        req.log.error({ err: errorText(err) }, 'could not persist an order notification');
        return reply.code(503).send({ error: 'notification not stored; retry' });
      }
      opts.onAcknowledged?.(reply.elapsedTime / 1000);
      return reply.code(200).send({ ok: true });
    });
  });
}
