import { CATALOG, type CatalogSku } from './catalog-fixture.js';
import { type Rng, WeightedTable } from './random.js';
import type { CouponFixture, SalesChannelFixture } from './sales-channel-fixture.js';
import { ADDITIONAL_INFO, type AccountFixtures } from './account-fixture.js';
import type { VtexItemAdditionalInfo, VtexOrderItem, VtexPriceTag, VtexRateAndBenefit } from './vtex-order-types.js';

/**
 * What is in the cart and what each unit costs. All arithmetic is per unit in integer cents and
 * only then multiplied by quantity, so `sellingPrice * quantity === price * quantity + Σ priceTags`
 * holds exactly and the order totals add up without rounding slack.
 */

export interface ItemPromotion {
  readonly id: string;
  readonly campaignId: string;
  readonly name: string;
  readonly percent: number;
}

/** One promotion per department; the ids are fixed so `ratesAndBenefitsData` is comparable across orders. */
const DEPARTMENT_PROMOTIONS: Readonly<Record<string, ItemPromotion>> = {
  '1': { id: 'b6d8a0c2-2c4e-4f51-9a7b-1d3e5f7a9b01', campaignId: 'c1f0e2d4-5a6b-4c7d-8e9f-0a1b2c3d4e01', name: 'Liquida Moda 10%', percent: 10 },
  '2': { id: 'b6d8a0c2-2c4e-4f51-9a7b-1d3e5f7a9b02', campaignId: 'c1f0e2d4-5a6b-4c7d-8e9f-0a1b2c3d4e02', name: 'Semana do Calçado 15%', percent: 15 },
  '3': { id: 'b6d8a0c2-2c4e-4f51-9a7b-1d3e5f7a9b03', campaignId: 'c1f0e2d4-5a6b-4c7d-8e9f-0a1b2c3d4e03', name: 'Casa em Oferta 10%', percent: 10 },
  '4': { id: 'b6d8a0c2-2c4e-4f51-9a7b-1d3e5f7a9b04', campaignId: 'c1f0e2d4-5a6b-4c7d-8e9f-0a1b2c3d4e04', name: 'Beleza em Dobro 5%', percent: 5 },
};
const COUPON_PROMOTION_ID = 'd2e4f6a8-0b1c-4d2e-8f3a-5b6c7d8e9f00';

const SKU_TABLE = new WeightedTable<CatalogSku>(CATALOG.map((sku) => [sku, sku.popularity] as const));
const LINE_COUNT = new WeightedTable<number>([[1, 45], [2, 28], [3, 15], [4, 8], [5, 4]]);
const QUANTITY = new WeightedTable<number>([[1, 82], [2, 13], [3, 5]]);
const PROMOTION_CHANCE = 0.22;

export interface PricedLine {
  readonly sku: CatalogSku;
  readonly quantity: number;
  /** Unit price on the channel's price table. */
  readonly price: number;
  readonly listPrice: number;
  readonly promotion: ItemPromotion | null;
  readonly promotionPerUnit: number;
  readonly couponPerUnit: number;
  readonly sellingPrice: number;
}

export interface Cart {
  readonly lines: readonly PricedLine[];
  /** Σ price × quantity. */
  readonly itemsTotal: number;
  /** Σ priceTags, ≤ 0. */
  readonly discountsTotal: number;
  readonly totalQuantity: number;
}

export function fillCart(rng: Rng, channel: SalesChannelFixture, coupon: CouponFixture | null): Cart {
  const count = LINE_COUNT.pick(rng);
  const chosen: CatalogSku[] = [];
  for (let attempts = 0; chosen.length < count && attempts < count * 4; attempts++) {
    const sku = SKU_TABLE.pick(rng);
    if (!chosen.includes(sku)) chosen.push(sku);
  }
  const lines: PricedLine[] = [];
  let itemsTotal = 0;
  let discountsTotal = 0;
  let totalQuantity = 0;
  for (const sku of chosen) {
    // Cheap beauty items are bought in multiples more often than shoes.
    const quantity = sku.price < 6000 && rng.chance(0.3) ? rng.int(2, 4) : QUANTITY.pick(rng);
    const price = channelPrice(sku.price, channel.priceUpliftPercent);
    const listPrice = Math.max(price, channelPrice(sku.listPrice, channel.priceUpliftPercent));
    const department = sku.categoriesIds.split('/')[1] ?? '';
    const promotion = sku.promoEligible && rng.chance(PROMOTION_CHANCE) ? DEPARTMENT_PROMOTIONS[department] ?? null : null;
    const promotionPerUnit = promotion === null ? 0 : Math.round((price * promotion.percent) / 100);
    const couponPerUnit = coupon === null ? 0 : Math.round(((price - promotionPerUnit) * coupon.percent) / 100);
    const sellingPrice = price - promotionPerUnit - couponPerUnit;
    lines.push({ sku, quantity, price, listPrice, promotion, promotionPerUnit, couponPerUnit, sellingPrice });
    itemsTotal += price * quantity;
    discountsTotal -= (promotionPerUnit + couponPerUnit) * quantity;
    totalQuantity += quantity;
  }
  return { lines, itemsTotal, discountsTotal, totalQuantity };
}

export function linePriceTags(line: PricedLine, coupon: CouponFixture | null): VtexPriceTag[] {
  const tags: VtexPriceTag[] = [];
  if (line.promotion !== null && line.promotionPerUnit > 0) {
    const value = -line.promotionPerUnit * line.quantity;
    tags.push({
      name: `discount@price-${line.promotion.id}#${line.promotion.campaignId}`,
      value,
      isPercentual: false,
      identifier: line.promotion.id,
      rawValue: value / 100,
    });
  }
  if (coupon !== null && line.couponPerUnit > 0) {
    const value = -line.couponPerUnit * line.quantity;
    tags.push({
      name: `discount@price-${COUPON_PROMOTION_ID}#${coupon.code}`,
      value,
      isPercentual: false,
      identifier: COUPON_PROMOTION_ID,
      rawValue: value / 100,
    });
  }
  return tags;
}

/** Promotions that touched the cart, as `ratesAndBenefitsData.rateAndBenefitsIdentifiers`. */
export function ratesAndBenefits(cart: Cart, coupon: CouponFixture | null): VtexRateAndBenefit[] {
  const out: VtexRateAndBenefit[] = [];
  const seen = new Set<string>();
  for (const line of cart.lines) {
    const promotion = line.promotion;
    if (promotion === null || seen.has(promotion.id)) continue;
    seen.add(promotion.id);
    out.push({ description: null, featured: true, id: promotion.id, name: promotion.name, matchedParameters: {}, additionalInfo: null });
  }
  if (coupon !== null) {
    out.push({
      description: null,
      featured: false,
      id: COUPON_PROMOTION_ID,
      name: coupon.promotionName,
      matchedParameters: { 'couponCode@Marketing': coupon.code },
      additionalInfo: null,
    });
  }
  return out;
}

export interface ItemContext {
  readonly sellerId: string;
  readonly coupon: CouponFixture | null;
  readonly lockId: string;
  readonly priceValidUntil: string;
  readonly fixtures: AccountFixtures;
}

/** The `items[]` of the order document for a priced cart. */
export function buildOrderItems(rng: Rng, cart: Cart, options: ItemContext): VtexOrderItem[] {
  return cart.lines.map((line) => ({
    uniqueId: rng.hex(32).toUpperCase(),
    id: line.sku.skuId,
    productId: line.sku.productId,
    ean: line.sku.ean,
    lockId: options.lockId,
    itemAttachment: { content: {}, name: null },
    attachments: [],
    quantity: line.quantity,
    seller: options.sellerId,
    name: line.sku.name,
    refId: line.sku.refId,
    price: line.price,
    listPrice: line.listPrice,
    manualPrice: null,
    priceTags: linePriceTags(line, options.coupon),
    imageUrl: options.fixtures.imageUrl.get(line.sku.skuId) as string,
    detailUrl: `/${line.sku.slug}/p`,
    components: [],
    bundleItems: [],
    params: [],
    offerings: [],
    attachmentOfferings: [],
    sellerSku: line.sku.skuId,
    priceValidUntil: options.priceValidUntil,
    commission: 0,
    tax: 0,
    preSaleDate: null,
    additionalInfo: ADDITIONAL_INFO.get(line.sku.skuId) as VtexItemAdditionalInfo,
    measurementUnit: 'un',
    unitMultiplier: 1,
    sellingPrice: line.sellingPrice,
    isGift: false,
    shippingPrice: null,
    rewardValue: 0,
    freightCommission: 0,
    priceDefinition: {
      sellingPrices: [{ value: line.sellingPrice, quantity: line.quantity }],
      calculatedSellingPrice: line.sellingPrice,
      total: line.sellingPrice * line.quantity,
      reason: null,
    },
    taxCode: null,
    parentItemIndex: null,
    parentAssemblyBinding: null,
    callCenterOperator: null,
    serialNumbers: null,
    assemblies: [],
    costPrice: line.sku.costPrice,
  }));
}

/** Channel price tables mark up and keep the retail ",90" ending. */
function channelPrice(base: number, upliftPercent: number): number {
  if (upliftPercent === 0) return base;
  return Math.ceil((base * (100 + upliftPercent)) / 100 / 100) * 100 - 10;
}
