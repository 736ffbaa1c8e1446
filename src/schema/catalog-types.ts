import { Field, ObjectType, registerEnumType } from 'type-graphql';
import type { CatalogMember, CatalogView, MemberKind, ViewLineage } from '../metrics/metrics-service.js';
import { MemberFields } from './member-fields.js';

/** GraphQL enum names per engine kind; a `Record` so a new kind fails compilation until named. */
const MEMBER_KIND_NAMES: Record<MemberKind, string> = {
  measure: 'MEASURE',
  dimension: 'DIMENSION',
  timeDimension: 'TIME_DIMENSION',
  segment: 'SEGMENT',
};

export const MemberKindEnum: Readonly<Record<string, MemberKind>> = Object.freeze(
  Object.fromEntries(Object.entries(MEMBER_KIND_NAMES).map(([kind, name]) => [name, kind as MemberKind])),
);

registerEnumType(MemberKindEnum, { name: 'MemberKind' });

@ObjectType('CatalogMember', { simpleResolvers: true })
export class CatalogMemberType extends MemberFields implements CatalogMember {
  @Field(() => MemberKindEnum)
  kind!: MemberKind;
}

@ObjectType('ViewLineage', {
  simpleResolvers: true,
  description: 'Where a view comes from: the gold tables it reads, the silver tables and bronze datasets behind them, and the sources that feed them.',
})
export class ViewLineageType implements ViewLineage {
  @Field(() => [String])
  gold!: readonly string[];

  @Field(() => [String])
  silver!: readonly string[];

  @Field(() => [String], { description: 'Bronze datasets, one per source: `bronze.<source>`.' })
  bronze!: readonly string[];

  @Field(() => [String])
  sources!: readonly string[];
}

@ObjectType('CatalogView', { simpleResolvers: true, description: 'A view of the semantic model and the members it exposes.' })
export class CatalogViewType implements CatalogView {
  @Field(() => String)
  name!: string;

  @Field(() => String)
  title!: string;

  @Field(() => String, { nullable: true })
  description?: string;

  @Field(() => [CatalogMemberType])
  measures!: readonly CatalogMember[];

  @Field(() => [CatalogMemberType])
  dimensions!: readonly CatalogMember[];

  @Field(() => [CatalogMemberType])
  segments!: readonly CatalogMember[];

  @Field(() => ViewLineageType)
  lineage!: ViewLineage;
}
