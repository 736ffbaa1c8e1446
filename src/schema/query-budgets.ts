/**
 * What one GraphQL operation may ask for, checked before it runs (query-cost-plugin.ts).
 *
 * - `maxCost`: cost units, roughly result cells. A field costs 1; a `metrics` field adds the
 *   rows it asks for (`limit`, else the engine's default of 10,000) times its columns
 *   (measures + dimensions + two per time dimension with a granularity) when `rows` is
 *   selected. Aliases count every time: 300 aliased `metrics` fields cost 300 times one.
 * - `maxDepth`: nesting of selections; GraphiQL's introspection query is 15 deep.
 * - `maxFields`: field selections in the operation after fragments are expanded (the
 *   introspection query has 227).
 */
export interface QueryBudget {
  readonly maxCost: number;
  readonly maxDepth: number;
  readonly maxFields: number;
}

/** Budgets by role name, with `default` for any role not listed. */
export type QueryBudgets = Readonly<Record<string, QueryBudget>> & { readonly default: QueryBudget };

export const DEFAULT_MAX_DEPTH = 20;
export const DEFAULT_MAX_FIELDS = 1_000;

/**
 * Keyed by role name, not by the `Role` type: roles are being reworked, and a role this table does
 * not know falls back to `default` rather than failing compilation or start-up.
 * 500,000 cells is ten full 50,000-row answers of one column, about 25 MB of JSON; the smallest
 * budget, 100,000, still takes one query at the engine's default of 10,000 rows with ten columns.
 */
export const DEFAULT_QUERY_BUDGETS: QueryBudgets = Object.freeze({
  admin: Object.freeze({ maxCost: 1_000_000, maxDepth: DEFAULT_MAX_DEPTH, maxFields: DEFAULT_MAX_FIELDS }),
  analyst: Object.freeze({ maxCost: 500_000, maxDepth: DEFAULT_MAX_DEPTH, maxFields: DEFAULT_MAX_FIELDS }),
  app: Object.freeze({ maxCost: 250_000, maxDepth: DEFAULT_MAX_DEPTH, maxFields: DEFAULT_MAX_FIELDS }),
  pos: Object.freeze({ maxCost: 100_000, maxDepth: DEFAULT_MAX_DEPTH, maxFields: 500 }),
  default: Object.freeze({ maxCost: 100_000, maxDepth: DEFAULT_MAX_DEPTH, maxFields: 500 }),
});

export function budgetFor(role: string, budgets: QueryBudgets = DEFAULT_QUERY_BUDGETS): QueryBudget {
  return Object.hasOwn(budgets, role) ? (budgets[role] as QueryBudget) : budgets.default;
}
