import { Field, InputType, Int, registerEnumType } from 'type-graphql';
import type { CompareMode, MetricsQuery } from '../metrics/metrics-query.js';

/**
 * GraphQL mirror of Cube's REST query format. These types only give the input a shape;
 * `toMetricsQuery` converts it to Cube's form and parses it with the engine's zod schema, which
 * stays the single definition of what a valid query is (so operators and granularities are
 * strings here, exactly as in Cube, rather than enums that could drift from the engine).
 */

type CubeOrderDirection = MetricsQuery['order'][number][1];

export const OrderDirection = { ASC: 'asc', DESC: 'desc' } as const satisfies Record<string, CubeOrderDirection>;

registerEnumType(OrderDirection, { name: 'OrderDirection' });

/** GraphQL names for the engine's compare modes; the values are the engine's own. */
export const MetricsCompare = { PREVIOUS_PERIOD: 'PREVIOUS_PERIOD', SAME_PERIOD_LAST_YEAR: 'SAME_PERIOD_LAST_YEAR' } as const satisfies Record<CompareMode, CompareMode>;

registerEnumType(MetricsCompare, {
  name: 'MetricsCompare',
  description: 'Period-over-period on the one time dimension with a dateRange.',
  valuesConfig: {
    PREVIOUS_PERIOD: { description: 'The period of the same length just before (whole months compare with as many whole months before).' },
    SAME_PERIOD_LAST_YEAR: { description: 'The same dates a year earlier (at week granularity, 52 weeks earlier).' },
  },
});

@InputType('TimeDimensionInput')
export class TimeDimensionInput {
  @Field(() => String, { description: 'A time member, e.g. `sales.orderedAt`.' })
  dimension!: string;

  @Field(() => String, { nullable: true, description: 'second | minute | hour | day | week | month | quarter | year; omit to filter without grouping.' })
  granularity?: string | null;

  @Field(() => [String], {
    nullable: true,
    description: 'One relative range ("last 7 days", "this month") or two dates [from, to], e.g. ["2025-01-01", "2025-01-31"].',
  })
  dateRange?: string[] | null;
}

@InputType('FilterInput', {
  description:
    'Either a member filter (member, operator, values) or a logical group (and, or): Cube\'s filter format as one recursive type.',
})
export class FilterInput {
  @Field(() => String, { nullable: true })
  member?: string | null;

  @Field(() => String, { nullable: true, description: 'Cube filter operator: equals, notEquals, contains, gt, inDateRange, set, ...' })
  operator?: string | null;

  @Field(() => [String], { nullable: true })
  values?: string[] | null;

  @Field(() => [FilterInput], { nullable: true })
  and?: FilterInput[] | null;

  @Field(() => [FilterInput], { nullable: true })
  or?: FilterInput[] | null;
}

@InputType('OrderInput')
export class OrderInput {
  @Field(() => String)
  member!: string;

  @Field(() => OrderDirection, { defaultValue: OrderDirection.ASC })
  direction!: CubeOrderDirection;
}

@InputType('MetricsQueryInput', { description: 'A query in Cube\'s REST query format; members are `view.member`.' })
export class MetricsQueryInput {
  @Field(() => [String], { nullable: true })
  measures?: string[] | null;

  @Field(() => [String], { nullable: true })
  dimensions?: string[] | null;

  @Field(() => [TimeDimensionInput], { nullable: true })
  timeDimensions?: TimeDimensionInput[] | null;

  @Field(() => [FilterInput], { nullable: true })
  filters?: FilterInput[] | null;

  @Field(() => [String], { nullable: true })
  segments?: string[] | null;

  @Field(() => [OrderInput], { nullable: true })
  order?: OrderInput[] | null;

  @Field(() => Int, { nullable: true })
  limit?: number | null;

  @Field(() => Int, { nullable: true })
  offset?: number | null;

  @Field(() => String, { nullable: true, description: 'IANA time zone for time dimensions; the server default when omitted.' })
  timezone?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'Bypass cached results.' })
  renewQuery?: boolean | null;

  @Field(() => MetricsCompare, {
    nullable: true,
    description: 'Adds `m.previous`, `m.change` and `m.percentChange` to each row for each measure `m`, from the prior period; needs one time dimension with a dateRange.',
  })
  compare?: CompareMode | null;
}
