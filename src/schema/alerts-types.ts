import { Field, Float, ID, ObjectType, registerEnumType } from 'type-graphql';

/* Alerts and silences (src/alerts), as plain data built by the resolvers. */

export enum AlertStateEnum {
  FIRING = 'FIRING',
  RESOLVED = 'RESOLVED',
}
registerEnumType(AlertStateEnum, { name: 'AlertState' });

@ObjectType('Alert', { simpleResolvers: true, description: 'An alert a rule fired, open (FIRING) or RESOLVED. One per rule and series while it lasts.' })
export class AlertType {
  @Field(() => ID) id!: string;
  @Field(() => String, { description: 'The rule name from the rules file (or a default rule).' }) rule!: string;
  @Field(() => String, { description: 'anomaly | threshold | freshness | pipeline_failure | data_quality' }) kind!: string;
  @Field(() => String, { description: 'critical | warning | info' }) severity!: string;
  @Field(() => String, { nullable: true, description: 'The series within the rule: a channel, a source, a data test; null for a single series.' }) series!: string | null;
  @Field(() => AlertStateEnum) state!: AlertStateEnum;
  @Field(() => String) title!: string;
  @Field(() => String) summary!: string;
  @Field(() => Float, { nullable: true, description: 'The value judged (a KPI, seconds of lag, failing rows).' }) value!: number | null;
  @Field(() => Float, { nullable: true }) expectedLow!: number | null;
  @Field(() => Float, { nullable: true }) expectedHigh!: number | null;
  @Field(() => String, { description: 'ISO instant.' }) firedAt!: string;
  @Field(() => String, { nullable: true }) resolvedAt!: string | null;
  @Field(() => String, { nullable: true }) acknowledgedAt!: string | null;
  @Field(() => String, { nullable: true, description: 'Who acknowledged: an API key fingerprint or a JWT subject.' }) acknowledgedBy!: string | null;
  @Field(() => String, { nullable: true, description: 'The query behind a KPI alert, in the web page.' }) link!: string | null;
}

@ObjectType('Silence', { simpleResolvers: true, description: 'While it lasts, new alerts of its rule (and series) are kept but not sent.' })
export class SilenceType {
  @Field(() => ID) id!: string;
  @Field(() => String) rule!: string;
  @Field(() => String, { nullable: true, description: 'Null: every series of the rule.' }) series!: string | null;
  @Field(() => String, { description: 'ISO instant it ends.' }) until!: string;
  @Field(() => String, { nullable: true }) reason!: string | null;
  @Field(() => String) createdBy!: string;
}
