// Must run before any decorated class is evaluated: type-graphql reads reflect metadata at
// decoration time, so this import stays first in the schema's entry module.
import 'reflect-metadata';
import type { GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { capabilityAuthChecker } from './authorization.js';
import { CatalogResolver } from './catalog-resolver.js';
import { CustomerResolver } from './customer-resolver.js';
import { MetricsResolver } from './metrics-resolver.js';
import { PosResolver } from './pos-resolver.js';

/** The executable schema. Pure: no services, no server; resolvers reach services through the context. */
export function buildGraphqlSchema(): Promise<GraphQLSchema> {
  return buildSchema({
    resolvers: [MetricsResolver, CatalogResolver, CustomerResolver, PosResolver],
    authChecker: capabilityAuthChecker,
    // Input is validated by the engine's zod schema at the boundary, not by class-validator.
    validate: false,
  });
}
