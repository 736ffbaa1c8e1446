import type { FarolConfig } from '../config.js';
import { readAdminFile } from '../admin/admin-file.js';
import { callAdminJson, closeAdminClient } from '../admin/admin-client.js';
import { parseRequest, UsageError } from '../admin/admin-operations.js';
import { alertsTestOperation, alertsTestRequestSchema, AlertsTestUsageError, formatAlertsTestReport, type AlertsTestReport } from '../alerts/alerts-test-operation.js';
import { createLogger } from '../observability/logger.js';
import { dataDirOf } from './warehouse-command.js';

/**
 * `farol alerts test <rule>`: replays a rule over history and prints what it would have sent.
 * Asks the running service when there is one (it holds the warehouse), else opens the warehouse
 * and compiles the model here. Reads only; nothing is stored or sent.
 */
export async function runAlertsTestCommand(cfg: FarolConfig, opts: { rule: string; from?: string; to?: string; json: boolean }): Promise<number> {
  let report: AlertsTestReport;
  try {
    const request = parseRequest(alertsTestRequestSchema, { rule: opts.rule, from: opts.from, to: opts.to });
    const endpoint = readAdminFile(dataDirOf(cfg));
    if (endpoint) {
      try {
        report = (await callAdminJson(endpoint, '/admin/alerts-test', { rule: request.rule, from: request.from, to: request.to })) as AlertsTestReport;
      } finally {
        await closeAdminClient();
      }
    } else {
      const logger = createLogger({ level: 'warn' });
      const { openPipelineContext, pipelineOptionsFor } = await import('../pipeline-context.js');
      const { createSemanticEngine } = await import('../metrics/semantic-engine.js');
      const { DEFAULT_MODEL_DIR } = await import('../main.js');
      const { rulesFrom } = await import('../alerts/alerts-runtime.js');
      const { SOURCE_KINDS } = await import('../ingest/sources/source-kind.js');
      const ctx = await openPipelineContext(cfg, logger, pipelineOptionsFor(cfg));
      try {
        const metrics = await createSemanticEngine({
          warehouse: ctx.warehouse, modelDir: DEFAULT_MODEL_DIR, dataVersions: ctx.dataVersions, timezone: cfg.timezone, cache: { maxEntries: 100, ttlMs: 0 },
          queryTimeoutMs: cfg.queryTimeoutMs, preAggregations: false, logger,
        });
        try {
          const running = new Set<string>([...Object.keys(ctx.schedules), 'vtex-orders']);
          const rules = rulesFrom(cfg.alerts, SOURCE_KINDS.filter((k) => running.has(k))).rules;
          report = await alertsTestOperation({ rules, metrics, warehouse: ctx.warehouse, timezone: cfg.timezone, linkBase: cfg.alerts.linkBase }, request);
        } finally {
          await metrics.close();
        }
      } finally {
        await ctx.close();
      }
    }
  } catch (err) {
    process.stderr.write(`farol alerts test: ${(err as Error).message.replace(/\s+/g, ' ')}\n`);
    return err instanceof UsageError || err instanceof AlertsTestUsageError || (err as { usage?: boolean }).usage ? 2 : 1;
  }
  process.stdout.write(opts.json ? `${JSON.stringify(report, null, 2)}\n` : formatAlertsTestReport(report));
  return 0;
}
