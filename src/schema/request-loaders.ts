import type { MetricsService, SecurityContext } from '../metrics/metrics-service.js';
import type { ClubMemberIndex, Customer360Service } from '../customers/index.js';
import type { AlertsApi } from './alerts-api.js';
import { createCustomerLoaders, type CustomerLoaders } from './customer-loaders.js';
import { createMetricsLoader, type MetricsLoader } from './metrics-loader.js';
import type { OperationsService } from './operations-service.js';

/** The services resolvers may call. Add one here when a new query family arrives. */
export interface GraphqlServices {
  readonly metrics: MetricsService;
  readonly customers: Customer360Service;
  readonly clubIndex: ClubMemberIndex;
  /** Runs, sources and data tests; absent where no pipeline runs (the fields then answer SERVICE_UNAVAILABLE). */
  readonly operations?: OperationsService | undefined;
  /** Alert history, silences and acknowledgement (src/alerts); absent where alerts do not run. */
  readonly alerts?: AlertsApi | undefined;
}

/**
 * The per-request DataLoader holder. Loaders are created on first use, so a request pays only
 * for the loaders its operation touches, and they die with the request, so nothing cached in
 * them outlives one caller's permissions. A new loader (customer 360, POS validation) is one
 * private field and one getter bound to the same services and security context.
 */
export class RequestLoaders {
  #metrics: MetricsLoader | undefined;
  #customers: CustomerLoaders | undefined;

  constructor(
    private readonly services: GraphqlServices,
    private readonly security: SecurityContext,
  ) {}

  get metrics(): MetricsLoader {
    return (this.#metrics ??= createMetricsLoader(this.services.metrics, this.security));
  }

  get customers(): CustomerLoaders {
    return (this.#customers ??= createCustomerLoaders(this.services.customers));
  }
}
