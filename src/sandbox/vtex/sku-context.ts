import { ADDITIONAL_INFO, accountFixtures } from './account-fixture.js';
import type { CatalogSkuState } from './catalog-store.js';
import { SALES_CHANNELS } from './sales-channel-fixture.js';
import { STORES } from './store-fixture.js';
import type { VtexSkuContext } from './vtex-catalog-types.js';

/**
 * The "SKU and context" document for one SKU. Every field an order item also carries comes from
 * the same fixture value the order generator uses (ids, names, EAN, ref id, brand, categories,
 * image and detail URLs, dimensions, collections, unit), so a catalog read and an order agree.
 */

/** Every trade policy sells every SKU: orders come from all of them. */
const SALES_CHANNEL_IDS: readonly number[] = Object.freeze(SALES_CHANNELS.map((c) => Number(c.salesChannel)).sort((a, b) => a - b));

export function skuContext(state: CatalogSkuState, account: string): VtexSkuContext {
  const { sku, product } = state;
  const info = ADDITIONAL_INFO.get(sku.skuId);
  const imageUrl = accountFixtures(account).imageUrl.get(sku.skuId);
  if (info === undefined || imageUrl === undefined) throw new Error(`catalog SKU ${sku.skuId} has no account fixtures`);
  const id = Number(sku.skuId);
  const [, departmentId = ''] = sku.categoriesIds.split('/');
  const prefix = `${product.name} `;
  return {
    Id: id,
    ProductId: product.productId,
    NameComplete: state.name,
    ComplementName: '',
    ProductName: product.name,
    ProductDescription: `${product.name}. Marca: ${sku.brandName}.`,
    ProductRefId: product.refId,
    TaxCode: '',
    SkuName: state.name.startsWith(prefix) ? state.name.slice(prefix.length) : state.name,
    IsActive: state.isActive,
    IsTransported: true,
    IsInventoried: true,
    IsGiftCardRecharge: false,
    ImageUrl: imageUrl,
    DetailUrl: `/${sku.slug}/p`,
    CSCIdentification: null,
    BrandId: sku.brandId,
    BrandName: sku.brandName,
    IsBrandActive: true,
    Dimension: { ...info.dimension },
    RealDimension: {
      realCubicWeight: info.dimension.cubicweight,
      realHeight: info.dimension.height,
      realLength: info.dimension.length,
      realWeight: info.dimension.weight,
      realWidth: info.dimension.width,
    },
    ManufacturerCode: '',
    IsKit: false,
    KitItems: [],
    Services: [],
    Categories: [],
    CategoriesFullPath: departmentId === '' || sku.categoriesIds === `/${departmentId}/` ? [sku.categoriesIds] : [sku.categoriesIds, `/${departmentId}/`],
    Attachments: [],
    Collections: [],
    SkuSellers: STORES.map((store) => ({
      SellerId: store.id,
      StockKeepingUnitId: id,
      SellerStockKeepingUnitId: sku.skuId,
      IsActive: true,
      FreightCommissionPercentage: 0,
      ProductCommissionPercentage: 0,
    })),
    SalesChannels: [...SALES_CHANNEL_IDS],
    Images: [{ ImageUrl: fullSizeImage(imageUrl), ImageName: sku.name, FileId: fileId(imageUrl) }],
    Videos: [],
    SkuSpecifications: [],
    ProductSpecifications: [],
    ProductClustersIds: info.productClusterId,
    ProductCategoryIds: sku.categoriesIds,
    IsDirectCategoryActive: true,
    ProductGlobalCategoryId: null,
    ProductCategories: Object.fromEntries(sku.categories.map((c) => [String(c.id), c.name])),
    CommercialConditionId: Number(info.commercialConditionId),
    RewardValue: 0,
    AlternateIds: { Ean: sku.ean, RefId: sku.refId },
    AlternateIdValues: [sku.ean, sku.refId],
    EstimatedDateArrival: null,
    // As order items carry them.
    MeasurementUnit: 'un',
    UnitMultiplier: 1,
    InformationSource: 'Indexer',
    ModalType: null,
    KeyWords: null,
    ReleaseDate: null,
    ProductIsVisible: true,
    ShowIfNotAvailable: true,
    IsProductActive: true,
    ProductFinalScore: 0,
  };
}

/** `.../ids/155400-500-500/slug.jpg` (a resized copy, as orders link it) → `.../ids/155400/slug.jpg`. */
function fullSizeImage(url: string): string {
  return url.replace(/\/ids\/(\d+)-\d+-\d+\//, '/ids/$1/');
}

function fileId(url: string): number {
  const match = /\/ids\/(\d+)/.exec(url);
  if (match === null) throw new Error(`no file id in image URL ${url}`);
  return Number(match[1]);
}
