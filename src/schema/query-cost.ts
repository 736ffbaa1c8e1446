import {
  getNamedType, isInterfaceType, isObjectType, Kind, valueFromASTUntyped, type FieldNode, type FragmentDefinitionNode,
  type GraphQLNamedType, type GraphQLSchema, type OperationDefinitionNode, type SelectionSetNode,
} from 'graphql';
import { DEFAULT_PAGE_SIZE, MAX_ORDER_PAGE_SIZE, MAX_PAGE_SIZE } from '../customers/index.js';
import { DEFAULT_ROW_LIMIT, MAX_ROW_LIMIT } from '../metrics/metrics-query.js';
import { COMPARISON_SUFFIXES } from '../metrics/periods/period-comparison.js';
import { DEFAULT_ALERTS_LIMIT, MAX_ALERTS_LIMIT } from './alerts-api.js';
import type { QueryBudget } from './query-budgets.js';

/** The root field that runs a warehouse query, its input argument and the list it answers with. */
const METRICS_FIELD = 'metrics';
const METRICS_ARGUMENT = 'query';
const ROWS_TYPE = 'MetricsResult';
const ROWS_FIELD = 'rows';

/**
 * Field extensions the typed view fields carry (typed-view-schema.ts), so their cost is read
 * from the schema rather than from a list of names: a root field with `TYPED_VIEW_EXTENSION`
 * asks for `limit` rows (the engine's default without one), and a field with
 * `ROW_LIST_EXTENSION` returns its selection once per row, like a connection's page.
 */
export const TYPED_VIEW_EXTENSION = 'typedView';
export const ROW_LIST_EXTENSION = 'rowList';
/**
 * A root list with a `limit` argument (`runs`, `dataTests`) carries `{ defaultSize, maxSize }`
 * under this extension: its selection costs once per item it may return.
 */
export const LIST_LIMIT_EXTENSION = 'listLimit';
export interface ListLimit {
  readonly defaultSize: number;
  readonly maxSize: number;
}

export interface OperationMeasure {
  readonly cost: number;
  readonly depth: number;
  readonly fields: number;
  /** Set when a limit was passed and the walk stopped there; the other figures are then lower bounds. */
  readonly exceeded?: keyof QueryBudget | undefined;
}

interface Walk {
  readonly schema: GraphQLSchema;
  readonly fragments: Readonly<Record<string, FragmentDefinitionNode>>;
  readonly variables: Readonly<Record<string, unknown>>;
  readonly budget: QueryBudget;
  cost: number;
  depth: number;
  fields: number;
  exceeded: keyof QueryBudget | undefined;
}

/**
 * Cost, depth and field count of one operation (see `QueryBudget` for what each means), from the
 * validated document and its variables, before anything runs. The walk stops as soon as a limit
 * of `budget` is passed, so measuring stays cheap even for a document built to explode when its
 * fragments are expanded.
 */
export function measureOperation(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: Readonly<Record<string, FragmentDefinitionNode>>,
  variables: Readonly<Record<string, unknown>>,
  budget: QueryBudget,
): OperationMeasure {
  const walk: Walk = { schema, fragments, variables, budget, cost: 0, depth: 0, fields: 0, exceeded: undefined };
  const root = schema.getRootType(operation.operation) ?? undefined;
  selectionCost(walk, operation.selectionSet, root, 1, 0);
  return { cost: walk.cost, depth: walk.depth, fields: walk.fields, exceeded: walk.exceeded };
}

/** Adds the cost of a selection set to `walk.cost`; `rows` is what a `rows` field below would cost. */
function selectionCost(walk: Walk, set: SelectionSetNode, parent: GraphQLNamedType | undefined, depth: number, rows: number): void {
  for (const selection of set.selections) {
    if (walk.exceeded) return;
    switch (selection.kind) {
      case Kind.FIELD:
        fieldCost(walk, selection, parent, depth, rows);
        break;
      case Kind.INLINE_FRAGMENT: {
        const type = selection.typeCondition ? walk.schema.getType(selection.typeCondition.name.value) : parent;
        selectionCost(walk, selection.selectionSet, type ?? undefined, depth, rows);
        break;
      }
      case Kind.FRAGMENT_SPREAD: {
        const fragment = walk.fragments[selection.name.value];
        if (fragment) selectionCost(walk, fragment.selectionSet, walk.schema.getType(fragment.typeCondition.name.value), depth, rows);
        break;
      }
    }
  }
}

function fieldCost(walk: Walk, field: FieldNode, parent: GraphQLNamedType | undefined, depth: number, rows: number): void {
  walk.fields += 1;
  walk.depth = Math.max(walk.depth, depth);
  const name = field.name.value;
  let cost = 1;
  let childRows = rows;
  const extensions = fieldExtensions(parent, name);
  if (parent?.name === ROWS_TYPE && name === ROWS_FIELD) cost = Math.max(1, rows);
  else if (parent === walk.schema.getQueryType() && name === METRICS_FIELD) childRows = metricsCells(walk, field);
  else if (parent === walk.schema.getQueryType() && extensions?.[TYPED_VIEW_EXTENSION] !== undefined) childRows = rowLimit(limitArgument(walk, field));
  walk.cost += cost;
  if (walk.fields > walk.budget.maxFields) walk.exceeded = 'maxFields';
  else if (walk.depth > walk.budget.maxDepth) walk.exceeded = 'maxDepth';
  else if (walk.cost > walk.budget.maxCost) walk.exceeded = 'maxCost';
  if (walk.exceeded || !field.selectionSet) return;
  const before = walk.cost;
  selectionCost(walk, field.selectionSet, childType(walk.schema, parent, name), depth + 1, childRows);
  // A page of a connection returns its selection once per node: `customers(first: 500)` with
  // `orderHistory(first: 100)` below costs 500 × 100 order selections.
  const listLimit = extensions?.[LIST_LIMIT_EXTENSION] as ListLimit | undefined;
  const page = extensions?.[ROW_LIST_EXTENSION] === true ? Math.max(1, rows) : listLimit ? limitedListPage(walk, field, listLimit) : connectionPage(walk, field, parent);
  if (page > 1 && !walk.exceeded) {
    walk.cost += (walk.cost - before) * (page - 1);
    if (walk.cost > walk.budget.maxCost) walk.exceeded = 'maxCost';
  }
}

/**
 * Connections and lists and the page size they return at most: their size argument (`first`,
 * or `limit` for lists), else the default, never past the maximum.
 */
const CONNECTIONS: Readonly<Record<string, { readonly parent: string; readonly defaultSize: number; readonly maxSize: number; readonly argument?: string }>> = {
  customers: { parent: 'Query', defaultSize: DEFAULT_PAGE_SIZE, maxSize: MAX_PAGE_SIZE },
  orderHistory: { parent: 'Customer', defaultSize: DEFAULT_PAGE_SIZE, maxSize: MAX_ORDER_PAGE_SIZE },
  alerts: { parent: 'Query', defaultSize: DEFAULT_ALERTS_LIMIT, maxSize: MAX_ALERTS_LIMIT, argument: 'limit' },
};

function connectionPage(walk: Walk, field: FieldNode, parent: GraphQLNamedType | undefined): number {
  const connection = CONNECTIONS[field.name.value];
  if (!connection || parent?.name !== connection.parent) return 1;
  const arg = field.arguments?.find((a) => a.name.value === (connection.argument ?? 'first'));
  const first = arg ? valueFromASTUntyped(arg.value, walk.variables) : undefined;
  return typeof first === 'number' && Number.isFinite(first) ? Math.min(Math.max(Math.trunc(first), 1), connection.maxSize) : connection.defaultSize;
}

/** Items a `LIST_LIMIT_EXTENSION` field returns at most: its `limit` within bounds, else the default. */
function limitedListPage(walk: Walk, field: FieldNode, list: ListLimit): number {
  const limit = limitArgument(walk, field);
  return typeof limit === 'number' && Number.isFinite(limit) ? Math.min(Math.max(Math.trunc(limit), 1), list.maxSize) : list.defaultSize;
}

function fieldExtensions(parent: GraphQLNamedType | undefined, name: string): Readonly<Record<string, unknown>> | undefined {
  if (!parent || !(isObjectType(parent) || isInterfaceType(parent))) return undefined;
  return parent.getFields()[name]?.extensions;
}

function limitArgument(walk: Walk, field: FieldNode): unknown {
  const arg = field.arguments?.find((a) => a.name.value === 'limit');
  return arg ? valueFromASTUntyped(arg.value, walk.variables) : undefined;
}

/** Rows a query asks for: its `limit` within the engine's bounds, else the engine's default. */
function rowLimit(limit: unknown): number {
  return typeof limit === 'number' && Number.isFinite(limit) ? Math.min(Math.max(Math.trunc(limit), 1), MAX_ROW_LIMIT) : DEFAULT_ROW_LIMIT;
}

function childType(schema: GraphQLSchema, parent: GraphQLNamedType | undefined, name: string): GraphQLNamedType | undefined {
  if (name === '__schema') return schema.getType('__Schema') ?? undefined;
  if (name === '__type') return schema.getType('__Type') ?? undefined;
  if (!parent || !(isObjectType(parent) || isInterfaceType(parent))) return undefined;
  const def = parent.getFields()[name];
  return def ? getNamedType(def.type) : undefined;
}

/**
 * Result cells a `metrics` field asks for: rows (its `limit`, the engine's default without one,
 * never more than the engine's cap) times columns (four per measure with `compare`). A malformed input is costed as best it can be;
 * the engine refuses it later with the reason.
 */
function metricsCells(walk: Walk, field: FieldNode): number {
  const arg = field.arguments?.find((a) => a.name.value === METRICS_ARGUMENT);
  const input = arg ? valueFromASTUntyped(arg.value, walk.variables) : undefined;
  const query = typeof input === 'object' && input !== null ? (input as Record<string, unknown>) : {};
  const limit = rowLimit(query.limit);
  const count = (v: unknown) => (Array.isArray(v) ? v.length : 0);
  const timeColumns = Array.isArray(query.timeDimensions)
    ? query.timeDimensions.filter((td: unknown) => typeof td === 'object' && td !== null && (td as Record<string, unknown>).granularity != null).length * 2
    : 0;
  // `compare` answers previous, change and percent change beside each measure.
  const perMeasure = query.compare != null ? 1 + COMPARISON_SUFFIXES.length : 1;
  return limit * Math.max(1, count(query.measures) * perMeasure + count(query.dimensions) + timeColumns);
}
