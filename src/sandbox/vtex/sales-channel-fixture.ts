import type { VtexOrigin } from './vtex-order-types.js';

/**
 * Where orders come from. Own storefronts are trade policies "1" (site) and "2" (app) with no
 * affiliate; external marketplaces arrive through VTEX connectors with a 3-letter `affiliateId`
 * and their own trade policy. Carrefour runs on VTEX, so its orders reach the retailer as a
 * seller (`origin: "Fulfillment"`); the others are integrated as `Marketplace` orders.
 */

export type ChannelKind = 'site' | 'app' | 'marketplace';

export interface SalesChannelFixture {
  readonly key: string;
  readonly kind: ChannelKind;
  readonly salesChannel: string;
  readonly affiliateId: string;
  readonly origin: VtexOrigin;
  /** Marketplace account seen in `marketplace.name` / `marketplaceServicesEndpoint`; own channels use the store account. */
  readonly marketplaceAccount: string | null;
  /** Price uplift in percent applied by the channel's price table (marketplace fees). */
  readonly priceUpliftPercent: number;
  readonly weight: number;
}

export const SALES_CHANNELS: readonly SalesChannelFixture[] = Object.freeze([
  { key: 'site', kind: 'site', salesChannel: '1', affiliateId: '', origin: 'Marketplace', marketplaceAccount: null, priceUpliftPercent: 0, weight: 52 },
  { key: 'app', kind: 'app', salesChannel: '2', affiliateId: '', origin: 'Marketplace', marketplaceAccount: null, priceUpliftPercent: 0, weight: 20 },
  { key: 'mercadolivre', kind: 'marketplace', salesChannel: '3', affiliateId: 'MLB', origin: 'Marketplace', marketplaceAccount: 'mercadolivre', priceUpliftPercent: 12, weight: 12 },
  { key: 'amazon', kind: 'marketplace', salesChannel: '4', affiliateId: 'AMZ', origin: 'Marketplace', marketplaceAccount: 'amazon', priceUpliftPercent: 10, weight: 7 },
  { key: 'magalu', kind: 'marketplace', salesChannel: '5', affiliateId: 'MGZ', origin: 'Marketplace', marketplaceAccount: 'magazineluiza', priceUpliftPercent: 10, weight: 5 },
  { key: 'carrefour', kind: 'marketplace', salesChannel: '6', affiliateId: 'CRF', origin: 'Fulfillment', marketplaceAccount: 'carrefourbr', priceUpliftPercent: 8, weight: 4 },
] satisfies SalesChannelFixture[]);

export interface UtmFixture {
  readonly utmSource: string;
  readonly utmMedium: string | null;
  readonly utmCampaign: string | null;
  readonly weight: number;
}

/** Campaign traffic on own channels; some links only carry a source. */
export const UTMS: readonly UtmFixture[] = Object.freeze([
  { utmSource: 'google', utmMedium: 'cpc', utmCampaign: 'institucional-search', weight: 18 },
  { utmSource: 'google', utmMedium: 'cpc', utmCampaign: 'shopping-moda', weight: 12 },
  { utmSource: 'google', utmMedium: 'organic', utmCampaign: null, weight: 10 },
  { utmSource: 'facebook', utmMedium: 'paid-social', utmCampaign: 'dia-das-maes-2025', weight: 8 },
  { utmSource: 'instagram', utmMedium: 'social', utmCampaign: 'colecao-outono-inverno', weight: 10 },
  { utmSource: 'instagram', utmMedium: 'influencer', utmCampaign: 'influ-marina-casa', weight: 4 },
  { utmSource: 'tiktok', utmMedium: 'paid-social', utmCampaign: 'liquida-verao', weight: 5 },
  { utmSource: 'rdstation', utmMedium: 'email', utmCampaign: 'newsletter-semanal', weight: 9 },
  { utmSource: 'rdstation', utmMedium: 'email', utmCampaign: 'carrinho-abandonado', weight: 6 },
  { utmSource: 'criteo', utmMedium: 'retargeting', utmCampaign: 'remarketing-produto', weight: 5 },
  { utmSource: 'whatsapp', utmMedium: null, utmCampaign: null, weight: 4 },
  { utmSource: 'blackfriday', utmMedium: 'cpc', utmCampaign: 'black-friday-2025', weight: 3 },
] satisfies UtmFixture[]);

export interface CouponFixture {
  readonly code: string;
  readonly percent: number;
  readonly promotionName: string;
  readonly appOnly: boolean;
  readonly weight: number;
}

/** Percentage coupons, so the discount on every unit is an exact integer of cents. */
export const COUPONS: readonly CouponFixture[] = Object.freeze([
  { code: 'BEMVINDO10', percent: 10, promotionName: 'Primeira compra 10%', appOnly: false, weight: 40 },
  { code: 'VOLTA15', percent: 15, promotionName: 'Reativação 15%', appOnly: false, weight: 20 },
  { code: 'APP10', percent: 10, promotionName: 'Desconto exclusivo app', appOnly: true, weight: 20 },
  { code: 'INFLU12', percent: 12, promotionName: 'Cupom influenciadora 12%', appOnly: false, weight: 12 },
  { code: 'BLACK20', percent: 20, promotionName: 'Black Friday 20%', appOnly: false, weight: 8 },
] satisfies CouponFixture[]);

/** How Farol should name the sandbox's own trade policies (keys as in FAROL_CHANNEL_NAMES). */
export const SANDBOX_CHANNEL_NAMES: Readonly<Record<string, string>> = Object.freeze({ 'sc:1': 'Loja online', 'sc:2': 'App' });
