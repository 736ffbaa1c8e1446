/**
 * The GraphQL API's fixed limits with their defaults, in a module of their own so configuration
 * can name them without loading the API. Budgets per role are in `query-budgets.ts`.
 */

/** Largest GraphQL response body, in bytes (UTF-16 code units of its JSON, close to bytes for this data). */
export const DEFAULT_MAX_RESPONSE_BYTES = 32 * 1024 * 1024;

/**
 * Lexical tokens one document may hold; the parser stops there. GraphiQL's introspection query
 * has about 300; a metrics query with a thousand inline filter values about 2,000.
 */
export const DEFAULT_MAX_TOKENS = 20_000;

/**
 * Nesting allowed in a request's JSON (body, or a GET's `variables`). A real metrics query nests
 * about a dozen levels (filter groups allow ten); thousands of levels are only there to make a
 * recursive parser or coercion overflow its stack.
 */
export const DEFAULT_MAX_INPUT_DEPTH = 64;
