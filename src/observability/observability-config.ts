import { z } from 'zod';

/** The observability piece of the environment; `src/config.ts` composes it. */
export const observabilityEnvSchema = z.object({
  FAROL_METRICS_TOKEN: z.preprocess(
    (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
    z.string().min(16, 'must be at least 16 characters').regex(/^\S+$/, 'must not contain spaces (it is sent as a bearer token)').optional(),
  ),
});

export interface ObservabilityConfig {
  /** Bearer token `/metrics` requires when set (an admin API key is always accepted). */
  readonly metricsToken: string | undefined;
}

export function observabilityConfigFrom(e: z.infer<typeof observabilityEnvSchema>): ObservabilityConfig {
  return { metricsToken: e.FAROL_METRICS_TOKEN };
}
