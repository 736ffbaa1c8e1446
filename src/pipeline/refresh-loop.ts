import type { Logger } from 'pino';
import type { LandingPort } from '../ingest/landing-port.js';
import type { SourceKind } from '../ingest/sources/source-kind.js';
import type { SqlExecutor } from '../warehouse/warehouse.js';
import { errorText } from '../shared/error-text.js';
import type { PipelineRunner } from './pipeline-runner.js';
import type { StreamRuns } from './stream-runs.js';

/** Pause after a failed refresh before trying again; doubles up to the maximum. */
export const REFRESH_RETRY_BASE_MS = 1_000;
export const REFRESH_RETRY_MAX_MS = 5 * 60_000;

/**
 * Refreshes push-driven sources as records land: a request while a refresh of the same source
 * runs marks it dirty, and one more refresh follows, so bursts of landings coalesce into a few
 * refreshes and landing never waits for one. A failed refresh (a data test holding gold back,
 * a warehouse error) is retried with back-off; the records stay in bronze meanwhile.
 */
export class RefreshLoop implements LandingPort {
  private readonly state = new Map<SourceKind, { running: boolean; dirty: boolean; failures: number; timer?: NodeJS.Timeout }>();
  private readonly inFlight = new Set<Promise<void>>();
  private stopped = false;

  constructor(
    private readonly runner: PipelineRunner,
    private readonly streams: StreamRuns,
    private readonly logger: Logger,
  ) {}

  streamRun(source: SourceKind): Promise<string> {
    return this.streams.current(source);
  }

  countLanded(tx: SqlExecutor, runId: string, records: number, entity?: string): Promise<void> {
    return this.streams.countLanded(tx, runId, records, entity);
  }

  requestRefresh(source: SourceKind): void {
    if (this.stopped) return;
    const s = this.state.get(source) ?? { running: false, dirty: false, failures: 0 };
    this.state.set(source, s);
    if (s.running || s.timer) {
      s.dirty = true;
      return;
    }
    s.running = true;
    s.dirty = false;
    const p = this.refresh(source).finally(() => this.inFlight.delete(p));
    this.inFlight.add(p);
  }

  /** Waits for refreshes in flight; no new ones start. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const s of this.state.values()) if (s.timer) clearTimeout(s.timer);
    await Promise.allSettled([...this.inFlight]);
  }

  /** Resolves when no refresh is running or due (for tests and orderly shutdown). */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0 || [...this.state.values()].some((s) => s.running || s.dirty || s.timer)) {
      await Promise.allSettled([...this.inFlight]);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  private async refresh(source: SourceKind): Promise<void> {
    const s = this.state.get(source);
    if (!s) return;
    let runId: string | undefined;
    try {
      runId = await this.streams.current(source);
      await this.runner.refresh(source, runId);
      s.failures = 0;
      this.streams.recordSuccess(source);
    } catch (err) {
      s.failures++;
      const reason = errorText(err);
      this.streams.recordError(source, reason);
      const waitMs = Math.min(REFRESH_RETRY_MAX_MS, REFRESH_RETRY_BASE_MS * 2 ** Math.min(s.failures - 1, 20));
      this.logger.error({ source, runId, err: reason, retryInMs: waitMs }, 'refresh failed; the records stay in bronze and are tried again');
      s.running = false;
      if (!this.stopped) {
        s.timer = setTimeout(() => {
          s.timer = undefined;
          s.dirty = false;
          this.requestRefresh(source);
        }, waitMs);
        s.timer.unref();
      }
      return;
    }
    s.running = false;
    if (s.dirty && !this.stopped) this.requestRefresh(source);
  }
}
