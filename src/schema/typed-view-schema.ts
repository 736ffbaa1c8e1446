import {
  GraphQLBoolean, GraphQLEnumType, GraphQLFloat, GraphQLInputObjectType, GraphQLInt, GraphQLList, GraphQLNonNull,
  GraphQLObjectType, GraphQLSchema, GraphQLString, isEnumType, isObjectType,
  type GraphQLFieldConfig, type GraphQLFieldConfigMap, type GraphQLInputFieldConfigMap, type GraphQLNamedType, type GraphQLOutputType,
} from 'graphql';
import type { ModelView } from '../metrics/model-views.js';
import { CAPABILITY_EXTENSION } from './authorization.js';
import type { GraphqlContext } from './context.js';
import { ROW_LIST_EXTENSION, TYPED_VIEW_EXTENSION } from './query-cost.js';
import { filterKindOf, sharedTypedTypes, type SharedTypedTypes } from './typed-view-filters.js';
import { typedView, type TypedMember, type TypedView } from './typed-view-model.js';
import { TYPED_VIEW_CAPABILITY, typedViewResolver } from './typed-view-resolver.js';
import type { TypedViewArgs } from './typed-view-query.js';
import { COMPARISON_FIELD, ROWS_FIELD } from './typed-view-selection.js';

/**
 * Adds one typed root field per view of the model to the type-graphql schema, e.g.
 * `sales(where: SalesWhere, orderBy: [SalesOrderBy!], segments, limit, offset, timezone, renewQuery): SalesResult!`
 * with `SalesResult.rows: [SalesRow!]!` holding one field per member. The result is one schema:
 * the same plugins (cost, errors) and the same context serve both parts. Built programmatically
 * with graphql-js at start-up from the compiled model, so a model change is an API change
 * without code changes (and a diff of the committed SDL).
 */
export function withTypedViews(base: GraphQLSchema, views: readonly ModelView[]): GraphQLSchema {
  if (views.length === 0) return base;
  const query = base.getQueryType();
  if (!query) throw new Error('typed GraphQL schema: the base schema has no Query type');
  const config = base.toConfig();
  const queryConfig = query.toConfig();
  const existing = {
    direction: enumType(base, 'OrderDirection'), servedFrom: enumType(base, 'ServedFrom'), sql: objectType(base, 'CompiledSql'), compare: enumType(base, 'MetricsCompare'),
  };
  const shared = sharedTypedTypes();
  const taken = new Set(Object.keys(queryConfig.fields));
  const fields: GraphQLFieldConfigMap<unknown, GraphqlContext> = {};
  const types: GraphQLNamedType[] = [shared.timeValue, shared.measureComparison, ...Object.values(shared.filters)];
  for (const view of views) {
    const typed = typedView(view, taken);
    taken.add(typed.field);
    const built = buildView(typed, shared, existing);
    fields[typed.field] = built.field;
    types.push(...built.types);
  }
  const names = new Set(config.types.map((t) => t.name));
  for (const t of types) {
    if (names.has(t.name)) throw new Error(`typed GraphQL schema: type ${t.name} already exists in the schema; rename the view or the type`);
    names.add(t.name);
  }
  const typedQuery = new GraphQLObjectType({ ...queryConfig, fields: { ...queryConfig.fields, ...fields } });
  return new GraphQLSchema({ ...config, query: typedQuery, types: [...config.types.filter((t) => t !== query), ...types] });
}

interface ExistingTypes {
  readonly compare: GraphQLEnumType;
  readonly direction: GraphQLEnumType;
  readonly servedFrom: GraphQLEnumType;
  readonly sql: GraphQLObjectType;
}

function buildView(view: TypedView, shared: SharedTypedTypes, existing: ExistingTypes): { field: GraphQLFieldConfig<unknown, GraphqlContext, TypedViewArgs>; types: GraphQLNamedType[] } {
  const p = view.typePrefix;
  const title = view.view.title;
  const measures = view.members.filter((m) => m.kind === 'measure');
  const dimensions = view.members.filter((m) => m.kind === 'dimension');

  if (view.byField.has(COMPARISON_FIELD)) throw new Error(`typed GraphQL schema: ${view.view.name} has a member named ${COMPARISON_FIELD}, which the row type reserves`);
  const comparison =
    measures.length > 0
      ? new GraphQLObjectType({
          name: `${p}Comparison`,
          description: `The measures of a row of ${title} against the prior period chosen by \`compare\`. Selecting a measure here also selects it.`,
          fields: Object.fromEntries(measures.map((m) => [m.field, { type: shared.measureComparison, description: m.source.shortTitle }])),
        })
      : undefined;
  const row = new GraphQLObjectType({
    name: `${p}Row`,
    description: `One row of ${title}: the measures for one combination of the dimensions selected. Selecting a field adds it to the query.`,
    fields: {
      ...Object.fromEntries(view.members.map((m) => [m.field, { type: outputType(m, shared), description: describe(m) }])),
      ...(comparison
        ? { [COMPARISON_FIELD]: { type: comparison, description: 'The measures against the prior period; null unless the query passes `compare`.' } }
        : {}),
    },
  });
  const memberEnum = (name: string, of: readonly TypedMember[], what: string) =>
    new GraphQLEnumType({
      name,
      description: `The ${what} of ${title}, for orderBy.`,
      values: Object.fromEntries(of.map((m) => [m.enumValue, { value: m.member, description: m.source.shortTitle }])),
    });
  const measureEnum = measures.length > 0 ? memberEnum(`${p}Measure`, measures, 'measures') : undefined;
  const dimensionEnum = dimensions.length > 0 ? memberEnum(`${p}Dimension`, dimensions, 'dimensions') : undefined;
  const segmentEnum =
    view.segments.length > 0
      ? new GraphQLEnumType({
          name: `${p}Segment`,
          description: `Predefined filters of ${title}.`,
          values: Object.fromEntries(view.segments.map((s) => [s.enumValue, { value: s.member, description: s.source.description ?? s.source.title }])),
        })
      : undefined;

  const orderFields: GraphQLInputFieldConfigMap = {};
  if (measureEnum) orderFields['measure'] = { type: measureEnum };
  if (dimensionEnum) orderFields['dimension'] = { type: dimensionEnum, description: 'A time dimension orders by the granularity selected.' };
  orderFields['direction'] = { type: new GraphQLNonNull(existing.direction), defaultValue: 'asc' };
  const orderBy = new GraphQLInputObjectType({
    name: `${p}OrderBy`,
    description: 'One sort key: exactly one of measure or dimension. The member must also be selected under rows.',
    fields: orderFields,
  });

  const where: GraphQLInputObjectType = new GraphQLInputObjectType({
    name: `${p}Where`,
    description: `Conditions on ${title}; every condition given applies (AND). Groups nest at most 10 levels.`,
    fields: () => ({
      ...Object.fromEntries(view.members.map((m) => [m.field, { type: shared.filters[filterKindOf(m.valueKind)], description: m.source.shortTitle }])),
      AND: { type: new GraphQLList(new GraphQLNonNull(where)), description: 'All of these.' },
      OR: { type: new GraphQLList(new GraphQLNonNull(where)), description: 'Any of these.' },
    }),
  });

  const result = new GraphQLObjectType({
    name: `${p}Result`,
    description: `${title}: rows and where they came from.`,
    fields: {
      [ROWS_FIELD]: { type: nonNullList(row), extensions: { [ROW_LIST_EXTENSION]: true } },
      dataVersion: { type: new GraphQLNonNull(GraphQLInt), description: 'Version of the data the rows were computed from; changes when gold is refreshed.' },
      cached: { type: new GraphQLNonNull(GraphQLBoolean), description: 'True when served from the result cache.' },
      servedFrom: { type: new GraphQLNonNull(existing.servedFrom), description: 'Where the rows came from.' },
      refreshedAt: { type: GraphQLString, description: 'When gold at `dataVersion` was published (ISO 8601 instant); null before the first refresh.' },
      sql: { type: existing.sql, description: 'The SQL that computed the rows; null unless the role may see it (`metricsSql`).' },
    },
  });

  const field: GraphQLFieldConfig<unknown, GraphqlContext, TypedViewArgs> = {
    type: new GraphQLNonNull(result),
    description: `${view.view.description?.trim() ?? title} (Typed view over \`${view.view.name}\`; the same engine, access and cache as \`metrics\`.)`,
    args: {
      where: { type: where },
      orderBy: { type: new GraphQLList(new GraphQLNonNull(orderBy)), description: 'Without it: the first time dimension ascending, else the first measure descending.' },
      ...(segmentEnum ? { segments: { type: new GraphQLList(new GraphQLNonNull(segmentEnum)) } } : {}),
      limit: { type: GraphQLInt, description: 'Rows to return, 1 to 50,000; 10,000 when omitted.' },
      offset: { type: GraphQLInt },
      timezone: { type: GraphQLString, description: 'IANA time zone for time dimensions and date filters; the server default when omitted.' },
      renewQuery: { type: GraphQLBoolean, description: 'Bypass cached results.' },
      ...(comparison
        ? {
            compare: {
              type: existing.compare,
              description:
                'Period-over-period: the range is the one time member with `inDateRange` in `where` (at its top level); each row\'s `comparison` then holds its measures in the prior period.',
            },
          }
        : {}),
    },
    resolve: typedViewResolver(view),
    extensions: { [CAPABILITY_EXTENSION]: TYPED_VIEW_CAPABILITY, [TYPED_VIEW_EXTENSION]: view.view.name },
  };
  const types: GraphQLNamedType[] = [row, result, where, orderBy];
  if (comparison) types.push(comparison);
  for (const e of [measureEnum, dimensionEnum, segmentEnum]) if (e) types.push(e);
  return { field, types };
}

function outputType(m: TypedMember, shared: SharedTypedTypes): GraphQLOutputType {
  switch (m.valueKind) {
    case 'int':
      return GraphQLInt;
    case 'float':
      return GraphQLFloat;
    case 'boolean':
      return GraphQLBoolean;
    case 'string':
      return GraphQLString;
    case 'time':
      return new GraphQLNonNull(shared.timeValue);
    default: {
      const _: never = m.valueKind;
      return _;
    }
  }
}

function describe(m: TypedMember): string {
  const s = m.source;
  const format = s.format ? ` Format: ${s.format}${s.currency ? ` (${s.currency})` : ''}.` : '';
  const pii = s.pii ? ' Personal data: masked for roles without PII access.' : '';
  return `${s.shortTitle}: ${(s.description ?? '').trim() || s.shortTitle}${format}${pii} Member \`${s.name}\`.`;
}

function nonNullList<T extends GraphQLObjectType>(t: T) {
  return new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(t)));
}

function enumType(schema: GraphQLSchema, name: string): GraphQLEnumType {
  const t = schema.getType(name);
  if (!isEnumType(t)) throw new Error(`typed GraphQL schema: the base schema has no enum ${name}`);
  return t;
}

function objectType(schema: GraphQLSchema, name: string): GraphQLObjectType {
  const t = schema.getType(name);
  if (!isObjectType(t)) throw new Error(`typed GraphQL schema: the base schema has no type ${name}`);
  return t;
}
