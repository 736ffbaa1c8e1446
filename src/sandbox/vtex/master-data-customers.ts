import { createHash } from 'node:crypto';
import {
  EDITABLE_CL_FIELDS,
  toClDocument,
  type ClAccount,
  type ClDocument,
  type CustomerPatch,
  type CustomerRecord,
  type ShopperFields,
} from './master-data-cl-document.js';
import type { GeneratedOrder } from './order-generator.js';
import { Rng } from './random.js';
import { MS_PER_DAY, MS_PER_HOUR, compareInstants, type VtexInstant } from './vtex-time.js';

/**
 * The `CL` entity: one document per shopper who has an order the API can see. A shopper is
 * indexed when the first step of one of their orders is published, so nothing is rescanned per
 * request and a 100k-order sandbox pays once per shopper. Everything a document holds beyond the
 * order's `clientProfileData` is drawn from a stream keyed by the shopper's `userProfileId`, so a
 * seed yields the same documents whatever else the sandbox does.
 */

/** Shoppers who signed up at checkout and never touched their profile again (`updatedIn` null). */
const CHECKOUT_SIGNUP_SHARE = 0.55;
const CUSTOMER_DOC_STREAM = 0xc1d0c;
/** 100 ns ticks per millisecond: the 7th fractional digit. */
const TICKS_PER_MS = 10_000;

export interface CustomerIndexOptions {
  readonly seed: number;
  readonly account: string;
  /** Wall clock for `update`; injected so tests can place changes in time. */
  readonly now: () => number;
}

/** How a query picks and orders documents; `key` names it for the one-entry memo. */
export interface RecordSelection {
  readonly key: string;
  matches(record: CustomerRecord): boolean;
  readonly compare: ((a: CustomerRecord, b: CustomerRecord) => number) | undefined;
}

export class CustomerIndex {
  readonly account: ClAccount;
  private readonly records: CustomerRecord[] = [];
  private readonly byUserId = new Map<string, number>();
  private readonly emails = new Set<string>();
  private version = 0;
  private lastUpdate: VtexInstant = { ms: 0, sub: 0 };
  private memo: { readonly key: string; readonly version: number; readonly records: readonly CustomerRecord[] } | undefined;

  constructor(private readonly options: CustomerIndexOptions) {
    this.account = { accountId: uuidFrom(`account:${options.account}`, '4'), accountName: options.account, writerId: uuidFrom(`writer:${options.account}`, '4') };
  }

  get size(): number {
    return this.records.length;
  }

  /** Called when an order's first step is published: from then on its shopper has a document. */
  observe(generated: GeneratedOrder): void {
    const profile = generated.order.clientProfileData;
    const userId = profile.userProfileId;
    if (this.byUserId.has(userId)) return;
    const firstOrder = generated.timeline.steps[0]?.at;
    if (firstOrder === undefined) return;
    const rng = Rng.derive(this.options.seed, CUSTOMER_DOC_STREAM, digest32(userId));

    // A profile is created during checkout, or earlier (newsletter, account page); in the latter
    // case checkout then fills in the document and phone, which is an update just before the order.
    const atCheckout = rng.chance(CHECKOUT_SIGNUP_SHARE);
    const createdIn = atCheckout
      ? before(firstOrder, rng.int(5_000, 120_000), rng)
      : before(firstOrder, rng.int(MS_PER_HOUR, 45 * MS_PER_DAY), rng);
    const updatedIn = atCheckout ? null : before(firstOrder, rng.int(2_000, 90_000), rng);

    const corporate = profile.isCorporate;
    const exempt = profile.stateInscription === 'Isento';
    const ddd = profile.phone.slice(3, 5);
    const shopper: ShopperFields = {
      userId,
      email: this.uniqueEmail(profile.firstName, profile.lastName, rng.int(1, 999_999)),
      firstName: profile.firstName,
      lastName: profile.lastName,
      document: profile.document,
      documentType: profile.documentType,
      phone: profile.phone,
      homePhone: rng.chance(0.15) ? `+55${ddd}3${rng.digits(7)}` : null,
      cellPhone: rng.chance(0.6) ? profile.phone : null,
      businessPhone: corporate ? profile.corporatePhone : null,
      isCorporate: corporate,
      corporateName: profile.corporateName,
      tradeName: profile.tradeName,
      corporateDocument: profile.corporateDocument,
      stateRegistration: corporate && !exempt ? profile.stateInscription : null,
      isFreeStateRegistration: corporate ? exempt : null,
      isNewsletterOptIn: generated.order.clientPreferencesData.optinNewsLetter,
      localeDefault: generated.order.clientPreferencesData.locale,
    };
    this.byUserId.set(userId, this.records.length);
    this.records.push({
      seq: this.records.length,
      id: uuidFrom(`CL:${this.options.account}:${userId}`, '1'),
      shopper,
      createdIn,
      updatedIn,
      updatedBy: updatedIn === null ? null : this.account.writerId,
      lastInteractionIn: updatedIn ?? createdIn,
    });
    this.version++;
  }

  all(): readonly CustomerRecord[] {
    return this.records;
  }

  find(userId: string): CustomerRecord | undefined {
    const at = this.byUserId.get(userId);
    return at === undefined ? undefined : this.records[at];
  }

  documents(): ClDocument[] {
    return this.records.map((record) => toClDocument(record, this.account));
  }

  /**
   * Changes a document as a profile edit would: the patched fields, and `updatedIn` and
   * `lastInteractionIn` set to now (strictly later than any earlier change, so an incremental
   * reader's `>` never loses it).
   */
  update(userId: string, patch: CustomerPatch): ClDocument {
    const at = this.byUserId.get(userId);
    const current = at === undefined ? undefined : this.records[at];
    if (at === undefined || current === undefined) throw new Error(`no CL document for userId ${userId}`);
    const changes: Record<string, unknown> = {};
    for (const [field, value] of Object.entries(patch)) {
      if (!(EDITABLE_CL_FIELDS as readonly string[]).includes(field)) throw new Error(`CL field ${field} cannot be updated`);
      if (value !== undefined) changes[field] = value;
    }
    const email = changes.email;
    if (typeof email === 'string' && email !== current.shopper.email) {
      if (this.emails.has(email.toLowerCase())) throw new Error(`another CL document already has the e-mail ${email}`);
      this.emails.delete(current.shopper.email.toLowerCase());
      this.emails.add(email.toLowerCase());
    }
    const now = this.stamp(current.lastInteractionIn);
    const updated: CustomerRecord = {
      ...current,
      shopper: { ...current.shopper, ...changes } as ShopperFields,
      updatedIn: now,
      updatedBy: this.account.writerId,
      lastInteractionIn: now,
    };
    this.records[at] = updated;
    this.version++;
    return toClDocument(updated, this.account);
  }

  /** The documents a query matches, in its order; the last answer is kept while nothing changes, so paging is cheap. */
  select(selection: RecordSelection): readonly CustomerRecord[] {
    const memo = this.memo;
    if (memo !== undefined && memo.key === selection.key && memo.version === this.version) return memo.records;
    const records = this.records.filter((record) => selection.matches(record));
    if (selection.compare !== undefined) records.sort(selection.compare);
    this.memo = { key: selection.key, version: this.version, records };
    return records;
  }

  /** `first.last.<n>@example.com.br`, ascii-folded; `n` moves on past an address already taken. */
  private uniqueEmail(firstName: string, lastName: string, n: number): string {
    const local = `${fold(firstName)}.${fold(lastName)}`;
    let candidate = n;
    while (this.emails.has(`${local}.${candidate}@example.com.br`)) candidate++;
    const email = `${local}.${candidate}@example.com.br`;
    this.emails.add(email);
    return email;
  }

  private stamp(after: VtexInstant): VtexInstant {
    let next: VtexInstant = { ms: this.options.now(), sub: 0 };
    for (const floor of [this.lastUpdate, after]) {
      if (compareInstants(next, floor) <= 0) next = addTick(floor);
    }
    this.lastUpdate = next;
    return next;
  }
}

function before(instant: VtexInstant, ms: number, rng: Rng): VtexInstant {
  return { ms: instant.ms - ms, sub: rng.int(0, TICKS_PER_MS - 1) };
}

function addTick(instant: VtexInstant): VtexInstant {
  return instant.sub + 1 < TICKS_PER_MS ? { ms: instant.ms, sub: instant.sub + 1 } : { ms: instant.ms + 1, sub: 0 };
}

function fold(name: string): string {
  return name.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '');
}

function digest32(text: string): number {
  return createHash('sha256').update(text).digest().readUInt32BE(0);
}

/** A UUID-shaped id that is a pure function of `text` (version nibble as given). */
function uuidFrom(text: string, version: '1' | '4'): string {
  const h = createHash('sha256').update(text).digest('hex');
  const variant = ((parseInt(h[16] as string, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${version}${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
