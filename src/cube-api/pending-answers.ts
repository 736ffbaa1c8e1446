import { LRUCache } from 'lru-cache';

/** Cube's own wait window (`continueWaitTimeout`, 5 s) before it answers `Continue wait`. */
export const DEFAULT_CONTINUE_WAIT_MS = 5_000;
/** Runs kept for callers to come back to; the oldest is forgotten past this (its caller then starts again). */
export const DEFAULT_MAX_PENDING = 1_000;
/** How long a run, finished or not, waits for its caller to poll again. */
export const DEFAULT_PENDING_TTL_MS = 10 * 60_000;

type Settled<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: unknown };

export type Answer<T> = { readonly done: true; readonly value: T } | { readonly done: false; readonly elapsedMs: number };

interface Entry<T> {
  readonly settled: Promise<Settled<T>>;
  readonly startedAt: number;
}

export interface PendingAnswersOptions {
  readonly waitMs?: number;
  readonly maxPending?: number;
  readonly ttlMs?: number;
}

/**
 * Cube's `Continue wait` protocol: a request whose answer takes longer than the wait window gets
 * `{ error: 'Continue wait' }` and its client asks again with the same request. The run started
 * by the first request is kept under the caller's key, so every poll waits on that one run (it
 * is never started twice, even with `renewQuery` or the result cache off), and the poll that
 * sees it finish takes the answer (or its error) and removes it.
 *
 * The key must identify the caller as well as the request; the stored promise never rejects, so
 * a run nobody comes back for cannot become an unhandled rejection.
 */
export class PendingAnswers<T> {
  readonly waitMs: number;
  readonly #runs: LRUCache<string, Entry<T>>;

  constructor(options: PendingAnswersOptions = {}) {
    this.waitMs = options.waitMs ?? DEFAULT_CONTINUE_WAIT_MS;
    this.#runs = new LRUCache<string, Entry<T>>({ max: options.maxPending ?? DEFAULT_MAX_PENDING, ttl: options.ttlMs ?? DEFAULT_PENDING_TTL_MS });
  }

  get size(): number {
    return this.#runs.size;
  }

  /** Joins the run under `key`, starting it with `start` if there is none; waits at most `waitMs`. */
  async answer(key: string, start: () => Promise<T>): Promise<Answer<T>> {
    let entry = this.#runs.get(key);
    if (!entry) {
      const settled = Promise.resolve()
        .then(start)
        .then((value): Settled<T> => ({ ok: true, value }), (error: unknown): Settled<T> => ({ ok: false, error }));
      entry = { settled, startedAt: performance.now() };
      this.#runs.set(key, entry);
    }
    const outcome = await withinWindow(entry.settled, this.waitMs);
    if (outcome === undefined) return { done: false, elapsedMs: Math.round(performance.now() - entry.startedAt) };
    if (this.#runs.peek(key) === entry) this.#runs.delete(key);
    if (!outcome.ok) throw outcome.error;
    return { done: true, value: outcome.value };
  }

  clear(): void {
    this.#runs.clear();
  }
}

async function withinWindow<T>(settled: Promise<Settled<T>>, waitMs: number): Promise<Settled<T> | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<undefined>((resolve) => {
    timer = setTimeout(resolve, waitMs, undefined);
    timer.unref();
  });
  try {
    return await Promise.race([settled, expired]);
  } finally {
    clearTimeout(timer);
  }
}
