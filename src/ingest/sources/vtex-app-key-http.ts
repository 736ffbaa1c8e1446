import type { VtexConfig } from '../../config.js';
import { createHttpClient, type HttpClient, type HttpClientOptions } from '../http/index.js';

/**
 * An HTTP client that calls a VTEX API as the configured app key: both credential headers on
 * every request and both values scrubbed from logs and errors. The base URL defaults to the
 * account's host (OMS, Catalog, Master Data); Pricing passes its own.
 */
export function createVtexAppKeyClient(
  vtex: VtexConfig,
  opts: Omit<HttpClientOptions, 'source' | 'baseUrl' | 'headers' | 'secrets'> & { readonly baseUrl?: string },
): HttpClient {
  return createHttpClient({
    ...opts,
    source: 'vtex',
    baseUrl: (opts.baseUrl ?? vtex.baseUrl).replace(/\/+$/, ''),
    headers: { 'X-VTEX-API-AppKey': vtex.appKey, 'X-VTEX-API-AppToken': vtex.appToken, Accept: 'application/json' },
    secrets: [vtex.appToken, vtex.appKey],
  });
}
