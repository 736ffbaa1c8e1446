import { Field, ID, Int, ObjectType } from 'type-graphql';

/** GraphQL shapes of the operator's view of the pipeline; names and nullability are agreed with the web page. */
@ObjectType('SourceStatus', { description: "A source's health: its last success, lag and freshness SLA." })
export class SourceStatusType {
  @Field(() => String) source!: string;
  @Field(() => String) title!: string;
  @Field(() => String, { description: '`active`, `stopped` (needs someone to act) or `idle` (nothing runs it in this process).' }) state!: string;
  @Field(() => String, { nullable: true }) lastSuccessAt!: string | null;
  @Field(() => Int, { nullable: true, description: 'Seconds since the last successful run ended.' }) lagSeconds!: number | null;
  @Field(() => Int, { nullable: true, description: 'How stale the source may get; null when it has no freshness SLA.' }) slaSeconds!: number | null;
  @Field(() => Boolean, { nullable: true, description: 'Null without an SLA; false when nothing ever succeeded.' }) withinSla!: boolean | null;
  @Field(() => String, { nullable: true }) lastRunStatus!: string | null;
  @Field(() => String, { nullable: true }) lastError!: string | null;
}

@ObjectType('Run', { description: 'One pipeline run of a source (ops.runs).' })
export class RunType {
  @Field(() => ID) id!: string;
  @Field(() => String) source!: string;
  @Field(() => String) entity!: string;
  @Field(() => String) trigger!: string;
  @Field(() => String, { description: '`running`, `succeeded` or `failed`.' }) status!: string;
  @Field(() => String) startedAt!: string;
  @Field(() => String, { nullable: true }) endedAt!: string | null;
  @Field(() => Int, { nullable: true }) recordsIn!: number | null;
  @Field(() => Int, { nullable: true }) upserted!: number | null;
  @Field(() => Int, { nullable: true }) quarantined!: number | null;
  @Field(() => String, { nullable: true }) error!: string | null;
}

@ObjectType('DataTestResult', { description: 'The latest result of one data test.' })
export class DataTestResultType {
  @Field(() => String) table!: string;
  @Field(() => String) test!: string;
  @Field(() => String) severity!: string;
  @Field(() => String) status!: string;
  @Field(() => Int) failingCount!: number;
  @Field(() => [String]) sampleKeys!: string[];
  @Field(() => String, { nullable: true }) message!: string | null;
  @Field(() => String) ranAt!: string;
}
