import { Arg, Ctx, Query, Resolver } from 'type-graphql';
import { Requires } from './authorization.js';
import type { GraphqlContext } from './context.js';
import { CustomerValidationType } from './customer-types.js';

@Resolver()
export class PosResolver {
  @Query(() => CustomerValidationType, {
    description: 'For a till: is the document valid, is it an active club member (tier, first name, opt-in)? Answered from memory, never from the warehouse.',
  })
  @Requires('validateCustomer')
  validateCustomer(@Arg('document', () => String) document: string, @Ctx() ctx: GraphqlContext): CustomerValidationType {
    return ctx.services.clubIndex.validate(document);
  }
}
