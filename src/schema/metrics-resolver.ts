import { Arg, Ctx, Query, Resolver } from 'type-graphql';
import type { MetricsResult } from '../metrics/metrics-service.js';
import { Requires } from './authorization.js';
import type { GraphqlContext } from './context.js';
import { MetricsQueryInput } from './metrics-input.js';
import { toMetricsQuery } from './metrics-input-conversion.js';
import { MetricsResultType } from './metrics-types.js';

@Resolver()
export class MetricsResolver {
  /** The engine's result already has the GraphQL shape, so it is returned as is once the response budget admits it. */
  @Query(() => MetricsResultType, { description: 'Run a query against the semantic model (Cube\'s query format).' })
  @Requires('metrics')
  metrics(
    @Arg('query', () => MetricsQueryInput) query: MetricsQueryInput,
    @Ctx() ctx: GraphqlContext,
  ): Promise<MetricsResult> {
    return ctx.loaders.metrics.load(toMetricsQuery(query)).then((result) => ctx.responseBudget.admit(result));
  }
}
