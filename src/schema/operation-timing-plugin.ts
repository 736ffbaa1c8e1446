import type { ApolloServerPlugin } from '@apollo/server';

/** Told the duration of every GraphQL request, by operation name (null when anonymous or unparsable). Must not throw. */
export type OperationTimingObserver = (operationName: string | null, seconds: number) => void;

/**
 * Times each request from Apollo's first hook to the response being ready, errors included (a
 * refused query is still latency a client saw). The name is the operation Apollo resolved from
 * the document, not the `operationName` a client claims for a document that does not parse.
 */
export function operationTimingPlugin<C extends object>(observe: OperationTimingObserver): ApolloServerPlugin<C> {
  return {
    async requestDidStart() {
      const started = performance.now();
      return {
        async willSendResponse(ctx) {
          observe(ctx.operationName ?? null, (performance.now() - started) / 1000);
        },
      };
    },
  };
}
