import type { ServerResponse } from 'node:http';
import type { CatalogProduct } from './catalog-store.js';
import { answerFault, type FaultGate } from './fault-response.js';
import { sendError, sendJson, type SandboxRoutes } from './oms-routes.js';
import type { VtexProductAndSkuIds, VtexSkuContext } from './vtex-catalog-types.js';

/**
 * The VTEX Catalog endpoints Farol reads: product and SKU ids, page by page, and "SKU and context"
 * per SKU. Served behind the OMS routes' authentication, with the same fault injection as Get
 * order and VTEX's error envelope.
 */

export const PRODUCT_AND_SKU_IDS_PATH = '/api/catalog_system/pvt/products/GetProductAndSkuIds';
export const SKU_CONTEXT_PATH = '/api/catalog_system/pvt/sku/stockkeepingunitbyid';
/** GetProductAndSkuIds answers at most this many products per call. */
export const MAX_PRODUCT_RANGE = 250;
/** Catalog ids are int32. */
export const MAX_CATALOG_ID = 2_147_483_647;

export interface CatalogBackend extends FaultGate {
  /** Ascending by product id. */
  products(): readonly CatalogProduct[];
  skuContext(skuId: string): VtexSkuContext | undefined;
  countRequest(): void;
}

export function createCatalogRoutes(backend: CatalogBackend): SandboxRoutes {
  return async (req, res, path, query) => {
    const method = req.method ?? 'GET';
    if (path === PRODUCT_AND_SKU_IDS_PATH) {
      if (method !== 'GET') return notAllowed(res, method);
      backend.countRequest();
      if (await answerFault(backend, res)) return true;
      const page = productAndSkuIds(backend.products(), query);
      if (page.ok) sendJson(res, 200, page.body);
      else sendError(res, 400, '400', page.message);
      return true;
    }
    if (path.startsWith(`${SKU_CONTEXT_PATH}/`)) {
      if (method !== 'GET') return notAllowed(res, method);
      backend.countRequest();
      if (await answerFault(backend, res)) return true;
      // Matched on the raw segment: nothing else (`..`, `1%2F2`, `1 OR 1=1`) is decoded or echoed.
      const id = catalogId(path.slice(SKU_CONTEXT_PATH.length + 1));
      const sku = id === undefined ? undefined : backend.skuContext(String(id));
      if (sku === undefined) sendError(res, 404, '404', id === undefined ? 'SKU not found' : `SKU ${id} not found`);
      else sendJson(res, 200, sku);
      return true;
    }
    return false;
  };
}

function notAllowed(res: ServerResponse, method: string): true {
  sendError(res, 405, '405', `${method} not allowed`);
  return true;
}

type PageResult = { ok: true; body: VtexProductAndSkuIds } | { ok: false; message: string };

/**
 * `_from`/`_to` are 1-based positions in the product list, both inclusive (the OpenAPI example
 * answers `_from=1&_to=20` with products 1..12 of 12), and `range` echoes them. Windows wider than
 * 250 are refused rather than cut, as VTEX does.
 */
function productAndSkuIds(all: readonly CatalogProduct[], query: URLSearchParams): PageResult {
  const from = intParam(query, '_from') ?? 1;
  const to = intParam(query, '_to') ?? from + MAX_PRODUCT_RANGE - 1;
  const categoryId = intParam(query, 'categoryId');
  if (Number.isNaN(from) || Number.isNaN(to) || Number.isNaN(categoryId ?? 0)) {
    return { ok: false, message: '_from, _to and categoryId must be integers' };
  }
  if (from < 1) return { ok: false, message: '_from must be at least 1: positions start at 1' };
  if (to < from) return { ok: false, message: '_to must not be less than _from' };
  if (to - from + 1 > MAX_PRODUCT_RANGE) return { ok: false, message: `The maximum range is ${MAX_PRODUCT_RANGE} products per request` };
  const products = categoryId === undefined ? all : all.filter((p) => p.categoriesIds.includes(`/${categoryId}/`));
  const data: Record<string, number[]> = {};
  for (const product of products.slice(from - 1, to)) data[String(product.productId)] = [...product.skuIds];
  return { ok: true, body: { data, range: { total: products.length, from, to } } };
}

/** Undefined when absent, NaN when not a plain int32. */
function intParam(query: URLSearchParams, name: string): number | undefined {
  const raw = query.get(name);
  if (raw === null || raw === '') return undefined;
  if (!/^-?\d{1,10}$/.test(raw)) return Number.NaN;
  const value = Number(raw);
  return Math.abs(value) > MAX_CATALOG_ID ? Number.NaN : value;
}

/** A SKU id as VTEX could have issued it, or undefined. */
export function catalogId(segment: string): number | undefined {
  if (!/^[1-9]\d{0,9}$/.test(segment)) return undefined;
  const value = Number(segment);
  return value <= MAX_CATALOG_ID ? value : undefined;
}
