export { registerGraphql, GRAPHQL_PATH, DEFAULT_INTROSPECTION, type GraphqlDeps } from './register-graphql.js';
export { buildGraphqlSchema } from './build-schema.js';
export type { GraphqlContext } from './context.js';
export type { GraphqlServices } from './request-loaders.js';
