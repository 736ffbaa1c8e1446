import { formatZulu, type VtexInstant } from './vtex-time.js';

/**
 * A Master Data v1 `CL` (client profile) document as the sandbox stores and serves it: the
 * shopper's own fields, Master Data's system fields, and the three instants. Field names follow
 * VTEX's profile schema and the documented examples; `userId` ties the document to the orders'
 * `clientProfileData.userProfileId`.
 */

export interface ClDocument {
  id: string;
  accountId: string;
  accountName: string;
  dataEntityId: 'CL';
  createdBy: string;
  createdIn: string;
  updatedBy: string | null;
  /** Null until the document is first updated, as Master Data leaves it at creation. */
  updatedIn: string | null;
  lastInteractionBy: string;
  lastInteractionIn: string;
  followers: string[];
  tags: string[];
  userId: string;
  email: string;
  firstName: string;
  lastName: string;
  document: string;
  documentType: string;
  phone: string;
  homePhone: string | null;
  cellPhone: string | null;
  businessPhone: string | null;
  isCorporate: boolean;
  corporateName: string | null;
  tradeName: string | null;
  corporateDocument: string | null;
  stateRegistration: string | null;
  isFreeStateRegistration: boolean | null;
  isNewsletterOptIn: boolean;
  localeDefault: string;
}

/** Fields a shopper (or the store) can change; `updateCustomer` takes a subset of them. */
export const EDITABLE_CL_FIELDS = [
  'email', 'firstName', 'lastName', 'phone', 'homePhone', 'cellPhone', 'businessPhone',
  'isNewsletterOptIn', 'corporateName', 'tradeName', 'stateRegistration', 'localeDefault',
] as const;
export type EditableClField = (typeof EDITABLE_CL_FIELDS)[number];
export type CustomerPatch = Partial<Pick<ClDocument, EditableClField>>;

type ShopperField =
  | 'userId' | 'email' | 'firstName' | 'lastName' | 'document' | 'documentType' | 'phone' | 'homePhone' | 'cellPhone'
  | 'businessPhone' | 'isCorporate' | 'corporateName' | 'tradeName' | 'corporateDocument' | 'stateRegistration'
  | 'isFreeStateRegistration' | 'isNewsletterOptIn' | 'localeDefault';
export type ShopperFields = Readonly<Pick<ClDocument, ShopperField>>;

/** One stored document. Replaced, never mutated, on update, so an open scroll keeps its snapshot. */
export interface CustomerRecord {
  /** Position in creation order: the order Master Data answers in when no `_sort` is given. */
  readonly seq: number;
  readonly id: string;
  readonly shopper: ShopperFields;
  readonly createdIn: VtexInstant;
  readonly updatedIn: VtexInstant | null;
  readonly updatedBy: string | null;
  readonly lastInteractionIn: VtexInstant;
}

/** What every document of the account shares. */
export interface ClAccount {
  readonly accountId: string;
  readonly accountName: string;
  /** The VTEX identity that writes the documents (checkout, then profile edits). */
  readonly writerId: string;
}

export type FieldKind = 'text' | 'boolean' | 'instant' | 'list';
export type FieldValue = string | boolean | VtexInstant | readonly string[] | null;

export interface FieldSpec {
  readonly kind: FieldKind;
  get(record: CustomerRecord, account: ClAccount): FieldValue;
}

const NONE: readonly string[] = Object.freeze([]);
const shopper = <K extends ShopperField>(kind: FieldKind, key: K): FieldSpec => ({ kind, get: (r) => r.shopper[key] });

/** Every field, with how `_where` and `_sort` read it; typed so a new field cannot be forgotten. */
export const CL_FIELD_SPECS: Readonly<Record<keyof ClDocument, FieldSpec>> = {
  id: { kind: 'text', get: (r) => r.id },
  accountId: { kind: 'text', get: (_r, a) => a.accountId },
  accountName: { kind: 'text', get: (_r, a) => a.accountName },
  dataEntityId: { kind: 'text', get: () => 'CL' },
  createdBy: { kind: 'text', get: (_r, a) => a.writerId },
  createdIn: { kind: 'instant', get: (r) => r.createdIn },
  updatedBy: { kind: 'text', get: (r) => r.updatedBy },
  updatedIn: { kind: 'instant', get: (r) => r.updatedIn },
  lastInteractionBy: { kind: 'text', get: (_r, a) => a.writerId },
  lastInteractionIn: { kind: 'instant', get: (r) => r.lastInteractionIn },
  followers: { kind: 'list', get: () => NONE },
  tags: { kind: 'list', get: () => NONE },
  userId: shopper('text', 'userId'),
  email: shopper('text', 'email'),
  firstName: shopper('text', 'firstName'),
  lastName: shopper('text', 'lastName'),
  document: shopper('text', 'document'),
  documentType: shopper('text', 'documentType'),
  phone: shopper('text', 'phone'),
  homePhone: shopper('text', 'homePhone'),
  cellPhone: shopper('text', 'cellPhone'),
  businessPhone: shopper('text', 'businessPhone'),
  isCorporate: shopper('boolean', 'isCorporate'),
  corporateName: shopper('text', 'corporateName'),
  tradeName: shopper('text', 'tradeName'),
  corporateDocument: shopper('text', 'corporateDocument'),
  stateRegistration: shopper('text', 'stateRegistration'),
  isFreeStateRegistration: shopper('boolean', 'isFreeStateRegistration'),
  isNewsletterOptIn: shopper('boolean', 'isNewsletterOptIn'),
  localeDefault: shopper('text', 'localeDefault'),
};

export const CL_FIELD_NAMES: readonly (keyof ClDocument)[] = Object.freeze(Object.keys(CL_FIELD_SPECS) as (keyof ClDocument)[]);

export function isClField(name: string): name is keyof ClDocument {
  return Object.hasOwn(CL_FIELD_SPECS, name);
}

export function toClDocument(record: CustomerRecord, account: ClAccount): ClDocument {
  return {
    id: record.id,
    accountId: account.accountId,
    accountName: account.accountName,
    dataEntityId: 'CL',
    createdBy: account.writerId,
    createdIn: formatZulu(record.createdIn),
    updatedBy: record.updatedBy,
    updatedIn: record.updatedIn === null ? null : formatZulu(record.updatedIn),
    lastInteractionBy: account.writerId,
    lastInteractionIn: formatZulu(record.lastInteractionIn),
    followers: [],
    tags: [],
    ...record.shopper,
  };
}

/** The requested fields of a document, in the order asked. */
export function projectClDocument(record: CustomerRecord, account: ClAccount, fields: readonly (keyof ClDocument)[]): Partial<ClDocument> {
  const full = toClDocument(record, account);
  const out: Record<string, unknown> = {};
  for (const field of fields) out[field] = full[field];
  return out as Partial<ClDocument>;
}
