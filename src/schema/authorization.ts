import { Authorized, Extensions, type AuthCheckerFn } from 'type-graphql';
import type { Role } from '../config.js';
import type { GraphqlContext } from './context.js';
import { forbidden } from './errors.js';

/** Field extension listing the roles allowed to call a root field; the schema test requires it on every one. */
export const ROLES_EXTENSION = 'roles';

/**
 * Declares which roles may call a root field. Every `@Query` carries one, so access is a
 * decision written next to the field, never a default. Member-level visibility inside a query
 * is the engine's business (it gets the role in `SecurityContext`).
 */
export function AllowRoles(...roles: [Role, ...Role[]]): MethodDecorator {
  const authorized = Authorized<Role>(...roles);
  const extension = Extensions({ [ROLES_EXTENSION]: Object.freeze([...roles]) });
  return (target, propertyKey, descriptor) => {
    authorized(target, propertyKey, descriptor);
    extension(target, propertyKey, descriptor);
  };
}

/** Throws rather than returning false so the client sees `FORBIDDEN`, not type-graphql's own code. */
export const roleAuthChecker: AuthCheckerFn<GraphqlContext, Role> = ({ context, info }, roles) => {
  if (roles.includes(context.security.role)) return true;
  throw forbidden(`Role "${context.security.role}" may not query ${info.parentType.name}.${info.fieldName}`);
};
