import { Arg, Ctx, Extensions, Int, Query, Resolver } from 'type-graphql';
import { scrubPii, type SecurityContext } from '../auth/index.js';
import { Requires } from './authorization.js';
import type { GraphqlContext } from './context.js';
import { badUserInput, serviceUnavailable } from './errors.js';
import type { DataTestRecord, OperationsService, RunRecord, SourceStatusRecord } from './operations-service.js';
import { DataTestResultType, RunType, SourceStatusType } from './operations-types.js';
import { LIST_LIMIT_EXTENSION, type ListLimit } from './query-cost.js';

/** `runs` and `dataTests` answer this many items unless told. */
export const DEFAULT_OPERATIONS_LIMIT = 50;
/** ...and never more than this: an operator's page, not an export. */
export const MAX_OPERATIONS_LIMIT = 500;
const LIST_LIMIT: ListLimit = { defaultSize: DEFAULT_OPERATIONS_LIMIT, maxSize: MAX_OPERATIONS_LIMIT };
/** Longest `source` argument read; longer is refused before any lookup. */
const MAX_SOURCE_LENGTH = 100;

/**
 * The operator's view of the pipeline (capability `operations`). Run errors, data test messages
 * and failing keys may quote personal data (a customer's e-mail or CPF as a key); roles without
 * personal data get them scrubbed, as everywhere else.
 */
@Resolver()
export class OperationsResolver {
  @Query(() => [SourceStatusType], { description: "Every source's health: last success, lag, freshness SLA and last run." })
  @Requires('operations')
  async sources(@Ctx() ctx: GraphqlContext): Promise<SourceStatusRecord[]> {
    const scrub = scrubberFor(ctx.security);
    return (await service(ctx).sources()).map((s) => ({ ...s, lastError: scrub(s.lastError) }));
  }

  @Query(() => [RunType], { description: 'Pipeline runs, newest first; `source` keeps one source.'})
  @Extensions({ [LIST_LIMIT_EXTENSION]: LIST_LIMIT })
  @Requires('operations')
  async runs(
    @Arg('source', () => String, { nullable: true }) source: string | null | undefined,
    @Arg('limit', () => Int, { nullable: true, defaultValue: DEFAULT_OPERATIONS_LIMIT }) limit: number | null,
    @Ctx() ctx: GraphqlContext,
  ): Promise<RunRecord[]> {
    const ops = service(ctx);
    const n = checkLimit(limit, 'runs.limit');
    if (source != null && (source.length > MAX_SOURCE_LENGTH || !ops.sourceNames.includes(source))) {
      const shown = source.length > 40 ? `${source.slice(0, 40)}…` : source;
      throw badUserInput(`Unknown source "${shown}" in runs.source; known sources: ${ops.sourceNames.join(', ')}`, { reason: 'INVALID_OPERATIONS_QUERY', field: 'runs.source' });
    }
    const scrub = scrubberFor(ctx.security);
    return (await ops.runs({ source: source ?? undefined, limit: n })).map((r) => ({ ...r, error: scrub(r.error) }));
  }

  @Query(() => [DataTestResultType], { description: 'The latest result of each data test, failures first; only failures unless `failedOnly: false`.'})
  @Extensions({ [LIST_LIMIT_EXTENSION]: LIST_LIMIT })
  @Requires('operations')
  async dataTests(
    @Arg('failedOnly', () => Boolean, { nullable: true, defaultValue: true }) failedOnly: boolean | null,
    @Arg('limit', () => Int, { nullable: true, defaultValue: DEFAULT_OPERATIONS_LIMIT }) limit: number | null,
    @Ctx() ctx: GraphqlContext,
  ): Promise<DataTestRecord[]> {
    const n = checkLimit(limit, 'dataTests.limit');
    const scrub = scrubberFor(ctx.security);
    // An explicit `failedOnly: null` means the default, not "everything".
    const rows = await service(ctx).dataTests({ failedOnly: failedOnly ?? true, limit: n });
    return rows.map((t) => ({ ...t, message: scrub(t.message), sampleKeys: t.sampleKeys.map((k) => scrub(k) ?? k) }));
  }
}

function service(ctx: GraphqlContext): OperationsService {
  const ops = ctx.services.operations;
  if (!ops) throw serviceUnavailable('Pipeline operations are not available in this process');
  return ops;
}

/** An explicit `limit: null` means the default. */
function checkLimit(limit: number | null, field: string): number {
  if (limit === null) return DEFAULT_OPERATIONS_LIMIT;
  if (limit < 1 || limit > MAX_OPERATIONS_LIMIT) {
    throw badUserInput(`${field} must be between 1 and ${MAX_OPERATIONS_LIMIT}, got ${String(limit)}`, { reason: 'INVALID_OPERATIONS_QUERY', field });
  }
  return limit;
}

function scrubberFor(security: SecurityContext): (text: string | null) => string | null {
  return security.data.piiVisible ? (text) => text : (text) => (text === null ? null : scrubPii(text));
}
