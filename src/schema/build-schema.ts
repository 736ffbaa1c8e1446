// Must run before any decorated class is evaluated: type-graphql reads reflect metadata at
// decoration time, so this import stays first in the schema's entry module.
import 'reflect-metadata';
import type { GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import type { ModelView } from '../metrics/model-views.js';
import { AlertsResolver } from './alerts-resolver.js';
import { capabilityAuthChecker } from './authorization.js';
import { CatalogResolver } from './catalog-resolver.js';
import { CustomerResolver } from './customer-resolver.js';
import { MetricsResolver } from './metrics-resolver.js';
import { OperationsResolver } from './operations-resolver.js';
import { PosResolver } from './pos-resolver.js';
import { withTypedViews } from './typed-view-schema.js';

/**
 * The executable schema. Pure: no services, no server; resolvers reach services through the
 * context. `views` (the model's public views) adds one typed field per view beside `metrics`;
 * without them the schema has only the hand-written fields.
 */
export async function buildGraphqlSchema(views: readonly ModelView[] = []): Promise<GraphQLSchema> {
  const base = await buildSchema({
    resolvers: [MetricsResolver, CatalogResolver, CustomerResolver, PosResolver, OperationsResolver, AlertsResolver],
    authChecker: capabilityAuthChecker,
    // Input is validated by the engine's zod schema at the boundary, not by class-validator.
    validate: false,
  });
  return withTypedViews(base, views);
}
