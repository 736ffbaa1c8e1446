import type { FarolConfig } from '../config.js';
import { readAdminFile } from '../admin/admin-file.js';
import { callAdminJson, closeAdminClient } from '../admin/admin-client.js';
import { parseRequest, runsOperation, runsRequestSchema, UsageError } from '../admin/admin-operations.js';
import type { RecordedDataTestResult } from '../pipeline/data-tests/record-data-tests.js';
import type { RunRow, SourceHealth } from '../pipeline/run-log.js';
import { createLogger } from '../observability/logger.js';
import { dataDirOf } from './warehouse-command.js';

interface RunsReport {
  readonly runs: readonly RunRow[];
  readonly health: readonly SourceHealth[];
  readonly dataTests: readonly RecordedDataTestResult[];
}

/** `farol runs`: read-only, from the service when it runs, else from the warehouse directly. */
export async function runRunsCommand(cfg: FarolConfig, opts: { source?: string; limit: number; json: boolean }): Promise<number> {
  let report: RunsReport;
  try {
    const endpoint = readAdminFile(dataDirOf(cfg));
    if (endpoint) {
      try {
        report = (await callAdminJson(endpoint, '/admin/runs', { source: opts.source, limit: String(opts.limit) })) as RunsReport;
      } finally {
        await closeAdminClient();
      }
    } else {
      const { openPipelineContext, pipelineOptionsFor } = await import('../pipeline-context.js');
      const ctx = await openPipelineContext(cfg, createLogger({ level: 'warn' }), pipelineOptionsFor(cfg));
      try {
        report = (await runsOperation(ctx, parseRequest(runsRequestSchema, { source: opts.source, limit: opts.limit }))) as unknown as RunsReport;
      } finally {
        await ctx.close();
      }
    }
  } catch (err) {
    process.stderr.write(`farol runs: ${(err as Error).message.replace(/\s+/g, ' ')}\n`);
    return err instanceof UsageError || (err as { usage?: boolean }).usage ? 2 : 1;
  }
  if (opts.json) {
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    return 0;
  }
  process.stdout.write(formatReport(report));
  return 0;
}

function formatReport(r: RunsReport): string {
  const lines: string[] = ['Sources'];
  lines.push(table(['source', 'state', 'last success', 'lag', 'last run', 'message'], r.health.map((h) => [
    h.source, h.state, h.lastSuccessAt ?? '—', h.lagSeconds === null ? '—' : lag(h.lagSeconds), h.lastRunStatus ?? '—',
    (h.message ?? (h.lastRunStatus === 'failed' || h.lastRunStatus === 'cancelled' ? h.lastError : null) ?? '').slice(0, 100),
  ])));
  lines.push('', 'Recent runs');
  lines.push(table(['started', 'source', 'trigger', 'status', 'in', 'upserted', 'quarantined', 'seconds', 'error'], r.runs.map((x) => [
    x.started_at, x.source, x.trigger, x.status, String(x.records_in), String(x.upserted), String(x.quarantined),
    x.ended_at ? ((Date.parse(x.ended_at) - Date.parse(x.started_at)) / 1000).toFixed(1) : '…', (x.error ?? '').slice(0, 80),
  ])));
  if (r.dataTests.length > 0) {
    lines.push('', 'Data tests not passing (latest result of each)');
    lines.push(table(['test', 'severity', 'failing', 'message'], r.dataTests.map((t) => [
      t.testId, t.severity, String(t.failingCount), (t.message ?? '').slice(0, 100),
    ])));
  }
  return lines.join('\n') + '\n';
}

function lag(seconds: number): string {
  if (seconds < 120) return `${seconds}s`;
  if (seconds < 7_200) return `${Math.round(seconds / 60)}m`;
  return `${(seconds / 3_600).toFixed(1)}h`;
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const fmt = (r: string[]) => '  ' + r.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [fmt(header), ...rows.map(fmt)].join('\n') + (rows.length === 0 ? '\n  (none)' : '');
}
