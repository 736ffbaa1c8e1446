import { Ctx, Query, Resolver } from 'type-graphql';
import type { CatalogView } from '../metrics/metrics-service.js';
import { Requires } from './authorization.js';
import { CatalogViewType } from './catalog-types.js';
import type { GraphqlContext } from './context.js';

@Resolver()
export class CatalogResolver {
  @Query(() => [CatalogViewType], { description: 'The views, measures, dimensions and segments this caller can query.' })
  @Requires('metrics')
  catalog(@Ctx() ctx: GraphqlContext): Promise<readonly CatalogView[]> {
    return ctx.services.metrics.catalog(ctx.security);
  }
}
