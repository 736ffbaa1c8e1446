import type { ServerResponse } from 'node:http';
import type { FaultInjector } from './fault-injector.js';
import { sendError } from './oms-routes.js';

/** What a route group needs to misbehave on purpose, as Get order does. */
export interface FaultGate {
  readonly faults: FaultInjector;
  /** A sleep that `close()` can cut short, so injected latency never outlives the sandbox. */
  sleep(ms: number): Promise<void>;
}

/**
 * Draws the next fault decision, waits the injected latency, and answers the fault if there is
 * one (429 with `Retry-After`, or a 5xx). Resolves true when the request needs nothing more: it
 * was answered, or the client went away while it waited. `throttleHeaders` adds what an API
 * sends besides `Retry-After` on a 429 (Pricing's `Ratelimit-*`).
 */
export async function answerFault(
  gate: FaultGate,
  res: ServerResponse,
  throttleHeaders: (retryAfterSeconds: number) => Record<string, string> = () => ({}),
): Promise<boolean> {
  const decision = gate.faults.decide();
  if (gate.faults.latencyMs > 0) await gate.sleep(gate.faults.latencyMs);
  if (res.destroyed) return true;
  switch (decision.kind) {
    case 'none':
      return false;
    case 'throttle':
      for (const [name, value] of Object.entries(throttleHeaders(decision.retryAfterSeconds))) res.setHeader(name, value);
      res.setHeader('Retry-After', String(decision.retryAfterSeconds));
      sendError(res, 429, '429', 'Too Many Requests');
      return true;
    case 'fail':
      sendError(res, decision.status, String(decision.status), 'Internal error, try again');
      return true;
    default: {
      const unreachable: never = decision;
      throw new Error(`unhandled fault ${JSON.stringify(unreachable)}`);
    }
  }
}
