import { Agent, request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createLogger } from '../../src/observability/logger.js';
import {
  createHttpClient,
  isTransient,
  ResponseValidationError,
  TerminalHttpError,
  TimeoutError,
  TransientHttpError,
  type HttpAttemptEvent,
  type HttpClient,
  type HttpClientOptions,
} from '../../src/ingest/http/index.js';
import { captureStream, closedPort, delay, sendJson, startServer, type Handler, type TestServer } from './support/test-server.js';

/** Retries fast enough for a test suite; Retry-After still dominates when a server sends it. */
const FAST_RETRY = { baseDelayMs: 10, maxDelayMs: 40 } as const;

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function serve(handler: Handler): Promise<TestServer> {
  const server = await startServer(handler);
  cleanups.push(() => server.close());
  return server;
}

function client(baseUrl: string, options: Partial<HttpClientOptions> = {}): HttpClient {
  const created = createHttpClient({ source: 'vtex', baseUrl, retry: FAST_RETRY, ...options });
  cleanups.push(() => created.close());
  return created;
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected the request to fail');
}

describe('http client against a real server', () => {
  it('sends JSON with the configured headers and parses a validated JSON answer', async () => {
    const server = await serve((req, res) =>
      sendJson(res, 200, { echo: JSON.parse(req.body) as unknown, q: req.url, key: req.headers['x-vtex-api-appkey'] }),
    );
    const http = client(server.url, { headers: { 'X-VTEX-API-AppKey': 'vtexappkey-loja-ABC' } });
    const res = await http.request({
      method: 'PUT',
      path: '/api/thing',
      query: { f_status: 'invoiced', page: 2, skip: undefined },
      body: { a: 1 },
      schema: z.object({ echo: z.object({ a: z.number() }), q: z.string(), key: z.string() }),
    });
    expect(res).toMatchObject({ status: 200, attempts: 1 });
    expect(res.data).toEqual({ echo: { a: 1 }, q: '/api/thing?f_status=invoiced&page=2', key: 'vtexappkey-loja-ABC' });
    expect(res.headers['content-type']).toBe('application/json');
    expect(server.requests[0]?.headers['content-type']).toMatch(/^application\/json/);
  });

  it('reuses keep-alive connections across requests', async () => {
    const server = await serve((_req, res) => sendJson(res, 200, { ok: true }));
    const http = client(server.url);
    for (let i = 0; i < 10; i++) await http.request({ path: '/ping' });
    // undici may open a second socket when the next request races the release of the first.
    expect(server.connections).toBeLessThanOrEqual(2);
  });

  it('accepts 204 and empty bodies', async () => {
    const server = await serve((req, res) => {
      res.writeHead(req.pathname === '/none' ? 204 : 200);
      res.end();
    });
    const http = client(server.url);
    expect((await http.request({ path: '/none', method: 'DELETE' })).data).toBeUndefined();
    expect((await http.request({ path: '/empty' })).data).toBeUndefined();
  });

  it('honours Retry-After on 429 before trying again', async () => {
    const server = await serve((req, res) =>
      req.index === 0 ? sendJson(res, 429, { error: 'slow down' }, { 'retry-after': '1' }) : sendJson(res, 200, { ok: true }),
    );
    const http = client(server.url);
    const res = await http.request({ path: '/api/catalog/pvt/product/1' });
    expect(res).toMatchObject({ status: 200, attempts: 2, data: { ok: true } });
    const [first, second] = server.requests;
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(990);
  });

  it('pauses the whole client on 429, so concurrent requests back off together', async () => {
    const server = await serve(async (req, res) => {
      if (req.pathname === '/throttled' && req.index === 0) {
        sendJson(res, 429, {}, { 'retry-after': '1' });
        return;
      }
      sendJson(res, 200, { path: req.pathname });
    });
    const http = client(server.url);
    const throttled = http.request({ path: '/throttled' });
    await delay(100);
    const sibling = await http.request({ path: '/sibling' });
    await throttled;
    expect(sibling.attempts).toBe(1);
    const firstAt = server.requests[0]!.at;
    const siblingAt = server.requests.find((r) => r.pathname === '/sibling')!.at;
    expect(siblingAt - firstAt).toBeGreaterThanOrEqual(990);
  });

  it('fails fast, as transient, when Retry-After exceeds what the client waits in-process', async () => {
    const server = await serve((_req, res) => sendJson(res, 429, {}, { 'retry-after': '300' }));
    const http = client(server.url);
    const started = performance.now();
    const err = await failure(http.request({ path: '/api/oms/pvt/orders/1-01' }));
    expect(performance.now() - started).toBeLessThan(1000);
    expect(err).toBeInstanceOf(TransientHttpError);
    expect(err).toMatchObject({ status: 429, attempts: 1, retryAfterMs: 300_000 });
    expect(isTransient(err)).toBe(true);
    expect(server.requests).toHaveLength(1);
  });

  it('retries a 503 and succeeds', async () => {
    const server = await serve((req, res) =>
      req.index === 0 ? sendJson(res, 503, { error: 'busy' }) : sendJson(res, 200, { ok: true }),
    );
    const events: HttpAttemptEvent[] = [];
    const http = client(server.url, { onAttempt: (e) => events.push(e) });
    const res = await http.request({ path: '/api/oms/pvt/orders/123-01', query: { secretish: 'q' } });
    expect(res.attempts).toBe(2);
    expect(events.map((e) => [e.attempt, e.status])).toEqual([
      [1, 503],
      [2, 200],
    ]);
    expect(events[0]).toMatchObject({ source: 'vtex', method: 'GET', path: '/api/oms/pvt/orders/123-01' });
    expect(events[0]!.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('reports exhausted retries with status and attempts', async () => {
    const server = await serve((_req, res) => sendJson(res, 503, {}));
    const http = client(server.url, { retry: { ...FAST_RETRY, maxAttempts: 3 } });
    const err = await failure(http.request({ path: '/api/oms/pvt/orders/123-01' }));
    expect(err).toBeInstanceOf(TransientHttpError);
    expect((err as Error).message).toBe('vtex GET /api/oms/pvt/orders/123-01 failed with 503 after 3 attempts');
    expect(server.requests).toHaveLength(3);
  });

  it('times out a slow answer and succeeds on the next attempt', async () => {
    const server = await serve(async (req, res) => {
      if (req.index === 0) await delay(600);
      sendJson(res, 200, { attempt: req.index + 1 });
    });
    const events: HttpAttemptEvent[] = [];
    const http = client(server.url, { timeoutMs: 250, onAttempt: (e) => events.push(e) });
    const res = await http.request({ path: '/slow' });
    expect(res).toMatchObject({ attempts: 2, data: { attempt: 2 } });
    expect(events[0]).toMatchObject({ attempt: 1, error: 'timeout' });
    expect(events[0]!.status).toBeUndefined();
  });

  it('gives up with TimeoutError when every attempt is too slow', async () => {
    const server = await serve(async (_req, res) => {
      await delay(300);
      sendJson(res, 200, {});
    });
    const http = client(server.url, { timeoutMs: 50, retry: { ...FAST_RETRY, maxAttempts: 2 } });
    const err = await failure(http.request({ path: '/slow', timeoutMs: 60 }));
    expect(err).toBeInstanceOf(TimeoutError);
    expect(err).toMatchObject({ kind: 'timeout', timeoutMs: 60, attempts: 2 });
    expect(isTransient(err)).toBe(true);
  });

  it('retries a refused connection, then fails as transient', async () => {
    const port = await closedPort();
    const events: HttpAttemptEvent[] = [];
    const http = client(`http://127.0.0.1:${port}`, { retry: { ...FAST_RETRY, maxAttempts: 3 }, onAttempt: (e) => events.push(e) });
    const err = await failure(http.request({ path: '/api/oms/pvt/orders' }));
    expect(err).toBeInstanceOf(TransientHttpError);
    expect(err).toMatchObject({ code: 'ECONNREFUSED', attempts: 3, status: undefined });
    expect((err as Error).message).toBe('vtex GET /api/oms/pvt/orders failed with ECONNREFUSED after 3 attempts');
    expect(events.map((e) => e.error)).toEqual(['ECONNREFUSED', 'ECONNREFUSED', 'ECONNREFUSED']);
    expect(isTransient(err)).toBe(true);
  });

  it('retries when the server drops the socket', async () => {
    const server = await serve((req, res) => {
      if (req.index === 0) {
        res.socket?.destroy();
        return;
      }
      sendJson(res, 200, { ok: true });
    });
    const res = await client(server.url).request({ path: '/flaky' });
    expect(res.attempts).toBe(2);
  });

  it('does not retry a 404, and keeps a body excerpt', async () => {
    const server = await serve((_req, res) => sendJson(res, 404, { error: { message: 'Order not found' } }));
    const err = await failure(client(server.url).request({ path: '/api/oms/pvt/orders/404-01' }));
    expect(err).toBeInstanceOf(TerminalHttpError);
    expect(err).toMatchObject({ kind: 'terminal', status: 404, source: 'vtex', method: 'GET', path: '/api/oms/pvt/orders/404-01' });
    expect((err as TerminalHttpError).bodyExcerpt).toContain('Order not found');
    expect(isTransient(err)).toBe(false);
    expect(server.requests).toHaveLength(1);
  });

  it('does not retry a POST on 500, but does on 503 and when marked idempotent', async () => {
    const server = await serve((req, res) => {
      const failing = req.pathname === '/busy' ? 503 : 500;
      if (req.query.get('n') !== 'ok' && server.requests.filter((r) => r.pathname === req.pathname).length === 1) {
        sendJson(res, failing, {});
        return;
      }
      sendJson(res, 201, { created: true });
    });
    const http = client(server.url);

    const err = await failure(http.request({ method: 'POST', path: '/api/orders/feed', body: { handles: ['h1'] } }));
    expect(err).toBeInstanceOf(TransientHttpError);
    expect(err).toMatchObject({ status: 500, attempts: 1 });
    expect((err as Error).message).toContain('POST is not retried automatically');
    expect(server.requests.filter((r) => r.pathname === '/api/orders/feed')).toHaveLength(1);

    expect((await http.request({ method: 'POST', path: '/busy', body: {} })).attempts).toBe(2);
    expect((await http.request({ method: 'POST', path: '/search', body: {}, idempotent: true })).attempts).toBe(2);
  });

  it('rejects a body that fails the schema, naming the issue paths, without retrying', async () => {
    const server = await serve((_req, res) => sendJson(res, 200, { list: [{ orderId: 7 }], paging: {} }));
    const schema = z.object({ list: z.array(z.object({ orderId: z.string() })), paging: z.object({ pages: z.number() }) });
    const err = await failure(client(server.url).request({ path: '/api/oms/pvt/orders', query: { page: 1 }, schema }));
    expect(err).toBeInstanceOf(ResponseValidationError);
    const message = (err as Error).message;
    expect(message).toMatch(/^vtex GET \/api\/oms\/pvt\/orders returned a body that failed validation at /);
    expect(message).toContain('list.0.orderId');
    expect(message).toContain('paging.pages');
    expect(isTransient(err)).toBe(false);
    expect(server.requests).toHaveLength(1);
  });

  it('reports a non-JSON 200 as a validation error', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html>login</html>');
    });
    const err = await failure(client(server.url).request({ path: '/admin' }));
    expect(err).toBeInstanceOf(ResponseValidationError);
    expect((err as Error).message).toContain('body is not JSON (content-type text/html)');
  });

  it('refuses to follow an absolute URL to another origin with the source credentials', async () => {
    const server = await serve((_req, res) => sendJson(res, 200, {}));
    const err = await failure(client(server.url).request({ path: 'http://203.0.113.9/steal' }));
    expect(err).toBeInstanceOf(TerminalHttpError);
    expect(err).toMatchObject({ code: 'CROSS_ORIGIN_REFUSED' });
    expect(server.requests).toHaveLength(0);
  });

  it('holds 20 requests at 10 requests per second to about two seconds', async () => {
    const server = await serve((_req, res) => sendJson(res, 200, {}));
    const http = client(server.url, { rateLimit: { requestsPerSecond: 10 } });
    const started = performance.now();
    await Promise.all(Array.from({ length: 20 }, (_, i) => http.request({ path: `/r/${i}` })));
    expect(performance.now() - started).toBeGreaterThanOrEqual(1850);
    const gaps = server.requests.slice(1).map((r, i) => r.at - server.requests[i]!.at);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(50);
  });

  it('rejects requests after close', async () => {
    const server = await serve((_req, res) => sendJson(res, 200, {}));
    const http = createHttpClient({ source: 'vtex', baseUrl: server.url });
    await http.request({ path: '/x' });
    await http.close();
    await expect(http.request({ path: '/x' })).rejects.toThrow('the vtex http client is closed');
  });

  it('uses a caller-provided dispatcher and leaves it open on close', async () => {
    const server = await serve((_req, res) => sendJson(res, 200, { ok: true }));
    const agent = new Agent();
    cleanups.push(() => agent.close());
    const http = createHttpClient({ source: 'vtex', baseUrl: server.url, dispatcher: agent });
    await http.request({ path: '/a' });
    await http.close();
    const after = await request(`${server.url}/b`, { dispatcher: agent });
    expect(await after.body.json()).toEqual({ ok: true });
  });

  it('survives a throwing onAttempt hook', async () => {
    const server = await serve((_req, res) => sendJson(res, 200, { ok: true }));
    const http = client(server.url, {
      onAttempt: () => {
        throw new Error('metrics down');
      },
    });
    expect((await http.request({ path: '/x' })).data).toEqual({ ok: true });
  });
});

describe('secrets', () => {
  const APP_KEY = 'vtexappkey-lojaexemplo-KQZT7P';
  const APP_TOKEN = 'ZXCVBNMASDFGHJKLQWERTYUIOP1234567890';
  const MD_TOKEN = 'md-scroll-token-9f8e7d6c';
  const SESSION = '0f4c1a9e-7d6b-4e8a-9c61-0d5e2b7f4a18';

  it('never appear in captured logs or error messages, even when a server echoes them', async () => {
    // Echoes the request back, headers included, the way misbehaving gateways do.
    const server = await serve((req, res) => {
      const echo = { url: req.url, headers: req.headers, note: `token ${APP_TOKEN}` };
      if (req.pathname.endsWith('/retry-me') && req.index === 0) return sendJson(res, 500, echo);
      if (req.pathname.endsWith('/retry-me')) return sendJson(res, 401, echo);
      if (req.pathname.endsWith('/bad-shape')) return sendJson(res, 200, { token: APP_TOKEN, count: 'x' });
      return sendJson(res, 502, echo);
    });
    const logs = captureStream();
    const http = client(server.url, {
      headers: { 'X-VTEX-API-AppKey': APP_KEY, 'X-VTEX-API-AppToken': APP_TOKEN },
      secrets: [MD_TOKEN],
      logger: createLogger({ level: 'trace', destination: logs.stream }),
      retry: { ...FAST_RETRY, maxAttempts: 2 },
    });

    const errors = [
      await failure(http.request({ path: `/api/dataentities/CL/scroll/retry-me`, query: { _token: MD_TOKEN } })),
      await failure(
        http.request({
          path: `/api/sessions/${SESSION}/retry-me`,
          headers: { Cookie: `B1SESSION=${SESSION}; ROUTEID=.node1` },
        }),
      ),
      await failure(http.request({ path: `/api/${MD_TOKEN}/bad-shape`, schema: z.object({ token: z.number(), count: z.number() }) })),
      await failure(http.request({ method: 'POST', path: '/api/echo', body: { appToken: APP_TOKEN } })),
    ];

    const captured = logs.text();
    expect(logs.records().length).toBeGreaterThan(4);
    expect(captured).toContain('http attempt');
    for (const err of errors) {
      expect(err).toBeInstanceOf(Error);
      const text = `${(err as Error).message} ${JSON.stringify(err)}`;
      for (const secret of [APP_KEY, APP_TOKEN, MD_TOKEN, SESSION]) {
        expect(text).not.toContain(secret);
        expect(captured).not.toContain(secret);
      }
    }
    // The echo did reach the error, scrubbed: proof the redactor ran rather than the body being dropped.
    expect((errors[0] as TerminalHttpError).bodyExcerpt).toContain('[redacted]');
    expect((errors[1] as Error).message).toContain('/api/sessions/[redacted]/retry-me');
  });
});
