import type { GraphQLFieldResolver } from 'graphql';
import type { MetricsResult } from '../metrics/metrics-service.js';
import type { GraphqlContext } from './context.js';
import { forbidden } from './errors.js';
import type { TypedView } from './typed-view-model.js';
import { toTypedMetricsQuery, type TypedViewArgs } from './typed-view-query.js';
import { typedRows, type TypedRow } from './typed-view-rows.js';
import { selectedMembers } from './typed-view-selection.js';

/** The capability a typed view field needs: the same as `metrics`, whose engine call it shares. */
export const TYPED_VIEW_CAPABILITY = 'metrics';

export type TypedViewResult = Omit<MetricsResult, 'rows' | 'annotation'> & { readonly rows: readonly TypedRow[] };

/**
 * The resolver of one typed view field: the caller's capability, then its arguments and
 * selection as one engine query through the request's metrics loader (so the engine applies
 * member access, row filters, PII masking and its cache exactly as for `metrics`), charged to
 * the response budget, then reshaped for the row type.
 */
export function typedViewResolver(view: TypedView): GraphQLFieldResolver<unknown, GraphqlContext, TypedViewArgs> {
  return async (_source, args, ctx, info) => {
    if (!ctx.security.capabilities.has(TYPED_VIEW_CAPABILITY)) {
      throw forbidden(`Role "${ctx.security.role}" may not query ${info.parentType.name}.${info.fieldName}`);
    }
    const selected = selectedMembers(view, info);
    const query = toTypedMetricsQuery(view, args, selected);
    const result = ctx.responseBudget.admit(await ctx.loaders.metrics.load(query));
    return {
      rows: typedRows(result.rows, selected, query.compare !== undefined),
      dataVersion: result.dataVersion,
      cached: result.cached,
      servedFrom: result.servedFrom,
      refreshedAt: result.refreshedAt,
      sql: result.sql,
    };
  };
}
