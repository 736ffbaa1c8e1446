/**
 * The lineage part of Farol's environment. src/config.ts (the only reader of `process.env`)
 * composes `lineageEnvSchema.shape` into its own schema and hands the parsed values to
 * `createLineageSink`; nothing here reads the environment.
 */
import { z } from 'zod';
import type { Logger } from '../../observability/logger.js';
import { DEFAULT_JOB_NAMESPACE } from './openlineage-event.js';
import { OpenLineageSink } from './openlineage-sink.js';
import { noopLineageSink, type LineageSink } from './lineage-types.js';

const emptyToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

export const lineageEnvSchema = z.object({
  /** Base URL of an OpenLineage HTTP backend (Marquez: `http://marquez:5000`), or its full `/api/v1/lineage` endpoint. Unset: no lineage. */
  OPENLINEAGE_URL: z.preprocess(
    emptyToUndefined,
    z
      .url({ protocol: /^https?$/, message: 'expected an http(s) URL, e.g. http://localhost:5000' })
      // Credentials in the URL would travel into every log line that names it; they belong in the key.
      .refine((v) => {
        const url = new URL(v);
        return url.username === '' && url.password === '';
      }, 'put credentials in OPENLINEAGE_API_KEY, not in the URL')
      .optional(),
  ),
  /** Namespace of Farol's jobs in the lineage graph. */
  OPENLINEAGE_NAMESPACE: z.preprocess(emptyToUndefined, z.string().trim().min(1).default(DEFAULT_JOB_NAMESPACE)),
  /** Sent as `Authorization: Bearer <key>`. */
  OPENLINEAGE_API_KEY: z.preprocess(emptyToUndefined, z.string().trim().optional()),
});

export type LineageEnv = z.output<typeof lineageEnvSchema>;

export interface LineageSinkDeps {
  readonly logger?: Logger;
}

/** The OpenLineage sink when OPENLINEAGE_URL is set, the no-op sink otherwise. */
export function createLineageSink(env: LineageEnv, deps: LineageSinkDeps = {}): LineageSink {
  if (!env.OPENLINEAGE_URL) {
    if (env.OPENLINEAGE_API_KEY) deps.logger?.warn('OPENLINEAGE_API_KEY is set but OPENLINEAGE_URL is not; lineage is off');
    return noopLineageSink;
  }
  return new OpenLineageSink({
    url: env.OPENLINEAGE_URL,
    jobNamespace: env.OPENLINEAGE_NAMESPACE,
    ...(env.OPENLINEAGE_API_KEY ? { apiKey: env.OPENLINEAGE_API_KEY } : {}),
    ...(deps.logger ? { logger: deps.logger } : {}),
  });
}
