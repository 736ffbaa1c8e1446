import type { IncomingMessage, ServerResponse } from 'node:http';
import { projectClDocument, type ClDocument, type CustomerRecord } from './master-data-cl-document.js';
import type { CustomerIndex } from './master-data-customers.js';
import { parseQuery } from './master-data-query.js';
import { DEFAULT_SCROLL_SIZE, MAX_SCROLL_SIZE, type ScrollAnswer, type ScrollRegistry } from './master-data-scroll.js';
import type { SandboxRoutes } from './oms-routes.js';
import { answerFault, type FaultDialect, type FaultGate } from './fault-response.js';

/**
 * Master Data v1 for the `CL` entity: `GET /api/dataentities/CL/search` and `/scroll`, served
 * behind the OMS routes' authentication with the same injected faults as Get order. Master Data
 * answers errors as `{"Message": "..."}` (the OpenAPI's 400 body), not OMS's envelope, and an
 * overloaded `/search` answers 503 where `/scroll` answers 429, as the OpenAPI documents.
 */

export const MASTER_DATA_PREFIX = '/api/dataentities/';
export const CL_SEARCH_PATH = '/api/dataentities/CL/search';
export const CL_SCROLL_PATH = '/api/dataentities/CL/scroll';
/** Documents per search request. */
export const MAX_SEARCH_RANGE = 100;
/**
 * How deep search pages; beyond it VTEX sends readers to scroll. The docs imply this cap rather
 * than state it; the sandbox enforces it so clients prove they stay inside.
 */
export const SEARCH_WINDOW = 10_000;
/** REST-Range is required by the OpenAPI; without it the sandbox answers this many (VTEX documents no default). */
export const DEFAULT_SEARCH_RANGE = 15;

export interface MasterDataBackend extends FaultGate {
  readonly customers: CustomerIndex;
  readonly scrolls: ScrollRegistry;
}

const SCROLL_PARAMS: ReadonlySet<string> = new Set(['_size']);

export function createMasterDataRoutes(backend: MasterDataBackend): SandboxRoutes {
  return async (req, res, path, query) => {
    if (!path.startsWith(MASTER_DATA_PREFIX)) return false;
    const method = req.method ?? 'GET';
    if (path !== CL_SEARCH_PATH && path !== CL_SCROLL_PATH) {
      sendError(res, 404, 'Resource not found; the sandbox serves search and scroll of the CL entity');
      return true;
    }
    if (method !== 'GET') {
      sendError(res, 405, `${method} not allowed`);
      return true;
    }
    const search = path === CL_SEARCH_PATH;
    if (await answerFault(backend, res, masterDataDialect(search ? 503 : 429))) return true;
    if (search) searchDocuments(backend, req, res, query);
    else scrollDocuments(backend, res, query);
    return true;
  };
}

function searchDocuments(backend: MasterDataBackend, req: IncomingMessage, res: ServerResponse, query: URLSearchParams): void {
  const range = restRange(req.headers['rest-range']);
  if (!range.ok) return sendError(res, 400, range.message);
  const parsed = parseQuery(query, backend.customers.account);
  if (!parsed.ok) return sendError(res, 400, parsed.message);
  const matching = backend.customers.select(parsed.query);
  const page = matching.slice(range.from, range.to);
  sendJson(res, 200, documents(backend, page, parsed.query.fields), {
    'REST-Content-Range': `resources=${range.from}-${range.from + page.length}/${matching.length}`,
  });
}

function scrollDocuments(backend: MasterDataBackend, res: ServerResponse, query: URLSearchParams): void {
  const token = query.get('_token');
  let answer: ScrollAnswer;
  if (token !== null) {
    // Later calls carry only the token; filters and size belong to the first call.
    answer = backend.scrolls.next(token);
  } else {
    const size = scrollSize(query.get('_size'));
    if (size === undefined) return sendError(res, 400, `_size must be an integer between 1 and ${MAX_SCROLL_SIZE}`);
    const parsed = parseQuery(query, backend.customers.account, SCROLL_PARAMS);
    if (!parsed.ok) return sendError(res, 400, parsed.message);
    answer = backend.scrolls.start(backend.customers.select(parsed.query), parsed.query.fields, size);
  }
  if (!answer.ok) return sendError(res, 400, answer.message);
  const headers: Record<string, string> = { 'REST-Content-Total': String(answer.total) };
  if (answer.token !== undefined) headers['X-VTEX-MD-TOKEN'] = answer.token;
  sendJson(res, 200, documents(backend, answer.records, answer.fields), headers);
}

function documents(backend: MasterDataBackend, records: readonly CustomerRecord[], fields: readonly (keyof ClDocument)[]): Partial<ClDocument>[] {
  return records.map((record) => projectClDocument(record, backend.customers.account, fields));
}

type RangeParse = { ok: true; from: number; to: number } | { ok: false; message: string };

/** `resources=x-y`, y exclusive, at most MAX_SEARCH_RANGE wide and inside SEARCH_WINDOW. */
function restRange(raw: string | string[] | undefined): RangeParse {
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (value === undefined || value.trim() === '') return { ok: true, from: 0, to: DEFAULT_SEARCH_RANGE };
  const match = /^\s*resources=(\d{1,9})-(\d{1,9})\s*$/i.exec(value);
  if (match === null) return { ok: false, message: 'REST-Range must look like resources=0-100' };
  const from = Number(match[1]);
  const to = Number(match[2]);
  if (to <= from) return { ok: false, message: `REST-Range ${value.trim()} is empty: the end is exclusive and must exceed the start` };
  if (to - from > MAX_SEARCH_RANGE) return { ok: false, message: `REST-Range asks for ${to - from} documents; at most ${MAX_SEARCH_RANGE} per request` };
  if (to > SEARCH_WINDOW) return { ok: false, message: `Search pages at most ${SEARCH_WINDOW} documents deep; use /scroll to read further` };
  return { ok: true, from, to };
}

function scrollSize(raw: string | null): number | undefined {
  if (raw === null || raw === '') return DEFAULT_SCROLL_SIZE;
  if (!/^\d{1,4}$/.test(raw)) return undefined;
  const size = Number(raw);
  return size >= 1 && size <= MAX_SCROLL_SIZE ? size : undefined;
}

/** Master Data's way of failing: `{"Message"}` bodies, and `throttleStatus` (503 on /search, 429 on /scroll) when overloaded. */
function masterDataDialect(throttleStatus: 429 | 503): FaultDialect {
  return {
    throttle(res, retryAfterSeconds) {
      sendJson(res, throttleStatus, { Message: 'Too many requests; the endpoint is temporarily blocked for this account' }, {
        'Retry-After': String(retryAfterSeconds),
      });
    },
    fail(res, status) {
      sendError(res, status, 'Internal error, try again');
    },
  };
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...headers, 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function sendError(res: ServerResponse, status: number, message: string): void {
  sendJson(res, status, { Message: message });
}
