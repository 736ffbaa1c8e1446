/**
 * What every face hands the semantic engine and its own resolvers: who is asking and what they
 * may see, resolved once per request. Plain, frozen data: consumers (src/metrics, the faces)
 * read it and never need to know how it was derived (API key, JWT, access file).
 */

/** What a role may call on the API faces, independent of which members it sees. */
/**
 * `metricsSql`: metrics answers also carry the SQL they ran (table names and the caller's own row
 * filters; no data). Not given to front-end keys (`app`) by default.
 * `alerts`: read alert history and silences; `alertsManage`: acknowledge alerts and add silences.
 */
/** `operations`: the pipeline's runs, sources and data test results (the operator's page); `alerts`/`alertsManage`: read and act on alerts. */
export const CAPABILITIES = ['metrics', 'customers', 'validateCustomer', 'metricsSql', 'operations', 'alerts', 'alertsManage'] as const;
export type Capability = (typeof CAPABILITIES)[number];

export type CredentialKind = 'api-key' | 'jwt';

/**
 * A row-level rule with its value resolved for this caller: the engine ANDs
 * `member <operator> values` into every query whose view reaches the member's cube.
 * `member` is a cube dimension (`stores.store_key`), not a view member, so the rule holds
 * through every view built on that cube.
 */
export interface RowFilter {
  readonly member: string;
  readonly operator: 'equals' | 'notEquals';
  readonly values: readonly string[];
}

/** Which semantic-model members a caller may see and which rows. */
export interface DataAccess {
  /** Member patterns (`sales.*`, `*.revenue`, `*`); a member is visible when one matches... */
  readonly allow: readonly string[];
  /** ...and none of these does. */
  readonly deny: readonly string[];
  /** False: members marked `meta: { pii: true }` come back masked and may not be filtered or ordered by. */
  readonly piiVisible: boolean;
  readonly rowFilters: readonly RowFilter[];
}

export interface SecurityContext {
  readonly role: string;
  readonly credential: CredentialKind;
  /**
   * Safe to log: an API key's fingerprint, or a JWT's `sub` (`iss`-qualified). Never the
   * credential itself.
   */
  readonly subject: string;
  readonly capabilities: ReadonlySet<Capability>;
  readonly data: DataAccess;
  /** Verified JWT claims (empty for API keys), for rules a face applies itself. */
  readonly claims: Readonly<Record<string, unknown>>;
}
