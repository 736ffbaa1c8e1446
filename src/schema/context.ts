import type { FastifyRequest } from 'fastify';
import { AuthError, type Authenticator, type SecurityContext } from '../auth/index.js';
import { forbidden, unauthenticated } from './errors.js';
import { RequestLoaders, type GraphqlServices } from './request-loaders.js';
import { ResponseBudget } from './response-budget.js';

/**
 * What every resolver receives. It only exists for an authenticated caller: context creation
 * throws `UNAUTHENTICATED` (HTTP 401) before parsing or execution, so no resolver can run
 * without a `security`.
 */
export interface GraphqlContext {
  readonly security: SecurityContext;
  readonly services: GraphqlServices;
  readonly loaders: RequestLoaders;
  /** Bytes of rows this response may still carry; metrics answers are charged as they resolve. */
  readonly responseBudget: ResponseBudget;
}

export function createContextFactory(
  authenticator: Authenticator,
  services: GraphqlServices,
  maxResponseBytes: number,
): (request: FastifyRequest) => Promise<GraphqlContext> {
  return async (request) => {
    let security: SecurityContext;
    try {
      security = await authenticator.authenticate(request.headers.authorization);
    } catch (err) {
      if (err instanceof AuthError) throw err.code === 'FORBIDDEN' ? forbidden(err.message, 403) : unauthenticated(err.message);
      throw err;
    }
    return { security, services, loaders: new RequestLoaders(services, security), responseBudget: new ResponseBudget(maxResponseBytes) };
  };
}
