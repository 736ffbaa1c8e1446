/**
 * Hands out each connection to one caller at a time, first come first served. A query holds its
 * connection alone, so interrupting that connection stops that query and nothing queued behind
 * it (DuckDB runs one statement per connection at a time; a shared connection would let a
 * timeout interrupt someone else's query).
 */
export class ConnectionPool<C> {
  private readonly idle: C[];
  private readonly waiting: ((conn: C) => void)[] = [];

  constructor(connections: readonly C[]) {
    if (connections.length === 0) throw new Error('a connection pool needs at least one connection');
    this.idle = [...connections];
  }

  /**
   * Runs `fn` with a connection of its own. `signal` gives up while still waiting for one (the
   * promise rejects with the signal's reason); once `fn` runs, stopping it is `fn`'s business.
   */
  async use<T>(fn: (conn: C) => Promise<T>, signal?: AbortSignal): Promise<T> {
    const conn = await this.acquire(signal);
    try {
      return await fn(conn);
    } finally {
      this.release(conn);
    }
  }

  private acquire(signal: AbortSignal | undefined): Promise<C> {
    signal?.throwIfAborted();
    const conn = this.idle.pop();
    if (conn !== undefined) return Promise.resolve(conn);
    return new Promise<C>((resolve, reject) => {
      const grant = (c: C) => {
        signal?.removeEventListener('abort', onAbort);
        resolve(c);
      };
      const onAbort = () => {
        const i = this.waiting.indexOf(grant);
        if (i >= 0) this.waiting.splice(i, 1);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(grant);
    });
  }

  private release(conn: C): void {
    const next = this.waiting.shift();
    if (next) next(conn);
    else this.idle.push(conn);
  }
}
