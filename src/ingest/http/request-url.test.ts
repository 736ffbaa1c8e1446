import { describe, expect, it } from 'vitest';
import { buildRequestUrl, displayPath, encodeQuery } from './request-url.js';

describe('buildRequestUrl', () => {
  it('keeps the base path (Sienge tenant, SAP /b1s/v1)', () => {
    expect(buildRequestUrl('https://api.sienge.com.br/acme/public/api/v1/', '/sales-contracts')).toBe(
      'https://api.sienge.com.br/acme/public/api/v1/sales-contracts',
    );
    expect(buildRequestUrl('https://sap:50000/b1s/v1', 'Orders')).toBe('https://sap:50000/b1s/v1/Orders');
  });

  it('appends query parameters, skipping undefined, after any query already in the path', () => {
    expect(buildRequestUrl('https://x.test', '/a?b=1', { c: 2, d: undefined, e: true })).toBe('https://x.test/a?b=1&c=2&e=true');
  });

  it('accepts an absolute URL on the same origin only', () => {
    expect(buildRequestUrl('https://public-api2.ploomes.com', 'https://public-api2.ploomes.com/Deals?$skip=300')).toBe(
      'https://public-api2.ploomes.com/Deals?$skip=300',
    );
    expect(() => buildRequestUrl('https://public-api2.ploomes.com', 'https://evil.test/Deals')).toThrow(RangeError);
  });
});

describe('encodeQuery', () => {
  it('keeps OData $ names and encodes spaces as %20', () => {
    expect(encodeQuery({ $filter: "LastUpdateDate gt 2026-04-01T00:00:00-03:00", $top: 300 })).toBe(
      '$filter=LastUpdateDate%20gt%202026-04-01T00%3A00%3A00-03%3A00&$top=300',
    );
  });
});

describe('displayPath', () => {
  it('drops origin and query', () => {
    expect(displayPath('https://h.test/b1s/v1/Orders?$skip=20')).toBe('/b1s/v1/Orders');
    expect(displayPath('Orders?$skip=20')).toBe('/Orders');
    expect(displayPath('/api/dataentities/CL/scroll?_token=secret')).toBe('/api/dataentities/CL/scroll');
  });
});
