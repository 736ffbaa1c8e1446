import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent, request } from 'undici';
import type { VtexSandbox } from '../../src/sandbox/vtex/index.js';

/** A hook receiver on 127.0.0.1 that records every request and answers what `respond` says. */
export interface Receiver {
  readonly url: string;
  readonly port: number;
  readonly requests: ReceivedRequest[];
  close(): Promise<void>;
}

export interface ReceivedRequest {
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  readonly status: number;
  readonly at: number;
}

export async function startReceiver(respond: (body: string, n: number) => number = () => 200, port = 0): Promise<Receiver> {
  const requests: ReceivedRequest[] = [];
  let n = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const status = respond(body, n++);
      requests.push({ headers: req.headers, body, status, at: Date.now() });
      res.writeHead(status, { 'content-type': 'text/plain' });
      res.end(status === 200 ? 'ok' : 'nope');
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const actualPort = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${actualPort}/hook`,
    port: actualPort,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** A tiny OMS client with its own connection pool, closed by the caller, so no socket lingers. */
export interface OmsTestClient {
  get(path: string, headers?: Record<string, string>): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; json: unknown }>;
  send(method: 'POST' | 'DELETE', path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; json: unknown }>;
  close(): Promise<void>;
}

export function omsClient(sandbox: VtexSandbox, auth: 'valid' | 'none' = 'valid'): OmsTestClient {
  const agent = new Agent({ keepAliveTimeout: 500 });
  const authHeaders = (): Record<string, string> =>
    auth === 'valid' ? { 'X-VTEX-API-AppKey': sandbox.appKey, 'X-VTEX-API-AppToken': sandbox.appToken } : {};
  const parse = (text: string): unknown => {
    if (text === '') return undefined;
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  };
  return {
    async get(path, headers = {}) {
      const res = await request(`${sandbox.url}${path}`, { dispatcher: agent, headers: { accept: 'application/json', ...authHeaders(), ...headers } });
      return { status: res.statusCode, headers: res.headers, json: parse(await res.body.text()) };
    },
    async send(method, path, body, headers = {}) {
      const res = await request(`${sandbox.url}${path}`, {
        method,
        dispatcher: agent,
        headers: { 'content-type': 'application/json', ...authHeaders(), ...headers },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return { status: res.statusCode, json: parse(await res.body.text()) };
    },
    close: () => agent.close(),
  };
}

export function hookConfigBody(url: string, statuses?: readonly string[]): unknown {
  return {
    filter: statuses === undefined ? { type: 'FromOrders', expression: 'true', disableSingleFire: true } : { type: 'FromWorkflow', status: [...statuses] },
    hook: { url, headers: { 'x-test-token': 'segredo-123' } },
  };
}

export async function until(what: string, check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Resource types that would keep a process alive, counted. */
export function liveHandles(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const type of process.getActiveResourcesInfo()) counts[type] = (counts[type] ?? 0) + 1;
  return counts;
}
