import type { SecurityContext } from '../auth/index.js';
import type { MetricsService } from '../metrics/metrics-service.js';
import type { SqlExecutor } from '../warehouse/warehouse.js';

/** What evaluating a rule may read, and the moment it is evaluated at (tests and replays set it). */
export interface EvaluationContext {
  readonly warehouse: SqlExecutor;
  readonly metrics: MetricsService;
  /** The admin's context: alerts watch the whole business, whoever reads them later. */
  readonly security: SecurityContext;
  readonly timezone: string;
  readonly now: Date;
  /** The web page's address, for links to a KPI's query; none: messages carry no link. */
  readonly linkBase?: string | undefined;
}
