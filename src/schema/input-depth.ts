import type { FastifyReply, FastifyRequest } from 'fastify';
import { GraphQLError } from 'graphql';
import { ERROR_CODES } from './errors.js';

/** Depth of a parsed JSON value, counted without recursion; stops once past `max`. */
export function jsonDepth(value: unknown, max: number): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop() as [unknown, number];
    if (typeof v !== 'object' || v === null) continue;
    const d = depth + 1;
    if (d > deepest) deepest = d;
    if (deepest > max) return deepest;
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, d]);
  }
  return deepest;
}

/** Depth of brackets in JSON text, outside strings; for a GET's `variables` before anyone parses it. */
export function jsonTextDepth(text: string, max: number): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > deepest && (deepest = depth) > max) return deepest;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return deepest;
}

/**
 * A Fastify `preHandler` refusing, with HTTP 400 and `BAD_USER_INPUT`, a request whose JSON
 * nests deeper than `max`, before the GraphQL server walks it.
 */
export function inputDepthGuard(max: number) {
  return async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const query = req.query as Record<string, unknown> | undefined;
    const depth = Math.max(
      req.body === undefined ? 0 : jsonDepth(req.body, max),
      typeof query?.variables === 'string' ? jsonTextDepth(query.variables, max) : 0,
      typeof query?.extensions === 'string' ? jsonTextDepth(query.extensions, max) : 0,
    );
    if (depth <= max) return;
    const error = new GraphQLError(`The request nests more than ${max} levels deep`, {
      extensions: { code: ERROR_CODES.BAD_USER_INPUT, reason: 'INVALID_QUERY' },
    });
    await reply.code(400).header('content-type', 'application/json; charset=utf-8').send({ errors: [error.toJSON()] });
  };
}
