import { normalizeDocument } from '../shared/brazil-documents.js';
import type { DataVersions } from '../warehouse/data-version.js';
import type { Warehouse } from '../warehouse/warehouse.js';

/** What a till may learn about a document, and nothing else. */
export interface ClubValidation {
  /** The CPF/CNPJ's check digits verify. */
  readonly documentValid: boolean;
  /** An active club member: the club price applies. */
  readonly activeMember: boolean;
  /** Set only for an active member. */
  readonly tier: string | null;
  readonly firstName: string | null;
  readonly marketingOptIn: boolean | null;
}

interface Member {
  readonly tier: string | null;
  readonly firstName: string | null;
  readonly optIn: boolean | null;
}

/** Least time between two rebuilds while gold keeps changing (the order hook bumps it often). */
export const DEFAULT_INDEX_MIN_INTERVAL_MS = 2_000;
/**
 * The same on BigQuery, where a rebuild is a query job billed by the bytes of the members'
 * columns it scans: every 2 s while the hook keeps bumping gold would be some 43,000 full reads
 * of `gold.customer_360` a day. Once a minute a till may see a club change up to a minute late.
 */
export const DEFAULT_BIGQUERY_INDEX_MIN_INTERVAL_MS = 60_000;

export class ClubIndexNotReadyError extends Error {
  constructor() {
    super('the club member index is still loading; try again in a moment');
    this.name = 'ClubIndexNotReadyError';
  }
}

const NOT_MEMBER = (documentValid: boolean): ClubValidation => ({ documentValid, activeMember: false, tier: null, firstName: null, marketingOptIn: null });

/**
 * Point-of-sale validation from memory: the active club members of `gold.customer_360`, keyed by
 * document digits, rebuilt off the request path when gold's data version moves (at most once per
 * `minIntervalMs`, the newest version always ends up loaded). A lookup never waits for the
 * warehouse, so a till is answered while a rebuild or a long refresh holds it; between a change
 * and the next rebuild, the previous index answers. Members that are suspended or canceled are not
 * in it: to the till they are "not an active member", with nothing more said. The rebuild's one
 * SELECT is the same on every warehouse; only its least interval differs.
 */
export class ClubMemberIndex {
  #members: ReadonlyMap<string, Member> | undefined;
  #loadedVersion = -1;
  #loading: Promise<void> | undefined;
  #timer: NodeJS.Timeout | undefined;
  #lastLoadAt = 0;
  #stopped = false;
  readonly #unsubscribe: () => void;
  readonly #minIntervalMs: number;
  readonly #onError: (err: unknown) => void;

  constructor(
    private readonly warehouse: Pick<Warehouse, 'query' | 'dialect'>,
    private readonly dataVersions: DataVersions,
    opts: { readonly minIntervalMs?: number; readonly onError?: (err: unknown) => void } = {},
  ) {
    this.#minIntervalMs = opts.minIntervalMs ?? (warehouse.dialect === 'bigquery' ? DEFAULT_BIGQUERY_INDEX_MIN_INTERVAL_MS : DEFAULT_INDEX_MIN_INTERVAL_MS);
    this.#onError = opts.onError ?? (() => undefined);
    this.#unsubscribe = dataVersions.onChange(() => this.schedule());
  }

  /** Members indexed; `undefined` before the first load. */
  get size(): number | undefined {
    return this.#members?.size;
  }

  /** The gold data version the index reflects (-1 before the first load). */
  get version(): number {
    return this.#loadedVersion;
  }

  validate(document: string): ClubValidation {
    const doc = normalizeDocument(document.length <= 64 ? document : '');
    if (!doc) return NOT_MEMBER(false);
    const members = this.#members;
    if (!members) throw new ClubIndexNotReadyError();
    const m = members.get(doc.value);
    if (!m) return NOT_MEMBER(true);
    return { documentValid: true, activeMember: true, tier: m.tier, firstName: m.firstName, marketingOptIn: m.optIn };
  }

  /** Loads the index now (start-up) and resolves when it reflects the current data version. */
  async whenCurrent(): Promise<void> {
    while (!this.#stopped && this.#loadedVersion < this.dataVersions.current()) {
      await (this.#loading ?? this.load());
    }
  }

  stop(): void {
    this.#stopped = true;
    this.#unsubscribe();
    if (this.#timer) clearTimeout(this.#timer);
  }

  private schedule(): void {
    if (this.#stopped || this.#timer || this.#loading) return;
    const wait = Math.max(0, this.#lastLoadAt + this.#minIntervalMs - Date.now());
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.load().catch(this.#onError);
    }, wait);
    this.#timer.unref();
  }

  private load(): Promise<void> {
    this.#loading ??= (async () => {
      try {
        const version = this.dataVersions.current();
        const rows = await this.warehouse.query<{ document: string; first_name: string | null; club_tier: string | null; marketing_opt_in: boolean | null }>(
          `SELECT document, first_name, club_tier, marketing_opt_in FROM gold.customer_360
           WHERE club_status = 'active' AND document IS NOT NULL`,
        );
        const members = new Map<string, Member>();
        for (const r of rows) members.set(r.document, { tier: r.club_tier, firstName: r.first_name, optIn: r.marketing_opt_in });
        this.#members = members;
        this.#loadedVersion = Math.max(this.#loadedVersion, version);
        this.#lastLoadAt = Date.now();
      } finally {
        this.#loading = undefined;
      }
      // Gold moved while loading: go again (after the interval).
      if (this.#loadedVersion < this.dataVersions.current()) this.schedule();
    })();
    return this.#loading;
  }
}
