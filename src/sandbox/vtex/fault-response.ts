import type { ServerResponse } from 'node:http';
import type { FaultInjector } from './fault-injector.js';
import { sendError } from './oms-routes.js';

/** What a route group needs to misbehave on purpose, as Get order does. */
export interface FaultGate {
  readonly faults: FaultInjector;
  /** A sleep that `close()` can cut short, so injected latency never outlives the sandbox. */
  sleep(ms: number): Promise<void>;
}

/** How an API answers an injected fault: the status, headers and error body are its own. */
export interface FaultDialect {
  throttle(res: ServerResponse, retryAfterSeconds: number): void;
  fail(res: ServerResponse, status: number): void;
}

/**
 * VTEX's usual error envelope (`{"error":{"code","message","exception"}}`, as OMS, Catalog and
 * Pricing send it). `throttleHeaders` adds what an API sends besides `Retry-After` on a 429
 * (Pricing's `Ratelimit-*`).
 */
export function vtexErrorDialect(throttleHeaders: (retryAfterSeconds: number) => Record<string, string> = () => ({})): FaultDialect {
  return {
    throttle(res, retryAfterSeconds) {
      for (const [name, value] of Object.entries(throttleHeaders(retryAfterSeconds))) res.setHeader(name, value);
      res.setHeader('Retry-After', String(retryAfterSeconds));
      sendError(res, 429, '429', 'Too Many Requests');
    },
    fail(res, status) {
      sendError(res, status, String(status), 'Internal error, try again');
    },
  };
}

/**
 * Draws the next fault decision, waits the injected latency, and answers the fault if there is
 * one, in the API's `dialect`. Resolves true when the request needs nothing more: it was answered,
 * or the client went away while it waited.
 */
export async function answerFault(gate: FaultGate, res: ServerResponse, dialect: FaultDialect = vtexErrorDialect()): Promise<boolean> {
  const decision = gate.faults.decide();
  if (gate.faults.latencyMs > 0) await gate.sleep(gate.faults.latencyMs);
  if (res.destroyed) return true;
  switch (decision.kind) {
    case 'none':
      return false;
    case 'throttle':
      dialect.throttle(res, decision.retryAfterSeconds);
      return true;
    case 'fail':
      dialect.fail(res, decision.status);
      return true;
    default: {
      const unreachable: never = decision;
      throw new Error(`unhandled fault ${JSON.stringify(unreachable)}`);
    }
  }
}
