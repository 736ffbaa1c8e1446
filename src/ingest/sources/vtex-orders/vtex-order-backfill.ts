import type { Logger } from 'pino';
import { TerminalHttpError } from '../../http/index.js';
import { mapConcurrent } from '../../map-concurrent.js';
import type { BronzeInput } from '../../bronze/bronze-store.js';
import type { ExtractPage, ExtractRequest } from '../source-module.js';
import { isVtexOrderId } from './vtex-order-id.js';
import { LIST_ORDERS_MAX_PAGES, LIST_ORDERS_PAGE_SIZE, type VtexOmsClient } from './vtex-oms-client.js';
import { VTEX_ORDER_ENTITY } from './vtex-orders-names.js';

/** What one List-orders filter can return: beyond it, VTEX stops paging, so the window is split. */
export const LIST_ORDERS_CAP = LIST_ORDERS_MAX_PAGES * LIST_ORDERS_PAGE_SIZE;
/** Windows start a day wide and halve while they hold more than the cap. */
export const BACKFILL_WINDOW_MS = 24 * 3_600_000;
/** List orders only reaches two years back. */
export const LIST_ORDERS_HORIZON_MS = 730 * 24 * 3_600_000;

/**
 * For each order id, the `lastChange` (epoch ms) of the version Farol already holds; absent when
 * it holds none. Answered by silver, injected by the pipeline.
 */
export type KnownOrders = (orderIds: readonly string[]) => Promise<ReadonlyMap<string, number>>;

export interface BackfillOptions {
  readonly oms: Pick<VtexOmsClient, 'listOrders' | 'getOrder'>;
  readonly known: KnownOrders;
  /** Get orders in flight at once; the client's rate limit keeps them under VTEX's 6,000/min. */
  readonly concurrency: number;
  /** How far back a run with neither `--since` nor a cursor goes (`FAROL_VTEX_BACKFILL_DAYS`). */
  readonly defaultDays: number;
  /**
   * Days every run without `--since` lists again, however far its cursor has gone
   * (`FAROL_VTEX_RECONCILE_DAYS`): the healing of hooks VTEX never delivered.
   */
  readonly reconcileDays: number;
  readonly now?: () => Date;
}

/**
 * Where a backfill stands: the start it was asked for and the end of the last window it landed.
 * A run asked for the same start resumes after `done`; a different `--since` starts over there.
 */
interface BackfillCursor {
  readonly from: string;
  readonly done: string;
}

/**
 * Orders created since a date, as extract pages: List orders in creation-date windows small
 * enough to stay under its 3,000-row ceiling, then Get order for each listed order that Farol
 * does not hold or holds an older version of. A page per window, with the window's end as the
 * cursor, so a killed run resumes at the first window it had not landed; the hook path may land
 * the same orders meanwhile, and silver keeps the latest version whichever came first.
 */
export async function* backfillOrders(opts: BackfillOptions, req: ExtractRequest): AsyncGenerator<ExtractPage> {
  const now = (opts.now ?? (() => new Date()))();
  const horizon = new Date(now.getTime() - LIST_ORDERS_HORIZON_MS);
  const day = 24 * 3_600_000;
  const cursor = parseCursor(req.cursor);
  // `--since D`: from D, resuming only a stopped run that was asked for the same D. Otherwise
  // (the schedule, `farol ingest` alone): the first run backfills `defaultDays`; later runs go on
  // from their cursor if a backfill is unfinished, and always re-list the last `reconcileDays`.
  let from: Date;
  let start: Date;
  if (req.since) {
    from = req.since;
    start = cursor && cursor.from === from.toISOString() ? after(cursor.done) : from;
  } else if (cursor) {
    from = new Date(Math.min(after(cursor.done).getTime(), now.getTime() - opts.reconcileDays * day));
    start = from;
  } else {
    from = new Date(now.getTime() - opts.defaultDays * day);
    start = from;
  }
  if (start < horizon) {
    req.logger.warn({ since: start.toISOString(), from: horizon.toISOString() }, 'List orders reaches two years back; starting there');
    start = horizon;
    if (from < horizon) from = horizon;
  }
  const cursorFor = (done: Date) => JSON.stringify({ from: from.toISOString(), done: done.toISOString() } satisfies BackfillCursor);

  // Windows still to list, earliest first; a window over the cap is replaced by its two halves.
  const pending: [Date, Date][] = [];
  for (let t = start.getTime(); t <= now.getTime(); t += BACKFILL_WINDOW_MS) {
    pending.push([new Date(t), new Date(Math.min(t + BACKFILL_WINDOW_MS - 1, now.getTime()))]);
  }
  let windowsDone = 0;
  while (pending.length > 0) {
    req.signal.throwIfAborted();
    const [wFrom, wTo] = pending.shift() as [Date, Date];
    const first = await opts.oms.listOrders(wFrom, wTo, 1);
    if (first.paging.total > LIST_ORDERS_CAP) {
      const span = wTo.getTime() - wFrom.getTime();
      if (span < 1_000) throw new Error(`more than ${LIST_ORDERS_CAP} orders created within one second at ${wFrom.toISOString()}; List orders cannot page through them`);
      const mid = new Date(wFrom.getTime() + Math.floor(span / 2));
      pending.unshift([wFrom, mid], [new Date(mid.getTime() + 1), wTo]);
      continue;
    }
    const rows = [...first.list];
    for (let page = 2; page <= first.paging.pages; page++) {
      req.signal.throwIfAborted();
      rows.push(...(await opts.oms.listOrders(wFrom, wTo, page)).list);
    }
    const records = await fetchWanted(opts, rows, req.logger);
    windowsDone++;
    req.logger.info(
      { window: `${wFrom.toISOString()}..${wTo.toISOString()}`, listed: rows.length, fetched: records.length, windowsDone, windowsLeft: pending.length },
      'backfill window landed',
    );
    yield { records, cursor: cursorFor(wTo) };
  }
}

/** Get order for every listed order Farol lacks or holds older; ids that cannot be orders are skipped. */
async function fetchWanted(opts: BackfillOptions, rows: readonly { orderId: string; lastChange?: string | null | undefined }[], logger: Logger) {
  const ids = [...new Set(rows.map((r) => r.orderId))];
  const valid = ids.filter(isVtexOrderId);
  if (valid.length < ids.length) logger.warn({ skipped: ids.length - valid.length }, 'List orders returned ids that are not VTEX order ids; skipped');
  const held = await opts.known(valid);
  const listedChange = new Map(rows.map((r) => [r.orderId, r.lastChange ? Date.parse(r.lastChange) : Number.NaN]));
  const wanted = valid.filter((id) => {
    const have = held.get(id);
    if (have === undefined) return true;
    const listed = listedChange.get(id) ?? Number.NaN;
    // Without a lastChange in the list there is nothing to compare: what is held stays.
    return !Number.isNaN(listed) && listed > have;
  });
  const fetched = await mapConcurrent(wanted, opts.concurrency, async (id): Promise<{ id: string; payload: string } | { id: string; error: unknown }> => {
    try {
      return { id, payload: JSON.stringify(await opts.oms.getOrder(id)) ?? 'null' };
    } catch (error) {
      return { id, error };
    }
  });
  const records: BronzeInput[] = [];
  for (const f of fetched) {
    if ('payload' in f) records.push({ entity: VTEX_ORDER_ENTITY, naturalKey: f.id, payload: f.payload });
    // Listed a moment ago but gone now (a test order deleted): nothing to land.
    else if (f.error instanceof TerminalHttpError && f.error.status === 404) logger.warn({ orderId: f.id }, 'listed order not found by Get order; skipped');
    // Anything else fails the run once every fetch has settled; the runner retries it from the last landed window.
    else throw f.error;
  }
  return records;
}

function after(iso: string): Date {
  return new Date(Date.parse(iso) + 1);
}

function parseCursor(raw: string | undefined): BackfillCursor | undefined {
  if (!raw) return undefined;
  try {
    const c = JSON.parse(raw) as Partial<BackfillCursor>;
    return typeof c.from === 'string' && typeof c.done === 'string' && !Number.isNaN(Date.parse(c.done)) ? (c as BackfillCursor) : undefined;
  } catch {
    return undefined;
  }
}
