import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { CustomerQueryError } from './customer-lookup.js';

/**
 * Opaque Relay cursors. A cursor holds the keyset values after which the next page starts, and
 * those can be personal (a customer id is `cpf:<digits>`), so it is sealed with AES-256-GCM under
 * a key that never leaves the process: a client can neither read nor forge one, and a forged or
 * truncated cursor is a clear input error. Cursors do not survive a restart; pages are short-lived.
 */
export class CursorSealer {
  readonly #key: Buffer;

  constructor(key: Buffer = randomBytes(32)) {
    if (key.length !== 32) throw new Error('cursor key must be 32 bytes');
    this.#key = key;
  }

  seal(values: readonly string[]): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    const body = Buffer.concat([cipher.update(JSON.stringify(values), 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
  }

  open(cursor: string, arity: number, field: string): string[] {
    const bad = () => new CustomerQueryError(`${field}: not a cursor this API returned`, field);
    if (cursor.length > 2_048) throw bad();
    const raw = Buffer.from(cursor, 'base64url');
    if (raw.length < 29) throw bad();
    let parsed: unknown;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.#key, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      parsed = JSON.parse(Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8'));
    } catch {
      throw bad();
    }
    if (!Array.isArray(parsed) || parsed.length !== arity || !parsed.every((v) => typeof v === 'string')) throw bad();
    return parsed as string[];
  }
}
