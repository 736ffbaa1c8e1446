/**
 * A minimum interval between landing transactions, shared by the loops that land pushed records
 * (the hook's inbox mover and the order fetch worker).
 *
 * Why: on BigQuery every landing is a load job, and a project may run 100,000 of them a day. A
 * steady trickle of hooks would otherwise land every few hundred milliseconds. Spacing landings
 * costs nothing durable: a notification is acknowledged once it is in the local inbox, and what
 * arrives meanwhile waits there (or in the fetch queue) and lands with the next batch. On DuckDB
 * the interval is 0: a landing is a local transaction and the hook's latency to gold matters more.
 */
export class LandingPace {
  private last = Number.NEGATIVE_INFINITY;
  private readonly waiters = new Set<() => void>();

  constructor(readonly minIntervalMs: number) {}

  /** Records that a landing committed now. */
  landed(): void {
    this.last = performance.now();
  }

  /** Milliseconds until the next landing may start (0: now). */
  remainingMs(): number {
    return Math.max(0, this.last + this.minIntervalMs - performance.now());
  }

  /**
   * Resolves when the next landing may start, or at once after `release` (a shutdown drains
   * what is waiting without pacing).
   */
  async wait(): Promise<void> {
    const ms = this.remainingMs();
    if (ms <= 0) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.waiters.add(done);
    });
  }

  /** Ends every pending `wait` now. */
  release(): void {
    for (const done of [...this.waiters]) done();
  }
}

/** No spacing: the embedded warehouse's default. */
export const UNPACED = new LandingPace(0);
