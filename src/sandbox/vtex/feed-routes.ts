import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { parseFeedConfig } from './feed-config.js';
import { answerFault, type FaultGate } from './fault-response.js';
import { readJson, sendError, sendJson, type JsonBody, type SandboxRoutes } from './oms-routes.js';
import type { OrderFeed } from './order-feed.js';

/**
 * VTEX Orders Feed v3: `GET`/`POST`/`DELETE /api/orders/feed/config`, and `GET /api/orders/feed`
 * (read) and `POST /api/orders/feed` (commit), served behind the OMS routes' authentication with
 * VTEX's error envelope. Reads and commits take injected faults, drawn before the queue is touched
 * so a faulted request changes nothing; the configuration never fails, like the hook's.
 */

export const FEED_PATH = '/api/orders/feed';
export const FEED_CONFIG_PATH = '/api/orders/feed/config';
/** Items per read, at most (the OpenAPI's "Maximum accepted value is 10"). */
export const MAX_FEED_LOT = 10;
/** The OpenAPI marks `maxlot` required; the sandbox reads a missing one as the smallest lot rather than refusing it. */
export const DEFAULT_FEED_LOT = 1;
const FEED_EMPTY_BODY = 'body must be a JSON object';

export interface FeedBackend extends FaultGate {
  readonly feed: OrderFeed;
  /** A configuration was saved: status steps start being published, as when a hook is saved. */
  configured(): void;
  /** Every authenticated Feed v3 request, faulted ones included. */
  countRequest(): void;
}

const commitSchema = z.object({ handles: z.array(z.string()) });

export function createFeedRoutes(backend: FeedBackend): SandboxRoutes {
  return async (req, res, path, query) => {
    const method = req.method ?? 'GET';
    if (path === FEED_CONFIG_PATH) {
      backend.countRequest();
      await configRoute(backend, req, res, method);
      return true;
    }
    if (path !== FEED_PATH) return false;
    if (method !== 'GET' && method !== 'POST') {
      sendError(res, 405, '405', `${method} not allowed`);
      return true;
    }
    backend.countRequest();
    // The body is read first, so a faulted commit still leaves the connection reusable.
    const body = method === 'POST' ? await readJson(req, FEED_EMPTY_BODY) : undefined;
    if (await answerFault(backend, res)) return true;
    if (method === 'GET') readItems(backend, res, query);
    else commitItems(backend, res, body);
    return true;
  };
}

async function configRoute(backend: FeedBackend, req: IncomingMessage, res: ServerResponse, method: string): Promise<void> {
  switch (method) {
    case 'GET': {
      const status = backend.feed.status();
      return status === null ? noFeed(res) : sendJson(res, 200, status);
    }
    case 'POST': {
      const body = await readJson(req, FEED_EMPTY_BODY);
      if (!body.ok) return sendError(res, 400, '400', body.message);
      const parsed = parseFeedConfig(body.value);
      if (!parsed.ok) return sendError(res, parsed.status, String(parsed.status), parsed.message);
      backend.feed.configure(parsed.config);
      backend.configured();
      return sendEmpty(res);
    }
    case 'DELETE':
      return backend.feed.remove() ? sendEmpty(res) : noFeed(res);
    default:
      return sendError(res, 405, '405', `${method} not allowed`);
  }
}

function readItems(backend: FeedBackend, res: ServerResponse, query: URLSearchParams): void {
  if (backend.feed.config() === null) return noFeed(res);
  const lot = maxLot(query.get('maxlot'));
  if (lot === undefined) return sendError(res, 400, '400', `maxlot must be an integer between 1 and ${MAX_FEED_LOT}`);
  sendJson(res, 200, backend.feed.receive(lot) ?? []);
}

function commitItems(backend: FeedBackend, res: ServerResponse, body: JsonBody | undefined): void {
  if (backend.feed.config() === null) return noFeed(res);
  if (body === undefined || !body.ok) return sendError(res, 400, '400', body?.message ?? 'body is required');
  const parsed = commitSchema.safeParse(body.value);
  if (!parsed.success) return sendError(res, 400, '400', 'body must be {"handles": ["<handle>", ...]}');
  backend.feed.commit(parsed.data.handles);
  sendEmpty(res);
}

function maxLot(raw: string | null): number | undefined {
  if (raw === null || raw === '') return DEFAULT_FEED_LOT;
  if (!/^\d{1,2}$/.test(raw)) return undefined;
  const lot = Number(raw);
  return lot >= 1 && lot <= MAX_FEED_LOT ? lot : undefined;
}

function noFeed(res: ServerResponse): void {
  sendError(res, 404, '404', 'No feed configured for this appKey');
}

function sendEmpty(res: ServerResponse): void {
  res.writeHead(200, { 'content-length': 0 });
  res.end();
}

