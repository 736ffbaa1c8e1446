import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { AuthError, type Authenticator, type SecurityContext } from '../auth/index.js';
import { ClubIndexNotReadyError, type ClubMemberIndex } from '../customers/index.js';
import type { Logger } from '../observability/logger.js';

export const POS_VALIDATE_PATH = '/pos/validate';

export interface PosRouteDeps {
  readonly clubIndex: ClubMemberIndex;
  readonly authenticator: Pick<Authenticator, 'authenticate'>;
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
    let caller: SecurityContext;
    try {
      caller = await deps.authenticator.authenticate(request.headers.authorization);
    } catch (err) {
      if (!(err instanceof AuthError)) throw err;
      const status = err.code === 'UNAUTHENTICATED' ? 401 : 403;
      if (status === 401) reply.header('www-authenticate', 'Bearer');
      return reply.code(status).send({ error: err.code, message: err.message });
    }
    if (!caller.capabilities.has('validateCustomer')) {
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
