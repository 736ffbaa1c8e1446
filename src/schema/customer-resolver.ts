import { Arg, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import { Requires } from './authorization.js';
import type { GraphqlContext } from './context.js';
import {
  CustomerConnectionType,
  CustomerFilterInput,
  CustomerOrderConnectionType,
  CustomerType,
} from './customer-types.js';
import { canSeePii, toCustomerType, toOrderConnection } from './customer-view.js';

@Resolver(() => CustomerType)
export class CustomerResolver {
  @Query(() => CustomerType, {
    nullable: true,
    description: 'One customer by exactly one of: id, document (CPF/CNPJ, punctuation optional), email (any case), phone. Null when there is none.',
  })
  @Requires('customers')
  async customer(
    @Arg('id', () => ID, { nullable: true }) id: string | undefined,
    @Arg('document', () => String, { nullable: true }) document: string | undefined,
    @Arg('email', () => String, { nullable: true }) email: string | undefined,
    @Arg('phone', () => String, { nullable: true }) phone: string | undefined,
    @Ctx() ctx: GraphqlContext,
  ): Promise<CustomerType | null> {
    const found = await ctx.services.customers.find({ id: id ?? undefined, document: document ?? undefined, email: email ?? undefined, phone: phone ?? undefined });
    return found ? toCustomerType(found, canSeePii(ctx.security)) : null;
  }

  @Query(() => CustomerConnectionType, { description: 'Customers matching the filter, a page at a time (Relay connection), in id order.' })
  @Requires('customers')
  async customers(
    @Arg('filter', () => CustomerFilterInput, { nullable: true }) filter: CustomerFilterInput | undefined,
    @Arg('first', () => Int, { nullable: true }) first: number | undefined,
    @Arg('after', () => String, { nullable: true }) after: string | undefined,
    @Ctx() ctx: GraphqlContext,
  ): Promise<CustomerConnectionType> {
    const page = await ctx.services.customers.list(
      {
        segment: filter?.segment ?? undefined,
        clubStatus: filter?.clubStatus ?? undefined,
        state: filter?.state ?? undefined,
        lastOrderFrom: filter?.lastOrderFrom ?? undefined,
        lastOrderTo: filter?.lastOrderTo ?? undefined,
      },
      first ?? undefined,
      after ?? undefined,
    );
    const pii = canSeePii(ctx.security);
    const nodes = page.nodes.map((c) => toCustomerType(c, pii));
    return {
      edges: nodes.map((node, i) => ({ cursor: page.cursors[i] as string, node })),
      nodes,
      pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.endCursor },
    };
  }

  @FieldResolver(() => CustomerOrderConnectionType, { description: 'The customer\'s orders, newest first (every status).' })
  async orderHistory(
    @Root() customer: CustomerType,
    @Arg('first', () => Int, { nullable: true }) first: number | undefined,
    @Arg('after', () => String, { nullable: true }) after: string | undefined,
    @Ctx() ctx: GraphqlContext,
  ): Promise<CustomerOrderConnectionType> {
    const page = await ctx.loaders.customers.orderHistory.load({ customerId: customer.resolvedId, first: first ?? undefined, after: after ?? undefined });
    return toOrderConnection(page);
  }
}
