import { CATALOG, type CatalogSku } from './catalog-fixture.js';
import { SALES_CHANNELS } from './sales-channel-fixture.js';
import { ONLINE_STORE, STORES } from './store-fixture.js';
import type { SandboxOrder, VtexItemAdditionalInfo, VtexItemMetadata, VtexSeller } from './vtex-order-types.js';

/**
 * Order sub-documents that never vary between orders of one account: built once, frozen, and
 * shared by reference across every generated order (a bulk run of a million orders would
 * otherwise spend most of its time and memory rebuilding them). Consumers must treat generated
 * orders as read-only, or `structuredClone` them first.
 */

export const STORE_PREFERENCES: SandboxOrder['storePreferencesData'] = Object.freeze({
  countryCode: 'BRA',
  currencyCode: 'BRL',
  currencyFormatInfo: Object.freeze({
    CurrencyDecimalDigits: 2,
    CurrencyDecimalSeparator: ',',
    CurrencyGroupSeparator: '.',
    CurrencyGroupSize: 3,
    StartsWithCurrencySymbol: true,
  }),
  currencyLocale: 1046,
  currencySymbol: 'R$',
  timeZone: 'E. South America Standard Time',
});

export const ADDITIONAL_INFO: ReadonlyMap<string, VtexItemAdditionalInfo> = new Map(
  CATALOG.map((sku) => {
    const side = Math.max(5, Math.round(Math.cbrt(sku.weightGrams) * 3));
    const info: VtexItemAdditionalInfo = Object.freeze({
      brandName: sku.brandName,
      brandId: sku.brandId,
      categoriesIds: sku.categoriesIds,
      categories: sku.categories,
      productClusterId: '135,142',
      commercialConditionId: '1',
      dimension: Object.freeze({ cubicweight: Math.round((side * side * side) / 6000 * 100) / 100, height: side, length: side, weight: sku.weightGrams, width: side }),
      offeringInfo: null,
      offeringType: null,
      offeringTypeId: null,
    });
    return [sku.skuId, info];
  }),
);

export interface AccountFixtures {
  readonly sellers: ReadonlyMap<string, VtexSeller>;
  readonly ownMarketplace: SandboxOrder['marketplace'];
  readonly channelMarketplace: ReadonlyMap<string, SandboxOrder['marketplace']>;
  readonly imageUrl: ReadonlyMap<string, string>;
  readonly itemMetadata: Map<string, VtexItemMetadata>;
}

export function itemMetadata(fixtures: AccountFixtures, sku: CatalogSku, sellerId: string): VtexItemMetadata {
  const key = `${sku.skuId}|${sellerId}`;
  let entry = fixtures.itemMetadata.get(key);
  if (entry === undefined) {
    entry = Object.freeze({
      Id: sku.skuId,
      Seller: sellerId,
      Name: sku.name,
      SkuName: sku.name,
      ProductId: sku.productId,
      RefId: sku.refId,
      Ean: sku.ean,
      ImageUrl: fixtures.imageUrl.get(sku.skuId) as string,
      DetailUrl: `/${sku.slug}/p`,
      AssemblyOptions: null,
    });
    fixtures.itemMetadata.set(key, entry);
  }
  return entry;
}

const ACCOUNT_FIXTURES = new Map<string, AccountFixtures>();

export function accountFixtures(account: string): AccountFixtures {
  const cached = ACCOUNT_FIXTURES.get(account);
  if (cached !== undefined) return cached;
  const oms = (name: string): string => `http://oms.vtexinternal.com.br/api/oms?an=${name}`;
  const fixtures: AccountFixtures = {
    sellers: new Map(
      STORES.map((store) => [
        store.id,
        Object.freeze({
          id: store.id,
          name: store.name,
          logo: null,
          fulfillmentEndpoint: `http://fulfillment.vtexcommerce.com.br/api/fulfillment?an=${store.id === ONLINE_STORE.id ? account : store.id}`,
        }),
      ]),
    ),
    ownMarketplace: Object.freeze({ baseURL: oms(account), isCertified: null, name: account }),
    channelMarketplace: new Map(
      SALES_CHANNELS.filter((c) => c.marketplaceAccount !== null).map((c) => [
        c.key,
        Object.freeze({ baseURL: oms(c.marketplaceAccount as string), isCertified: true, name: c.marketplaceAccount as string }),
      ]),
    ),
    imageUrl: new Map(
      CATALOG.map((sku, i) => [sku.skuId, `https://${account}.vteximg.com.br/arquivos/ids/${155_400 + i}-500-500/${sku.slug}.jpg`]),
    ),
    itemMetadata: new Map(),
  };
  ACCOUNT_FIXTURES.set(account, fixtures);
  return fixtures;
}
