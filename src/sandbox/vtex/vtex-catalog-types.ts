/**
 * The Catalog and Pricing documents the sandbox serves, shaped as VTEX's official OpenAPI
 * describes them (Catalog API `GetSKUandContext`, `ProductAndSkuIds`; Pricing API `Getprice`).
 *
 * Unlike OMS, Pricing amounts are currency units (reais, decimal), not cents: the OpenAPI types
 * them as integers, but its own examples carry decimals (`666.66`) and VTEX's live API does too.
 */

/** `GET /api/catalog_system/pvt/products/GetProductAndSkuIds`. */
export interface VtexProductAndSkuIds {
  /** Product id (as a JSON key) → its SKU ids. */
  data: Record<string, number[]>;
  /** `total` counts products; `from`/`to` echo the request. */
  range: { total: number; from: number; to: number };
}

export interface VtexSkuSeller {
  SellerId: string;
  StockKeepingUnitId: number;
  SellerStockKeepingUnitId: string;
  IsActive: boolean;
  FreightCommissionPercentage: number;
  ProductCommissionPercentage: number;
}

export interface VtexSkuImage {
  ImageUrl: string;
  ImageName: string | null;
  FileId: number;
}

/**
 * `GET /api/catalog_system/pvt/sku/stockkeepingunitbyid/{skuId}` ("SKU and context"). No top-level
 * `RefId` or `CategoryId`: the SKU's ref id is `AlternateIds.RefId`, the product's `ProductRefId`,
 * and the category path `ProductCategoryIds`. `BrandId` is a string here (an int elsewhere).
 */
export interface VtexSkuContext {
  Id: number;
  ProductId: number;
  NameComplete: string;
  ComplementName: string;
  ProductName: string;
  ProductDescription: string;
  ProductRefId: string;
  TaxCode: string;
  SkuName: string;
  IsActive: boolean;
  IsTransported: boolean;
  IsInventoried: boolean;
  IsGiftCardRecharge: boolean;
  ImageUrl: string;
  DetailUrl: string;
  CSCIdentification: string | null;
  BrandId: string;
  BrandName: string;
  IsBrandActive: boolean;
  Dimension: { cubicweight: number; height: number; length: number; weight: number; width: number };
  RealDimension: { realCubicWeight: number; realHeight: number; realLength: number; realWeight: number; realWidth: number };
  ManufacturerCode: string;
  IsKit: boolean;
  KitItems: string[];
  Services: string[];
  Categories: string[];
  CategoriesFullPath: string[];
  Attachments: never[];
  Collections: string[];
  SkuSellers: VtexSkuSeller[];
  SalesChannels: number[];
  Images: VtexSkuImage[];
  Videos: string[];
  SkuSpecifications: never[];
  ProductSpecifications: never[];
  /** Comma-separated collection ids, as in order items' `additionalInfo.productClusterId`. */
  ProductClustersIds: string;
  /** Department first: `/1/11/`. */
  ProductCategoryIds: string;
  IsDirectCategoryActive: boolean;
  ProductGlobalCategoryId: number | null;
  /** Category id → name, the category and every ancestor. */
  ProductCategories: Record<string, string>;
  CommercialConditionId: number;
  RewardValue: number;
  AlternateIds: { Ean: string; RefId: string };
  AlternateIdValues: string[];
  EstimatedDateArrival: string | null;
  MeasurementUnit: string;
  UnitMultiplier: number;
  InformationSource: string | null;
  ModalType: string | null;
  KeyWords: string | null;
  ReleaseDate: string | null;
  ProductIsVisible: boolean;
  ShowIfNotAvailable: boolean;
  IsProductActive: boolean;
  ProductFinalScore: number;
}

export interface VtexFixedPrice {
  tradePolicyId: string;
  value: number;
  listPrice: number | null;
  minQuantity: number;
  dateRange?: { from: string; to: string };
}

/** `GET https://api.vtex.com/{account}/pricing/prices/{itemId}`; amounts in reais. */
export interface VtexPrice {
  itemId: string;
  listPrice: number;
  costPrice: number;
  /** Whole percent of `basePrice` over `costPrice`. */
  markup: number;
  basePrice: number;
  fixedPrices: VtexFixedPrice[];
}
