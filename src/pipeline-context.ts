import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Logger } from 'pino';
import type { FarolConfig, WarehouseConfig } from './config.js';
import { BronzeStore } from './ingest/bronze/bronze-store.js';
import { SOURCE_KINDS, type SourceKind } from './ingest/sources/source-kind.js';
import { createLineageSink } from './pipeline/lineage/lineage-config.js';
import type { LineageSink } from './pipeline/lineage/lineage-types.js';
import { PipelineRunner, type SourceRegistry } from './pipeline/pipeline-runner.js';
import type { PipelineObserver } from './pipeline/pipeline-observer.js';
import { markInterruptedRuns } from './pipeline/run-log.js';
import { createSourceRegistry } from './pipeline/source-registry.js';
import { heldOrderChanges } from './transform/silver/held-orders.js';
import { heldCatalogDocuments } from './transform/silver/held-catalog.js';
import { VtexStoreClients } from './vtex-store-clients.js';
import { SourceLocks } from './pipeline/source-locks.js';
import { BIGQUERY_WAREHOUSE_MIGRATIONS, WAREHOUSE_MIGRATIONS } from './pipeline/warehouse-migrations.js';
import type { GoldRefreshOptions } from './transform/gold/refresh-order-gold.js';
import { parseDuration } from './shared/duration.js';
import { DEFAULT_ACCOUNT, SANDBOX_CHANNEL_NAMES } from './sandbox/vtex/index.js';
import { DataVersions } from './warehouse/data-version.js';
import { openWarehouse, type OpenWarehouseOverrides } from './warehouse/open-warehouse.js';
import type { Warehouse } from './warehouse/warehouse.js';

/** Everything that touches the warehouse, wired once for the service and for `farol` commands. */
export interface PipelineContext {
  readonly warehouse: Warehouse;
  readonly bronze: BronzeStore;
  readonly dataVersions: DataVersions;
  readonly registry: SourceRegistry;
  readonly runner: PipelineRunner;
  readonly lineage: LineageSink;
  /** Cadence per source: the module's default unless `FAROL_SCHEDULE_<SOURCE>` says otherwise. */
  readonly schedules: Partial<Record<SourceKind, number>>;
  /** The store's Catalog/Pricing and Master Data clients; the service connects them to the sandbox once it listens. */
  readonly vtexStore: VtexStoreClients;
  close(): Promise<void>;
}

export interface PipelineContextOptions {
  /** The VTEX account orders come from (the sandbox's when it stands in). */
  readonly vtexAccount: string;
  readonly storeTargetsFile?: string | undefined;
  readonly gold: GoldRefreshOptions;
  /** Records landed, run failures, refresh durations, data-test failures (the service passes its Prometheus metrics). */
  readonly observer?: PipelineObserver;
  /** Every HTTP attempt of the store's clients, by source; retries are attempts after the first. */
  readonly onHttpAttempt?: (source: string, attempt: number) => void;
  /** Test seams configuration never sets (an auth client for a local BigQuery stand-in). */
  readonly warehouseOverrides?: OpenWarehouseOverrides;
}

/**
 * The options the service and `farol` commands open the pipeline with, from configuration: with
 * the sandbox standing in for VTEX, its account, channel names and store-targets file.
 */
export function pipelineOptionsFor(cfg: FarolConfig, sandboxTargetsFile?: string): PipelineContextOptions {
  const dataDir = cfg.storage.dataDir;
  const sandboxTargets = sandboxTargetsFile ?? path.join(dataDir, 'sandbox', 'store-targets.csv');
  return {
    vtexAccount: cfg.sandbox.enabled ? DEFAULT_ACCOUNT : (cfg.vtex?.account ?? 'unknown'),
    storeTargetsFile: cfg.storeTargetsFile ?? (cfg.sandbox.enabled && fs.existsSync(sandboxTargets) ? sandboxTargets : undefined),
    gold: { timezone: cfg.timezone, channelNames: cfg.sandbox.enabled ? { ...SANDBOX_CHANNEL_NAMES, ...cfg.channelNames } : cfg.channelNames },
  };
}

/**
 * Opens the warehouse (migrating it), bronze, the data versions, lineage and the runner. Runs a
 * previous process left `running` are closed as interrupted: their committed pages are kept and
 * the next run resumes from their cursor.
 */
export async function openPipelineContext(cfg: FarolConfig, logger: Logger, opts: PipelineContextOptions): Promise<PipelineContext> {
  const warehouse = await openWarehouse(cfg.warehouse, { duckdb: WAREHOUSE_MIGRATIONS, bigquery: BIGQUERY_WAREHOUSE_MIGRATIONS }, logger, opts.warehouseOverrides);
  // Outside the try, so a failure further on closes it along with the warehouse.
  const vtexStore = new VtexStoreClients(logger, opts.onHttpAttempt);
  try {
    await markInterruptedRuns(warehouse);
    const bronze = await BronzeStore.open(warehouse, cfg.storage.bronzeDir, { logger });
    const dataVersions = await DataVersions.load(warehouse);
    if (cfg.vtex && cfg.vtexPricingUrl && !cfg.sandbox.enabled) vtexStore.connect(cfg.vtex, cfg.vtexPricingUrl);
    // With the sandbox, the service connects the store clients once it listens; commands then go through the service.
    const storeScheduled = cfg.vtex !== undefined || cfg.sandbox.enabled;
    const registry = createSourceRegistry({
      vtexAccount: opts.vtexAccount,
      storeTargetsFile: opts.storeTargetsFile ?? cfg.storeTargetsFile,
      // A store (real, or the sandbox once the service has connected it) can be listed: the
      // orders source then backfills and reconciles from it.
      vtexBackfill: storeScheduled ? {
        oms: vtexStore.lister,
        known: (ids) => heldOrderChanges(warehouse, 'vtex-orders', ids),
        concurrency: cfg.worker.concurrency,
        defaultDays: cfg.vtexBackfillDays,
        reconcileDays: cfg.vtexReconcileDays,
      } : undefined,
      vtexCatalog: {
        client: () => vtexStore.catalog,
        known: (ids) => heldCatalogDocuments(warehouse, 'vtex-catalog', ids),
        concurrency: cfg.worker.concurrency,
        scheduled: storeScheduled,
      },
      vtexCustomers: { client: () => vtexStore.masterData, scheduled: storeScheduled },
      clubRegistry: { cdc: cfg.cdc },
    });
    const lineage = createLineageSink(cfg.lineage, { logger: logger.child({ component: 'lineage' }) });
    const runner = new PipelineRunner({
      warehouse, bronze, dataVersions, gold: opts.gold, registry, locks: new SourceLocks(), lineage, logger,
      ...(opts.observer ? { observer: opts.observer } : {}),
      warehouseNamespace: lineageNamespace(cfg.warehouse),
    });
    const schedules: Partial<Record<SourceKind, number>> = {};
    for (const kind of SOURCE_KINDS) {
      const override = cfg.schedules[kind];
      const every = override === 'off' ? undefined : (override ?? parseDefault(registry[kind].defaultSchedule));
      if (every !== undefined && registry[kind].extract) schedules[kind] = every;
    }
    return {
      warehouse, bronze, dataVersions, registry, runner, lineage, schedules, vtexStore,
      async close() {
        await lineage.close();
        await vtexStore.close();
        await warehouse.close();
      },
    };
  } catch (err) {
    await vtexStore.close();
    await warehouse.close();
    throw err;
  }
}

/**
 * The warehouse as an OpenLineage dataset namespace: the DuckDB file on this host, or the BigQuery
 * project and dataset every layer's tables live in (dataset names stay Farol's `layer.table`).
 */
function lineageNamespace(warehouse: WarehouseConfig): string {
  if (warehouse.kind === 'bigquery') return `bigquery://${warehouse.projectId}.${warehouse.dataset}`;
  return `duckdb://${os.hostname()}${warehouse.path.startsWith('/') ? '' : '/'}${warehouse.path}`;
}

function parseDefault(text: string | undefined): number | undefined {
  if (!text) return undefined;
  const ms = parseDuration(text);
  if (ms === undefined) throw new Error(`invalid default schedule "${text}"`);
  return ms;
}
