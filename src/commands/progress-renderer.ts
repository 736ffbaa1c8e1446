import cliProgress from 'cli-progress';
import type { AdminEvent } from '../admin/admin-operations.js';

/**
 * Shows an operation's events: a progress bar at a terminal (plain lines otherwise, for cron and
 * CI logs), then a one-line summary, or a one-line reason on stderr.
 */
export class ProgressRenderer {
  private bar: cliProgress.SingleBar | undefined;
  private lastLine = 0;
  private readonly started = Date.now();

  constructor(
    private readonly title: string,
    private readonly tty = process.stderr.isTTY === true,
  ) {}

  onEvent = (e: AdminEvent): void => {
    if (e.type !== 'progress') return;
    const rate = Math.round(e.landed / Math.max(0.001, (Date.now() - this.started) / 1000));
    if (this.tty && e.expectedTotal) {
      if (!this.bar) {
        this.bar = new cliProgress.SingleBar(
          { format: `${this.title} {bar} {percentage}% | {value}/{total} records | {rate}/s | {phase}`, hideCursor: true, stream: process.stderr },
          cliProgress.Presets.shades_classic,
        );
        this.bar.start(e.expectedTotal, 0, { rate, phase: e.phase });
      }
      this.bar.setTotal(Math.max(e.expectedTotal, e.landed));
      this.bar.update(e.landed, { rate, phase: e.phase });
    } else if (Date.now() - this.lastLine > 2_000 || e.phase === 'done') {
      this.lastLine = Date.now();
      process.stderr.write(`${this.title}: ${e.phase} — ${e.landed} landed, ${e.upserted} upserted, ${e.quarantined} quarantined\n`);
    }
  };

  /** Ends the display; returns the exit code for the last event. */
  finish(last: AdminEvent): number {
    this.bar?.stop();
    if (last.type === 'done') {
      process.stdout.write(`${this.title}: ${summarize(last.summary)}\n`);
      return 0;
    }
    if (last.type === 'error') {
      process.stderr.write(`farol ${this.title}: ${last.message}\n`);
      return last.usage ? 2 : 1;
    }
    process.stderr.write(`farol ${this.title}: the operation ended without a result\n`);
    return 1;
  }
}

function summarize(s: Readonly<Record<string, unknown>>): string {
  const parts: string[] = [];
  const num = (k: string) => (typeof s[k] === 'number' ? (s[k] as number) : undefined);
  if (num('landed') !== undefined) parts.push(`${num('landed')} records landed`);
  if (num('read') !== undefined) parts.push(`${num('read')} bronze records replayed`);
  if (num('upserted') !== undefined) parts.push(`${num('upserted')} silver rows new or changed`);
  if (num('quarantined') !== undefined) parts.push(`${num('quarantined')} quarantined`);
  if (num('dataVersion') !== undefined) parts.push(`gold version ${num('dataVersion')}`);
  if (num('seconds') !== undefined) parts.push(`in ${(num('seconds') as number).toFixed(1)} s`);
  if (typeof s.runId === 'string') parts.push(`(run ${s.runId})`);
  return parts.join(', ');
}
