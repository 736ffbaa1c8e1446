import { Authorized, Extensions, type AuthCheckerFn } from 'type-graphql';
import type { Capability } from '../auth/index.js';
import type { GraphqlContext } from './context.js';
import { forbidden } from './errors.js';

/** Field extension naming the capability a root field needs; the schema test requires it on every one. */
export const CAPABILITY_EXTENSION = 'capability';

/**
 * Declares the capability (src/auth: `metrics`, `customers`, `validateCustomer`) a root field
 * needs. Every root field carries one, so access is a decision written next to the field, never
 * a default; which roles hold a capability is src/auth's business (built-in roles and the access
 * file). Member-level visibility inside a query is the engine's (it gets the `SecurityContext`).
 */
export function Requires(capability: Capability): MethodDecorator {
  const authorized = Authorized<Capability>(capability);
  const extension = Extensions({ [CAPABILITY_EXTENSION]: capability });
  return (target, propertyKey, descriptor) => {
    authorized(target, propertyKey, descriptor);
    extension(target, propertyKey, descriptor);
  };
}

/** Throws rather than returning false so the client sees `FORBIDDEN`, not type-graphql's own code. */
export const capabilityAuthChecker: AuthCheckerFn<GraphqlContext, Capability> = ({ context, info }, capabilities) => {
  if (capabilities.every((c) => context.security.capabilities.has(c))) return true;
  throw forbidden(`Role "${context.security.role}" may not query ${info.parentType.name}.${info.fieldName}`);
};
