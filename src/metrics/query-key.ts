/**
 * Canonical JSON: object keys sorted, `undefined` dropped, arrays kept in order (member order is
 * meaningful: it is the column order). Two queries that mean the same thing byte-for-byte get
 * the same key whatever order their fields were written in. Costs microseconds for a query, so
 * cache hits can afford it.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const parts: string[] = [];
  for (const k of Object.keys(obj).sort()) {
    const v = obj[k];
    if (v === undefined) continue;
    parts.push(`${JSON.stringify(k)}:${canonicalJson(v)}`);
  }
  return `{${parts.join(',')}}`;
}
