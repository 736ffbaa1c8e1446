import type { SkuPriceCents } from './catalog-store.js';
import type { VtexPrice } from './vtex-catalog-types.js';

/**
 * A SKU's Pricing document. The sandbox keeps cents; Pricing speaks reais (decimal currency
 * units), so amounts are converted here and only here. `fixedPrices` is empty: the marketplace
 * channels' uplift (`sales-channel-fixture.ts`) stands for a pricing rule, which this endpoint
 * does not show.
 */
export function skuPrice(skuId: string, price: SkuPriceCents): VtexPrice {
  return {
    itemId: skuId,
    listPrice: reais(price.listPrice),
    costPrice: reais(price.costPrice),
    markup: price.costPrice === 0 ? 0 : Math.round(((price.basePrice - price.costPrice) * 100) / price.costPrice),
    basePrice: reais(price.basePrice),
    fixedPrices: [],
  };
}

/** Integer cents / 100 prints as the shortest decimal (4990 → 49.9), which is what VTEX sends. */
function reais(cents: number): number {
  return cents / 100;
}
