import type { SourceKind } from '../ingest/sources/source-kind.js';
import type { SourceModule } from '../ingest/sources/source-module.js';
import { createStoreTargetsSource } from '../ingest/sources/store-targets/store-targets-source.js';
import type { BackfillOptions } from '../ingest/sources/vtex-orders/vtex-order-backfill.js';
import { createVtexOrdersSource } from '../ingest/sources/vtex-orders/vtex-orders-source.js';
import type { SourceRegistry } from './pipeline-runner.js';
import { createVtexCatalogSource, type VtexCatalogSourceOptions } from '../ingest/sources/vtex-catalog/vtex-catalog-source.js';
import { createVtexCustomersSource, type VtexCustomersSourceOptions } from '../ingest/sources/vtex-customers/vtex-customers-source.js';
import { createClubRegistrySource, type ClubRegistrySourceOptions } from '../ingest/sources/club-registry/club-registry-source.js';

export interface SourceRegistryOptions {
  readonly vtexAccount: string;
  /** Listing and fetching orders from the account, when it is a real one (or a test's sandbox). */
  readonly vtexBackfill?: BackfillOptions | undefined;
  readonly storeTargetsFile: string | undefined;
  readonly vtexCatalog: Omit<VtexCatalogSourceOptions, 'account'>;
  readonly vtexCustomers: Omit<VtexCustomersSourceOptions, 'account'>;
  /** The club registry's replication settings; absent or `cdc: undefined` when CDC_DATABASE_URL is unset. */
  readonly clubRegistry?: ClubRegistrySourceOptions;
}

/**
 * Every source, by kind. The `Record<SourceKind, SourceModule>` type makes a new kind in
 * source-kind.ts fail compilation here until it has a module.
 */
export function createSourceRegistry(opts: SourceRegistryOptions): SourceRegistry {
  const registry: Record<SourceKind, SourceModule> = {
    'vtex-orders': createVtexOrdersSource({ account: opts.vtexAccount, backfill: opts.vtexBackfill }),
    'store-targets': createStoreTargetsSource({ file: opts.storeTargetsFile }),
    'vtex-catalog': createVtexCatalogSource({ account: opts.vtexAccount, ...opts.vtexCatalog }),
    'vtex-customers': createVtexCustomersSource({ account: opts.vtexAccount, ...opts.vtexCustomers }),
    'club-registry': createClubRegistrySource(opts.clubRegistry ?? { cdc: undefined }),
  };
  return Object.freeze(registry);
}
