import type { SourceKind } from '../ingest/sources/source-kind.js';

/**
 * At most one run per source at a time, in this process (the only process that writes the
 * warehouse). `tryAcquire` never waits: a scheduler tick that finds its source busy skips, and a
 * command says the source is busy instead of queueing behind an hour-long backfill.
 */
export class SourceLocks {
  private readonly held = new Set<SourceKind>();

  tryAcquire(kind: SourceKind): (() => void) | undefined {
    if (this.held.has(kind)) return undefined;
    this.held.add(kind);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.held.delete(kind);
    };
  }

  isHeld(kind: SourceKind): boolean {
    return this.held.has(kind);
  }

  /** Every source at once, waiting up to `waitMs` for runs in progress to end; undefined if they did not. */
  async acquireAll(kinds: readonly SourceKind[], waitMs: number, pollMs = 100): Promise<(() => void) | undefined> {
    const deadline = Date.now() + waitMs;
    for (;;) {
      const release = this.tryAcquireAll(kinds);
      if (release || Date.now() >= deadline) return release;
      await new Promise((r) => setTimeout(r, pollMs));
    }
  }

  /** Every source at once (a rebuild), or undefined if any is busy. */
  tryAcquireAll(kinds: readonly SourceKind[]): (() => void) | undefined {
    const releases: (() => void)[] = [];
    for (const k of kinds) {
      const r = this.tryAcquire(k);
      if (!r) {
        for (const rel of releases) rel();
        return undefined;
      }
      releases.push(r);
    }
    return () => releases.forEach((r) => r());
  }
}
