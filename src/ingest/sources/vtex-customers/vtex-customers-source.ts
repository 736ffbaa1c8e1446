import type { BronzeInput } from '../../bronze/bronze-store.js';
import { NO_VTEX_STORE } from '../no-vtex-store.js';
import { stageInOneTransaction, TerminalSourceError, type ExtractPage, type ExtractRequest, type SourceModule } from '../source-module.js';
import { stageVtexCustomers } from './vtex-customer-staging.js';
import { changedWhere, type VtexMasterDataClient } from './vtex-master-data-client.js';
import { VTEX_CUSTOMER_ENTITY } from './vtex-customers-names.js';

/** The customer base changes slowly and nothing downstream needs it by the minute. */
export const VTEX_CUSTOMERS_DEFAULT_SCHEDULE = '24h';
/**
 * How far the next run looks back behind the latest change it saw. Master Data's search index
 * trails its writes, so a document can become visible after others stamped later; the window
 * catches those, and documents changed in the same instant. Reading a document twice is harmless
 * (the merge keeps the latest version) and costs one scroll page at most.
 */
const OVERLAP_MS = 10 * 60_000;

export interface VtexCustomersSourceOptions {
  /** The VTEX account, for lineage (`vtex://<account>`). */
  readonly account: string;
  /** The Master Data client, or undefined when no store is configured (a function: see the catalog source). */
  readonly client: () => VtexMasterDataClient | undefined;
  /** Whether a store is configured: only then is the source scheduled. */
  readonly scheduled: boolean;
}

/** What the next run reads: everything (`since` null: the first load) or documents changed after `since`. */
interface CustomersCursor {
  readonly since: string | null;
}

/**
 * VTEX customers: Master Data `CL` documents (real e-mail, name, document, phones, newsletter
 * opt-in and `userId`, which orders carry as `userProfileId`). The first run reads the whole base;
 * later runs read the documents created or updated since the latest change the previous run saw
 * (`createdIn` too: a new document has `updatedIn` null). Both go through the scroll API, which
 * iterates a fixed result set: offset paging with `/search` could skip a document when another
 * one changes mid-read, and stops at 10,000 documents. A stopped run scrolls its window again;
 * until the abandoned scroll's token idles out (20 minutes) Master Data refuses a new one, which
 * the client reports as a transient failure, so the scheduler simply retries later.
 */
export function createVtexCustomersSource(opts: VtexCustomersSourceOptions): SourceModule {
  return {
    kind: 'vtex-customers',
    title: 'VTEX customers (Master Data CL)',
    system: `vtex://${opts.account}`,
    silverEntities: [VTEX_CUSTOMER_ENTITY],
    entity: 'customers',
    defaultSchedule: opts.scheduled ? VTEX_CUSTOMERS_DEFAULT_SCHEDULE : undefined,
    extract: (req) => readCustomers(opts, req),
    stage: stageInOneTransaction(stageVtexCustomers),
  };
}

async function* readCustomers(opts: VtexCustomersSourceOptions, req: ExtractRequest): AsyncIterable<ExtractPage> {
  const client = opts.client();
  if (!client) throw new TerminalSourceError(NO_VTEX_STORE);
  const since = req.since?.toISOString() ?? (req.full ? null : (parseCursor(req.cursor)?.since ?? null));
  const where = since === null ? undefined : changedWhere(new Date(since));
  const cursor = JSON.stringify({ since } satisfies CustomersCursor);
  let latest = since === null ? Number.NEGATIVE_INFINITY : Date.parse(since) + OVERLAP_MS;
  let read = 0;
  for await (const page of client.scrollCustomers({ where, signal: req.signal })) {
    const records: BronzeInput[] = [];
    for (const doc of page.documents) {
      const id = (doc as { id?: unknown } | null)?.id;
      // Without an id a document cannot be keyed in bronze; it is landed under a marker so quarantine shows it.
      records.push({ entity: VTEX_CUSTOMER_ENTITY, naturalKey: typeof id === 'string' && id !== '' ? id : '(no id)', payload: JSON.stringify(doc) ?? 'null' });
      latest = Math.max(latest, changeOf(doc));
    }
    read += records.length;
    yield { records, cursor, ...(page.total === undefined ? {} : { expectedTotal: page.total }) };
  }
  // Only a finished read moves the window; a stopped one reads the same window again.
  const next = Number.isFinite(latest) ? new Date(latest - OVERLAP_MS).toISOString() : since;
  req.logger.info({ read, since, next }, since === null ? 'customer base read' : 'changed customers read');
  yield { records: [], cursor: JSON.stringify({ since: next } satisfies CustomersCursor) };
}

function changeOf(doc: unknown): number {
  const d = doc as { updatedIn?: unknown; createdIn?: unknown } | null;
  const at = typeof d?.updatedIn === 'string' ? d.updatedIn : typeof d?.createdIn === 'string' ? d.createdIn : undefined;
  const ms = at === undefined ? Number.NaN : Date.parse(at);
  return Number.isNaN(ms) ? Number.NEGATIVE_INFINITY : ms;
}

function parseCursor(raw: string | undefined): CustomersCursor | undefined {
  if (!raw) return undefined;
  try {
    const c = JSON.parse(raw) as Partial<CustomersCursor>;
    return c.since === null || (typeof c.since === 'string' && !Number.isNaN(Date.parse(c.since))) ? { since: c.since as string | null } : undefined;
  } catch {
    return undefined;
  }
}
