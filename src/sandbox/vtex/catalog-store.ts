import { CATALOG, type CatalogSku } from './catalog-fixture.js';

/**
 * What the Catalog and Pricing APIs can see of the fixed catalog (`catalog-fixture.ts`): the same
 * SKUs the order generator sells, grouped into products, plus the changes a test makes while the
 * sandbox runs (`updateSku`, `setPrice`), so a second catalog sync has something to pick up.
 * Orders never see those changes: an order is a pure function of its seed, and a real order also
 * keeps the name and price of the day it was placed.
 */

/** A seasonal gift kit out of season: deactivated, yet still in past orders. */
export const INACTIVE_SKU_IDS: readonly string[] = Object.freeze(['2039']);
/** A SKU whose price was deleted from Pricing, which then answers 404 for it. */
export const UNPRICED_SKU_IDS: readonly string[] = Object.freeze(['2026']);

export interface CatalogProduct {
  readonly productId: number;
  /** The words every SKU name of the product starts with; a single SKU's full name. */
  readonly name: string;
  /** The ref-id segments every SKU ref id of the product starts with, the variation segment dropped. */
  readonly refId: string;
  /** Department first: `/1/11/`. */
  readonly categoriesIds: string;
  /** Ascending. */
  readonly skuIds: readonly number[];
}

/** Integer cents, like every amount inside the sandbox; Pricing converts to reais on the wire. */
export interface SkuPriceCents {
  readonly basePrice: number;
  readonly listPrice: number;
  readonly costPrice: number;
}

export interface CatalogSkuState {
  readonly sku: CatalogSku;
  readonly product: CatalogProduct;
  /** The complete name (`NameComplete`, and `items[].name` in orders). */
  readonly name: string;
  readonly isActive: boolean;
  /** Null when Pricing has no price for the SKU. */
  readonly price: SkuPriceCents | null;
}

export interface SkuChange {
  readonly name?: string;
  readonly isActive?: boolean;
}

export interface SkuPriceChange {
  readonly basePriceCents?: number;
  readonly listPriceCents?: number;
  readonly costPriceCents?: number;
}

const PRODUCTS: readonly CatalogProduct[] = Object.freeze(groupProducts(CATALOG));

export class CatalogStore {
  private readonly states = new Map<string, CatalogSkuState>();

  constructor() {
    const productOf = new Map(PRODUCTS.flatMap((product) => product.skuIds.map((id) => [String(id), product] as const)));
    for (const sku of CATALOG) {
      this.states.set(sku.skuId, {
        sku,
        product: productOf.get(sku.skuId) as CatalogProduct,
        name: sku.name,
        isActive: !INACTIVE_SKU_IDS.includes(sku.skuId),
        price: UNPRICED_SKU_IDS.includes(sku.skuId) ? null : { basePrice: sku.price, listPrice: sku.listPrice, costPrice: sku.costPrice },
      });
    }
  }

  /** Every product, ascending by id: the order GetProductAndSkuIds pages through. */
  products(): readonly CatalogProduct[] {
    return PRODUCTS;
  }

  sku(skuId: string): CatalogSkuState | undefined {
    return this.states.get(skuId);
  }

  updateSku(skuId: string, change: SkuChange): void {
    const state = this.require(skuId);
    if (change.name !== undefined && change.name.trim() === '') throw new RangeError('updateSku: name must not be empty');
    this.states.set(skuId, { ...state, name: change.name ?? state.name, isActive: change.isActive ?? state.isActive });
  }

  /** Replaces the SKU's price (unset fields keep their current or fixture value); null deletes it. */
  setPrice(skuId: string, change: SkuPriceChange | null): void {
    const state = this.require(skuId);
    if (change === null) {
      this.states.set(skuId, { ...state, price: null });
      return;
    }
    const current = state.price ?? { basePrice: state.sku.price, listPrice: state.sku.listPrice, costPrice: state.sku.costPrice };
    const price: SkuPriceCents = {
      basePrice: cents(change.basePriceCents ?? current.basePrice, 'basePriceCents'),
      listPrice: cents(change.listPriceCents ?? current.listPrice, 'listPriceCents'),
      costPrice: cents(change.costPriceCents ?? current.costPrice, 'costPriceCents'),
    };
    this.states.set(skuId, { ...state, price });
  }

  private require(skuId: string): CatalogSkuState {
    const state = this.states.get(skuId);
    if (state === undefined) throw new RangeError(`the sandbox catalog has no SKU ${JSON.stringify(skuId)}`);
    return state;
  }
}

function cents(value: number, name: string): number {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`setPrice: ${name} must be a whole number of cents >= 0, got ${value}`);
  return value;
}

function groupProducts(catalog: readonly CatalogSku[]): CatalogProduct[] {
  const byProduct = new Map<string, CatalogSku[]>();
  for (const sku of catalog) byProduct.set(sku.productId, [...(byProduct.get(sku.productId) ?? []), sku]);
  return [...byProduct.entries()]
    .map(([productId, skus]) => {
      const first = skus[0] as CatalogSku;
      const name = skus.length === 1 ? first.name : commonPrefix(skus.map((s) => s.name.split(' '))).join(' ');
      const refId = commonPrefix(skus.map((s) => s.refId.split('-').slice(0, -1))).join('-');
      return Object.freeze({
        productId: Number(productId),
        name: name === '' ? first.name : name,
        refId: refId === '' ? `P${productId}` : refId,
        categoriesIds: first.categoriesIds,
        skuIds: Object.freeze(skus.map((s) => Number(s.skuId)).sort((a, b) => a - b)),
      });
    })
    .sort((a, b) => a.productId - b.productId);
}

function commonPrefix(lists: readonly (readonly string[])[]): string[] {
  const [first = [], ...rest] = lists;
  let length = first.length;
  for (const list of rest) {
    let i = 0;
    while (i < length && i < list.length && list[i] === first[i]) i++;
    length = i;
  }
  return first.slice(0, length);
}
