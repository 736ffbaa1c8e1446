/**
 * The HTTP client every source connector uses: JSON over undici with keep-alive, one rate limiter
 * per client, and the retry loop. Retry decisions live in retry-policy.ts; this file only executes
 * them, so there is exactly one place where backoff and Retry-After are interpreted.
 */
import { Agent, request as undiciRequest, type Dispatcher } from 'undici';
import type { ZodType } from 'zod';
import { silentLogger } from '../../observability/logger.js';
import {
  ResponseValidationError,
  TerminalHttpError,
  TimeoutError,
  TransientHttpError,
  type HttpError,
  type HttpErrorContext,
} from './http-errors.js';
import type { HttpAttemptEvent, HttpClient, HttpClientOptions, HttpRequest, HttpResponse } from './http-types.js';
import { networkErrorCode } from './network-errors.js';
import { RateLimiter, RateLimiterClosedError } from './rate-limiter.js';
import { createRedactor, secretsFromHeaders, type Redactor } from './redact.js';
import { buildRequestUrl, displayPath } from './request-url.js';
import {
  THROTTLE_STATUSES,
  decideRetry,
  isIdempotent,
  parseRetryAfter,
  resolveRetryPolicy,
  type AttemptOutcome,
  type RetryDecision,
  type RetryPolicy,
} from './retry-policy.js';

/** Per-attempt deadline, connect to last body byte, when neither client nor request sets one. */
export const DEFAULT_TIMEOUT_MS = 10_000;
/** Idle keep-alive sockets are kept this long (servers' own shorter hints win). */
export const DEFAULT_KEEP_ALIVE_TIMEOUT_MS = 10_000;
/** Characters of an error response body kept in a TerminalHttpError. */
export const BODY_EXCERPT_CHARS = 500;
/** Body prefix scanned for the excerpt; bounds redaction work on huge error pages. */
const BODY_SCAN_CHARS = 64 * 1024;

export class HttpClientClosedError extends Error {
  constructor(source: string) {
    super(`the ${source} http client is closed`);
    this.name = 'HttpClientClosedError';
  }
}

interface ClientConfig {
  readonly source: string;
  readonly baseUrl: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  readonly retry: Readonly<RetryPolicy>;
}

type RawAttempt =
  | { kind: 'response'; status: number; headers: Record<string, string>; text: string }
  | { kind: 'timeout' }
  | { kind: 'network'; code: string };

interface RequestPlan {
  context: HttpErrorContext;
  redactor: Redactor;
  url: string;
  init: Pick<Dispatcher.RequestOptions, 'method' | 'headers' | 'body'>;
  timeoutMs: number;
  idempotent: boolean;
}

export function createHttpClient(options: HttpClientOptions): HttpClient {
  const config = resolveConfig(options);
  const redactor = createRedactor(options.secrets, config.headers);
  const log = (options.logger ?? silentLogger()).child({ component: 'http-client', source: config.source });
  const limiter = new RateLimiter(options.rateLimit, undefined, config.source);
  const ownsDispatcher = options.dispatcher === undefined;
  const dispatcher: Dispatcher =
    options.dispatcher ??
    new Agent({ keepAliveTimeout: DEFAULT_KEEP_ALIVE_TIMEOUT_MS, keepAliveMaxTimeout: DEFAULT_KEEP_ALIVE_TIMEOUT_MS });
  const onAttempt = options.onAttempt;
  let closed = false;

  function report(event: HttpAttemptEvent): void {
    const { source: _bound, ...fields } = event;
    log.debug(fields, 'http attempt');
    if (!onAttempt) return;
    try {
      onAttempt(event);
    } catch (err) {
      log.warn({ hookError: redactor.text(String(err)) }, 'onAttempt hook threw; ignored');
    }
  }

  function plan<T>(req: HttpRequest<T>): RequestPlan {
    const method = req.method ?? 'GET';
    const requestRedactor = req.headers ? redactor.with(secretsFromHeaders(req.headers)) : redactor;
    const context: HttpErrorContext = { source: config.source, method, path: requestRedactor.text(displayPath(req.path)) };
    let url: string;
    try {
      url = buildRequestUrl(config.baseUrl, req.path, req.query);
    } catch {
      throw new TerminalHttpError(context, { code: 'CROSS_ORIGIN_REFUSED' });
    }
    const headers: Record<string, string> = { accept: 'application/json', ...config.headers, ...lowerCaseKeys(req.headers) };
    let body: string | undefined;
    if (req.body !== undefined) {
      body = JSON.stringify(req.body);
      headers['content-type'] ??= 'application/json; charset=utf-8';
    }
    const timeoutMs = req.timeoutMs ?? config.timeoutMs;
    assertPositive('timeoutMs', timeoutMs);
    return {
      context,
      redactor: requestRedactor,
      url,
      init: { method, headers, body },
      timeoutMs,
      idempotent: isIdempotent(method, req.idempotent),
    };
  }

  async function request<T = unknown>(req: HttpRequest<T>): Promise<HttpResponse<T>> {
    if (closed) throw new HttpClientClosedError(config.source);
    const p = plan(req);
    const { context } = p;

    for (let attempt = 1; ; attempt++) {
      try {
        await limiter.acquire();
      } catch (err) {
        if (err instanceof RateLimiterClosedError) throw new HttpClientClosedError(config.source);
        throw err;
      }
      const started = performance.now();
      const raw = await sendOnce(dispatcher, p.url, p.init, p.timeoutMs);
      const durationMs = Math.round(performance.now() - started);
      report({
        source: config.source,
        method: context.method,
        path: context.path,
        durationMs,
        attempt,
        ...(raw.kind === 'response' ? { status: raw.status } : { error: raw.kind === 'timeout' ? 'timeout' : raw.code }),
      });

      if (raw.kind === 'response' && raw.status >= 200 && raw.status < 300) {
        return { status: raw.status, headers: raw.headers, data: parseBody(raw, req.schema, p), attempts: attempt };
      }

      const outcome = toOutcome(raw, config.retry.now());
      const decision = decideRetry(config.retry, { outcome, attempt, idempotent: p.idempotent });
      if (decision.kind === 'give-up') throw giveUpError(raw, decision, attempt, p, config.retry);

      // A throttling answer speaks for the whole source: siblings in flight must wait as well.
      if (outcome.kind === 'status' && THROTTLE_STATUSES.has(outcome.status) && decision.serverWaitMs) {
        limiter.pause(decision.serverWaitMs);
      }
      log.warn(
        { method: context.method, path: context.path, attempt, delayMs: decision.delayMs, failure: describe(raw) },
        `${config.source} ${context.method} ${context.path} failed with ${describe(raw)}; retrying in ${decision.delayMs} ms`,
      );
      await config.retry.sleep(decision.delayMs);
      if (closed) throw new HttpClientClosedError(config.source);
    }
  }

  return {
    source: config.source,
    baseUrl: config.baseUrl,
    request,
    async close() {
      if (closed) return;
      closed = true;
      limiter.close();
      if (ownsDispatcher) await dispatcher.close();
    },
  };
}

function resolveConfig(options: HttpClientOptions): ClientConfig {
  if (!options.source) throw new TypeError('http client needs a source name');
  let base: URL;
  try {
    base = new URL(options.baseUrl);
  } catch {
    throw new TypeError(`${options.source}: baseUrl is not an absolute URL`);
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:') {
    throw new TypeError(`${options.source}: baseUrl must be http(s), got ${base.protocol}`);
  }
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  assertPositive('timeoutMs', timeoutMs);
  return Object.freeze({
    source: options.source,
    baseUrl: options.baseUrl,
    headers: Object.freeze(lowerCaseKeys(options.headers)),
    timeoutMs,
    retry: resolveRetryPolicy(options.retry),
  });
}

function assertPositive(name: string, value: number): void {
  if (!(Number.isFinite(value) && value > 0)) throw new RangeError(`${name} must be a positive number, got ${value}`);
}

function lowerCaseKeys(headers: Readonly<Record<string, string>> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) out[name.toLowerCase()] = value;
  return out;
}

/** One attempt; never throws. The deadline covers connecting, headers and the whole body. */
async function sendOnce(
  dispatcher: Dispatcher,
  url: string,
  init: RequestPlan['init'],
  timeoutMs: number,
): Promise<RawAttempt> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const res = await undiciRequest(url, { ...init, dispatcher, signal: controller.signal });
    const text = await res.body.text();
    return { kind: 'response', status: res.statusCode, headers: flattenHeaders(res.headers), text };
  } catch (err) {
    if (controller.signal.aborted) return { kind: 'timeout' };
    return { kind: 'network', code: networkErrorCode(err) };
  } finally {
    clearTimeout(timer);
  }
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

function toOutcome(raw: RawAttempt, nowMs: number): AttemptOutcome {
  switch (raw.kind) {
    case 'response': {
      const retryAfterMs = parseRetryAfter(raw.headers['retry-after'], nowMs);
      return retryAfterMs === undefined
        ? { kind: 'status', status: raw.status }
        : { kind: 'status', status: raw.status, retryAfterMs };
    }
    case 'timeout':
      return { kind: 'timeout' };
    case 'network':
      return { kind: 'network', code: raw.code };
    default: {
      const unhandled: never = raw;
      return unhandled;
    }
  }
}

function describe(raw: RawAttempt): string {
  switch (raw.kind) {
    case 'response':
      return String(raw.status);
    case 'timeout':
      return 'a timeout';
    case 'network':
      return raw.code;
    default: {
      const unhandled: never = raw;
      return unhandled;
    }
  }
}

function giveUpError(
  raw: RawAttempt,
  decision: Extract<RetryDecision, { kind: 'give-up' }>,
  attempts: number,
  plan: RequestPlan,
  policy: Readonly<RetryPolicy>,
): HttpError {
  const { context } = plan;
  const notes: Record<typeof decision.reason, string | undefined> = {
    'not-retryable': undefined,
    'non-idempotent': `${context.method} is not retried automatically because the server may have acted on it`,
    'attempts-exhausted': undefined,
    'wait-too-long': `the next try is due in ${decision.waitMs} ms, beyond the ${policy.maxRetryAfterMs} ms this client waits in-process; retry later`,
  };
  const note = notes[decision.reason];
  const extra = {
    ...(note ? { note } : {}),
    ...(decision.waitMs !== undefined ? { retryAfterMs: decision.waitMs } : {}),
  };

  switch (raw.kind) {
    case 'response':
      if (decision.reason === 'not-retryable') {
        return new TerminalHttpError(context, { status: raw.status, bodyExcerpt: excerpt(raw.text, plan.redactor) });
      }
      return new TransientHttpError(context, { status: raw.status, attempts, ...extra });
    case 'timeout':
      return new TimeoutError(context, { timeoutMs: plan.timeoutMs, attempts, ...(note ? { note } : {}) });
    case 'network':
      if (decision.reason === 'not-retryable') return new TerminalHttpError(context, { code: raw.code });
      return new TransientHttpError(context, { code: raw.code, attempts, ...extra });
    default: {
      const unhandled: never = raw;
      return unhandled;
    }
  }
}

/** Redacts before cutting, so a secret straddling the cut cannot survive as a visible prefix. */
function excerpt(text: string, redactor: Redactor): string {
  const flat = redactor.text(text.slice(0, BODY_SCAN_CHARS)).replace(/\s+/g, ' ').trim();
  return flat.length > BODY_EXCERPT_CHARS ? `${flat.slice(0, BODY_EXCERPT_CHARS)}…` : flat;
}

function parseBody<T>(
  raw: Extract<RawAttempt, { kind: 'response' }>,
  schema: ZodType<T> | undefined,
  plan: RequestPlan,
): T {
  let data: unknown;
  if (raw.text.trim() !== '') {
    try {
      data = JSON.parse(raw.text);
    } catch {
      throw new ResponseValidationError(plan.context, {
        status: raw.status,
        issues: [{ path: '(root)', message: plan.redactor.text(`body is not JSON (content-type ${raw.headers['content-type'] ?? 'absent'})`) }],
      });
    }
  }
  if (!schema) return data as T;
  const parsed = schema.safeParse(data);
  if (parsed.success) return parsed.data;
  throw new ResponseValidationError(plan.context, {
    status: raw.status,
    issues: parsed.error.issues.map((issue) => ({
      path: issue.path.length > 0 ? issue.path.map(String).join('.') : '(root)',
      message: plan.redactor.text(issue.message),
    })),
  });
}
