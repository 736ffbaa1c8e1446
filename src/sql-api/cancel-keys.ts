import { randomInt, timingSafeEqual } from 'node:crypto';

/** What a CancelRequest can reach: the session's running statement. */
export interface Cancellable {
  cancel(): void;
}

/**
 * BackendKeyData of every open session: a CancelRequest (sent on a new connection, before any
 * authentication, as PostgreSQL defines it) names a process id and its secret; only a matching
 * secret cancels, compared in constant time.
 */
export class CancelKeys {
  readonly #sessions = new Map<number, { readonly secret: number; readonly target: Cancellable }>();

  register(target: Cancellable): { readonly processId: number; readonly secretKey: number } {
    let processId: number;
    do processId = randomInt(1, 2 ** 31 - 1);
    while (this.#sessions.has(processId));
    const secretKey = randomInt(-(2 ** 31), 2 ** 31 - 1);
    this.#sessions.set(processId, { secret: secretKey, target });
    return { processId, secretKey };
  }

  unregister(processId: number): void {
    this.#sessions.delete(processId);
  }

  /** True when the key matched and the session was told to cancel. */
  cancel(processId: number, secretKey: number): boolean {
    const entry = this.#sessions.get(processId);
    if (!entry) return false;
    const a = Buffer.alloc(4);
    const b = Buffer.alloc(4);
    a.writeInt32BE(entry.secret);
    b.writeInt32BE(secretKey);
    if (!timingSafeEqual(a, b)) return false;
    entry.target.cancel();
    return true;
  }
}
