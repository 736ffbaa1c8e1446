/**
 * Posts OpenLineage run events to an OpenLineage HTTP endpoint (Marquez's `/api/v1/lineage`).
 *
 * Lineage is a by-product of a run, never a condition for it: `start`, `complete` and `fail` only
 * map and enqueue, and one background loop sends the queue in order. Requests go through the
 * shared HTTP client (ingest/http), so timeouts, retries with jitter, Retry-After and secret
 * scrubbing are the same as for every other outbound call. An event the backend keeps refusing
 * is dropped with a warning, and so is the oldest waiting event when the queue is full: a lineage
 * backend that is down must not grow Farol's memory without bound.
 */
import { setTimeout as sleepFor } from 'node:timers/promises';
import { Agent } from 'undici';
import {
  createHttpClient,
  createRedactor,
  HttpClientClosedError,
  ResponseValidationError,
  type HttpClient,
  type Redactor,
  type RetryPolicy,
} from '../../ingest/http/index.js';
import { silentLogger, type Logger } from '../../observability/logger.js';
import type { LineageRun, LineageRunStats, LineageSink } from './lineage-types.js';
import {
  toOpenLineageEvent,
  type LineageTransition,
  type OpenLineageEventOptions,
  type OpenLineageRunEvent,
} from './openlineage-event.js';

/** Path of the OpenLineage HTTP transport, as Marquez serves it. */
export const LINEAGE_API_PATH = '/api/v1/lineage';
/** Deadline of one POST; a lineage backend that needs longer is treated as down. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 5_000;
/** Events waiting to be sent; beyond this the oldest waiting one is dropped. */
export const DEFAULT_MAX_QUEUE = 1_000;
/** How long `flush()` (and `close()`) wait for the queue to empty. */
export const DEFAULT_FLUSH_TIMEOUT_MS = 5_000;
/**
 * A few quick retries: lineage is worth a short wait, not a long one. Retry-After longer than
 * `maxRetryAfterMs` gives the event up instead of stalling every event behind it.
 */
export const DEFAULT_LINEAGE_RETRY: Readonly<Pick<RetryPolicy, 'maxAttempts' | 'baseDelayMs' | 'maxDelayMs' | 'maxRetryAfterMs'>> =
  Object.freeze({ maxAttempts: 4, baseDelayMs: 500, maxDelayMs: 8_000, maxRetryAfterMs: 30_000 });
/** After the first dropped event, a warning every this many drops: enough to see, not a flood. */
export const DROP_WARNING_EVERY = 100;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface OpenLineageSinkOptions {
  /** The backend's base URL (`http://marquez:5000`) or the full endpoint ending in LINEAGE_API_PATH. */
  readonly url: string;
  /** Sent as `Authorization: Bearer <apiKey>`; never logged. */
  readonly apiKey?: string;
  readonly jobNamespace?: string;
  readonly farolVersion?: string;
  readonly logger?: Logger;
  readonly requestTimeoutMs?: number;
  readonly maxQueue?: number;
  /** Overrides DEFAULT_LINEAGE_RETRY; tests inject `sleep` and `random`. */
  readonly retry?: Partial<RetryPolicy>;
  /** Event time source; injected in tests. */
  readonly now?: () => Date;
}

/**
 * The endpoint events go to. A URL already ending in LINEAGE_API_PATH is used as it is; any other
 * URL is the backend's base, and the path is appended to it (after a trailing slash is removed).
 */
export function lineageEndpoint(url: string): URL {
  const endpoint = new URL(url);
  const path = endpoint.pathname.replace(/\/+$/, '');
  endpoint.pathname = path.endsWith(LINEAGE_API_PATH) ? path : `${path}${LINEAGE_API_PATH}`;
  endpoint.hash = '';
  return endpoint;
}

export class OpenLineageSink implements LineageSink {
  private readonly log: Logger;
  private readonly client: HttpClient;
  private readonly agent: Agent;
  private readonly requestPath: string;
  private readonly redactor: Redactor;
  private readonly eventOptions: OpenLineageEventOptions;
  private readonly maxQueue: number;
  private readonly now: () => Date;
  /** Aborts retry sleeps on close, so a backed-off request does not hold shutdown. */
  private readonly stop = new AbortController();

  private readonly queue: OpenLineageRunEvent[] = [];
  private worker: Promise<void> | undefined;
  private idle: { promise: Promise<void>; resolve: () => void } | undefined;
  private closed = false;
  private droppedCount = 0;
  private deliveredCount = 0;

  constructor(options: OpenLineageSinkOptions) {
    const endpoint = lineageEndpoint(options.url);
    if (endpoint.protocol !== 'http:' && endpoint.protocol !== 'https:') {
      throw new TypeError(`OpenLineage URL must be http(s), got ${endpoint.protocol}`);
    }
    const maxQueue = options.maxQueue ?? DEFAULT_MAX_QUEUE;
    if (!Number.isInteger(maxQueue) || maxQueue < 1) throw new RangeError(`maxQueue must be an integer >= 1, got ${maxQueue}`);
    this.maxQueue = maxQueue;
    this.now = options.now ?? (() => new Date());
    this.eventOptions = Object.freeze({
      ...(options.jobNamespace === undefined ? {} : { jobNamespace: options.jobNamespace }),
      ...(options.farolVersion === undefined ? {} : { farolVersion: options.farolVersion }),
    });
    this.log = (options.logger ?? silentLogger()).child({ component: 'openlineage' });

    const headers: Record<string, string> = options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {};
    const secrets = options.apiKey ? [options.apiKey] : [];
    this.redactor = createRedactor(secrets, headers);
    this.requestPath = `${endpoint.pathname}${endpoint.search}`;
    // Our own agent, so close() can cut a request in flight instead of waiting out its timeout.
    this.agent = new Agent({ keepAliveTimeout: 10_000, keepAliveMaxTimeout: 10_000 });
    const stopped = new Promise<void>((resolve) => this.stop.signal.addEventListener('abort', () => resolve(), { once: true }));
    const sleep = options.retry?.sleep ?? ((ms: number) => sleepFor(ms, undefined, { ref: false }));
    this.client = createHttpClient({
      source: 'openlineage',
      baseUrl: endpoint.origin,
      headers,
      secrets,
      timeoutMs: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
      retry: { ...DEFAULT_LINEAGE_RETRY, ...options.retry, sleep: (ms) => Promise.race([sleep(ms), stopped]) },
      logger: options.logger ?? silentLogger(),
      dispatcher: this.agent,
    });
  }

  /** Events queued or being sent. */
  get pending(): number {
    return this.queue.length + (this.worker ? 1 : 0);
  }

  /** Events given up on so far: queue overflow, refusals, retries exhausted, or left at close. */
  get dropped(): number {
    return this.droppedCount;
  }

  /** Events the backend accepted. */
  get delivered(): number {
    return this.deliveredCount;
  }

  start(run: LineageRun): void {
    this.emit(run, { kind: 'start' });
  }

  complete(run: LineageRun, stats: LineageRunStats): void {
    this.emit(run, { kind: 'complete', stats });
  }

  fail(run: LineageRun, error: string): void {
    this.emit(run, { kind: 'fail', error });
  }

  abort(run: LineageRun): void {
    this.emit(run, { kind: 'abort' });
  }

  async flush(timeoutMs: number = DEFAULT_FLUSH_TIMEOUT_MS): Promise<void> {
    if (this.isIdle()) return;
    this.idle ??= deferred();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, Math.max(0, timeoutMs));
    });
    try {
      await Promise.race([this.idle.promise, timedOut]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Stops taking events, waits up to `timeoutMs` for the queue, then drops what is left. */
  async close(timeoutMs: number = DEFAULT_FLUSH_TIMEOUT_MS): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.flush(timeoutMs);
    const left = this.pending;
    this.stop.abort();
    await this.client.close();
    await this.agent.destroy();
    await this.worker;
    if (left > 0) this.log.warn({ undelivered: left }, `${left} lineage event(s) not delivered before shutdown`);
  }

  private emit(run: LineageRun, transition: LineageTransition): void {
    try {
      if (this.closed) {
        this.log.debug({ runId: run.runId, transition: transition.kind }, 'lineage sink closed; event ignored');
        return;
      }
      if (!UUID.test(run.runId)) {
        this.log.warn({ runId: run.runId, job: run.job }, 'run id is not a UUID, which OpenLineage requires; lineage event skipped');
        return;
      }
      const event = toOpenLineageEvent(run, transition, this.now(), this.eventOptions);
      if (this.queue.length >= this.maxQueue) {
        const oldest = this.queue.shift();
        this.droppedCount += 1;
        if (this.droppedCount === 1 || this.droppedCount % DROP_WARNING_EVERY === 0) {
          this.log.warn(
            { dropped: this.droppedCount, maxQueue: this.maxQueue, runId: oldest?.run.runId, eventType: oldest?.eventType },
            'lineage queue full; oldest waiting event dropped',
          );
        }
      }
      this.queue.push(event);
      this.drain();
    } catch (err) {
      // Unreachable by design (the mapping is total); kept so a bug here cannot fail a run.
      this.log.warn({ runId: run?.runId, error: this.redactor.text(String(err)) }, 'could not record a lineage event');
    }
  }

  private isIdle(): boolean {
    return this.queue.length === 0 && this.worker === undefined;
  }

  /** Starts the single send loop unless it runs; it restarts itself if events arrived as it ended. */
  private drain(): void {
    if (this.worker || this.stop.signal.aborted) return;
    this.worker = this.sendQueued().then(() => {
      this.worker = undefined;
      if (this.queue.length > 0 && !this.stop.signal.aborted) {
        this.drain();
        return;
      }
      if (this.stop.signal.aborted) {
        this.droppedCount += this.queue.length;
        this.queue.length = 0;
      }
      this.idle?.resolve();
      this.idle = undefined;
    });
  }

  private async sendQueued(): Promise<void> {
    for (let event = this.queue.shift(); event; event = this.queue.shift()) {
      await this.send(event);
      if (this.stop.signal.aborted) return;
    }
  }

  /** Never rejects: every outcome is delivered, or dropped with a warning. */
  private async send(event: OpenLineageRunEvent): Promise<void> {
    try {
      // A repeated event restates the same run transition, so retrying a POST that may have
      // landed is safe: backends key runs by runId and keep the latest facets.
      await this.client.request({ method: 'POST', path: this.requestPath, body: event, idempotent: true });
      this.deliveredCount += 1;
    } catch (err) {
      if (err instanceof ResponseValidationError) {
        // 2xx with a body that is not JSON: the backend took the event; its reply is not ours to judge.
        this.deliveredCount += 1;
        return;
      }
      this.droppedCount += 1;
      if (err instanceof HttpClientClosedError || this.stop.signal.aborted) return;
      this.log.warn(
        { runId: event.run.runId, job: event.job.name, eventType: event.eventType, error: this.redactor.text(errorText(err)) },
        'lineage event not delivered; dropped',
      );
    }
  }
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}
