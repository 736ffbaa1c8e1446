import { Agent, request } from 'undici';

/**
 * The sandbox's outgoing HTTP (hook ping and notifications). A private undici Agent, rather than
 * the global dispatcher behind `fetch`, so `close()` can tear down every socket it opened.
 */

/** VTEX's contract: the hook endpoint must answer within 5000 ms. */
export const HOOK_TIMEOUT_MS = 5_000;

export interface HookTarget {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
}

export interface HookTransport {
  /** POSTs a JSON body; resolves with the status code, rejects on network errors and timeouts. */
  post(target: HookTarget, body: string): Promise<number>;
  close(): Promise<void>;
}

export function createHookTransport(options: { connections: number; timeoutMs?: number }): HookTransport {
  const timeoutMs = options.timeoutMs ?? HOOK_TIMEOUT_MS;
  // Created on first use, so a sandbox that only generates orders holds no network resources.
  let agent: Agent | undefined;
  let closed = false;
  return {
    async post(target, body) {
      if (closed) throw new Error('hook transport closed');
      agent ??= new Agent({
        connections: options.connections,
        keepAliveTimeout: 1_000,
        keepAliveMaxTimeout: 5_000,
        connectTimeout: timeoutMs,
      });
      const res = await request(target.url, {
        method: 'POST',
        dispatcher: agent,
        headers: { 'content-type': 'application/json', 'user-agent': 'vtex-sandbox-hook/1.0', ...target.headers },
        body,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      await res.body.dump();
      return res.statusCode;
    },
    async close() {
      if (closed) return;
      closed = true;
      await agent?.destroy();
    },
  };
}
