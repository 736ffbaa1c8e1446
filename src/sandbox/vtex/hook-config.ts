import { z } from 'zod';

/**
 * `POST /api/orders/hook/config` bodies. `FromWorkflow` filters by status; `FromOrders` takes a
 * JSONata expression, which the sandbox does not evaluate: it treats every expression as
 * matching every change, and does not emulate single-fire (`disableSingleFire` is accepted and
 * stored only). Mixing the two filter shapes is a 409, as on VTEX.
 */

const headersSchema = z.record(z.string(), z.string());

const hookSchema = z.object({
  url: z
    .string()
    .min(1)
    .refine(isHttpUrl, 'hook.url must be an absolute http(s) URL'),
  headers: headersSchema,
});

const fromWorkflowSchema = z.object({
  type: z.literal('FromWorkflow'),
  status: z.array(z.string().min(1)).min(1, 'filter.status needs at least one status'),
});

const fromOrdersSchema = z.object({
  type: z.literal('FromOrders'),
  expression: z.string().min(1, 'filter.expression is required'),
  disableSingleFire: z.boolean().default(false),
});

/** Shared with the Feed v3 configuration, whose filter is the hook's. */
export const hookFilterSchema = z.discriminatedUnion('type', [fromWorkflowSchema, fromOrdersSchema]);

const hookConfigSchema = z.object({
  filter: hookFilterSchema,
  hook: hookSchema,
});

export type HookConfig = z.infer<typeof hookConfigSchema>;
export type HookFilter = HookConfig['filter'];

export type HookConfigParse =
  | { readonly ok: true; readonly config: HookConfig }
  | { readonly ok: false; readonly status: 400 | 409; readonly message: string };

export function parseHookConfig(body: unknown): HookConfigParse {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, status: 400, message: 'body must be a JSON object with "filter" and "hook"' };
  }
  const record = body as Record<string, unknown>;
  if (record.filter === undefined) return { ok: false, status: 400, message: 'filter is required' };
  if (record.hook === undefined) return { ok: false, status: 400, message: 'hook is required' };
  const conflict = mixedFilterConflict(record.filter);
  if (conflict !== null) return { ok: false, status: 409, message: conflict };
  const parsed = hookConfigSchema.safeParse(body);
  if (!parsed.success) {
    const message = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`).join('; ');
    return { ok: false, status: 400, message };
  }
  return { ok: true, config: parsed.data };
}

/** Whether a status change is notified under the filter. */
export function hookFilterMatches(filter: HookFilter, status: string): boolean {
  switch (filter.type) {
    case 'FromWorkflow':
      return filter.status.includes(status);
    case 'FromOrders':
      return true;
    default: {
      const unreachable: never = filter;
      throw new Error(`unknown hook filter ${JSON.stringify(unreachable)}`);
    }
  }
}

/** Why a filter mixing FromWorkflow and FromOrders fields is refused (a 409), or null. */
export function mixedFilterConflict(filter: unknown): string | null {
  if (typeof filter !== 'object' || filter === null) return null;
  const f = filter as Record<string, unknown>;
  const hasWorkflowFields = f.status !== undefined;
  const hasOrdersFields = f.expression !== undefined || f.disableSingleFire !== undefined;
  if (f.type === 'FromWorkflow' && hasOrdersFields) {
    return 'FromWorkflow filters take "status" only; "expression"/"disableSingleFire" belong to FromOrders';
  }
  if (f.type === 'FromOrders' && hasWorkflowFields) {
    return 'FromOrders filters take "expression"/"disableSingleFire"; "status" belongs to FromWorkflow';
  }
  if (f.type === undefined && hasWorkflowFields && hasOrdersFields) {
    return 'a filter cannot mix FromWorkflow and FromOrders fields';
  }
  return null;
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
