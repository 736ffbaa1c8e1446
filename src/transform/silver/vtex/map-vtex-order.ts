import type { SqlValue } from '../../../warehouse/warehouse.js';
import { resolveCustomerKey } from '../identity/customer-key.js';
import { centsToDecimal } from '../money.js';
import { zodReason } from '../../../shared/zod-reason.js';
import { vtexOrderSchema, type VtexOrder } from './vtex-order-schema.js';

export const SILVER_ORDER_COLUMNS = [
  'order_id', 'source', 'sequence', 'order_group', 'status', 'origin', 'sales_channel', 'affiliate_id',
  'seller_id', 'seller_name', 'hostname', 'created_at', 'last_change', 'authorized_at', 'invoiced_at',
  'canceled_at', 'currency', 'items_total', 'discounts_total', 'shipping_total', 'tax_total', 'total',
  'customer_key', 'customer_email', 'user_profile_id', 'document_type', 'document', 'first_name', 'last_name',
  'phone', 'is_corporate', 'utm_source', 'utm_medium', 'utm_campaign', 'coupon', 'payment_group',
  'payment_system', 'installments', 'ship_city', 'ship_state', 'ship_postal_code', 'bronze_record_id', 'updated_at',
] as const;

export const SILVER_ORDER_ITEM_COLUMNS = [
  'order_id', 'item_index', 'sku_id', 'product_id', 'ean', 'ref_id', 'name', 'brand_name', 'category_ids',
  'seller_id', 'quantity', 'unit_price', 'list_price', 'selling_price', 'cost_price', 'is_gift', 'bronze_record_id',
] as const;

export interface MappedOrder {
  readonly orderId: string;
  readonly order: readonly SqlValue[];
  readonly items: readonly (readonly SqlValue[])[];
}

export type MapResult = { readonly ok: true; readonly value: MappedOrder } | { readonly ok: false; readonly reason: string };

/** The first non-empty string, trimmed; VTEX sends '' and null interchangeably for "absent". */
const text = (v: string | null | undefined): string | null => (v && v.trim() !== '' ? v.trim() : null);

/** VTEX timestamps carry 7 fractional digits; DuckDB's TIMESTAMPTZ parser takes at most 6. */
export function normalizeTimestamp(v: string | null | undefined): string | null {
  if (!v) return null;
  return v.replace(/(\.\d{6})\d+/, '$1');
}

function total(order: VtexOrder, id: string): number {
  return order.totals.filter((t) => t.id === id).reduce((s, t) => s + t.value, 0);
}

/**
 * One Get-order payload → one silver order row and its item rows, or a reason to quarantine.
 * Pure: no I/O, so the webhook worker and the bulk loader share it.
 */
export function mapVtexOrder(payload: unknown, bronzeRecordId: string, now: string): MapResult {
  const parsed = vtexOrderSchema.safeParse(payload);
  if (!parsed.success) return { ok: false, reason: zodReason(parsed.error) };
  const o = parsed.data;
  const client = o.clientProfileData ?? undefined;
  const identity = resolveCustomerKey({
    document: client?.document,
    corporateDocument: client?.isCorporate ? client.corporateDocument : undefined,
    email: client?.email,
    phone: client?.phone,
    userProfileId: client?.userProfileId,
  });
  const payment = o.paymentData?.transactions?.[0]?.payments?.[0];
  const seller = o.sellers?.[0];
  const address = o.shippingData?.address ?? undefined;
  const mkt = o.marketingData ?? undefined;
  const canceledAt = o.status === 'canceled' ? (o.cancellationData?.CancellationDate ?? o.lastChange) : null;

  const order: SqlValue[] = [
    o.orderId, 'vtex', text(o.sequence), text(o.orderGroup), o.status, text(o.origin), o.salesChannel,
    text(o.affiliateId), text(seller?.id), text(seller?.name), text(o.hostname),
    normalizeTimestamp(o.creationDate), normalizeTimestamp(o.lastChange), normalizeTimestamp(o.authorizedDate),
    normalizeTimestamp(o.invoicedDate), normalizeTimestamp(canceledAt),
    text(o.storePreferencesData?.currencyCode) ?? 'BRL',
    centsToDecimal(total(o, 'Items')), centsToDecimal(total(o, 'Discounts')), centsToDecimal(total(o, 'Shipping')),
    centsToDecimal(total(o, 'Tax')), centsToDecimal(o.value),
    identity?.key ?? null, text(client?.email), text(client?.userProfileId), text(client?.documentType),
    text(client?.document), text(client?.firstName), text(client?.lastName), text(client?.phone),
    client?.isCorporate ?? null, text(mkt?.utmSource), text(mkt?.utmMedium), text(mkt?.utmCampaign), text(mkt?.coupon),
    text(payment?.group), text(payment?.paymentSystemName), payment?.installments ?? null,
    text(address?.city), text(address?.state), text(address?.postalCode), bronzeRecordId, now,
  ];
  const items = o.items.map((it, index): SqlValue[] => [
    o.orderId, index, it.id, text(it.productId), text(it.ean), text(it.refId), text(it.name),
    text(it.additionalInfo?.brandName), text(it.additionalInfo?.categoriesIds), text(it.seller),
    it.quantity, centsToDecimal(it.price), it.listPrice == null ? null : centsToDecimal(it.listPrice),
    centsToDecimal(it.sellingPrice), it.costPrice == null ? null : centsToDecimal(it.costPrice), it.isGift ?? false,
    bronzeRecordId,
  ]);
  return { ok: true, value: { orderId: o.orderId, order, items } };
}
