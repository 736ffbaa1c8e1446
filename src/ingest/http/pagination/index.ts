export { paginate } from './paginate.js';
export {
  assertPageSize,
  headerValue,
  numberParam,
  withHeader,
  type NextPage,
  type PageContext,
  type PageRequest,
  type PaginationStrategy,
} from './pagination-strategy.js';
export { pageNumber, VTEX_OMS_MAX_PAGES, VTEX_OMS_MAX_PER_PAGE, type PageNumberOptions } from './page-number.js';
export { fromTo, VTEX_CATALOG_FIRST_INDEX, VTEX_CATALOG_MAX_RANGE, type FromToOptions, type ProductSkuIds } from './from-to.js';
export { pageSizeArray, VTEX_SKU_IDS_MAX_PAGE_SIZE, type PageSizeArrayOptions } from './page-size-array.js';
export {
  formatRestRange,
  MASTER_DATA_MAX_RANGE,
  MASTER_DATA_SEARCH_MAX_RECORDS,
  parseRestContentRange,
  parseRestRange,
  REST_CONTENT_RANGE_HEADER,
  REST_RANGE_HEADER,
  restRange,
  type RestRangeOptions,
} from './rest-range.js';
export { offsetLimit, SIENGE_MAX_LIMIT, type OffsetLimitOptions } from './offset-limit.js';
export { ODATA_MAX_TOP, odataNextLink, type ODataNextLinkOptions } from './odata-next-link.js';
