/**
 * Every pagination strategy against a small real server speaking that API's paging dialect.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  createHttpClient,
  fromTo,
  odataNextLink,
  offsetLimit,
  pageNumber,
  pageSizeArray,
  paginate,
  PaginationLimitError,
  restRange,
  type HttpClient,
  type PageRequest,
  type PaginationStrategy,
} from '../../src/ingest/http/index.js';
import { sendJson, startServer, type Handler, type TestServer } from './support/test-server.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(handler: Handler, basePath = ''): Promise<{ server: TestServer; http: HttpClient }> {
  const server = await startServer(handler);
  const http = createHttpClient({ source: 'test', baseUrl: `${server.url}${basePath}`, retry: { baseDelayMs: 5, maxDelayMs: 20 } });
  cleanups.push(() => server.close(), () => http.close());
  return { server, http };
}

async function collect<T>(http: HttpClient, request: PageRequest, strategy: PaginationStrategy<T, unknown>): Promise<T[][]> {
  const pages: T[][] = [];
  for await (const page of paginate(http, request, strategy)) pages.push(page);
  return pages;
}

const range = (n: number, from = 1) => Array.from({ length: n }, (_, i) => i + from);
const int = (value: string | null) => Number(value ?? Number.NaN);

describe('pageNumber: VTEX OMS list orders', () => {
  const orders = range(7).map((i) => ({ orderId: `v${i}-01`, totalValue: i * 1000 }));
  const order = z.object({ orderId: z.string(), totalValue: z.number() });

  it('walks page/per_page until paging.pages', async () => {
    const { server, http } = await setup((req, res) => {
      const page = int(req.query.get('page'));
      const perPage = int(req.query.get('per_page'));
      sendJson(res, 200, {
        list: orders.slice((page - 1) * perPage, page * perPage),
        facets: [],
        paging: { total: orders.length, pages: Math.ceil(orders.length / perPage), currentPage: page, perPage },
        stats: {},
      });
    });
    const pages = await collect(http, { path: '/api/oms/pvt/orders', query: { f_status: 'invoiced' } }, pageNumber({ item: order, perPage: 3 }));
    expect(pages.map((p) => p.map((o) => o.orderId))).toEqual([['v1-01', 'v2-01', 'v3-01'], ['v4-01', 'v5-01', 'v6-01'], ['v7-01']]);
    expect(server.requests.map((r) => r.url)).toEqual([
      '/api/oms/pvt/orders?f_status=invoiced&page=1&per_page=3',
      '/api/oms/pvt/orders?f_status=invoiced&page=2&per_page=3',
      '/api/oms/pvt/orders?f_status=invoiced&page=3&per_page=3',
    ]);
  });

  it('fails before yielding anything when the window needs more than 30 pages', async () => {
    const { server, http } = await setup((_req, res) =>
      sendJson(res, 200, { list: orders.slice(0, 3), paging: { total: 3050, pages: 31, currentPage: 1, perPage: 100 } }),
    );
    const seen: unknown[] = [];
    const run = async () => {
      for await (const page of paginate(http, { path: '/api/oms/pvt/orders' }, pageNumber({ item: order }))) seen.push(page);
    };
    const err = await run().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(PaginationLimitError);
    expect(err).toMatchObject({ kind: 'pagination-limit', source: 'test', path: '/api/oms/pvt/orders', limit: 30, needed: 31 });
    expect((err as Error).message).toContain('slice the time window');
    expect(seen).toEqual([]);
    expect(server.requests).toHaveLength(1);
  });
});

describe('fromTo: VTEX GetProductAndSkuIds', () => {
  it('moves _from/_to windows until range.total', async () => {
    const products: Record<string, number[]> = { '1': [10, 11], '2': [], '3': [30], '4': [40], '5': [50, 51] };
    const { server, http } = await setup((req, res) => {
      const from = int(req.query.get('_from'));
      const to = int(req.query.get('_to'));
      const data = Object.fromEntries(Object.entries(products).filter(([id]) => Number(id) >= from && Number(id) <= to));
      sendJson(res, 200, { data, range: { total: 5, from, to } });
    });
    const pages = await collect(http, { path: '/api/catalog_system/pvt/products/GetProductAndSkuIds' }, fromTo({ pageSize: 2 }));
    expect(pages.flat()).toEqual([
      { productId: 1, skuIds: [10, 11] },
      { productId: 2, skuIds: [] },
      { productId: 3, skuIds: [30] },
      { productId: 4, skuIds: [40] },
      { productId: 5, skuIds: [50, 51] },
    ]);
    expect(server.requests.map((r) => [r.query.get('_from'), r.query.get('_to')])).toEqual([
      ['1', '2'],
      ['3', '4'],
      ['5', '6'],
    ]);
  });
});

describe('pageSizeArray: VTEX stockkeepingunitids', () => {
  async function skuServer(total: number) {
    return setup((req, res) => {
      const page = int(req.query.get('page'));
      const size = int(req.query.get('pagesize'));
      sendJson(res, 200, range(total).slice((page - 1) * size, page * size));
    });
  }
  const strategy = pageSizeArray({ item: z.number().int(), pageSize: 2 });

  it('stops on a short page', async () => {
    const { server, http } = await skuServer(5);
    expect(await collect(http, { path: '/api/catalog_system/pvt/sku/stockkeepingunitids' }, strategy)).toEqual([[1, 2], [3, 4], [5]]);
    expect(server.requests).toHaveLength(3);
  });

  it('stops on an empty page when the total is a multiple of the page size', async () => {
    const { server, http } = await skuServer(4);
    expect(await collect(http, { path: '/api/catalog_system/pvt/sku/stockkeepingunitids' }, strategy)).toEqual([[1, 2], [3, 4]]);
    expect(server.requests).toHaveLength(3);
  });
});

describe('restRange: VTEX Master Data search', () => {
  const docs = range(7).map((i) => ({ id: `doc-${i}`, email: `c${i}@example.com` }));
  const doc = z.object({ id: z.string(), email: z.string() });

  function masterData(total: number): Handler {
    return (req, res) => {
      const match = /^resources=(\d+)-(\d+)$/.exec(String(req.headers['rest-range'] ?? ''));
      if (!match) return sendJson(res, 400, { error: 'REST-Range required' });
      const from = Number(match[1]);
      const to = Math.min(Number(match[2]), total);
      sendJson(res, 200, docs.slice(from, to), { 'REST-Content-Range': `resources=${from}-${to}/${total}` });
    };
  }

  it('pages with REST-Range and stops at the REST-Content-Range total', async () => {
    const { server, http } = await setup(masterData(7));
    const pages = await collect(
      http,
      { path: '/api/dataentities/CL/search', query: { _fields: 'id,email', _sort: 'updatedIn ASC' } },
      restRange({ item: doc, pageSize: 3 }),
    );
    expect(pages.map((p) => p.map((d) => d.id))).toEqual([['doc-1', 'doc-2', 'doc-3'], ['doc-4', 'doc-5', 'doc-6'], ['doc-7']]);
    expect(server.requests.map((r) => r.headers['rest-range'])).toEqual(['resources=0-3', 'resources=3-6', 'resources=6-9']);
    expect(server.requests[0]?.query.get('_sort')).toBe('updatedIn ASC');
  });

  it('refuses a search beyond 10,000 documents', async () => {
    const { http } = await setup(masterData(12_000));
    const err = await collect(http, { path: '/api/dataentities/CL/search' }, restRange({ item: doc })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PaginationLimitError);
    expect((err as Error).message).toContain('/scroll');
  });
});

describe('offsetLimit: Sienge sales-contracts', () => {
  it('walks limit/offset until resultSetMetadata.count', async () => {
    const contracts = range(5).map((id) => ({ id, number: `CV-2025-${id}` }));
    const { server, http } = await setup(
      (req, res) => {
        const limit = int(req.query.get('limit'));
        const offset = int(req.query.get('offset'));
        sendJson(res, 200, { resultSetMetadata: { count: contracts.length, offset, limit }, results: contracts.slice(offset, offset + limit) });
      },
      '/acme/public/api/v1',
    );
    const pages = await collect(
      http,
      { path: '/sales-contracts', query: { initialIssueDate: '2025-03-01', finalIssueDate: '2025-03-31' } },
      offsetLimit({ item: z.object({ id: z.number(), number: z.string() }), limit: 2 }),
    );
    expect(pages.map((p) => p.map((c) => c.id))).toEqual([[1, 2], [3, 4], [5]]);
    expect(server.requests.map((r) => `${r.pathname} ${r.query.get('offset')}`)).toEqual([
      '/acme/public/api/v1/sales-contracts 0',
      '/acme/public/api/v1/sales-contracts 2',
      '/acme/public/api/v1/sales-contracts 4',
    ]);
  });
});

describe('odataNextLink', () => {
  const deals = range(5).map((Id) => ({ Id, Title: `Deal ${Id}` }));
  const deal = z.object({ Id: z.number(), Title: z.string() });

  it('follows absolute @odata.nextLink (Ploomes), keeping the filter it carries', async () => {
    const { server, http } = await setup((req, res) => {
      const skip = int(req.query.get('$skip') ?? '0');
      const top = 2;
      const next = skip + top < deals.length;
      const self = `http://127.0.0.1:${server.port}`;
      sendJson(res, 200, {
        '@odata.context': `${self}/$metadata#Deals`,
        value: deals.slice(skip, skip + top),
        ...(next ? { '@odata.nextLink': `${self}/Deals?$filter=${encodeURIComponent(req.query.get('$filter') ?? '')}&$skip=${skip + top}` } : {}),
      });
    });
    const pages = await collect(http, { path: '/Deals', query: { $filter: 'StatusId eq 2' } }, odataNextLink({ item: deal }));
    expect(pages.map((p) => p.map((d) => d.Id))).toEqual([[1, 2], [3, 4], [5]]);
    expect(server.requests.map((r) => r.query.get('$filter'))).toEqual(['StatusId eq 2', 'StatusId eq 2', 'StatusId eq 2']);
    expect(server.requests.map((r) => r.query.get('$skip'))).toEqual([null, '2', '4']);
  });

  it('resolves relative SAP B1 v1 odata.nextLink under /b1s/v1', async () => {
    const { server, http } = await setup((req, res) => {
      const skip = int(req.query.get('$skip') ?? '0');
      const next = skip + 2 < deals.length;
      sendJson(res, 200, {
        'odata.metadata': 'https://sap/b1s/v1/$metadata#Orders',
        value: deals.slice(skip, skip + 2),
        ...(next ? { 'odata.nextLink': `Orders?$filter=DocumentStatus eq 'bost_Open'&$skip=${skip + 2}` } : {}),
      });
    }, '/b1s/v1');
    const pages = await collect(http, { path: '/Orders', query: { $filter: "DocumentStatus eq 'bost_Open'" } }, odataNextLink({ item: deal }));
    expect(pages.flat().map((d) => d.Id)).toEqual([1, 2, 3, 4, 5]);
    expect(server.requests.map((r) => r.pathname)).toEqual(['/b1s/v1/Orders', '/b1s/v1/Orders', '/b1s/v1/Orders']);
    expect(server.requests.map((r) => r.query.get('$filter'))).toEqual(Array(3).fill("DocumentStatus eq 'bost_Open'"));
  });

  it('follows SAP B1 v2 @odata.nextLink', async () => {
    const { server, http } = await setup((req, res) => {
      const skip = int(req.query.get('$skip') ?? '0');
      sendJson(res, 200, {
        '@odata.context': '$metadata#Invoices',
        value: deals.slice(skip, skip + 3),
        ...(skip + 3 < deals.length ? { '@odata.nextLink': `Invoices?$skip=${skip + 3}` } : {}),
      });
    }, '/b1s/v2');
    expect((await collect(http, { path: '/Invoices' }, odataNextLink({ item: deal }))).map((p) => p.length)).toEqual([3, 2]);
    expect(server.requests.map((r) => r.url)).toEqual(['/b1s/v2/Invoices', '/b1s/v2/Invoices?$skip=3']);
  });

  it('pages with $top/$skip when the server sends no link', async () => {
    const { server, http } = await setup((req, res) => {
      const skip = int(req.query.get('$skip') ?? '0');
      const top = int(req.query.get('$top'));
      sendJson(res, 200, { value: deals.slice(skip, skip + top) });
    });
    const pages = await collect(http, { path: '/Contacts' }, odataNextLink({ item: deal, pageSize: 2 }));
    expect(pages.map((p) => p.length)).toEqual([2, 2, 1]);
    expect(server.requests.map((r) => r.url)).toEqual(['/Contacts?$top=2', '/Contacts?$top=2&$skip=2', '/Contacts?$top=2&$skip=4']);
  });
});

describe('pagination and retries compose', () => {
  it('retries a failed page without restarting the listing', async () => {
    let failed = false;
    const { server, http } = await setup((req, res) => {
      const page = int(req.query.get('page'));
      if (page === 2 && !failed) {
        failed = true;
        return sendJson(res, 503, {});
      }
      sendJson(res, 200, range(page === 3 ? 1 : 2, (page - 1) * 2 + 1));
    });
    const pages = await collect(http, { path: '/ids' }, pageSizeArray({ item: z.number(), pageSize: 2 }));
    expect(pages).toEqual([[1, 2], [3, 4], [5]]);
    expect(server.requests.map((r) => r.query.get('page'))).toEqual(['1', '2', '2', '3']);
  });
});
