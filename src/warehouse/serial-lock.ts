/**
 * A FIFO mutex. The warehouse has one writer (DuckDB allows one writing process, and one writer
 * connection inside it avoids write-write conflicts), so every write waits its turn here.
 */
export class SerialLock {
  private tail: Promise<void> = Promise.resolve();
  private pending = 0;

  /** Whether a task holds the lock or waits for it. */
  get busy(): boolean {
    return this.pending > 0;
  }

  run<T>(fn: () => Promise<T>): Promise<T> {
    this.pending++;
    const result = this.tail.then(fn).finally(() => {
      this.pending--;
    });
    // The chain must survive a failed task; the caller still sees its own rejection.
    this.tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }
}
