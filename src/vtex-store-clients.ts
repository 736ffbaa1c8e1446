import type { Logger } from 'pino';
import type { VtexConfig } from './config.js';
import { createVtexCatalogClient, type VtexCatalogClient } from './ingest/sources/vtex-catalog/vtex-catalog-client.js';
import { createVtexMasterDataClient, type VtexMasterDataClient } from './ingest/sources/vtex-customers/vtex-master-data-client.js';

/**
 * The Catalog/Pricing and Master Data clients of the configured store, which the catalog and
 * customer sources ask for at run time. Connected when the pipeline opens for a real account,
 * and by the service once the bundled sandbox listens (its address is not known before).
 */
export class VtexStoreClients {
  private catalogClient: VtexCatalogClient | undefined;
  private masterDataClient: VtexMasterDataClient | undefined;

  constructor(private readonly logger: Logger) {}

  /** `requestsPerSecond` is only for a local stand-in; a real account keeps each client's documented pace. */
  connect(vtex: VtexConfig, pricingUrl: string, requestsPerSecond?: number): void {
    if (this.catalogClient) return;
    this.catalogClient = createVtexCatalogClient(vtex, pricingUrl, this.logger.child({ source: 'vtex-catalog' }), requestsPerSecond);
    this.masterDataClient = createVtexMasterDataClient(vtex, this.logger.child({ source: 'vtex-customers' }), requestsPerSecond);
  }

  get catalog(): VtexCatalogClient | undefined {
    return this.catalogClient;
  }

  get masterData(): VtexMasterDataClient | undefined {
    return this.masterDataClient;
  }

  async close(): Promise<void> {
    const clients = [this.catalogClient, this.masterDataClient];
    this.catalogClient = undefined;
    this.masterDataClient = undefined;
    await Promise.all(clients.map((c) => c?.close()));
  }
}
