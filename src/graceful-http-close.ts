import type { FastifyInstance } from 'fastify';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** Longest the server waits for keep-alive clients to finish their next request before closing the rest. */
export const DEFAULT_DRAIN_MS = 1_000;
/** Longest it then waits for requests still running (a long query) before the process goes on closing. */
export const DEFAULT_IN_FLIGHT_MS = 10_000;

/**
 * Stopping an HTTP server under keep-alive load without resetting requests. Closing idle
 * keep-alive connections at once (Fastify's default) races clients that are sending their next
 * request on them at that instant: the request is reset mid-flight (about 50 of them in a
 * SIGTERM under 48 busy clients). Instead the server stops accepting connections, and for up to
 * `drainMs` answers what arrives on the open ones with `Connection: close`, so each client gets
 * its answer and then finds the port closed (a refused connection, which every client retries
 * or reports cleanly). Only then are the connections still idle closed, and requests still
 * running are waited for, up to `inFlightMs`.
 *
 * Call `attach` before the server listens; `close` is idempotent.
 */
export class GracefulHttpClose {
  private draining = false;
  private closing: Promise<void> | undefined;

  constructor(
    private readonly app: FastifyInstance,
    private readonly opts: { readonly drainMs?: number; readonly inFlightMs?: number } = {},
  ) {}

  attach(): void {
    this.app.addHook('onRequest', async (_req, reply) => {
      if (this.draining) reply.header('connection', 'close');
    });
  }

  /** True once `close` has begun: answers now close their connections. */
  get isDraining(): boolean {
    return this.draining;
  }

  close(): Promise<void> {
    this.closing ??= this.drainThenClose();
    return this.closing;
  }

  private async drainThenClose(): Promise<void> {
    const server = this.app.server;
    if (!server.listening) {
      await this.app.close();
      return;
    }
    this.draining = true;
    // net.Server's close, not http.Server's: stop accepting, but leave idle keep-alive
    // connections open (http's close would drop them at once). Its callback runs when every
    // connection has ended.
    const ended = new Promise<void>((resolve) => net.Server.prototype.close.call(server, () => resolve()));
    const drainMs = this.opts.drainMs ?? DEFAULT_DRAIN_MS;
    await Promise.race([ended, sleep(drainMs, undefined, { ref: false })]);
    // Closes the connections still idle; Fastify's own close hooks run here.
    await this.app.close();
    await Promise.race([ended, sleep(this.opts.inFlightMs ?? DEFAULT_IN_FLIGHT_MS, undefined, { ref: false })]);
  }
}
