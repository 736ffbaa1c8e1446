import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { OmsHandler } from './oms-routes.js';

/** Always loopback: the sandbox holds fake credentials and must never be reachable from outside. */
export const SANDBOX_HOST = '127.0.0.1';

/** The node:http listener around the OMS routes, with a shutdown that leaves no socket open. */
export class OmsServer {
  private server: Server | undefined;
  private baseUrl: string | undefined;

  constructor(
    private readonly handler: OmsHandler,
    private readonly logger: Logger,
  ) {}

  get url(): string {
    if (this.baseUrl === undefined) throw new Error('the VTEX sandbox is not listening; call start() first');
    return this.baseUrl;
  }

  async listen(port: number): Promise<string> {
    if (this.server !== undefined) return this.url;
    const server = createServer((req, res) => {
      this.handler(req, res).catch((err: unknown) => {
        this.logger.error({ err, url: req.url }, 'sandbox request failed');
        if (!res.headersSent) {
          res.writeHead(500, { 'content-type': 'application/json; charset=utf-8' });
          res.end(JSON.stringify({ error: { code: '500', message: 'Internal sandbox error', exception: null } }));
        } else {
          res.destroy();
        }
      });
    });
    server.keepAliveTimeout = 2_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, SANDBOX_HOST, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    const address = server.address() as AddressInfo;
    this.baseUrl = `http://${SANDBOX_HOST}:${address.port}`;
    return this.baseUrl;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (server === undefined) return;
    this.server = undefined;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }
}

/** Sleeps that can all be cut short at shutdown, so no timer outlives the sandbox. */
export class CancellableSleeps {
  private readonly pending = new Map<NodeJS.Timeout, () => void>();

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(timer);
        resolve();
      }, ms);
      this.pending.set(timer, resolve);
    });
  }

  cancelAll(): void {
    for (const [timer, resolve] of this.pending) {
      clearTimeout(timer);
      resolve();
    }
    this.pending.clear();
  }
}
