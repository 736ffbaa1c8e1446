import { Ctx, Query, Resolver } from 'type-graphql';
import { ROLES } from '../config.js';
import type { CatalogView } from '../metrics/metrics-service.js';
import { AllowRoles } from './authorization.js';
import { CatalogViewType } from './catalog-types.js';
import type { GraphqlContext } from './context.js';

@Resolver()
export class CatalogResolver {
  @Query(() => [CatalogViewType], { description: 'The views, measures, dimensions and segments this caller can query.' })
  @AllowRoles(...ROLES)
  catalog(@Ctx() ctx: GraphqlContext): Promise<readonly CatalogView[]> {
    return ctx.services.metrics.catalog(ctx.security);
  }
}
