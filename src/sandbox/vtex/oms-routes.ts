import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FaultInjector } from './fault-injector.js';
import { parseHookConfig, type HookConfig } from './hook-config.js';
import type { ListOrdersResult } from './list-orders.js';
import type { SandboxOrder } from './vtex-order-types.js';

/**
 * The VTEX OMS endpoints the sandbox speaks. Error bodies copy VTEX's envelope
 * (`{"error":{"code","message","exception"}}`) so clients exercise their real error paths.
 */

export interface OmsBackend {
  readonly appKey: string;
  readonly appToken: string;
  getOrder(idOrSequence: string): SandboxOrder | undefined;
  listOrders(params: URLSearchParams): ListOrdersResult;
  hookConfig(): HookConfig | null;
  /** Pings the hook; stores the config only if the ping got a 200. */
  saveHookConfig(config: HookConfig): Promise<{ ok: true } | { ok: false; message: string }>;
  deleteHookConfig(): boolean;
  readonly faults: FaultInjector;
  countGetOrderRequest(): void;
  /** A sleep that `close()` can cut short, so injected latency never outlives the sandbox. */
  sleep(ms: number): Promise<void>;
}

const ORDERS_PATH = '/api/oms/pvt/orders';
const HOOK_CONFIG_PATH = '/api/orders/hook/config';
const MAX_BODY_BYTES = 1_048_576;

export type OmsHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/**
 * More endpoints served behind the same authentication (Catalog, Pricing): answers and resolves
 * true when `path` is one of its own, resolves false otherwise.
 */
export type SandboxRoutes = (req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams) => Promise<boolean>;

export function createOmsHandler(backend: OmsBackend, more: readonly SandboxRoutes[] = []): OmsHandler {
  return async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
    const path = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, '') : url.pathname;
    const method = req.method ?? 'GET';

    const denied = authenticate(req, backend);
    if (denied !== null) return sendError(res, denied.status, '1', denied.message);

    if (path === ORDERS_PATH) {
      if (method !== 'GET') return sendError(res, 405, '405', `${method} not allowed`);
      const result = backend.listOrders(url.searchParams);
      return result.ok ? sendJson(res, 200, result.body) : sendError(res, 400, '1', result.message);
    }
    if (path.startsWith(`${ORDERS_PATH}/`)) {
      const id = safeDecode(path.slice(ORDERS_PATH.length + 1));
      if (id === null || id.includes('/')) return sendError(res, 404, '404', 'Resource not found');
      if (method !== 'GET') return sendError(res, 405, '405', `${method} not allowed`);
      return getOrder(backend, id, res);
    }
    if (path === HOOK_CONFIG_PATH) {
      switch (method) {
        case 'GET': {
          const config = backend.hookConfig();
          return config === null ? sendError(res, 404, '404', 'No hook configured for this appKey') : sendJson(res, 200, config);
        }
        case 'POST':
          return saveHook(backend, req, res);
        case 'DELETE':
          return backend.deleteHookConfig() ? sendEmpty(res, 200) : sendError(res, 404, '404', 'No hook configured for this appKey');
        default:
          return sendError(res, 405, '405', `${method} not allowed`);
      }
    }
    for (const routes of more) if (await routes(req, res, path, url.searchParams)) return;
    return sendError(res, 404, '404', 'Resource not found');
  };
}

async function getOrder(backend: OmsBackend, id: string, res: ServerResponse): Promise<void> {
  backend.countGetOrderRequest();
  const decision = backend.faults.decide();
  if (backend.faults.latencyMs > 0) await backend.sleep(backend.faults.latencyMs);
  if (res.destroyed) return;
  switch (decision.kind) {
    case 'throttle':
      res.setHeader('Retry-After', String(decision.retryAfterSeconds));
      return sendError(res, 429, '429', 'Too Many Requests');
    case 'fail':
      return sendError(res, decision.status, String(decision.status), 'Internal error, try again');
    case 'none': {
      const order = backend.getOrder(id);
      return order === undefined ? sendError(res, 404, 'OMS004', `Order ${id} not found`) : sendJson(res, 200, order);
    }
    default: {
      const unreachable: never = decision;
      throw new Error(`unhandled fault ${JSON.stringify(unreachable)}`);
    }
  }
}

async function saveHook(backend: OmsBackend, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = await readJson(req);
  if (!body.ok) return sendError(res, 400, '1', body.message);
  const parsed = parseHookConfig(body.value);
  if (!parsed.ok) return sendError(res, parsed.status, String(parsed.status), parsed.message);
  const saved = await backend.saveHookConfig(parsed.config);
  if (!saved.ok) return sendError(res, 400, '1', saved.message);
  return sendJson(res, 200, parsed.config);
}

function authenticate(req: IncomingMessage, backend: OmsBackend): { status: 401 | 403; message: string } | null {
  const appKey = header(req, 'x-vtex-api-appkey');
  const appToken = header(req, 'x-vtex-api-apptoken');
  if (appKey === undefined || appToken === undefined) {
    return { status: 401, message: 'Unauthorized: send X-VTEX-API-AppKey and X-VTEX-API-AppToken' };
  }
  if (!sameSecret(appKey, backend.appKey) || !sameSecret(appToken, backend.appToken)) {
    return { status: 403, message: 'Forbidden: the AppKey/AppToken pair has no access to this account' };
  }
  return null;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined || first === '' ? undefined : first;
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function safeDecode(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

export type JsonBody = { ok: true; value: unknown } | { ok: false; message: string };

/** A request's JSON body, at most 1 MiB; `emptyMessage` says what an empty body should have been. */
export async function readJson(req: IncomingMessage, emptyMessage = 'body must be a JSON object with "filter" and "hook"'): Promise<JsonBody> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > MAX_BODY_BYTES) return { ok: false, message: 'body too large' };
    chunks.push(buf);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return { ok: false, message: emptyMessage };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, message: 'body is not valid JSON' };
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export function sendError(res: ServerResponse, status: number, code: string, message: string): void {
  sendJson(res, status, { error: { code, message, exception: null } });
}

function sendEmpty(res: ServerResponse, status: number): void {
  res.writeHead(status, { 'content-length': 0 });
  res.end();
}
