/**
 * Turning (baseUrl, path, query) into the URL to call, and into the path that may be shown.
 */
import { stripQuery } from './http-errors.js';

export type QueryParams = Record<string, string | number | boolean | undefined>;

/**
 * Joins `path` onto `baseUrl` by string, not URL resolution: `new URL('/x', base)` would drop a
 * base path such as Sienge's `/{tenant}/public/api/v1` or SAP's `/b1s/v1`.
 *
 * An absolute `path` (an OData next link) is accepted only on the base URL's origin, because the
 * client's credential headers go with every request.
 */
export function buildRequestUrl(baseUrl: string, path: string, query?: QueryParams): string {
  let url: string;
  if (/^https?:\/\//i.test(path)) {
    const target = new URL(path);
    const base = new URL(baseUrl);
    if (target.origin !== base.origin) {
      throw new RangeError(`refusing to send credentials to ${target.origin}: the client's base URL is on ${base.origin}`);
    }
    url = path;
  } else {
    url = `${baseUrl.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
  }
  const extra = encodeQuery(query);
  if (!extra) return url;
  return `${url}${url.includes('?') ? '&' : '?'}${extra}`;
}

/**
 * Percent-encodes with `%20` for spaces (OData and VTEX filters reject `+`) and leaves `$` alone,
 * so OData options read `$top` in server logs and on the wire, as the specs write them.
 */
export function encodeQuery(query: QueryParams | undefined): string {
  if (!query) return '';
  const parts: string[] = [];
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    parts.push(`${encodeComponent(key)}=${encodeComponent(String(value))}`);
  }
  return parts.join('&');
}

function encodeComponent(value: string): string {
  return encodeURIComponent(value).replace(/%24/g, '$');
}

/** The path part only, with a leading slash: what logs, metrics and errors may show. */
export function displayPath(path: string): string {
  if (/^https?:\/\//i.test(path)) {
    try {
      return new URL(path).pathname;
    } catch {
      return '/';
    }
  }
  const bare = stripQuery(path);
  return bare.startsWith('/') ? bare : `/${bare}`;
}
