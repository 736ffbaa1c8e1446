import { Field, ObjectType } from 'type-graphql';

/**
 * The label and format fields every member carries, in the catalog and in result annotations.
 * Never returned itself, so the schema holds no `MemberFields` type, only these fields on the types that extend it.
 */
@ObjectType({ simpleResolvers: true })
export abstract class MemberFields {
  @Field(() => String, { description: '`view.member`, as used in queries and as the key of this member in each row.' })
  name!: string;

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
