/**
 * What the browser may do on the operator's page: scripts, styles, images and requests from
 * Farol only; no inline script or style markup (ECharts draws on a canvas and styles through
 * the CSSOM, which CSP does not restrict); not framed; forms go nowhere.
 */
export const WEB_PAGE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

/** Vite names built assets by content hash (`/assets/index-Dkmq6rPx.js`), so they never change. */
const HASHED_ASSET = /\/assets\/[^/]+-[A-Za-z0-9_-]{8,}\.[a-z0-9]+$/;

/** Headers for one served file: the CSP everywhere; HTML always revalidated, hashed assets cached for good. */
export function webPageHeaders(file: string): Readonly<Record<string, string>> {
  return {
    'content-security-policy': WEB_PAGE_CSP,
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    'cache-control': HASHED_ASSET.test(file.split('\\').join('/')) ? 'public, max-age=31536000, immutable' : 'no-cache',
  };
}
