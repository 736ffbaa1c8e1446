import type { ApolloServerPlugin } from '@apollo/server';
import { getOperationAST } from 'graphql';

/** Told the duration of every GraphQL request, by operation name (null when anonymous or unparsable). Must not throw. */
export type OperationTimingObserver = (operationName: string | null, seconds: number) => void;

/**
 * Times each request from Apollo's first hook to the response being ready, errors included (a
 * refused query is still latency a client saw). The name is the operation Apollo resolved from
 * the parsed document, never the `operationName` a client claims for a document that does not parse.
 */
export function operationTimingPlugin<C extends object>(observe: OperationTimingObserver): ApolloServerPlugin<C> {
  return {
    async requestDidStart() {
      const started = performance.now();
      return {
        async willSendResponse(ctx) {
          // Apollo names the operation only once it validates; a refused one is named from its parsed document.
          const named = ctx.operationName ?? (ctx.document ? getOperationAST(ctx.document, ctx.request.operationName)?.name?.value : undefined);
          observe(named ?? null, (performance.now() - started) / 1000);
        },
      };
    },
  };
}
