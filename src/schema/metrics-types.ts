import { GraphQLJSON, GraphQLJSONObject } from 'graphql-scalars';
import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { CompiledSql, MemberAnnotation, MetricsResult, ServedFrom } from '../metrics/metrics-service.js';
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

/** GraphQL names for `ServedFrom`; the values are the engine's own. */
export const ServedFromEnum = { CACHE: 'cache', PRE_AGGREGATION: 'pre-aggregation', WAREHOUSE: 'warehouse' } as const satisfies Record<string, ServedFrom>;
registerEnumType(ServedFromEnum, {
  name: 'ServedFrom',
  description: 'Where an answer came from.',
  valuesConfig: {
    CACHE: { description: 'The result cache, computed earlier from the same data version.' },
    PRE_AGGREGATION: { description: 'A pre-aggregated table built from gold after its last refresh.' },
    WAREHOUSE: { description: 'The gold tables themselves.' },
  },
});

@ObjectType('CompiledSql', { simpleResolvers: true, description: 'The SQL behind an answer, with its positional parameters.' })
export class CompiledSqlType implements CompiledSql {
  @Field(() => String)
  sql!: string;

  @Field(() => [GraphQLJSON], { description: 'Values bound to the `?` (or `$n`) placeholders, in order.' })
  params!: readonly unknown[];
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

  @Field(() => ServedFromEnum, { description: 'Where the rows came from.' })
  servedFrom!: ServedFrom;

  @Field(() => String, { nullable: true, description: 'When gold at `dataVersion` was published (ISO 8601 instant); null before the first refresh.' })
  refreshedAt!: string | null;

  @Field(() => CompiledSqlType, { nullable: true, description: 'The SQL that computed the rows; null unless the role may see it (`metricsSql`).' })
  sql?: CompiledSql;
}
