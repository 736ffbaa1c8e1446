import { z } from 'zod';
import { normalizeDocument } from '../shared/brazil-documents.js';
import { normalizeEmail, normalizePhone } from '../shared/contact-normalize.js';

/** A caller-fixable problem with a lookup, filter or cursor; `field` names the argument. */
export class CustomerQueryError extends Error {
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
    this.name = 'CustomerQueryError';
  }
}

/** Longest identifier accepted in a lookup: longer input is refused before it reaches SQL. */
const MAX_LOOKUP_LENGTH = 320;

const lookupSchema = z
  .object({
    id: z.string().max(MAX_LOOKUP_LENGTH).optional(),
    document: z.string().max(MAX_LOOKUP_LENGTH).optional(),
    email: z.string().max(MAX_LOOKUP_LENGTH).optional(),
    phone: z.string().max(MAX_LOOKUP_LENGTH).optional(),
  })
  .strict();

export type CustomerLookupInput = z.input<typeof lookupSchema>;

/** Which `gold.customer_360` column a lookup compares, and the normalised value. */
export type CustomerLookup =
  | { readonly column: 'customer_id' | 'email' | 'phone'; readonly value: string }
  | { readonly column: 'document'; readonly kind: 'cpf' | 'cnpj'; readonly value: string };

/**
 * Exactly one of id, document, email, phone. A CPF/CNPJ is accepted with or without punctuation
 * (its check digits must verify), an e-mail in any case, a phone in national or E.164 form: each
 * is normalised as identity resolution stored it, so the lookup is one equality.
 */
export function parseCustomerLookup(input: CustomerLookupInput): CustomerLookup {
  const parsed = lookupSchema.safeParse(input);
  if (!parsed.success) throw new CustomerQueryError(`customer: ${parsed.error.issues[0]?.message ?? 'invalid lookup'}`, String(parsed.error.issues[0]?.path[0] ?? 'customer'));
  const given = Object.entries(parsed.data).filter(([, v]) => v !== undefined) as [keyof CustomerLookupInput, string][];
  if (given.length !== 1) {
    throw new CustomerQueryError(`customer: give exactly one of id, document, email, phone (got ${given.length === 0 ? 'none' : given.map(([k]) => k).join(', ')})`, 'customer');
  }
  const [field, raw] = given[0] as [keyof CustomerLookupInput, string];
  switch (field) {
    case 'id':
      return { column: 'customer_id', value: raw };
    case 'document': {
      const doc = normalizeDocument(raw);
      if (!doc) throw new CustomerQueryError('document: not a valid CPF or CNPJ (11 or 14 digits whose check digits verify)', 'document');
      return { column: 'document', kind: doc.kind, value: doc.value };
    }
    case 'email': {
      const email = normalizeEmail(raw);
      if (!email) throw new CustomerQueryError('email: not a valid e-mail address (VTEX conversation-tracker aliases identify no one)', 'email');
      return { column: 'email', value: email };
    }
    case 'phone': {
      const phone = normalizePhone(raw);
      if (!phone) throw new CustomerQueryError('phone: not a phone number Farol can normalise to E.164', 'phone');
      return { column: 'phone', value: phone };
    }
    default: {
      const _: never = field;
      return _;
    }
  }
}
