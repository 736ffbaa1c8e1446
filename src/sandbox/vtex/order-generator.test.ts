import { describe, expect, it } from 'vitest';
import { isValidCnpj } from './cnpj.js';
import { isValidCpf } from './cpf.js';
import { generateOrder, orderGroupFor } from './order-generator.js';
import { STORES } from './store-fixture.js';
import { generateOrders } from './vtex-sandbox.js';
import type { SandboxOrder } from './vtex-order-types.js';

const TO = new Date('2025-06-01T00:00:00Z');
const FROM = new Date(TO.getTime() - 60 * 86_400_000);
const ORDERS: SandboxOrder[] = [...generateOrders({ seed: 77, count: 3_000, from: FROM, to: TO })];

const totalsOf = (o: SandboxOrder): Record<string, number> => Object.fromEntries(o.totals.map((t) => [t.id, t.value]));

describe('generated orders', () => {
  it('are a pure function of (seed, index)', () => {
    const again = [...generateOrders({ seed: 77, count: 10, from: FROM, to: TO, startIndex: 1_500 })];
    expect(again).toEqual(ORDERS.slice(1_500, 1_510));
    expect(generateOrder({ seed: 77, index: 42, from: FROM, to: TO })).toEqual(ORDERS[42]);
    expect(generateOrder({ seed: 78, index: 42, from: FROM, to: TO })).not.toEqual(ORDERS[42]);
  });

  it('have VTEX-shaped, unique ids', () => {
    const ids = new Set<string>();
    for (const o of ORDERS) {
      expect(o.orderId).toMatch(/^\d{13}-01$/);
      expect(o.orderGroup).toBe(o.orderId.slice(0, 13));
      expect(o.sequence).toMatch(/^\d{6,8}$/);
      expect(o.sellerOrderId).toBe(`00-${o.orderId}`);
      ids.add(o.orderId);
    }
    expect(ids.size).toBe(ORDERS.length);
    expect(new Set(Array.from({ length: 100_000 }, (_, i) => orderGroupFor(5, i))).size).toBe(100_000);
  });

  it('add up: value = Items + Discounts + Shipping + Tax, in integer cents', () => {
    for (const o of ORDERS) {
      const t = totalsOf(o);
      expect(Object.keys(t)).toEqual(['Items', 'Discounts', 'Shipping', 'Tax']);
      expect(o.value).toBe(t.Items! + t.Discounts! + t.Shipping! + t.Tax!);
      expect(t.Items).toBe(o.items.reduce((s, i) => s + i.price * i.quantity, 0));
      expect(t.Discounts).toBe(o.items.reduce((s, i) => s + i.priceTags.reduce((a, tag) => a + tag.value, 0), 0));
      expect(t.Shipping).toBe(o.shippingData.logisticsInfo.reduce((s, l) => s + l.sellingPrice, 0));
      for (const item of o.items) {
        expect(item.sellingPrice * item.quantity).toBe(item.price * item.quantity + item.priceTags.reduce((a, tag) => a + tag.value, 0));
        expect(item.priceDefinition.total).toBe(item.sellingPrice * item.quantity);
      }
      for (const v of [o.value, ...Object.values(t)]) expect(Number.isInteger(v)).toBe(true);
      expect(o.paymentData.transactions[0]?.payments[0]?.value).toBe(o.value);
    }
  });

  it('discount when a coupon is used and price items below list sometimes', () => {
    const withCoupon = ORDERS.filter((o) => o.marketingData?.coupon);
    expect(withCoupon.length).toBeGreaterThan(100);
    for (const o of withCoupon) expect(totalsOf(o).Discounts).toBeLessThan(0);
    expect(ORDERS.some((o) => o.items.some((i) => i.sellingPrice < i.price && i.priceTags.some((t) => t.identifier !== '')))).toBe(true);
    expect(ORDERS.some((o) => o.items.some((i) => i.listPrice > i.price))).toBe(true);
  });

  it('mask emails and carry valid CPFs, some CNPJs, repeat customers and Brazilian addresses', () => {
    const profiles = new Map<string, number>();
    let corporate = 0;
    for (const o of ORDERS) {
      const c = o.clientProfileData;
      expect(c.email).toMatch(/^[0-9a-f]{32}@ct\.vtex\.com\.br$/);
      expect(o.followUpEmail).toMatch(/^[0-9a-f]{32}@ct\.vtex\.com\.br$/);
      expect(c.documentType).toBe('cpf');
      expect(isValidCpf(c.document)).toBe(true);
      expect(c.phone).toMatch(/^\+55\d{2}9\d{8}$/);
      expect(c.userProfileId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      if (c.isCorporate) {
        corporate++;
        expect(isValidCnpj(c.corporateDocument ?? '')).toBe(true);
        expect(c.corporateName).toBeTruthy();
      } else {
        expect(c.corporateDocument).toBeNull();
      }
      expect(o.shippingData.address.country).toBe('BRA');
      expect(o.shippingData.address.postalCode).toMatch(/^\d{5}-\d{3}$/);
      profiles.set(c.userProfileId, (profiles.get(c.userProfileId) ?? 0) + 1);
    }
    expect(corporate).toBeGreaterThan(20);
    expect([...profiles.values()].filter((n) => n > 1).length).toBeGreaterThan(50);
    // The same shopper keeps the same identity.
    const repeat = ORDERS.filter((o) => (profiles.get(o.clientProfileData.userProfileId) ?? 0) > 1);
    const byProfile = new Map<string, string>();
    for (const o of repeat) {
      const known = byProfile.get(o.clientProfileData.userProfileId);
      if (known !== undefined) expect(o.clientProfileData.document).toBe(known);
      byProfile.set(o.clientProfileData.userProfileId, o.clientProfileData.document);
    }
  });

  it('span channels, marketplaces, stores and payment methods consistently', () => {
    const channels = new Set(ORDERS.map((o) => `${o.salesChannel}|${o.affiliateId}|${o.origin}`));
    expect(channels).toContain('1||Marketplace');
    expect(channels).toContain('2||Marketplace');
    for (const affiliate of ['MLB', 'AMZ', 'MGZ']) expect(ORDERS.some((o) => o.affiliateId === affiliate)).toBe(true);
    expect(ORDERS.some((o) => o.origin === 'Fulfillment')).toBe(true);
    const storeIds = new Set(STORES.map((s) => s.id));
    const sellers = new Set<string>();
    for (const o of ORDERS) {
      expect(o.sellers).toHaveLength(1);
      const seller = o.sellers[0]!;
      expect(storeIds.has(seller.id)).toBe(true);
      sellers.add(seller.id);
      for (const item of o.items) expect(item.seller).toBe(seller.id);
      expect(o.items.length).toBeGreaterThanOrEqual(1);
      expect(o.items.length).toBeLessThanOrEqual(5);
      if (o.shippingData.address.addressType === 'pickup') expect(totalsOf(o).Shipping).toBe(0);
      if (o.affiliateId !== '') expect(o.marketplaceOrderId).not.toBe('');
    }
    expect(sellers.size).toBe(STORES.length);
    const groups = new Set(ORDERS.map((o) => o.paymentData.transactions[0]?.payments[0]?.group));
    for (const group of ['creditCard', 'instantPayment', 'bankInvoice', 'promissory']) expect(groups).toContain(group);
    const installments = ORDERS.flatMap((o) => o.paymentData.transactions[0]!.payments).filter((p) => p.group === 'creditCard').map((p) => p.installments);
    expect(Math.max(...installments)).toBeGreaterThan(1);
    expect(ORDERS.some((o) => o.marketingData?.utmCampaign)).toBe(true);
    expect(ORDERS.some((o) => o.marketingData !== null && o.marketingData.utmCampaign === null)).toBe(true);
  });

  it('keep dates inside the window and consistent with the status', () => {
    const ts = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{7}\+00:00$/;
    for (const o of ORDERS) {
      expect(o.creationDate).toMatch(ts);
      expect(o.lastChange).toMatch(ts);
      expect(Date.parse(o.creationDate)).toBeGreaterThanOrEqual(FROM.getTime());
      expect(Date.parse(o.lastChange)).toBeLessThanOrEqual(TO.getTime());
      expect(o.lastChange >= o.creationDate).toBe(true);
      expect(o.invoicedDate !== null).toBe(o.status === 'invoiced');
      expect(o.cancellationData !== null).toBe(o.status === 'canceled');
      if (o.status === 'invoiced' || o.status === 'handling') expect(o.authorizedDate).not.toBeNull();
      if (o.status === 'payment-pending') expect(o.authorizedDate).toBeNull();
    }
  });
});
