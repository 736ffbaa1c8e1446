import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ClubIndexNotReadyError, type ClubMemberIndex } from '../customers/index.js';
import type { Logger } from '../observability/logger.js';

export const POS_VALIDATE_PATH = '/pos/validate';

/** Roles a till's request may come with (the same as GraphQL's `validateCustomer`). */
export const POS_ROLES: ReadonlySet<string> = new Set(['admin', 'app', 'pos']);

/** The caller of a request, from its Authorization header; `undefined` when it proves no one. */
export type Authenticate = (authorization: string | undefined) => { readonly role: string } | undefined;

export interface PosRouteDeps {
  readonly clubIndex: ClubMemberIndex;
  readonly authenticate: Authenticate;
  readonly logger: Logger;
}

const bodySchema = z.object({ document: z.string().min(1).max(64) }).strict();

/**
 * `POST /pos/validate` with `{"document": "..."}` for tills that do not speak GraphQL: the same
 * answer as `validateCustomer`, from the same in-memory index, so it never waits on the warehouse.
 * Errors are JSON `{error, message}` with the HTTP status a till's integration can branch on.
 */
export async function registerPosRoute(app: FastifyInstance, deps: PosRouteDeps): Promise<void> {
  app.post(POS_VALIDATE_PATH, { bodyLimit: 4_096 }, async (request, reply) => {
    const caller = deps.authenticate(request.headers.authorization);
    if (!caller) {
      return reply.code(401).header('www-authenticate', 'Bearer').send({ error: 'UNAUTHENTICATED', message: 'An API key is required: send "Authorization: Bearer <key>"' });
    }
    if (!POS_ROLES.has(caller.role)) {
      return reply.code(403).send({ error: 'FORBIDDEN', message: `Role "${caller.role}" may not validate customers` });
    }
    const body = bodySchema.safeParse(request.body);
    if (!body.success) {
      const issue = body.error.issues[0];
      return reply.code(400).send({ error: 'BAD_USER_INPUT', message: `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'expected {"document": "<CPF or CNPJ>"}'}` });
    }
    try {
      return deps.clubIndex.validate(body.data.document);
    } catch (err) {
      if (err instanceof ClubIndexNotReadyError) return reply.code(503).header('retry-after', '1').send({ error: 'SERVICE_UNAVAILABLE', message: err.message });
      throw err;
    }
  });
}
