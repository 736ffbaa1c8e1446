import type { StoredOrder } from './order-store.js';

/**
 * Replays status steps in timestamp order across all orders, at a fixed pace. Only each order's
 * next step sits in the heap, so an order can never skip ahead of itself. Live orders' steps are
 * held until their wall-clock time; history steps go out as fast as the pace allows.
 */

export interface StepPublisherOptions {
  /** Pause between steps; 0 publishes in batches as fast as the event loop allows. */
  readonly intervalMs: number;
  readonly onPublish: (entry: StoredOrder, step: number) => void;
  /** Nothing is publishable right now (all published, paused, or the next step is in the future). */
  readonly onIdle: () => void;
}

interface PendingStep {
  readonly entry: StoredOrder;
  readonly step: number;
  readonly ms: number;
  readonly sub: number;
  readonly tie: number;
  readonly live: boolean;
}

/** Steps per event-loop turn when unpaced, so HTTP requests still get served between batches. */
const UNPACED_BATCH = 256;

export class StepPublisher {
  private readonly heap: PendingStep[] = [];
  private tie = 0;
  private started = false;
  private paused = false;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;

  constructor(private readonly options: StepPublisherOptions) {}

  /** Queues the order's next unpublished step. */
  add(entry: StoredOrder, live = false): void {
    const step = entry.published + 1;
    const s = entry.generated.timeline.steps[step];
    if (s === undefined) return;
    this.push({ entry, step, ms: s.at.ms, sub: s.at.sub, tie: this.tie++, live });
    this.schedule();
  }

  get isStarted(): boolean {
    return this.started;
  }

  /** True when no step is publishable now: every queued step is published or still in the future. */
  isDrained(now = Date.now()): boolean {
    const next = this.heap[0];
    return next === undefined || (next.live && next.ms > now);
  }

  start(): void {
    this.started = true;
    this.schedule();
  }

  pause(): void {
    this.paused = true;
    this.clearTimers();
  }

  resume(): void {
    this.paused = false;
    this.schedule();
  }

  stop(): void {
    this.stopped = true;
    this.clearTimers();
  }

  private schedule(): void {
    if (!this.started || this.paused || this.stopped || this.timer !== undefined || this.immediate !== undefined) return;
    const next = this.heap[0];
    if (next === undefined) {
      this.options.onIdle();
      return;
    }
    const now = Date.now();
    if (next.live && next.ms > now) {
      this.options.onIdle();
      this.timer = setTimeout(() => this.run(), next.ms - now);
    } else if (this.options.intervalMs > 0) {
      this.timer = setTimeout(() => this.run(), this.options.intervalMs);
    } else {
      this.immediate = setImmediate(() => this.run());
    }
  }

  private run(): void {
    this.timer = undefined;
    this.immediate = undefined;
    if (this.paused || this.stopped) return;
    const budget = this.options.intervalMs > 0 ? 1 : UNPACED_BATCH;
    const now = Date.now();
    for (let i = 0; i < budget; i++) {
      const next = this.heap[0];
      if (next === undefined || (next.live && next.ms > now)) break;
      this.pop();
      next.entry.published = next.step;
      this.options.onPublish(next.entry, next.step);
      const following = next.entry.generated.timeline.steps[next.step + 1];
      if (following !== undefined) {
        this.push({ entry: next.entry, step: next.step + 1, ms: following.at.ms, sub: following.at.sub, tie: this.tie++, live: next.live });
      }
    }
    this.schedule();
  }

  private clearTimers(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    if (this.immediate !== undefined) clearImmediate(this.immediate);
    this.timer = undefined;
    this.immediate = undefined;
  }

  private push(item: PendingStep): void {
    const heap = this.heap;
    heap.push(item);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(item, heap[parent] as PendingStep)) break;
      heap[i] = heap[parent] as PendingStep;
      i = parent;
    }
    heap[i] = item;
  }

  private pop(): void {
    const heap = this.heap;
    const last = heap.pop();
    if (last === undefined || heap.length === 0) return;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= heap.length) break;
      const right = left + 1;
      const child = right < heap.length && before(heap[right] as PendingStep, heap[left] as PendingStep) ? right : left;
      if (!before(heap[child] as PendingStep, last)) break;
      heap[i] = heap[child] as PendingStep;
      i = child;
    }
    heap[i] = last;
  }
}

function before(a: PendingStep, b: PendingStep): boolean {
  return a.ms !== b.ms ? a.ms < b.ms : a.sub !== b.sub ? a.sub < b.sub : a.tie < b.tie;
}
