import { Field, Float, ID, InputType, Int, ObjectType } from 'type-graphql';

/*
 * Customer 360 for the CRM. Objects are plain data (`simpleResolvers`) built by the resolvers,
 * already masked for roles without PII, so no field can hand out what its object did not get.
 */

@ObjectType('ClubMembership', { simpleResolvers: true, description: 'The loyalty-club registration, when the customer has one.' })
export class ClubMembershipType {
  @Field(() => String, { description: 'active | suspended | canceled' })
  status!: string;

  @Field(() => String, { nullable: true })
  tier!: string | null;

  @Field(() => Boolean, { nullable: true, description: 'Marketing opt-in given to the club.' })
  optIn!: boolean | null;

  @Field(() => String, { nullable: true, description: 'The store where they signed up.' })
  store!: string | null;
}

@ObjectType('CustomerOrder', { simpleResolvers: true, description: 'One order of a customer, from gold.fct_orders.' })
export class CustomerOrderType {
  @Field(() => ID, { description: '`<source>:<order id>`' })
  orderKey!: string;

  @Field(() => String)
  source!: string;

  @Field(() => String)
  orderId!: string;

  @Field(() => String, { description: 'Creation instant, ISO-8601 UTC.' })
  createdAt!: string;

  @Field(() => String, { description: 'Creation day in the business time zone.' })
  orderDate!: string;

  @Field(() => String)
  status!: string;

  @Field(() => Boolean, { description: 'Counts as a sale (paid or later, not canceled).' })
  isSale!: boolean;

  @Field(() => String)
  channel!: string;

  @Field(() => String, { nullable: true })
  store!: string | null;

  @Field(() => Int)
  units!: number;

  @Field(() => Float)
  itemsTotal!: number;

  @Field(() => Float)
  discountsTotal!: number;

  @Field(() => Float)
  shippingTotal!: number;

  @Field(() => Float, { description: 'Order total, BRL.' })
  total!: number;
}

@ObjectType('PageInfo', { simpleResolvers: true })
export class PageInfoType {
  @Field(() => Boolean)
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true })
  endCursor!: string | null;
}

@ObjectType('CustomerOrderEdge', { simpleResolvers: true })
export class CustomerOrderEdgeType {
  @Field(() => String)
  cursor!: string;

  @Field(() => CustomerOrderType)
  node!: CustomerOrderType;
}

@ObjectType('CustomerOrderConnection', { simpleResolvers: true })
export class CustomerOrderConnectionType {
  @Field(() => [CustomerOrderEdgeType])
  edges!: CustomerOrderEdgeType[];

  @Field(() => [CustomerOrderType])
  nodes!: CustomerOrderType[];

  @Field(() => PageInfoType)
  pageInfo!: PageInfoType;
}

@ObjectType('Customer', { description: 'One resolved customer across VTEX orders, Master Data and the club registry (gold.customer_360).' })
export class CustomerType {
  @Field(() => ID, { description: 'Resolved customer id (`cpf:…`, `email:…`, …); masked for roles without PII.' })
  id!: string;

  @Field(() => String, { nullable: true })
  name!: string | null;

  @Field(() => String, { nullable: true })
  firstName!: string | null;

  @Field(() => String, { nullable: true, description: 'CPF/CNPJ digits.' })
  document!: string | null;

  @Field(() => String, { nullable: true })
  email!: string | null;

  @Field(() => String, { nullable: true, description: 'E.164.' })
  phone!: string | null;

  @Field(() => String, { nullable: true })
  state!: string | null;

  @Field(() => String, { nullable: true })
  city!: string | null;

  @Field(() => Float, { description: 'Lifetime value: sum of sale order totals, BRL.' })
  ltv!: number;

  @Field(() => Int, { description: 'Number of sales.' })
  orders!: number;

  @Field(() => Float, { nullable: true, description: 'ltv ÷ orders.' })
  averageTicket!: number | null;

  @Field(() => Float, { nullable: true, description: '(last − first sale) ÷ (orders − 1), in days; null below two sales.' })
  averageDaysBetweenOrders!: number | null;

  @Field(() => Int)
  ordersLast365d!: number;

  @Field(() => Int, { nullable: true, description: 'Days since the last sale, in the business time zone.' })
  daysSinceLastOrder!: number | null;

  @Field(() => String, { nullable: true, description: 'First sale, ISO-8601 UTC.' })
  firstOrderAt!: string | null;

  @Field(() => String, { nullable: true, description: 'Last sale, ISO-8601 UTC.' })
  lastOrderAt!: string | null;

  @Field(() => Boolean, { description: 'Two sales or more.' })
  isReturning!: boolean;

  @Field(() => String, { nullable: true, description: 'RFM segment (see the README for the rules).' })
  segment!: string | null;

  @Field(() => ClubMembershipType, { nullable: true })
  club!: ClubMembershipType | null;

  @Field(() => String, { nullable: true })
  vtexUserProfileId!: string | null;

  @Field(() => String, { nullable: true })
  masterDataId!: string | null;

  @Field(() => String, { nullable: true })
  clubMemberId!: string | null;

  /** The unmasked id, for loading the order history; never a GraphQL field. */
  resolvedId!: string;
}

@ObjectType('CustomerEdge')
export class CustomerEdgeType {
  @Field(() => String)
  cursor!: string;

  @Field(() => CustomerType)
  node!: CustomerType;
}

@ObjectType('CustomerConnection')
export class CustomerConnectionType {
  @Field(() => [CustomerEdgeType])
  edges!: CustomerEdgeType[];

  @Field(() => [CustomerType])
  nodes!: CustomerType[];

  @Field(() => PageInfoType)
  pageInfo!: PageInfoType;
}

@InputType('CustomerFilter', { description: 'All given conditions must hold; a list matches any of its values.' })
export class CustomerFilterInput {
  @Field(() => [String], { nullable: true })
  segment?: string[];

  @Field(() => [String], { nullable: true, description: 'active | suspended | canceled' })
  clubStatus?: string[];

  @Field(() => [String], { nullable: true, description: 'UF, e.g. SP' })
  state?: string[];

  @Field(() => String, { nullable: true, description: 'Last sale on or after this day (YYYY-MM-DD).' })
  lastOrderFrom?: string;

  @Field(() => String, { nullable: true, description: 'Last sale on or before this day (YYYY-MM-DD).' })
  lastOrderTo?: string;
}

@ObjectType('CustomerValidation', { simpleResolvers: true, description: 'What a till may know about a document, and nothing else.' })
export class CustomerValidationType {
  @Field(() => Boolean, { description: 'The CPF/CNPJ check digits verify.' })
  documentValid!: boolean;

  @Field(() => Boolean, { description: 'An active club member: the club price applies.' })
  activeMember!: boolean;

  @Field(() => String, { nullable: true })
  tier!: string | null;

  @Field(() => String, { nullable: true })
  firstName!: string | null;

  @Field(() => Boolean, { nullable: true })
  marketingOptIn!: boolean | null;
}
