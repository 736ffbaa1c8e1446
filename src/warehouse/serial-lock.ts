/**
 * A FIFO mutex. The warehouse has one writer (DuckDB allows one writing process, and one writer
 * connection inside it avoids write-write conflicts), so every write waits its turn here.
 */
export class SerialLock {
  private tail: Promise<void> = Promise.resolve();

  run<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.tail.then(fn);
    // The chain must survive a failed task; the caller still sees its own rejection.
    this.tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }
}
