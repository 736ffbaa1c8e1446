import { normalizeDocument } from '../../../shared/brazil-documents.js';
import { normalizeEmail, normalizePhone } from '../../../shared/contact-normalize.js';

export type CustomerKeyType = 'cpf' | 'cnpj' | 'email' | 'phone' | 'profile';

export interface CustomerIdentityInput {
  readonly document?: string | null | undefined;
  readonly corporateDocument?: string | null | undefined;
  readonly email?: string | null | undefined;
  readonly phone?: string | null | undefined;
  /** VTEX `userProfileId`: stable per shopper account; the last resort when nothing else is usable. */
  readonly userProfileId?: string | null | undefined;
}

export interface CustomerKey {
  readonly key: string;
  readonly type: CustomerKeyType;
}

/**
 * Identity precedence: a verified CPF/CNPJ, else a real (unmasked) email, else an E.164 phone,
 * else the VTEX profile id. Keys carry their type as a prefix (`cpf:52998224725`) so two kinds
 * can never collide.
 */
export function resolveCustomerKey(input: CustomerIdentityInput): CustomerKey | undefined {
  const doc = normalizeDocument(input.corporateDocument) ?? normalizeDocument(input.document);
  if (doc) return { key: `${doc.kind}:${doc.value}`, type: doc.kind };
  const email = normalizeEmail(input.email);
  if (email) return { key: `email:${email}`, type: 'email' };
  const phone = normalizePhone(input.phone);
  if (phone) return { key: `phone:${phone}`, type: 'phone' };
  const profile = input.userProfileId?.trim();
  if (profile) return { key: `profile:${profile.toLowerCase()}`, type: 'profile' };
  return undefined;
}
