import type { Logger } from 'pino';
import type { VtexConfig } from './config.js';
import { createVtexCatalogClient, type VtexCatalogClient } from './ingest/sources/vtex-catalog/vtex-catalog-client.js';
import { createVtexMasterDataClient, type VtexMasterDataClient } from './ingest/sources/vtex-customers/vtex-master-data-client.js';
import { BACKFILL_RETRY, createVtexOmsClient, type VtexOmsClient } from './ingest/sources/vtex-orders/vtex-oms-client.js';
import { TerminalSourceError } from './ingest/sources/source-module.js';
import { NO_VTEX_STORE } from './ingest/sources/no-vtex-store.js';

/**
 * The clients of the configured store that pulled sources ask for at run time: List/Get order
 * for the orders backfill and reconciliation (with the patient retry policy a run without a queue
 * behind it needs), Catalog/Pricing, and Master Data. Connected when the pipeline opens for a
 * real account, and by the service once the bundled sandbox listens (its address is not known before).
 */
export class VtexStoreClients {
  private catalogClient: VtexCatalogClient | undefined;
  private masterDataClient: VtexMasterDataClient | undefined;
  private listerClient: VtexOmsClient | undefined;

  /** List and Get order, for the backfill; each call fails as terminal while no store is connected. */
  readonly lister: Pick<VtexOmsClient, 'listOrders' | 'getOrder'> = {
    listOrders: (from, to, page) => this.connectedLister().listOrders(from, to, page),
    getOrder: (id) => this.connectedLister().getOrder(id),
  };

  constructor(
    private readonly logger: Logger,
    /** Every HTTP attempt of these clients, by pipeline source (retries are attempts after the first). */
    private readonly onHttpAttempt?: (source: string, attempt: number) => void,
  ) {}

  private attempts(source: string): ((e: { readonly attempt: number }) => void) | undefined {
    const report = this.onHttpAttempt;
    return report && ((e) => report(source, e.attempt));
  }

  /** `requestsPerSecond` is only for a local stand-in; a real account keeps each client's documented pace. */
  connect(vtex: VtexConfig, pricingUrl: string, requestsPerSecond?: number): void {
    if (this.catalogClient) return;
    this.catalogClient = createVtexCatalogClient(vtex, pricingUrl, this.logger.child({ source: 'vtex-catalog' }), requestsPerSecond, undefined, this.attempts('vtex-catalog'));
    this.masterDataClient = createVtexMasterDataClient(vtex, this.logger.child({ source: 'vtex-customers' }), requestsPerSecond, undefined, this.attempts('vtex-customers'));
    this.listerClient = createVtexOmsClient(vtex, this.logger.child({ source: 'vtex-orders' }), requestsPerSecond, BACKFILL_RETRY, this.attempts('vtex-orders'));
  }

  get catalog(): VtexCatalogClient | undefined {
    return this.catalogClient;
  }

  get masterData(): VtexMasterDataClient | undefined {
    return this.masterDataClient;
  }

  async close(): Promise<void> {
    const clients = [this.catalogClient, this.masterDataClient, this.listerClient];
    this.catalogClient = undefined;
    this.masterDataClient = undefined;
    this.listerClient = undefined;
    await Promise.all(clients.map((c) => c?.close()));
  }

  private connectedLister(): VtexOmsClient {
    if (!this.listerClient) throw new TerminalSourceError(NO_VTEX_STORE);
    return this.listerClient;
  }
}
