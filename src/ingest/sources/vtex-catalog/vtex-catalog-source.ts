import { createHash } from 'node:crypto';
import type { BronzeInput } from '../../bronze/bronze-store.js';
import { mapConcurrent } from '../../map-concurrent.js';
import type { HeldCatalogDocuments } from '../../../transform/silver/held-catalog.js';
import { NO_VTEX_STORE } from '../no-vtex-store.js';
import { stageInOneTransaction, TerminalSourceError, type ExtractPage, type ExtractRequest, type SourceModule } from '../source-module.js';
import { stageVtexCatalog } from './vtex-catalog-staging.js';
import { PRODUCT_PAGE_SIZE, type VtexCatalogClient } from './vtex-catalog-client.js';
import { VTEX_PRICE_ENTITY, VTEX_SKU_ENTITY } from './vtex-catalog-names.js';

/** Catalog and prices change by hand, in the store's admin: a sweep every six hours is fresh enough. */
export const VTEX_CATALOG_DEFAULT_SCHEDULE = '6h';

export interface VtexCatalogSourceOptions {
  /** The VTEX account, for lineage (`vtex://<account>`). */
  readonly account: string;
  /**
   * The Catalog/Pricing client, or undefined when no store is configured. A function because the
   * bundled sandbox's address is known only once it listens.
   */
  readonly client: () => VtexCatalogClient | undefined;
  /** Hashes of the documents silver holds, by SKU id. */
  readonly known: (skuIds: readonly string[]) => Promise<ReadonlyMap<string, HeldCatalogDocuments>>;
  /** SKUs read at once (two requests each: the SKU and its price). */
  readonly concurrency: number;
  /** Whether a store is configured: only then is the source scheduled. */
  readonly scheduled: boolean;
  /** Products per page (and per landed unit); at most VTEX's 250, which is the default. */
  readonly pageSize?: number;
}

/** Where a sweep resumes: the next product position, or null once a sweep has finished. */
interface CatalogCursor {
  readonly next: number | null;
}

/**
 * VTEX catalog and prices. The Catalog API has no "changed since", so each run sweeps every
 * product page (250 products) and reads each SKU's "SKU and context" document and its price; only
 * documents whose content differs from what silver holds are landed (a 6-hourly sweep of an
 * unchanged catalog lands nothing). One page of products is one landed unit with its cursor, so a
 * stopped sweep resumes at the next page; a finished one starts over at the next run.
 */
export function createVtexCatalogSource(opts: VtexCatalogSourceOptions): SourceModule {
  return {
    kind: 'vtex-catalog',
    title: 'VTEX catalog and prices',
    system: `vtex://${opts.account}`,
    silverEntities: [VTEX_SKU_ENTITY, VTEX_PRICE_ENTITY],
    entity: 'catalog',
    defaultSchedule: opts.scheduled ? VTEX_CATALOG_DEFAULT_SCHEDULE : undefined,
    extract: (req) => sweepCatalog(opts, req),
    stage: stageInOneTransaction(stageVtexCatalog),
  };
}

async function* sweepCatalog(opts: VtexCatalogSourceOptions, req: ExtractRequest): AsyncIterable<ExtractPage> {
  const client = opts.client();
  if (!client) throw new TerminalSourceError(NO_VTEX_STORE);
  const cursor = parseCursor(req.cursor);
  let from = req.full || cursor?.next == null ? 1 : cursor.next;
  let products = 0;
  for (;;) {
    req.signal.throwIfAborted();
    const to = from + (opts.pageSize ?? PRODUCT_PAGE_SIZE) - 1;
    const page = await client.productAndSkuIds(from, to);
    const productIds = Object.keys(page.data);
    products += productIds.length;
    const skuIds = [...new Set(Object.values(page.data).flat().map(String))];
    const records = await readChanged(opts, client, skuIds, req.full);
    const done = productIds.length === 0 || to >= page.range.total;
    req.logger.info({ products: `${from}..${Math.min(to, page.range.total)}`, of: page.range.total, skus: skuIds.length, landed: records.length }, 'catalog page read');
    yield { records, cursor: JSON.stringify({ next: done ? null : to + 1 } satisfies CatalogCursor) };
    if (done) {
      req.logger.info({ products }, 'catalog sweep finished');
      return;
    }
    from = to + 1;
  }
}

async function readChanged(opts: VtexCatalogSourceOptions, client: VtexCatalogClient, skuIds: readonly string[], full: boolean): Promise<BronzeInput[]> {
  const held = full ? new Map<string, HeldCatalogDocuments>() : await opts.known(skuIds);
  const read = await mapConcurrent(skuIds, opts.concurrency, async (id) => {
    try {
      const [sku, price] = await Promise.all([client.getSku(id), client.getPrice(id)]);
      return { id, sku, price };
    } catch (error) {
      return { id, error };
    }
  });
  const records: BronzeInput[] = [];
  for (const r of read) {
    // Every read settles before the first failure fails the page (and the run, which resumes here).
    if ('error' in r) throw r.error;
    const have = held.get(r.id);
    // A SKU deleted between listing and reading (404) has nothing to land; nor has a SKU without a price.
    if (r.sku !== undefined) push(records, VTEX_SKU_ENTITY, r.id, r.sku, have?.sku);
    if (r.price !== undefined) push(records, VTEX_PRICE_ENTITY, r.id, r.price, have?.price);
  }
  return records;
}

function push(records: BronzeInput[], entity: string, id: string, doc: unknown, heldHash: string | undefined): void {
  const payload = JSON.stringify(doc) ?? 'null';
  if (heldHash !== undefined && heldHash === createHash('md5').update(payload).digest('hex')) return;
  records.push({ entity, naturalKey: id, payload });
}

function parseCursor(raw: string | undefined): CatalogCursor | undefined {
  if (!raw) return undefined;
  try {
    const c = JSON.parse(raw) as Partial<CatalogCursor>;
    return c.next === null || (Number.isInteger(c.next) && (c.next as number) >= 1) ? { next: c.next as number | null } : undefined;
  } catch {
    return undefined;
  }
}
