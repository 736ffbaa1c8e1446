import type { StoredOrder } from './order-store.js';
import { stepFields } from './status-timeline.js';
import type { SandboxOrder } from './vtex-order-types.js';

/**
 * `GET /api/oms/pvt/orders`: filters, sorting and the 30-page × 100-row ceiling VTEX enforces.
 * Rows are built only for the requested page; filtering reads the stored timeline directly.
 */

export const MAX_PAGE = 30;
export const MAX_PER_PAGE = 100;
export const DEFAULT_PER_PAGE = 15;

const ORDER_FIELDS = ['creationDate', 'orderId', 'items', 'totalValue', 'origin'] as const;
type OrderField = (typeof ORDER_FIELDS)[number];

export type ListOrdersResult =
  | { readonly ok: true; readonly body: ListOrdersBody }
  | { readonly ok: false; readonly message: string };

export interface ListOrdersBody {
  list: ListOrderRow[];
  facets: string[];
  paging: { total: number; pages: number; currentPage: number; perPage: number };
  stats: { stats: { totalValue: StatBlock<FacetBlock>; totalItems: StatBlock<FacetBlock> } };
}

export interface ListOrderRow {
  orderId: string;
  creationDate: string;
  clientName: string;
  items: null;
  totalValue: number;
  paymentNames: string;
  status: string;
  statusDescription: string;
  marketPlaceOrderId: string | null;
  sequence: string;
  salesChannel: string;
  affiliateId: string;
  origin: string;
  workflowInErrorState: boolean;
  workflowInRetry: boolean;
  lastMessageUnread: string | null;
  ShippingEstimatedDate: string | null;
  ShippingEstimatedDateMax: string | null;
  ShippingEstimatedDateMin: string | null;
  orderIsComplete: boolean;
  listId: string | null;
  listType: string | null;
  authorizedDate: string | null;
  callCenterOperatorName: string | null;
  totalItems: number;
  currencyCode: string;
  hostname: string;
  lastChange: string;
  invoicedDate: string | null;
}

interface StatBlock<F> {
  Count: number;
  Max: number;
  Mean: number;
  Min: number;
  Missing: number;
  StdDev: number;
  Sum: number;
  SumOfSquares: number;
  Facets: F;
}
interface FacetBlock {
  origin: { Fulfillment: StatBlock<null>; Marketplace: StatBlock<null> };
  currencyCode: { BRL: StatBlock<null> };
}

interface Candidate {
  readonly entry: StoredOrder;
  readonly order: SandboxOrder;
  readonly totalItems: number;
}

export function listOrders(entries: readonly StoredOrder[], params: URLSearchParams): ListOrdersResult {
  const page = intParam(params, 'page', 1);
  const perPage = intParam(params, 'per_page', DEFAULT_PER_PAGE);
  if (page === null || page < 1 || page > MAX_PAGE) return { ok: false, message: `page must be an integer between 1 and ${MAX_PAGE}` };
  if (perPage === null || perPage < 1 || perPage > MAX_PER_PAGE) return { ok: false, message: `per_page must be an integer between 1 and ${MAX_PER_PAGE}` };

  const created = rangeParam(params, 'f_creationDate', 'creationDate');
  const authorized = rangeParam(params, 'f_authorizedDate', 'authorizedDate');
  const invoiced = rangeParam(params, 'f_invoicedDate', 'invoicedDate');
  for (const range of [created, authorized, invoiced]) if (range !== undefined && 'error' in range) return { ok: false, message: range.error };
  const sort = sortParam(params.get('orderBy'));
  if (sort === null) return { ok: false, message: `orderBy must be one of ${ORDER_FIELDS.join('|')} followed by ,asc or ,desc` };
  const statuses = listParam(params.get('f_status'));
  const affiliates = listParam(params.get('f_affiliateId'));
  const salesChannels = listParam(params.get('salesChannelId'));
  const utmSources = listParam(params.get('f_UtmSource'));
  const q = params.get('q')?.trim() || null;

  const candidates: Candidate[] = [];
  for (const entry of entries) {
    if (entry.published < 0) continue;
    const { order, timeline } = entry.generated;
    const steps = timeline.steps;
    const current = steps[entry.published];
    if (current === undefined) continue;
    if (created !== undefined && 'from' in created && !inRange(entry.generated.createdAt, created)) continue;
    if (statuses !== null && !statuses.has(current.status)) continue;
    if (affiliates !== null && !affiliates.has(order.affiliateId)) continue;
    if (salesChannels !== null && !salesChannels.has(order.salesChannel)) continue;
    if (utmSources !== null && !utmSources.has(order.marketingData?.utmSource ?? '')) continue;
    if (q !== null && q !== order.orderId && q !== order.sequence && q !== order.clientProfileData.document) continue;
    if (authorized !== undefined && 'from' in authorized && !stepInRange(entry, 'payment-approved', authorized)) continue;
    if (invoiced !== undefined && 'from' in invoiced && !stepInRange(entry, 'invoiced', invoiced)) continue;
    let totalItems = 0;
    for (const item of order.items) totalItems += item.quantity;
    candidates.push({ entry, order, totalItems });
  }

  candidates.sort(comparator(sort.field, sort.descending));
  const start = (page - 1) * perPage;
  return {
    ok: true,
    body: {
      list: candidates.slice(start, start + perPage).map(toRow),
      facets: [],
      paging: { total: candidates.length, pages: Math.ceil(candidates.length / perPage), currentPage: page, perPage },
      stats: {
        stats: {
          totalValue: statsWithFacets(candidates, (c) => c.order.value),
          totalItems: statsWithFacets(candidates, (c) => c.totalItems),
        },
      },
    },
  };
}

function toRow(candidate: Candidate): ListOrderRow {
  const { entry, order, totalItems } = candidate;
  const fields = stepFields(entry.generated.timeline, entry.published);
  const payment = order.paymentData.transactions[0]?.payments[0];
  return {
    orderId: order.orderId,
    creationDate: order.creationDate,
    clientName: `${order.clientProfileData.firstName} ${order.clientProfileData.lastName}`,
    items: null,
    totalValue: order.value,
    paymentNames: payment?.paymentSystemName ?? '',
    status: fields.status,
    statusDescription: fields.statusDescription,
    marketPlaceOrderId: order.marketplaceOrderId === '' ? null : order.marketplaceOrderId,
    sequence: order.sequence,
    salesChannel: order.salesChannel,
    affiliateId: order.affiliateId,
    origin: order.origin,
    workflowInErrorState: false,
    workflowInRetry: false,
    lastMessageUnread: null,
    ShippingEstimatedDate: fields.authorizedDate === null ? null : (order.shippingData.logisticsInfo[0]?.shippingEstimateDate ?? null),
    ShippingEstimatedDateMax: null,
    ShippingEstimatedDateMin: null,
    orderIsComplete: true,
    listId: null,
    listType: null,
    authorizedDate: fields.authorizedDate,
    callCenterOperatorName: null,
    totalItems,
    currencyCode: 'BRL',
    hostname: order.hostname,
    lastChange: fields.lastChange,
    invoicedDate: fields.invoicedDate,
  };
}

function comparator(field: OrderField, descending: boolean): (a: Candidate, b: Candidate) => number {
  const sign = descending ? -1 : 1;
  const byCreation = (a: Candidate, b: Candidate): number => {
    const sa = a.entry.generated.timeline.steps[0]?.at;
    const sb = b.entry.generated.timeline.steps[0]?.at;
    return (a.entry.generated.createdAt - b.entry.generated.createdAt) || ((sa?.sub ?? 0) - (sb?.sub ?? 0));
  };
  const primary: Record<OrderField, (a: Candidate, b: Candidate) => number> = {
    creationDate: byCreation,
    orderId: (a, b) => (a.order.orderId < b.order.orderId ? -1 : a.order.orderId > b.order.orderId ? 1 : 0),
    items: (a, b) => a.totalItems - b.totalItems,
    totalValue: (a, b) => a.order.value - b.order.value,
    origin: (a, b) => a.order.origin.localeCompare(b.order.origin),
  };
  const compare = primary[field];
  // Ties fall back to creation order so pages are stable across requests.
  return (a, b) => sign * (compare(a, b) || byCreation(a, b) || (a.order.orderId < b.order.orderId ? -1 : 1));
}

function statsWithFacets(candidates: readonly Candidate[], value: (c: Candidate) => number): StatBlock<FacetBlock> {
  const all = candidates.map(value);
  const of = (origin: string): number[] => candidates.filter((c) => c.order.origin === origin).map(value);
  return {
    ...statBlock(all, null),
    Facets: {
      origin: { Fulfillment: statBlock(of('Fulfillment'), null), Marketplace: statBlock(of('Marketplace'), null) },
      currencyCode: { BRL: statBlock(all, null) },
    },
  };
}

function statBlock<F>(values: readonly number[], facets: F): StatBlock<F> {
  let sum = 0;
  let sumSq = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const v of values) {
    sum += v;
    sumSq += v * v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const count = values.length;
  const mean = count === 0 ? 0 : sum / count;
  const variance = count === 0 ? 0 : Math.max(0, sumSq / count - mean * mean);
  return {
    Count: count,
    Max: count === 0 ? 0 : max,
    Mean: mean,
    Min: count === 0 ? 0 : min,
    Missing: 0,
    StdDev: Math.sqrt(variance),
    Sum: sum,
    SumOfSquares: sumSq,
    Facets: facets,
  };
}

function intParam(params: URLSearchParams, name: string, fallback: number): number | null {
  const raw = params.get(name);
  if (raw === null || raw === '') return fallback;
  return /^\d+$/.test(raw) ? Number(raw) : null;
}

function listParam(raw: string | null): Set<string> | null {
  if (raw === null || raw.trim() === '') return null;
  return new Set(raw.split(',').map((s) => s.trim()).filter((s) => s !== ''));
}

type Range = { readonly from: number; readonly to: number } | { readonly error: string };

/** `creationDate:[2022-01-01T02:00:00.000Z TO 2022-01-02T01:59:59.999Z]`, both ends inclusive, `*` open. */
function rangeParam(params: URLSearchParams, name: string, field: string): Range | undefined {
  const raw = params.get(name);
  if (raw === null || raw === '') return undefined;
  const match = /^([A-Za-z]+):\[\s*(\S+)\s+TO\s+(\S+)\s*\]$/.exec(raw.trim());
  if (match === null || match[1] !== field) return { error: `${name} must look like ${field}:[<ISO date> TO <ISO date>]` };
  const from = match[2] === '*' ? Number.NEGATIVE_INFINITY : Date.parse(match[2] as string);
  const to = match[3] === '*' ? Number.POSITIVE_INFINITY : Date.parse(match[3] as string);
  if (Number.isNaN(from) || Number.isNaN(to)) return { error: `${name} has an unparseable date` };
  return { from, to };
}

function inRange(ms: number, range: { from: number; to: number }): boolean {
  return ms >= range.from && ms <= range.to;
}

function stepInRange(entry: StoredOrder, status: string, range: { from: number; to: number }): boolean {
  const steps = entry.generated.timeline.steps;
  for (let i = 0; i <= entry.published; i++) {
    const step = steps[i];
    if (step !== undefined && step.status === status) return inRange(step.at.ms, range);
  }
  return false;
}

function sortParam(raw: string | null): { field: OrderField; descending: boolean } | null {
  if (raw === null || raw === '') return { field: 'creationDate', descending: true };
  const [field, direction = 'asc'] = raw.split(',').map((s) => s.trim());
  if (!(ORDER_FIELDS as readonly string[]).includes(field ?? '')) return null;
  if (direction !== 'asc' && direction !== 'desc') return null;
  return { field: field as OrderField, descending: direction === 'desc' };
}
