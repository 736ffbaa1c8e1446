import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance } from 'fastify';

export const REQUEST_ID_HEADER = 'x-request-id';

/** What a caller-supplied id may look like: short, printable, no spaces (it goes into every log line of the request). */
const ACCEPTED_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Fastify's `genReqId`: a caller's (or proxy's) `x-request-id` is kept when it is well formed, so
 * one id follows a request across services; otherwise a new UUID. A malformed id is replaced, not
 * refused: it is a log correlation aid, and a log line must not carry arbitrary client text.
 */
export function requestIdFor(req: IncomingMessage): string {
  const given = req.headers[REQUEST_ID_HEADER];
  return typeof given === 'string' && ACCEPTED_ID.test(given) ? given : randomUUID();
}

/** Sends the request's id back in `x-request-id`, so a caller can quote it when reporting a problem. */
export function echoRequestId(app: FastifyInstance): void {
  app.addHook('onRequest', async (request, reply) => {
    reply.header(REQUEST_ID_HEADER, request.id);
  });
}
