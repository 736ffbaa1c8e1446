import type { FastifyRequest } from 'fastify';
import type { SecurityContext } from '../metrics/metrics-service.js';
import { bearerToken, type ApiKeyAuthenticator } from './api-key-auth.js';
import { unauthenticated } from './errors.js';
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
  authenticator: ApiKeyAuthenticator,
  services: GraphqlServices,
  maxResponseBytes: number,
): (request: FastifyRequest) => Promise<GraphqlContext> {
  return async (request) => {
    const key = bearerToken(request.headers.authorization);
    if (key === undefined) throw unauthenticated('An API key is required: send "Authorization: Bearer <key>"');
    const security = authenticator.verify(key);
    if (security === undefined) throw unauthenticated('The API key is not valid');
    return { security, services, loaders: new RequestLoaders(services, security), responseBudget: new ResponseBudget(maxResponseBytes) };
  };
}
