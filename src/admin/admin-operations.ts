import { z } from 'zod';
import { isSourceKind, SOURCE_KINDS, type SourceKind } from '../ingest/sources/source-kind.js';
import type { PipelineContext } from '../pipeline-context.js';
import { latestDataTestResults } from '../pipeline/data-tests/record-data-tests.js';
import { SourceBusyError, type RunProgress } from '../pipeline/pipeline-runner.js';
import { errorText } from '../shared/error-text.js';
import { rebuild, RebuildRefusedError } from '../pipeline/rebuild.js';
import { listRuns, sourceHealth } from '../pipeline/run-log.js';
import { generateOrders } from '../sandbox/vtex/index.js';

/**
 * The warehouse operations `farol` commands perform, written once: the command runs them in its
 * own process when it can open the warehouse, or asks the running service (admin-server.ts) to
 * run them, and shows the same events either way.
 */
export type AdminEvent =
  | ({ readonly type: 'progress' } & Omit<RunProgress, 'runId'> & { readonly runId?: string })
  | { readonly type: 'done'; readonly summary: Readonly<Record<string, unknown>> }
  | { readonly type: 'error'; readonly message: string; readonly usage?: boolean };

export type Emit = (event: AdminEvent) => void;

const sourceName = z.string().refine(isSourceKind, { message: `expected one of ${SOURCE_KINDS.join(', ')}` });
const isoDate = z.string().refine((v) => !Number.isNaN(Date.parse(v)), 'expected a date such as 2025-01-01');

export const ingestRequestSchema = z.object({
  source: sourceName,
  since: isoDate.optional(),
  full: z.boolean().default(false),
  file: z.string().min(1).optional(),
});
export const runsRequestSchema = z.object({ source: sourceName.optional(), limit: z.coerce.number().int().min(1).max(1_000).default(20) });
export const rebuildRequestSchema = z.object({ force: z.boolean().default(false) });
export const sandboxLoadRequestSchema = z.object({
  orders: z.number().int().min(1).max(50_000_000),
  seed: z.number().int().min(0).default(7),
  days: z.number().int().min(1).max(3_650).default(365),
  batch: z.number().int().min(100).max(1_000_000).default(50_000),
});

/** A caller's mistake (exit 2), as opposed to a run that failed (exit 1). */
export class UsageError extends Error {}

export function parseRequest<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    throw new UsageError(parsed.error.issues.map((i) => `${i.path.join('.') || 'request'}: ${i.message}`).join('; '));
  }
  return parsed.data;
}

export async function ingestOperation(ctx: PipelineContext, req: z.infer<typeof ingestRequestSchema>, emit: Emit, signal?: AbortSignal): Promise<void> {
  const source = req.source as SourceKind;
  if (!ctx.registry[source].extract) {
    const { title, pullHint } = ctx.registry[source];
    throw new UsageError(`${source} is not pulled: its records arrive by push (${title})${pullHint ? `; ${pullHint}` : ''}`);
  }
  const summary = await ctx.runner.run(source, {
    trigger: 'cli', since: req.since ? new Date(req.since) : undefined, full: req.full, file: req.file, ...(signal ? { signal } : {}),
    onProgress: (p) => emit({ type: 'progress', ...p }),
  });
  emit({ type: 'done', summary: { ...summary } });
}

export async function runsOperation(ctx: PipelineContext, req: z.infer<typeof runsRequestSchema>): Promise<Record<string, unknown>> {
  const [runs, health, tests] = await Promise.all([
    listRuns(ctx.warehouse, { source: req.source, limit: req.limit }),
    sourceHealth(ctx.warehouse, req.source ? [req.source] : SOURCE_KINDS),
    latestDataTestResults(ctx.warehouse, { ...(req.source ? { source: req.source } : {}), limit: 50 }),
  ]);
  return { runs, health, dataTests: tests.filter((t) => t.status !== 'passed') };
}

export async function rebuildOperation(ctx: PipelineContext, req: z.infer<typeof rebuildRequestSchema>, emit: Emit): Promise<void> {
  try {
    const summary = await rebuild(ctx.runner, {
      force: req.force,
      onProgress: (p) => emit({ type: 'progress', source: p.source as SourceKind, phase: p.phase, landed: 0, expectedTotal: undefined, upserted: p.upserted, quarantined: p.quarantined }),
    });
    emit({ type: 'done', summary: { ...summary } });
  } catch (err) {
    if (err instanceof RebuildRefusedError) throw new UsageError(err.message);
    throw err;
  }
}

const DAY_MS = 86_400_000;

/** Generated sandbox orders through the same runner as every source (bulk pages land as segments). */
export async function sandboxLoadOperation(ctx: PipelineContext, req: z.infer<typeof sandboxLoadRequestSchema>, emit: Emit, signal?: AbortSignal): Promise<void> {
  const to = new Date();
  const from = new Date(to.getTime() - req.days * DAY_MS);
  const summary = await ctx.runner.ingest(
    'vtex-orders',
    async function* () {
      let records: { entity: string; naturalKey: string; payload: string }[] = [];
      for (const order of generateOrders({ seed: req.seed, count: req.orders, from, to })) {
        records.push({ entity: 'order', naturalKey: order.orderId, payload: JSON.stringify(order) });
        if (records.length >= req.batch) {
          yield { records, expectedTotal: req.orders };
          records = [];
        }
      }
      if (records.length > 0) yield { records, expectedTotal: req.orders };
    },
    { trigger: 'cli', onProgress: (p) => emit({ type: 'progress', ...p }), ...(signal ? { signal } : {}) },
  );
  emit({ type: 'done', summary: { ...summary } });
}

/** Turns a failure into the event a command shows: usage mistakes exit 2, failed runs exit 1. */
export function errorEvent(err: unknown): AdminEvent {
  if (err instanceof UsageError) return { type: 'error', message: err.message, usage: true };
  if (err instanceof SourceBusyError) return { type: 'error', message: err.message };
  return { type: 'error', message: errorText(err) };
}
