/**
 * Group commit: concurrent callers share one durable write. While a flush is running, new items
 * wait and go together in the next flush, so throughput grows with load and an idle system adds
 * no delay. `submit` resolves only after the flush holding its item committed, and rejects if
 * that flush failed: a caller never acknowledges something that is not durable.
 */
export const DEFAULT_MAX_BATCH = 1_000;

interface Pending<T> {
  readonly item: T;
  readonly resolve: () => void;
  readonly reject: (err: unknown) => void;
}

export class GroupCommitter<T> {
  private queue: Pending<T>[] = [];
  private flushing = false;

  constructor(
    private readonly flush: (items: T[]) => Promise<void>,
    private readonly maxBatch = DEFAULT_MAX_BATCH,
  ) {}

  submit(item: T): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (!this.flushing) void this.drain();
    });
  }

  /** Items waiting for a flush; for metrics and graceful shutdown. */
  get pending(): number {
    return this.queue.length;
  }

  private async drain(): Promise<void> {
    this.flushing = true;
    try {
      // One turn of the event loop lets requests that arrived together join the first batch.
      await new Promise<void>((r) => setImmediate(r));
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, this.maxBatch);
        try {
          await this.flush(batch.map((p) => p.item));
          for (const p of batch) p.resolve();
        } catch (err) {
          for (const p of batch) p.reject(err);
        }
      }
    } finally {
      this.flushing = false;
    }
  }
}
