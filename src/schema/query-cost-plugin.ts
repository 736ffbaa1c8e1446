import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphqlContext } from './context.js';
import { queryTooExpensive, type BudgetMeasure } from './errors.js';
import { budgetFor, type QueryBudget, type QueryBudgets } from './query-budgets.js';
import { measureOperation } from './query-cost.js';

const MEASURES: Record<keyof QueryBudget, BudgetMeasure> = { maxCost: 'cost', maxDepth: 'depth', maxFields: 'fields' };

/**
 * Refuses an operation over its caller's budget (`query-budgets.ts`) once it is parsed,
 * validated and its variables are known, and before any resolver runs. The refusal is
 * `QUERY_TOO_EXPENSIVE` with the measure, the value reached and the limit.
 */
export function queryCostPlugin(budgets: QueryBudgets): ApolloServerPlugin<GraphqlContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue, document, operation, request, schema }) {
          if (!operation) return;
          const role = contextValue.security.role;
          const budget = budgetFor(role, budgets);
          const fragments = Object.fromEntries(
            document.definitions.flatMap((d) => (d.kind === 'FragmentDefinition' ? [[d.name.value, d]] : [])),
          );
          const measured = measureOperation(schema, operation, fragments, request.variables ?? {}, budget);
          if (!measured.exceeded) return;
          const measure = MEASURES[measured.exceeded];
          const value = measure === 'cost' ? measured.cost : measure === 'depth' ? measured.depth : measured.fields;
          throw queryTooExpensive(measure, value, budget[measured.exceeded], role);
        },
      };
    },
  };
}
