import { accountFixtures, itemMetadata, STORE_PREFERENCES, type AccountFixtures } from './account-fixture.js';
import { pickCustomerIndex, poolCustomer } from './customer-pool.js';
import { buildInvoicePackage } from './invoice.js';
import { buildOrderItems, fillCart, ratesAndBenefits } from './order-items.js';
import { buildPaymentData, pickPaymentKind } from './order-payment.js';
import { planShipping, type FulfillmentMode } from './order-shipping.js';
import { Rng, WeightedTable, mixSeed } from './random.js';
import { COUPONS, SALES_CHANNELS, UTMS, type CouponFixture, type SalesChannelFixture, type UtmFixture } from './sales-channel-fixture.js';
import { planTimeline, stepFields, type Timeline } from './status-timeline.js';
import { ONLINE_STORE, PHYSICAL_STORES, storeInState, type StoreFixture } from './store-fixture.js';
import type { SandboxOrder, VtexMarketingData, VtexSeller } from './vtex-order-types.js';
import { MS_PER_DAY, formatOffset } from './vtex-time.js';

/**
 * Builds one VTEX Get-order document from (seed, index). Everything random comes from an rng
 * derived from exactly that pair, so order N is the same whether it is generated alone, in a
 * bulk run, or inside the sandbox server. Shared sub-objects come frozen from
 * `account-fixture.ts`.
 */

export const DEFAULT_ACCOUNT = 'lojaexemplo';

export interface GeneratedOrder {
  /** Final state: what Get order returns once every step is published. */
  readonly order: SandboxOrder;
  readonly timeline: Timeline;
  readonly createdAt: number;
}

const ORDER_STREAM = 0x0dde;
const ORDER_GROUP_STREAM = 0x06d;
const CHANNEL_TABLE = new WeightedTable<SalesChannelFixture>(SALES_CHANNELS.map((c) => [c, c.weight] as const));
const UTM_TABLE = new WeightedTable<UtmFixture>(UTMS.map((u) => [u, u.weight] as const));
const SITE_COUPONS = new WeightedTable<CouponFixture>(COUPONS.filter((c) => !c.appOnly).map((c) => [c, c.weight] as const));
const APP_COUPONS = new WeightedTable<CouponFixture>(COUPONS.map((c) => [c, c.weight] as const));
const APP_CAMPAIGNS: readonly string[] = ['push-ofertas-da-semana', 'push-carrinho-abandonado', 'push-lancamentos'];

/** Relative order volume per hour of day in Brasília time (UTC-3): evenings peak, nights are quiet. */
const HOURLY_WEIGHT: readonly number[] = [
  0.3, 0.18, 0.1, 0.07, 0.06, 0.08, 0.15, 0.3, 0.5, 0.65, 0.75, 0.8,
  0.85, 0.85, 0.8, 0.78, 0.8, 0.85, 0.9, 0.95, 1, 1, 0.85, 0.55,
];

export class OrderFactory {
  readonly seed: number;
  readonly account: string;
  private readonly fixtures: AccountFixtures;

  constructor(options: { seed: number; account?: string }) {
    this.seed = options.seed >>> 0;
    this.account = options.account ?? DEFAULT_ACCOUNT;
    this.fixtures = accountFixtures(this.account);
  }

  /** An order created at a random moment in [from, to); steps later than `to` have not happened yet. */
  historical(index: number, from: number, to: number): GeneratedOrder {
    const rng = Rng.derive(this.seed, ORDER_STREAM, index);
    return this.build(rng, index, pickCreationTime(rng, from, to), to, false);
  }

  /** An order created at `createdAt` whose workflow moves in seconds. */
  live(index: number, createdAt: number): GeneratedOrder {
    return this.build(Rng.derive(this.seed, ORDER_STREAM, index), index, createdAt, Number.POSITIVE_INFINITY, true);
  }

  private build(rng: Rng, index: number, createdAt: number, endAt: number, live: boolean): GeneratedOrder {
    const { account, fixtures } = this;
    const channel = CHANNEL_TABLE.pick(rng);
    const customer = poolCustomer(this.seed, pickCustomerIndex(rng));
    const own = channel.kind !== 'marketplace';

    let store: StoreFixture = ONLINE_STORE;
    let mode: FulfillmentMode = 'delivery';
    if (own) {
      const local = storeInState(customer.address.state);
      const r = rng.next();
      if (local !== undefined && r < 0.22) [store, mode] = [local, 'pickup'];
      else if (local !== undefined && r < 0.34) store = local; // ship-from-store
      else if (r < 0.03) [store, mode] = [rng.pick(PHYSICAL_STORES), 'pickup']; // buys for pickup while travelling
    }

    const coupon = own && rng.chance(channel.kind === 'app' ? 0.2 : 0.15) ? (channel.kind === 'app' ? APP_COUPONS : SITE_COUPONS).pick(rng) : null;
    const marketingData = own ? buildMarketingData(rng, channel, coupon) : null;
    const cart = fillCart(rng, channel, coupon);
    const shipping = planShipping(rng, {
      mode,
      store,
      customer,
      lineQuantities: cart.lines.map((line) => line.quantity),
      merchandiseTotal: cart.itemsTotal + cart.discountsTotal,
      createdAt,
    });
    const tax = 0;
    const value = cart.itemsTotal + cart.discountsTotal + shipping.total + tax;
    const paymentKind = pickPaymentKind(rng, channel.kind);
    const timeline = planTimeline(rng, { createdAt, payment: paymentKind, endAt, live });
    const final = stepFields(timeline, timeline.steps.length - 1);
    const created = timeline.steps[0];
    if (created === undefined) throw new Error('timeline without a creation step');

    const orderGroup = orderGroupFor(this.seed, index);
    const orderId = `${orderGroup}-01`;
    const lockId = `00-${orderGroup}-01`;
    const priceValidUntil = formatOffset({ ms: createdAt + 365 * MS_PER_DAY, sub: 0 });
    const seller = fixtures.sellers.get(store.id) as VtexSeller;
    const items = buildOrderItems(rng, cart, { sellerId: store.id, coupon, lockId, priceValidUntil, fixtures });

    const marketplace = own ? fixtures.ownMarketplace : (fixtures.channelMarketplace.get(channel.key) ?? fixtures.ownMarketplace);
    const paymentData = buildPaymentData(rng, { kind: paymentKind, value, customer, createdAt, account, marketplaceName: channel.marketplaceAccount });
    const invoicedStep = timeline.steps[timeline.steps.length - 1];
    const packages = final.invoicedDate !== null && invoicedStep !== undefined
      ? [buildInvoicePackage(rng, {
          store,
          customerState: customer.address.state,
          index,
          issuedAtMs: invoicedStep.at.ms,
          issuanceDate: final.invoicedDate,
          value,
          courier: mode === 'pickup' ? null : shipping.company,
          pickup: mode === 'pickup',
          lines: cart.lines,
        })]
      : [];
    const corporate = customer.corporate;

    const order: SandboxOrder = {
      orderId,
      sequence: String(500_000 + index),
      marketplaceOrderId: own ? '' : marketplaceOrderId(rng, channel),
      marketplaceServicesEndpoint: marketplace.baseURL,
      sellerOrderId: `00-${orderId}`,
      origin: channel.origin,
      affiliateId: channel.affiliateId,
      salesChannel: channel.salesChannel,
      merchantName: null,
      status: final.status,
      workflowIsInError: false,
      statusDescription: final.statusDescription,
      value,
      creationDate: formatOffset(created.at),
      lastChange: final.lastChange,
      orderGroup,
      followUpEmail: `${rng.hex(32)}@ct.vtex.com.br`,
      lastMessage: null,
      hostname: account,
      isCompleted: true,
      roundingError: 0,
      orderFormId: rng.hex(32),
      allowCancellation: final.allowCancellation,
      allowEdition: false,
      isCheckedIn: false,
      authorizedDate: final.authorizedDate,
      invoicedDate: final.invoicedDate,
      cancelReason: final.cancelReason,
      checkedInPickupPointId: null,
      totals: [
        { id: 'Items', name: 'Total dos Itens', value: cart.itemsTotal, alternativeTotals: null },
        { id: 'Discounts', name: 'Total dos Descontos', value: cart.discountsTotal, alternativeTotals: null },
        { id: 'Shipping', name: 'Total do Frete', value: shipping.total, alternativeTotals: null },
        { id: 'Tax', name: 'Total da Taxa', value: tax, alternativeTotals: null },
      ],
      sellers: [seller],
      clientPreferencesData: { locale: 'pt-BR', optinNewsLetter: customer.optinNewsLetter },
      cancellationData: final.cancellationData,
      taxData: null,
      subscriptionData: null,
      itemMetadata: { Items: cart.lines.map((line) => itemMetadata(fixtures, line.sku, store.id)) },
      marketplace,
      storePreferencesData: STORE_PREFERENCES,
      customData: null,
      commercialConditionData: null,
      openTextField: null,
      invoiceData: null,
      changesAttachment: null,
      callCenterOperatorData: null,
      packageAttachment: { packages },
      paymentData,
      shippingData: shipping.data,
      ratesAndBenefitsData: { id: 'ratesAndBenefitsData', rateAndBenefitsIdentifiers: ratesAndBenefits(cart, coupon) },
      marketingData,
      giftRegistryData: null,
      clientProfileData: {
        id: 'clientProfileData',
        email: `${rng.hex(32)}@ct.vtex.com.br`,
        firstName: customer.firstName,
        lastName: customer.lastName,
        documentType: 'cpf',
        document: customer.cpf,
        phone: customer.phone,
        corporateName: corporate?.corporateName ?? null,
        tradeName: corporate?.tradeName ?? null,
        corporateDocument: corporate?.cnpj ?? null,
        stateInscription: corporate?.stateInscription ?? null,
        corporatePhone: corporate?.corporatePhone ?? null,
        isCorporate: corporate !== null,
        userProfileId: customer.userProfileId,
        userProfileVersion: null,
        customerClass: null,
        customerCode: null,
      },
      items,
      marketplaceItems: [],
      authorizationPolicyData: [],
    };
    return { order, timeline, createdAt };
  }
}

/** Convenience for one order: the same document `generateOrders` yields at that index. */
export function generateOrder(input: { seed: number; index: number; from: Date; to: Date; account?: string }): SandboxOrder {
  const factory = new OrderFactory({ seed: input.seed, ...(input.account === undefined ? {} : { account: input.account }) });
  return factory.historical(input.index, input.from.getTime(), input.to.getTime()).order;
}

/**
 * `<13 digits>`, unique per index within a seed: the index is scrambled by an odd multiplier
 * coprime with 10 (a bijection mod 10^9) so consecutive orders do not look consecutive.
 */
export function orderGroupFor(seed: number, index: number): string {
  const offset = mixSeed(seed, ORDER_GROUP_STREAM);
  const scrambled = ((index % 1_000_000_000) * 7_654_321 + (offset % 1_000_000_000)) % 1_000_000_000;
  return `1${String(100 + (offset % 900)).padStart(3, '0')}${String(scrambled).padStart(9, '0')}`;
}

function pickCreationTime(rng: Rng, from: number, to: number): number {
  const span = to - from;
  if (!(span > 0)) return from;
  let t = from + rng.next() * span;
  // Rejection sampling against the hourly curve; bounded so a pathological window cannot spin.
  for (let tries = 0; tries < 6; tries++) {
    const hourBrt = (new Date(t).getUTCHours() + 21) % 24;
    if (rng.next() < (HOURLY_WEIGHT[hourBrt] ?? 1)) break;
    t = from + rng.next() * span;
  }
  return Math.min(to - 1, Math.floor(t));
}

function buildMarketingData(rng: Rng, channel: SalesChannelFixture, coupon: CouponFixture | null): VtexMarketingData | null {
  let utm: Pick<VtexMarketingData, 'utmSource' | 'utmMedium' | 'utmCampaign'> | null = null;
  if (channel.kind === 'site' && rng.chance(0.6)) {
    const picked = UTM_TABLE.pick(rng);
    utm = { utmSource: picked.utmSource, utmMedium: picked.utmMedium, utmCampaign: picked.utmCampaign };
  } else if (channel.kind === 'app' && rng.chance(0.3)) {
    utm = { utmSource: 'app', utmMedium: 'push', utmCampaign: rng.pick(APP_CAMPAIGNS) };
  }
  if (utm === null && coupon === null) return null;
  return {
    id: 'marketingData',
    utmSource: utm?.utmSource ?? null,
    utmPartner: null,
    utmMedium: utm?.utmMedium ?? null,
    utmCampaign: utm?.utmCampaign ?? null,
    coupon: coupon?.code ?? null,
    utmiCampaign: null,
    utmipage: null,
    utmiPart: null,
    marketingTags: [],
  };
}

function marketplaceOrderId(rng: Rng, channel: SalesChannelFixture): string {
  switch (channel.affiliateId) {
    case 'MLB':
      return `2000${rng.digits(12)}`;
    case 'AMZ':
      return `70${rng.digits(1)}-${rng.digits(7)}-${rng.digits(7)}`;
    case 'CRF':
      return `${rng.digits(13)}-01`;
    default:
      return rng.digits(14);
  }
}

