import { Field, ObjectType, registerEnumType } from 'type-graphql';
import type { CatalogMember, CatalogView, MemberKind } from '../metrics/metrics-service.js';

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
export class CatalogMemberType implements CatalogMember {
  @Field(() => String, { description: '`view.member`, as used in queries.' })
  name!: string;

  @Field(() => MemberKindEnum)
  kind!: MemberKind;

  @Field(() => String)
  title!: string;

  @Field(() => String)
  shortTitle!: string;

  @Field(() => String, { description: 'number | string | time | boolean' })
  type!: string;

  @Field(() => String, { nullable: true, description: 'currency | percent | ..., when the model sets one.' })
  format?: string;

  @Field(() => String, { nullable: true, description: 'ISO 4217 code when `format` is currency, e.g. BRL.' })
  currency?: string;

  @Field(() => String, { nullable: true })
  description?: string;
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
}
