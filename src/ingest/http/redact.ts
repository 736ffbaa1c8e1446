/**
 * Scrubbing of secrets from anything the HTTP client logs or puts into an error.
 *
 * Two sources of secrets: values the caller lists explicitly, and the values of known credential
 * headers (so an app token passed only as a header is still scrubbed). The pino logger censors
 * header fields by path; this covers free text, where a server may echo a token back in a body.
 */

export const REDACTION_MARK = '[redacted]';

/** Header names (lower-case) whose values are credentials for some source. */
export const SECRET_HEADER_NAMES: ReadonlySet<string> = new Set([
  'x-vtex-api-apptoken',
  'x-vtex-api-appkey',
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'x-farol-hook-token',
  'vtexidclientautcookie',
  'user-key', // Ploomes
]);

/**
 * Fragments derived from a header (a cookie value, a Basic password) shorter than this are not
 * scrubbed: replacing two-letter strings everywhere would mangle messages and protect nothing.
 */
export const MIN_DERIVED_SECRET_LENGTH = 4;

export interface Redactor {
  /** Replaces every known secret in `value` with REDACTION_MARK. */
  text(value: string): string;
  /** A copy of `headers` with credential headers masked and secrets scrubbed from the rest. */
  headers(headers: Readonly<Record<string, string>>): Record<string, string>;
  /** A redactor that also knows `secrets` (e.g. per-request credentials). */
  with(secrets: readonly string[]): Redactor;
}

export function isSecretHeader(name: string): boolean {
  return SECRET_HEADER_NAMES.has(name.toLowerCase());
}

/** Secret values carried by `headers`, including the parts a server is likely to echo alone. */
export function secretsFromHeaders(headers: Readonly<Record<string, string>> = {}): string[] {
  const found: string[] = [];
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (!SECRET_HEADER_NAMES.has(lower) || !value) continue;
    found.push(value);
    if (lower === 'authorization' || lower === 'proxy-authorization') found.push(...authorizationParts(value));
    if (lower === 'cookie' || lower === 'set-cookie') found.push(...cookieValues(value));
  }
  return found.filter((s) => s.length >= MIN_DERIVED_SECRET_LENGTH);
}

function authorizationParts(value: string): string[] {
  const match = /^(\S+)\s+(.+)$/.exec(value.trim());
  if (!match) return [];
  const [, scheme = '', credentials = ''] = match;
  const parts = [credentials];
  if (scheme.toLowerCase() === 'basic') {
    const decoded = Buffer.from(credentials, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0) parts.push(decoded, decoded.slice(colon + 1));
  }
  return parts;
}

function cookieValues(value: string): string[] {
  return value
    .split(/[;,]/)
    .map((pair) => pair.slice(pair.indexOf('=') + 1).trim())
    .filter((v) => v.length > 0);
}

export function createRedactor(secrets: readonly string[] = [], headers: Readonly<Record<string, string>> = {}): Redactor {
  return buildRedactor([...secrets, ...secretsFromHeaders(headers)]);
}

function buildRedactor(rawSecrets: readonly string[]): Redactor {
  const variants = new Set<string>();
  for (const secret of rawSecrets) {
    if (!secret) continue;
    variants.add(secret);
    // Secrets also travel inside URLs and form bodies, where they appear percent-encoded.
    const encoded = encodeURIComponent(secret);
    if (encoded !== secret) variants.add(encoded);
  }
  // Longest first, so a secret containing another is replaced whole, not left half-visible.
  const ordered = [...variants].sort((a, b) => b.length - a.length);

  const text = (value: string): string => {
    let out = value;
    for (const secret of ordered) {
      if (out.includes(secret)) out = out.split(secret).join(REDACTION_MARK);
    }
    return out;
  };

  const redactor: Redactor = {
    text,
    headers(headers) {
      const out: Record<string, string> = {};
      for (const [name, value] of Object.entries(headers)) {
        out[name] = isSecretHeader(name) ? REDACTION_MARK : text(value);
      }
      return out;
    },
    with(secrets) {
      return secrets.length === 0 ? redactor : buildRedactor([...rawSecrets, ...secrets]);
    },
  };
  return redactor;
}
