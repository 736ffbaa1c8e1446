import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { alertsConfigFrom, alertsEnvSchema, type AlertsConfig } from './alerts/alerts-config.js';
import { authConfigFrom, authEnvSchema, type AuthConfig } from './auth/index.js';
import { SOURCE_KINDS, type SourceKind } from './ingest/sources/source-kind.js';
import { DEFAULT_QUERY_TIMEOUT_MS } from './metrics/metrics-query.js';
import { lineageEnvSchema, type LineageEnv } from './pipeline/lineage/lineage-config.js';
import { cdcConfigFrom, cdcEnvSchema, type CdcConfig } from './ingest/cdc/cdc-config.js';
import { DEFAULT_MAX_RESPONSE_BYTES } from './schema/graphql-limits.js';
import { observabilityConfigFrom, observabilityEnvSchema, type ObservabilityConfig } from './observability/observability-config.js';
import { parseDuration } from './shared/duration.js';
import { BIGQUERY_TARGET_EXAMPLE, parseBigQueryTarget } from './warehouse/bigquery/bigquery-target.js';

/**
 * The one reader of `process.env`. Parsed once at start-up, frozen, passed down. A bad value
 * stops start-up with a message naming the variable. Every default is named here and listed in
 * the README's configuration table.
 */
export const DEFAULT_PORT = 4000;
export const DEFAULT_WAREHOUSE = 'duckdb:data/farol.duckdb';
export const DEFAULT_TIMEZONE = 'America/Sao_Paulo';
export const DEFAULT_CACHE_MAX_ENTRIES = 5_000;
export const DEFAULT_CACHE_TTL_MS = 15 * 60_000;
export const DEFAULT_WORKER_CONCURRENCY = 8;
export const DEFAULT_SANDBOX_PORT = 4100;
/** The SQL API's port (PostgreSQL's 5432 plus 10000, so it never takes a local PostgreSQL's). */
export const DEFAULT_SQL_PORT = 15_432;
/** Where the service listens when `FAROL_HOST` is unset and keys are configured. */
export const DEFAULT_HOST = '0.0.0.0';
/**
 * Where it listens when `FAROL_HOST` is unset and the only key is the generated admin key: that
 * key sits in a file beside the warehouse, so the API stays on this machine until keys are set.
 */
export const LOCAL_ONLY_HOST = '127.0.0.1';
export { DEFAULT_QUERY_TIMEOUT_MS, DEFAULT_MAX_RESPONSE_BYTES };

/** Where non-warehouse files live with a BigQuery warehouse (`FAROL_DATA_DIR`). */
export const DEFAULT_DATA_DIR = 'data';
/** Per BigQuery query job, unless `FAROL_BIGQUERY_MAX_BYTES_BILLED` says otherwise (0: no cap). 100 GiB. */
export const DEFAULT_BIGQUERY_MAX_BYTES_BILLED = 100 * 1024 ** 3;

export type WarehouseConfig =
  | { readonly kind: 'duckdb'; readonly path: string }
  | {
      readonly kind: 'bigquery';
      readonly projectId: string;
      readonly dataset: string;
      /** Job location (`US`, `EU`, `southamerica-east1`); absent: BigQuery infers it from the dataset. */
      readonly location: string | undefined;
      /** Bytes-billed cap per query job; undefined: no cap beyond the project's quotas. */
      readonly maximumBytesBilled: number | undefined;
      /** A service account key file (`GOOGLE_APPLICATION_CREDENTIALS`): its path only, never its content. */
      readonly keyFilename: string | undefined;
      /** Another REST endpoint (an emulator, a test server); absent: Google's. */
      readonly apiEndpoint: string | undefined;
    };

/** Where the embedded warehouse keeps what is not in its file: bronze segments and the hook inbox. */
export interface StorageConfig {
  /**
   * Local files that are not the warehouse (generated API key, admin endpoint, sandbox files):
   * the DuckDB file's folder, or `FAROL_DATA_DIR` with BigQuery.
   */
  readonly dataDir: string;
  /** Compressed bronze segment files: `<warehouse name>.bronze/` beside the warehouse file. */
  readonly bronzeDir: string;
  /**
   * The hook's durable queue: `<warehouse name>.inbox.duckdb` beside the warehouse file; with
   * BigQuery, `farol.inbox.duckdb` in `FAROL_DATA_DIR`. It is never in the warehouse.
   */
  readonly inboxPath: string;
  /** Days of bronze kept; 0 keeps everything (the default). */
  readonly bronzeRetentionDays: number;
  readonly compactEveryMs: number;
}

export const DEFAULT_COMPACT_MINUTES = 10;

/** `FAROL_SCHEDULE_VTEX_ORDERS` for `vtex-orders`. */
export function scheduleVariable(kind: SourceKind): string {
  return `FAROL_SCHEDULE_${kind.toUpperCase().replace(/-/g, '_')}`;
}



const emptyToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optionalString = z.preprocess(emptyToUndefined, z.string().trim().optional());
const intInRange = (min: number, max: number, dflt: number) =>
  z.preprocess(emptyToUndefined, z.coerce.number().int().min(min).max(max).default(dflt));

type WarehouseTarget = { readonly kind: 'duckdb'; readonly path: string } | { readonly kind: 'bigquery'; readonly projectId: string; readonly dataset: string };

const warehouseUrl = z.preprocess(
  emptyToUndefined,
  z
    .string()
    .default(DEFAULT_WAREHOUSE)
    .transform((v, ctx): WarehouseTarget => {
      const bq = /^bigquery:(.*)$/.exec(v);
      if (bq) {
        const target = parseBigQueryTarget(bq[1] ?? '');
        if ('problem' in target) {
          ctx.addIssue({ code: 'custom', message: target.problem });
          return z.NEVER;
        }
        return { kind: 'bigquery', ...target };
      }
      const m = /^duckdb:(.+)$/.exec(v);
      if (!m?.[1]) {
        ctx.addIssue({ code: 'custom', message: `expected "duckdb:<file path>" (e.g. ${DEFAULT_WAREHOUSE}) or "bigquery:<project>.<dataset>" (e.g. ${BIGQUERY_TARGET_EXAMPLE}), got "${v}"` });
        return z.NEVER;
      }
      return { kind: 'duckdb', path: m[1] };
    }),
);

/** BigQuery locations: multi-regions (`US`, `EU`) and regions (`southamerica-east1`). */
const bigQueryLocation = z.preprocess(
  emptyToUndefined,
  z.string().regex(/^(?:[A-Za-z]{2}|[a-z]+-[a-z]+\d+)$/, 'expected a BigQuery location such as US, EU or southamerica-east1').optional(),
);

/** Whole bytes; `0` turns the cap off. */
const bytesBilled = z.preprocess(
  emptyToUndefined,
  z
    .string()
    .regex(/^\d{1,16}$/, 'expected a whole number of bytes (e.g. 107374182400 for 100 GiB), or 0 for no cap')
    .default(String(DEFAULT_BIGQUERY_MAX_BYTES_BILLED))
    .transform((v) => Number(v)),
);

/** `https://painel.example.com,http://localhost:5173`: browser origins allowed to call the API (CORS). */
const corsOrigins = z.preprocess(
  emptyToUndefined,
  z
    .string()
    .optional()
    .transform((v, ctx): string[] => {
      const origins: string[] = [];
      for (const [i, entry] of (v ?? '').split(',').map((s) => s.trim()).filter(Boolean).entries()) {
        let origin: string | undefined;
        try {
          const url = new URL(entry);
          if ((url.protocol === 'http:' || url.protocol === 'https:') && url.origin === entry.replace(/\/+$/, '')) origin = url.origin;
        } catch {
          origin = undefined;
        }
        if (!origin) {
          ctx.addIssue({ code: 'custom', message: `entry ${i + 1} ("${entry}"): expected an origin such as https://painel.example.com (scheme, host, optional port; no path, no *)` });
          continue;
        }
        origins.push(origin);
      }
      return origins;
    }),
);

/** `sc:2=App,mkt:XYZ=Parceiro`: display names for sales channels (see transform/gold/channel-names.ts). */
const channelNames = z.preprocess(
  emptyToUndefined,
  z
    .string()
    .optional()
    .transform((v, ctx): Record<string, string> => {
      const names: Record<string, string> = {};
      for (const [i, entry] of (v ?? '').split(',').map((s) => s.trim()).filter(Boolean).entries()) {
        const m = /^((?:sc|mkt):[A-Za-z0-9_-]+)=(.+)$/.exec(entry);
        if (!m?.[1] || !m[2]) {
          ctx.addIssue({ code: 'custom', message: `entry ${i + 1} ("${entry}"): expected "sc:<trade policy>=<name>" or "mkt:<affiliate>=<name>"` });
          continue;
        }
        names[m[1]] = m[2].trim();
      }
      return names;
    }),
);

const timezone = z.preprocess(
  emptyToUndefined,
  z
    .string()
    .default(DEFAULT_TIMEZONE)
    .refine((tz) => {
      try {
        new Intl.DateTimeFormat('en-US', { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    }, 'not an IANA time zone (e.g. America/Sao_Paulo)'),
);

/**
 * On BigQuery a landing is a few load jobs, and a project runs at most 100,000 a day: the landing
 * loops take turns, one landing every 10 s at most, 8,640 a day whatever the hook traffic.
 */
export const DEFAULT_BIGQUERY_LANDING_INTERVAL_MS = 10_000;

/** `FAROL_LANDING_MIN_INTERVAL`: a duration (`10s`, `500ms`, `0`) or unset for the warehouse's default. */
const landingInterval = z.preprocess(
  emptyToUndefined,
  z
    .string()
    .optional()
    .transform((v, ctx): number | undefined => {
      if (v === undefined) return undefined;
      if (v.trim() === '0') return 0;
      const ms = parseDuration(v);
      if (ms === undefined || ms > 3_600_000) {
        ctx.addIssue({ code: 'custom', message: `expected a duration such as 10s or 500ms (at most 1h), or 0; got "${v}"` });
        return z.NEVER;
      }
      return ms;
    }),
);

/** A cadence (`6h`, `15m`) or `off`. */
const schedule = z.preprocess(
  emptyToUndefined,
  z
    .string()
    .optional()
    .transform((v, ctx): number | 'off' | undefined => {
      if (v === undefined) return undefined;
      if (v.trim().toLowerCase() === 'off') return 'off';
      const ms = parseDuration(v);
      if (ms === undefined || ms < 1_000) {
        ctx.addIssue({ code: 'custom', message: `expected a cadence such as 15m, 6h or 1d (at least 1s), or "off"; got "${v}"` });
        return z.NEVER;
      }
      return ms;
    }),
);

const scheduleShape = Object.fromEntries(SOURCE_KINDS.map((k) => [scheduleVariable(k), schedule])) as Record<string, typeof schedule>;

/** `FAROL_SQL_PORT`: a TCP port, or `0`/`off` to serve no SQL API. */
const sqlPort = z.preprocess(
  emptyToUndefined,
  z
    .string()
    .default(String(DEFAULT_SQL_PORT))
    .transform((v, ctx) => {
      if (v.trim().toLowerCase() === 'off') return undefined;
      const n = Number(v);
      if (!/^\d+$/.test(v.trim()) || n > 65_535) {
        ctx.addIssue({ code: 'custom', message: `expected a port (1–65535), or 0 or "off" to turn the SQL API off; got "${v}"` });
        return z.NEVER;
      }
      return n === 0 ? undefined : n;
    }),
);

export const envSchema = z.object({
  ...observabilityEnvSchema.shape,
  ...lineageEnvSchema.shape,
  ...alertsEnvSchema.shape,
  ...authEnvSchema.shape,
  ...cdcEnvSchema.shape,
  ...scheduleShape,
  FAROL_STORE_TARGETS_FILE: optionalString,
  FAROL_BRONZE_RETENTION_DAYS: intInRange(0, 36_500, 0),
  FAROL_BRONZE_COMPACT_MINUTES: intInRange(1, 24 * 60, DEFAULT_COMPACT_MINUTES),
  FAROL_HOST: optionalString,
  FAROL_CORS_ORIGINS: corsOrigins,
  FAROL_QUERY_TIMEOUT_MS: intInRange(100, 3_600_000, DEFAULT_QUERY_TIMEOUT_MS),
  FAROL_GRAPHQL_MAX_RESPONSE_BYTES: intInRange(64 * 1024, 1024 * 1024 * 1024, DEFAULT_MAX_RESPONSE_BYTES),
  FAROL_PORT: intInRange(0, 65_535, DEFAULT_PORT),
  FAROL_SQL_PORT: sqlPort,
  FAROL_SQL_HOST: optionalString,
  FAROL_SQL_TLS_CERT: optionalString,
  FAROL_SQL_TLS_KEY: optionalString,
  FAROL_PUBLIC_URL: z.preprocess(emptyToUndefined, z.url().optional()),
  FAROL_WAREHOUSE: warehouseUrl,
  FAROL_DATA_DIR: optionalString,
  FAROL_BIGQUERY_LOCATION: bigQueryLocation,
  FAROL_BIGQUERY_MAX_BYTES_BILLED: bytesBilled,
  FAROL_BIGQUERY_API_ENDPOINT: z.preprocess(emptyToUndefined, z.url({ protocol: /^https?$/ }).optional()),
  // Read here only to check it and name the file; google-auth-library reads the key itself.
  GOOGLE_APPLICATION_CREDENTIALS: optionalString,
  FAROL_TIMEZONE: timezone,
  FAROL_CHANNEL_NAMES: channelNames,
  FAROL_LOG_LEVEL: z.preprocess(
    emptyToUndefined,
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ),
  FAROL_CACHE_MAX_ENTRIES: intInRange(0, 10_000_000, DEFAULT_CACHE_MAX_ENTRIES),
  FAROL_CACHE_TTL_MS: intInRange(0, 7 * 24 * 3_600_000, DEFAULT_CACHE_TTL_MS),
  FAROL_PREAGGREGATIONS: z.preprocess(emptyToUndefined, z.enum(['on', 'off']).default('on')),
  FAROL_WORKER_CONCURRENCY: intInRange(1, 256, DEFAULT_WORKER_CONCURRENCY),
  FAROL_LANDING_MIN_INTERVAL: landingInterval,
  FAROL_VTEX_BACKFILL_DAYS: intInRange(0, 730, 90),
  FAROL_VTEX_RECONCILE_DAYS: intInRange(1, 730, 3),
  VTEX_FEED: z.preprocess(emptyToUndefined, z.enum(['on', 'off']).default('off')),
  FAROL_SANDBOX: z.preprocess(emptyToUndefined, z.enum(['auto', 'on', 'off']).default('auto')),
  FAROL_SANDBOX_PORT: intInRange(0, 65_535, DEFAULT_SANDBOX_PORT),
  FAROL_SANDBOX_SEED: intInRange(0, 2 ** 31 - 1, 42),
  FAROL_SANDBOX_ORDERS_PER_MINUTE: intInRange(0, 60_000, 30),
  FAROL_SANDBOX_HISTORY_DAYS: intInRange(0, 3_650, 30),
  FAROL_SANDBOX_HISTORY_ORDERS: intInRange(0, 1_000_000, 1_500),
  VTEX_ACCOUNT: z.preprocess(emptyToUndefined, z.string().regex(/^[a-z0-9][a-z0-9-]*$/i, 'expected a VTEX account name').optional()),
  VTEX_APP_KEY: optionalString,
  VTEX_APP_TOKEN: optionalString,
  VTEX_BASE_URL: z.preprocess(emptyToUndefined, z.url().optional()),
  VTEX_PRICING_URL: z.preprocess(emptyToUndefined, z.url().optional()),
  VTEX_HOOK_TOKEN: z.preprocess(emptyToUndefined, z.string().min(16, 'must be at least 16 characters').optional()),
});

export interface VtexConfig {
  readonly account: string;
  readonly appKey: string;
  readonly appToken: string;
  readonly baseUrl: string;
}

export interface FarolConfig {
  readonly server: {
    readonly host: string;
    readonly port: number;
    readonly publicUrl: string | undefined;
    /** Browser origins allowed to call the API; empty: no CORS grant to anyone. */
    readonly corsOrigins: readonly string[];
  };
  readonly graphql: { readonly maxResponseBytes: number };
  /** The PostgreSQL-protocol endpoint; undefined when `FAROL_SQL_PORT=off`. */
  readonly sqlApi:
    | {
        readonly host: string;
        readonly port: number;
        /** PEM files; both or neither. With them SSLRequest is answered 'S'. */
        readonly tls: { readonly certFile: string; readonly keyFile: string } | undefined;
      }
    | undefined;
  /** `/metrics` access (`FAROL_METRICS_TOKEN`). */
  readonly observability: ObservabilityConfig;
  /** Longest a metrics query may run in the warehouse before it is interrupted. */
  readonly queryTimeoutMs: number;
  readonly warehouse: WarehouseConfig;
  /** API keys, JWT settings and the access file (src/auth). */
  readonly auth: AuthConfig;
  readonly timezone: string;
  /** Display names by channel key (`sc:2`, `mkt:MLB`), overriding the built-in ones. */
  readonly channelNames: Readonly<Record<string, string>>;
  readonly logLevel: string;
  readonly cache: { readonly maxEntries: number; readonly ttlMs: number };
  /** Build the model's rollups after each gold refresh and answer matching queries from them (`FAROL_PREAGGREGATIONS`). */
  readonly preAggregations: boolean;
  /**
   * `minIntervalMs`: least time between two landings of pushed records (hook notifications,
   * fetched orders); 0 on DuckDB, `DEFAULT_BIGQUERY_LANDING_INTERVAL_MS` on BigQuery unless set.
   */
  readonly worker: { readonly concurrency: number; readonly minLandingIntervalMs: number };
  /** How far back `farol ingest vtex-orders` reaches without `--since` or a cursor. */
  readonly vtexBackfillDays: number;
  /** Days each scheduled VTEX orders run lists again, healing missed hooks. */
  readonly vtexReconcileDays: number;
  /** Also read VTEX Orders Feed v3 (`VTEX_FEED=on`), a second safety net beside the hook. */
  readonly vtexFeed: boolean;
  /** Real VTEX credentials; undefined means none were given (the sandbox may stand in). */
  readonly vtex: VtexConfig | undefined;
  /** The Pricing API's base (`https://api.vtex.com/<account>`): it does not live on the account's host. */
  readonly vtexPricingUrl: string | undefined;
  /** Shared secret VTEX must send in `X-Farol-Hook-Token`; generated for the sandbox when unset. */
  readonly vtexHookToken: string | undefined;
  readonly storage: StorageConfig;
  /** Cadence overrides per source (`FAROL_SCHEDULE_<SOURCE>`); sources not listed keep their default. */
  readonly schedules: Readonly<Partial<Record<SourceKind, number | 'off'>>>;
  readonly storeTargetsFile: string | undefined;
  /** The club registry read over PostgreSQL logical replication; undefined when CDC_DATABASE_URL is unset. */
  readonly cdc: CdcConfig | undefined;
  readonly lineage: LineageEnv;
  /** Alert rules file, webhooks (credentials: never logged) and the base of links in messages. */
  readonly alerts: AlertsConfig;
  readonly sandbox: {
    readonly enabled: boolean;
    readonly port: number;
    readonly seed: number;
    readonly ordersPerMinute: number;
    readonly historyDays: number;
    readonly historyOrders: number;
  };
}

/** The warehouse in words, for banners and messages; never a credential (a key file is named, not read). */
export function describeWarehouse(w: WarehouseConfig): string {
  if (w.kind === 'duckdb') return `${w.path} (DuckDB)`;
  const where = w.location ? `, location ${w.location}` : '';
  const auth = w.keyFilename ? `, key file ${w.keyFilename}` : ', Application Default Credentials';
  return `bigquery:${w.projectId}.${w.dataset} (BigQuery${where}${auth})`;
}

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: Readonly<Record<string, string | undefined>> = process.env): FarolConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.') || 'environment'}: ${i.message}`));
  }
  const e = parsed.data;
  const vtexGiven = [e.VTEX_ACCOUNT, e.VTEX_APP_KEY, e.VTEX_APP_TOKEN].filter(Boolean).length;
  const problems: string[] = [];
  if (vtexGiven > 0 && vtexGiven < 3) {
    problems.push('VTEX_ACCOUNT, VTEX_APP_KEY and VTEX_APP_TOKEN: set all three, or none to use the sandbox');
  }
  const sandboxEnabled = e.FAROL_SANDBOX === 'on' || (e.FAROL_SANDBOX === 'auto' && vtexGiven === 0);
  if (vtexGiven === 3 && !sandboxEnabled && !e.VTEX_HOOK_TOKEN) {
    problems.push('VTEX_HOOK_TOKEN: required with real VTEX credentials (the hook must present it in X-Farol-Hook-Token)');
  }
  if (e.FAROL_SANDBOX === 'on' && vtexGiven === 3) {
    problems.push('FAROL_SANDBOX: "on" conflicts with real VTEX credentials; unset one of them');
  }
  const bigquery = e.FAROL_WAREHOUSE.kind === 'bigquery';
  if (!bigquery) {
    for (const name of ['FAROL_DATA_DIR', 'FAROL_BIGQUERY_LOCATION', 'FAROL_BIGQUERY_API_ENDPOINT'] as const) {
      if (e[name] !== undefined) problems.push(`${name}: only used with FAROL_WAREHOUSE=bigquery:<project>.<dataset>; the DuckDB warehouse keeps its files beside its own`);
    }
  }
  if (bigquery && e.GOOGLE_APPLICATION_CREDENTIALS !== undefined && !readableFile(e.GOOGLE_APPLICATION_CREDENTIALS)) {
    problems.push(`GOOGLE_APPLICATION_CREDENTIALS: no readable file at ${e.GOOGLE_APPLICATION_CREDENTIALS}`);
  }
  if (Boolean(e.FAROL_SQL_TLS_CERT) !== Boolean(e.FAROL_SQL_TLS_KEY)) {
    problems.push('FAROL_SQL_TLS_CERT and FAROL_SQL_TLS_KEY: set both (PEM certificate and its private key), or neither');
  }
  for (const name of ['FAROL_SQL_TLS_CERT', 'FAROL_SQL_TLS_KEY'] as const) {
    const file = e[name];
    if (file !== undefined && !readableFile(file)) problems.push(`${name}: no readable file at ${file}`);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  const warehouse: WarehouseConfig =
    e.FAROL_WAREHOUSE.kind === 'duckdb'
      ? e.FAROL_WAREHOUSE
      : {
          ...e.FAROL_WAREHOUSE,
          location: e.FAROL_BIGQUERY_LOCATION,
          maximumBytesBilled: e.FAROL_BIGQUERY_MAX_BYTES_BILLED > 0 ? e.FAROL_BIGQUERY_MAX_BYTES_BILLED : undefined,
          keyFilename: e.GOOGLE_APPLICATION_CREDENTIALS,
          apiEndpoint: e.FAROL_BIGQUERY_API_ENDPOINT?.replace(/\/+$/, ''),
        };

  const vtex: VtexConfig | undefined =
    vtexGiven === 3
      ? {
          account: e.VTEX_ACCOUNT as string,
          appKey: e.VTEX_APP_KEY as string,
          appToken: e.VTEX_APP_TOKEN as string,
          baseUrl: (e.VTEX_BASE_URL ?? `https://${e.VTEX_ACCOUNT}.vtexcommercestable.com.br`).replace(/\/+$/, ''),
        }
      : undefined;

  return deepFreeze({
    server: {
      host: e.FAROL_HOST ?? (e.FAROL_API_KEYS.length === 0 ? LOCAL_ONLY_HOST : DEFAULT_HOST),
      port: e.FAROL_PORT,
      publicUrl: e.FAROL_PUBLIC_URL?.replace(/\/+$/, ''),
      corsOrigins: e.FAROL_CORS_ORIGINS,
    },
    graphql: { maxResponseBytes: e.FAROL_GRAPHQL_MAX_RESPONSE_BYTES },
    sqlApi:
      e.FAROL_SQL_PORT === undefined
        ? undefined
        : {
            host: e.FAROL_SQL_HOST ?? e.FAROL_HOST ?? (e.FAROL_API_KEYS.length === 0 ? LOCAL_ONLY_HOST : DEFAULT_HOST),
            port: e.FAROL_SQL_PORT,
            tls: e.FAROL_SQL_TLS_CERT && e.FAROL_SQL_TLS_KEY ? { certFile: e.FAROL_SQL_TLS_CERT, keyFile: e.FAROL_SQL_TLS_KEY } : undefined,
          },
    observability: observabilityConfigFrom(e),
    queryTimeoutMs: e.FAROL_QUERY_TIMEOUT_MS,
    warehouse,
    auth: authConfigFrom(e),
    timezone: e.FAROL_TIMEZONE,
    channelNames: e.FAROL_CHANNEL_NAMES,
    logLevel: e.FAROL_LOG_LEVEL,
    cache: { maxEntries: e.FAROL_CACHE_MAX_ENTRIES, ttlMs: e.FAROL_CACHE_TTL_MS },
    preAggregations: e.FAROL_PREAGGREGATIONS === 'on',
    worker: {
      concurrency: e.FAROL_WORKER_CONCURRENCY,
      minLandingIntervalMs: e.FAROL_LANDING_MIN_INTERVAL ?? (warehouse.kind === 'bigquery' ? DEFAULT_BIGQUERY_LANDING_INTERVAL_MS : 0),
    },
    vtexBackfillDays: e.FAROL_VTEX_BACKFILL_DAYS,
    vtexReconcileDays: e.FAROL_VTEX_RECONCILE_DAYS,
    vtexFeed: e.VTEX_FEED === 'on',
    vtex,
    vtexPricingUrl: vtex && (e.VTEX_PRICING_URL ?? `https://api.vtex.com/${vtex.account}`).replace(/\/+$/, ''),
    vtexHookToken: e.VTEX_HOOK_TOKEN,
    storage: storageFor(warehouse, e.FAROL_DATA_DIR ?? DEFAULT_DATA_DIR, e.FAROL_BRONZE_RETENTION_DAYS, e.FAROL_BRONZE_COMPACT_MINUTES),
    schedules: Object.fromEntries(
      SOURCE_KINDS.flatMap((k) => {
        const v = (e as Record<string, unknown>)[scheduleVariable(k)] as number | 'off' | undefined;
        return v === undefined ? [] : [[k, v]];
      }),
    ),
    storeTargetsFile: e.FAROL_STORE_TARGETS_FILE,
    cdc: cdcConfigFrom({ CDC_DATABASE_URL: e.CDC_DATABASE_URL, CDC_TABLES: e.CDC_TABLES, CDC_SLOT: e.CDC_SLOT, CDC_PUBLICATION: e.CDC_PUBLICATION }),
    lineage: { OPENLINEAGE_URL: e.OPENLINEAGE_URL, OPENLINEAGE_NAMESPACE: e.OPENLINEAGE_NAMESPACE, OPENLINEAGE_API_KEY: e.OPENLINEAGE_API_KEY },
    alerts: alertsConfigFrom(e, e.FAROL_PUBLIC_URL?.replace(/\/+$/, '')),
    sandbox: {
      enabled: sandboxEnabled,
      port: e.FAROL_SANDBOX_PORT,
      seed: e.FAROL_SANDBOX_SEED,
      ordersPerMinute: e.FAROL_SANDBOX_ORDERS_PER_MINUTE,
      historyDays: e.FAROL_SANDBOX_HISTORY_DAYS,
      historyOrders: e.FAROL_SANDBOX_HISTORY_ORDERS,
    },
  });
}

function storageFor(warehouse: WarehouseConfig, bigQueryDataDir: string, retentionDays: number, compactMinutes: number): StorageConfig {
  // DuckDB: everything beside the warehouse file, named after it. BigQuery: the local data folder.
  const file = warehouse.kind === 'duckdb' ? path.resolve(warehouse.path) : path.resolve(bigQueryDataDir, 'farol');
  const base = path.join(path.dirname(file), path.basename(file).replace(/\.duckdb$/i, ''));
  return {
    dataDir: path.dirname(file),
    bronzeDir: `${base}.bronze`,
    inboxPath: `${base}.inbox.duckdb`,
    bronzeRetentionDays: retentionDays,
    compactEveryMs: compactMinutes * 60_000,
  };
}

function readableFile(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.R_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object') {
    for (const v of Object.values(o)) deepFreeze(v);
    Object.freeze(o);
  }
  return o;
}
