/**
 * A minimum interval between landing transactions, shared by the loops that land pushed records
 * (the hook's inbox mover, the order fetch worker, the order feed reader): they take turns, so
 * together they land at most once per interval.
 *
 * Why: on BigQuery every landing is a few load jobs (bronze's, the fetch queue's, quarantine's),
 * and a project may run 100,000 of them a day. A steady trickle of hooks would otherwise land
 * every few hundred milliseconds. Spacing landings costs nothing durable: a notification is
 * acknowledged once it is in the local inbox, and what arrives meanwhile waits there (or in the
 * fetch queue, or in VTEX's feed) and lands with the next batch. On DuckDB the interval is 0: a
 * landing is a local transaction and the hook's latency to gold matters more.
 */
export class LandingPace {
  private last = Number.NEGATIVE_INFINITY;
  private readonly waiters = new Set<() => void>();
  private released = false;

  /** `clock`: milliseconds, monotonic in the service; tests pass a fake one. */
  constructor(
    readonly minIntervalMs: number,
    private readonly clock: () => number = () => performance.now(),
  ) {}

  /** Milliseconds until the next landing may start (0: now). */
  remainingMs(): number {
    return Math.max(0, this.last + this.minIntervalMs - this.clock());
  }

  /**
   * Waits for this loop's turn and takes it: the next turn of any loop comes an interval later.
   * Call it once there is something to land. `cancel` gives an unused turn back (a read that
   * found nothing), if no other turn was taken since. After `release` (a shutdown) every turn is
   * given at once, so what is waiting lands without pacing.
   */
  async turn(): Promise<{ cancel(): void }> {
    while (!this.released && this.remainingMs() > 0) await this.sleep(this.remainingMs());
    const before = this.last;
    const taken = this.clock();
    this.last = taken;
    return {
      cancel: () => {
        if (this.last === taken) this.last = before;
      },
    };
  }

  /** Ends every pending `turn` now, and paces nothing from then on. */
  release(): void {
    this.released = true;
    for (const done of [...this.waiters]) done();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.waiters.add(done);
    });
  }
}

/** No spacing: the embedded warehouse's default. */
export const UNPACED = new LandingPace(0);
