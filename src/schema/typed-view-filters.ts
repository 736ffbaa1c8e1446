import {
  GraphQLBoolean, GraphQLFloat, GraphQLInputObjectType, GraphQLList, GraphQLNonNull, GraphQLObjectType, GraphQLString,
  type GraphQLInputFieldConfigMap, type GraphQLInputType,
} from 'graphql';
import { GRANULARITIES, type FILTER_OPERATORS, type MetricsFilter } from '../metrics/metrics-query.js';
import type { TypedValueKind } from './typed-view-model.js';

/**
 * The filter input types every typed view shares, one per kind of value, and how each of their
 * operators becomes a Cube filter. Several operators in one filter object all apply (AND).
 */

type FilterKind = 'string' | 'number' | 'boolean' | 'time';

/** How one operator field of a filter input becomes Cube filters on `member`. */
type OperatorRule = (member: string, value: unknown) => MetricsFilter;

interface OperatorSpec {
  readonly type: GraphQLInputType;
  readonly description: string;
  readonly rule: OperatorRule;
}

const list = <T extends GraphQLInputType>(t: T) => new GraphQLList(new GraphQLNonNull(t));

/** A list operator: `values` as given (numbers as decimal strings, which is how Cube takes them). */
type CubeOperator = (typeof FILTER_OPERATORS)[number];

const values = (operator: CubeOperator): OperatorRule =>
  (member, value) => ({ member, operator, values: (value as readonly unknown[]).map(String) });
const one = (operator: CubeOperator): OperatorRule => (member, value) => ({ member, operator, values: [String(value)] });
const set: OperatorRule = (member, value) => ({ member, operator: value === true ? 'set' : 'notSet' });

const SET: OperatorSpec = { type: GraphQLBoolean, description: 'true: has a value; false: is empty (null).', rule: set };

const TEXT_OPERATORS: Record<string, OperatorSpec> = {
  equals: { type: list(GraphQLString), description: 'Equal to any of these.', rule: values('equals') },
  in: { type: list(GraphQLString), description: 'Same as equals.', rule: values('equals') },
  notEquals: { type: list(GraphQLString), description: 'Equal to none of these.', rule: values('notEquals') },
  notIn: { type: list(GraphQLString), description: 'Same as notEquals.', rule: values('notEquals') },
  contains: { type: list(GraphQLString), description: 'Contains any of these (case-insensitive).', rule: values('contains') },
  notContains: { type: list(GraphQLString), description: 'Contains none of these.', rule: values('notContains') },
  startsWith: { type: list(GraphQLString), description: 'Starts with any of these.', rule: values('startsWith') },
  notStartsWith: { type: list(GraphQLString), description: 'Starts with none of these.', rule: values('notStartsWith') },
  endsWith: { type: list(GraphQLString), description: 'Ends with any of these.', rule: values('endsWith') },
  notEndsWith: { type: list(GraphQLString), description: 'Ends with none of these.', rule: values('notEndsWith') },
  set: SET,
};

const NUMBER_OPERATORS: Record<string, OperatorSpec> = {
  equals: { type: list(GraphQLFloat), description: 'Equal to any of these.', rule: values('equals') },
  in: { type: list(GraphQLFloat), description: 'Same as equals.', rule: values('equals') },
  notEquals: { type: list(GraphQLFloat), description: 'Equal to none of these.', rule: values('notEquals') },
  notIn: { type: list(GraphQLFloat), description: 'Same as notEquals.', rule: values('notEquals') },
  gt: { type: GraphQLFloat, description: 'Greater than.', rule: one('gt') },
  gte: { type: GraphQLFloat, description: 'Greater than or equal to.', rule: one('gte') },
  lt: { type: GraphQLFloat, description: 'Less than.', rule: one('lt') },
  lte: { type: GraphQLFloat, description: 'Less than or equal to.', rule: one('lte') },
  set: SET,
};

const BOOLEAN_OPERATORS: Record<string, OperatorSpec> = {
  equals: { type: GraphQLBoolean, description: 'Is this value.', rule: (member, value) => ({ member, operator: 'equals', values: [String(value)] }) },
  set: SET,
};

const TIME_OPERATORS: Record<string, OperatorSpec> = {
  inDateRange: {
    type: list(GraphQLString),
    description: 'One relative range (["last 7 days"], ["this month"]) or two local dates [from, to], both included.',
    rule: values('inDateRange'),
  },
  notInDateRange: { type: list(GraphQLString), description: 'Outside the range; same forms as inDateRange.', rule: values('notInDateRange') },
  beforeDate: { type: GraphQLString, description: 'Before this local date or time (or relative date).', rule: one('beforeDate') },
  beforeOrOnDate: { type: GraphQLString, description: 'Before or on this local date.', rule: one('beforeOrOnDate') },
  afterDate: { type: GraphQLString, description: 'After this local date.', rule: one('afterDate') },
  afterOrOnDate: { type: GraphQLString, description: 'After or on this local date.', rule: one('afterOrOnDate') },
  set: SET,
};

export const OPERATORS_BY_KIND: Readonly<Record<FilterKind, Readonly<Record<string, OperatorSpec>>>> = {
  string: TEXT_OPERATORS,
  number: NUMBER_OPERATORS,
  boolean: BOOLEAN_OPERATORS,
  time: TIME_OPERATORS,
};

export function filterKindOf(kind: TypedValueKind): FilterKind {
  return kind === 'int' || kind === 'float' ? 'number' : kind;
}

/** Operators whose value is a list, and so must hold at least one value. */
export function takesList(spec: OperatorSpec): boolean {
  return spec.type instanceof GraphQLList;
}

function filterInput(name: string, description: string, operators: Record<string, OperatorSpec>): GraphQLInputObjectType {
  const fields: GraphQLInputFieldConfigMap = {};
  for (const [op, spec] of Object.entries(operators)) fields[op] = { type: spec.type, description: spec.description };
  return new GraphQLInputObjectType({ name, description, fields });
}

/** The schema types the typed views share. Built once per schema. */
export interface SharedTypedTypes {
  readonly filters: Readonly<Record<FilterKind, GraphQLInputObjectType>>;
  readonly timeValue: GraphQLObjectType;
  /** One measure against the prior period (`compare`). */
  readonly measureComparison: GraphQLObjectType;
}

export function sharedTypedTypes(): SharedTypedTypes {
  const timeFields = Object.fromEntries(
    GRANULARITIES.map((g) => [g, { type: GraphQLString, description: `Truncated to the ${g}: local wall-clock ISO time in the query timezone, without offset.` }]),
  );
  return {
    filters: {
      string: filterInput('StringFilter', 'Conditions on a text member; every condition given applies.', TEXT_OPERATORS),
      number: filterInput('NumberFilter', 'Conditions on a number member (a measure filters groups, like SQL HAVING); every condition given applies.', NUMBER_OPERATORS),
      boolean: filterInput('BooleanFilter', 'Conditions on a true/false member.', BOOLEAN_OPERATORS),
      time: filterInput('TimeFilter', 'Conditions on a time member, in local dates of the query timezone; every condition given applies.', TIME_OPERATORS),
    },
    timeValue: new GraphQLObjectType({
      name: 'TimeDimensionValue',
      description: 'A time dimension at each granularity selected; selecting a granularity groups the rows by it.',
      fields: timeFields,
    }),
    measureComparison: new GraphQLObjectType({
      name: 'MeasureComparison',
      description: 'A measure of this row against the same row in the prior period chosen by `compare`.',
      fields: {
        previous: { type: GraphQLFloat, description: 'The value in the prior period; null when the prior period has no such row.' },
        change: { type: GraphQLFloat, description: 'Current minus previous; null when either is null.' },
        percentChange: { type: GraphQLFloat, description: '(current − previous) / |previous|, as a fraction (0.25 is +25%); null when previous is 0 or null.' },
      },
    }),
  };
}
