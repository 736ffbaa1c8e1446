import type { Logger } from 'pino';
import type { SourceKind } from '../ingest/sources/source-kind.js';
import { isTerminal } from '../ingest/sources/source-module.js';
import { formatDuration } from '../shared/duration.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { errorText } from '../shared/error-text.js';
import { SourceBusyError, type PipelineRunner } from './pipeline-runner.js';
import { setSourceStatus } from './run-log.js';

/** First scheduled run after start-up, so the service is serving before pulls begin. */
export const DEFAULT_FIRST_RUN_DELAY_MS = 5_000;
/** Back-off after a failed run: doubles from this, never beyond the source's own cadence. */
export const DEFAULT_RETRY_BASE_MS = 30_000;
/** When a tick finds its source busy (a command is running it), look again after this. */
export const BUSY_RECHECK_MS = 30_000;

export interface SchedulerOptions {
  readonly runner: PipelineRunner;
  readonly warehouse: Warehouse;
  /** Cadence per pulled source; sources not listed are not scheduled. */
  readonly every: Partial<Record<SourceKind, number>>;
  readonly logger: Logger;
  readonly firstRunDelayMs?: number;
  readonly retryBaseMs?: number;
}

interface Slot {
  timer: NodeJS.Timeout | undefined;
  failures: number;
  stopped: boolean;
  running: Promise<void> | undefined;
  abort: AbortController | undefined;
  /** Runs finished (succeeded, failed or skipped as busy) since start-up. */
  finished: number;
}

/**
 * Runs each pulled source on its cadence inside the service. Never two runs of one source at
 * once (the runner's per-source lock; a tick that finds its source busy looks again later). A
 * failed run is retried with back-off; a terminal failure (bad credentials, a changed schema)
 * stops that source with a message in `ops.source_status` and the log, while the others go on.
 * The next run is timed from the end of the previous one, so a slow run cannot pile up ticks.
 */
export class Scheduler {
  private readonly slots = new Map<SourceKind, Slot>();
  private closed = false;

  constructor(private readonly opts: SchedulerOptions) {}

  async start(): Promise<void> {
    for (const [kind, every] of Object.entries(this.opts.every) as [SourceKind, number][]) {
      // A restart is the operator's way of saying "I fixed it": stopped sources get another try.
      await setSourceStatus(this.opts.warehouse, kind, 'active', null);
      const slot: Slot = { timer: undefined, failures: 0, stopped: false, running: undefined, abort: undefined, finished: 0 };
      this.slots.set(kind, slot);
      this.arm(kind, this.opts.firstRunDelayMs ?? DEFAULT_FIRST_RUN_DELAY_MS);
      this.opts.logger.info({ source: kind, every: formatDuration(every) }, 'source scheduled');
    }
  }

  /** Cancels pending ticks, aborts runs in flight and waits for them to end. */
  async stop(): Promise<void> {
    this.closed = true;
    for (const slot of this.slots.values()) {
      if (slot.timer) clearTimeout(slot.timer);
      slot.abort?.abort();
    }
    await Promise.allSettled([...this.slots.values()].map((s) => s.running));
  }

  /**
   * Resolves once every scheduled source has finished its first run and none is running: the
   * service is between pulls. Whatever reads the service's speed waits for it, so start-up pulls
   * (and the rollups they rebuild) are not timed as queries.
   */
  async settled(pollMs = 100): Promise<void> {
    for (;;) {
      const slots = [...this.slots.values()];
      if (this.closed || slots.every((s) => s.stopped || (s.finished > 0 && !s.running))) return;
      await Promise.allSettled(slots.map((s) => s.running));
      await new Promise((r) => setTimeout(r, pollMs));
    }
  }

  /** Runs a source's tick now (tests; `every` still decides the next one). */
  async tick(kind: SourceKind): Promise<void> {
    const slot = this.slots.get(kind);
    if (!slot || this.closed) return;
    if (slot.running) return slot.running;
    slot.running = this.runOnce(kind, slot).finally(() => (slot.running = undefined));
    return slot.running;
  }

  private arm(kind: SourceKind, ms: number): void {
    const slot = this.slots.get(kind);
    if (!slot || this.closed || slot.stopped) return;
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = setTimeout(() => {
      slot.timer = undefined;
      void this.tick(kind);
    }, ms);
    slot.timer.unref();
  }

  private async runOnce(kind: SourceKind, slot: Slot): Promise<void> {
    const every = this.opts.every[kind] as number;
    const log = this.opts.logger.child({ source: kind });
    slot.abort = new AbortController();
    try {
      const r = await this.opts.runner.run(kind, { trigger: 'schedule', signal: slot.abort.signal });
      slot.failures = 0;
      log.info({ runId: r.runId, landed: r.landed, upserted: r.upserted, quarantined: r.quarantined, seconds: r.seconds }, 'scheduled run finished');
      this.arm(kind, every);
    } catch (err) {
      if (this.closed) return;
      if (err instanceof SourceBusyError) {
        log.info('scheduled run skipped: a run of this source is already in progress');
        this.arm(kind, Math.min(every, BUSY_RECHECK_MS));
      } else if (isTerminal(err)) {
        slot.stopped = true;
        await setSourceStatus(this.opts.warehouse, kind, 'stopped', `${kind} stopped: ${errorText(err)}`).catch(() => undefined);
        log.error({ err: errorText(err) }, `${kind} stopped: ${errorText(err)}. Other sources go on; fix the cause and restart, or run \`farol ingest ${kind}\``);
      } else {
        slot.failures++;
        const wait = Math.min(every, (this.opts.retryBaseMs ?? DEFAULT_RETRY_BASE_MS) * 2 ** Math.min(slot.failures - 1, 20));
        log.warn({ err: errorText(err), failures: slot.failures, retryIn: formatDuration(wait) }, 'scheduled run failed; retrying with back-off');
        this.arm(kind, wait);
      }
    } finally {
      slot.abort = undefined;
      slot.finished++;
    }
  }
}
