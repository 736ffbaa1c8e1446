import { GraphQLJSONObject } from 'graphql-scalars';
import { Field, Int, ObjectType } from 'type-graphql';
import type { MemberAnnotation, MetricsResult } from '../metrics/metrics-service.js';
import { MemberFields } from './member-fields.js';

/*
 * Output types are `simpleResolvers`: graphql-js reads properties directly instead of going
 * through type-graphql's per-field middleware wrapper, which matters on the cached path.
 * Rows are one JSONObject each rather than typed fields: members are dynamic, and serialising a
 * row is then a single scalar check instead of one resolver call per cell.
 */

@ObjectType('MemberAnnotation', { simpleResolvers: true, description: 'How to label and format one member of a result.' })
export class MemberAnnotationType extends MemberFields implements MemberAnnotation {
  @Field(() => String, { nullable: true, description: 'For a time dimension: the granularity its values are truncated to.' })
  granularity?: string;
}

@ObjectType('MetricsAnnotation', { simpleResolvers: true })
export class MetricsAnnotationType implements Readonly<MetricsResult['annotation']> {
  @Field(() => [MemberAnnotationType])
  measures!: readonly MemberAnnotation[];

  @Field(() => [MemberAnnotationType])
  dimensions!: readonly MemberAnnotation[];

  @Field(() => [MemberAnnotationType])
  timeDimensions!: readonly MemberAnnotation[];

  @Field(() => [MemberAnnotationType])
  segments!: readonly MemberAnnotation[];
}

@ObjectType('MetricsResult', { simpleResolvers: true })
export class MetricsResultType implements MetricsResult {
  @Field(() => [GraphQLJSONObject], {
    description: 'Rows keyed by member name; time dimensions also as `view.member.granularity` (Cube\'s convention).',
  })
  rows!: readonly Record<string, string | number | boolean | null>[];

  @Field(() => MetricsAnnotationType)
  annotation!: MetricsResult['annotation'];

  @Field(() => Int, { description: 'Version of the data the result was computed from; changes when gold is refreshed.' })
  dataVersion!: number;

  @Field(() => Boolean, { description: 'True when served from the result cache.' })
  cached!: boolean;
}
