import { AuthError } from './auth-errors.js';
import type { Capability, DataAccess, RowFilter } from './security-context.js';

/** Where a row rule's values come from: the caller's claim, or fixed values in the access file. */
export type RowValueSource = { readonly kind: 'claim'; readonly claim: string } | { readonly kind: 'values'; readonly values: readonly string[] };

export interface RowFilterRule {
  /** A cube dimension, `cube.dimension`. */
  readonly member: string;
  readonly operator: RowFilter['operator'];
  readonly source: RowValueSource;
}

/** A role as configured, before a caller's claims are bound into its row rules. */
export interface RolePolicy {
  readonly name: string;
  readonly builtIn: boolean;
  readonly description: string;
  readonly capabilities: ReadonlySet<Capability>;
  readonly members: { readonly allow: readonly string[]; readonly deny: readonly string[] };
  readonly piiVisible: boolean;
  readonly rowFilters: readonly RowFilterRule[];
}

function builtIn(name: string, description: string, capabilities: readonly Capability[], allow: readonly string[], piiVisible: boolean): RolePolicy {
  return Object.freeze({
    name,
    builtIn: true,
    description,
    capabilities: new Set(capabilities),
    members: Object.freeze({ allow: Object.freeze([...allow]), deny: Object.freeze([]) }),
    piiVisible,
    rowFilters: Object.freeze([]),
  });
}

/**
 * The roles Farol always has. `pos` (tills) sees no semantic-model member: it may only call
 * `validateCustomer`. Custom roles come from the access file and may not reuse these names.
 */
export const BUILT_IN_ROLES: Readonly<Record<string, RolePolicy>> = Object.freeze({
  admin: builtIn('admin', 'Everything.', ['metrics', 'customers', 'validateCustomer', 'metricsSql', 'operations', 'alerts', 'alertsManage'], ['*'], true),
  app: builtIn('app', 'Metrics and customer 360 with personal data (the CRM).', ['metrics', 'customers'], ['*'], true),
  analyst: builtIn('analyst', 'Metrics (with the SQL behind each answer), customer 360 with personal data masked, pipeline operations and the alert history.', ['metrics', 'customers', 'metricsSql', 'operations', 'alerts'], ['*'], false),
  pos: builtIn('pos', 'Point of sale: customer validation only.', ['validateCustomer'], [], false),
});

export const BUILT_IN_ROLE_NAMES = Object.freeze(Object.keys(BUILT_IN_ROLES));

/**
 * Binds a caller's claims into a role's row rules. A rule whose claim is missing or empty
 * fails closed: the caller gets no access rather than unfiltered rows.
 */
export function resolveDataAccess(policy: RolePolicy, claims: Readonly<Record<string, unknown>>): DataAccess {
  const rowFilters = policy.rowFilters.map((rule): RowFilter => {
    const values = rule.source.kind === 'values' ? rule.source.values : claimValues(claims[rule.source.claim]);
    if (values.length === 0) {
      const claim = rule.source.kind === 'claim' ? rule.source.claim : '';
      throw new AuthError('FORBIDDEN', `Role "${policy.name}" needs the claim "${claim}" (a string or a list of strings), which this credential does not carry`);
    }
    return Object.freeze({ member: rule.member, operator: rule.operator, values: Object.freeze([...values].sort()) });
  });
  return Object.freeze({
    allow: policy.members.allow,
    deny: policy.members.deny,
    piiVisible: policy.piiVisible,
    rowFilters: Object.freeze(rowFilters),
  });
}

function claimValues(value: unknown): readonly string[] {
  const list = Array.isArray(value) ? (value as unknown[]) : [value];
  const out: string[] = [];
  for (const v of list) {
    if (typeof v === 'string' && v.trim() !== '') out.push(v);
    else if (typeof v === 'number' && Number.isFinite(v)) out.push(String(v));
    else return [];
  }
  return out;
}
