import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { odataNextLink } from './odata-next-link.js';

const response = (data: Record<string, unknown>) => ({ status: 200, headers: {}, data: { value: [], ...data }, attempts: 1 });
const item = z.object({ Id: z.number() });

describe('odataNextLink', () => {
  it('sends $top only when a page size is set', () => {
    expect(odataNextLink({ item }).first({ path: '/Deals' })).toEqual({ path: '/Deals' });
    expect(odataNextLink({ item, pageSize: 300 }).first({ path: '/Deals', query: { $filter: 'StatusId eq 2' } })).toEqual({
      path: '/Deals',
      query: { $filter: 'StatusId eq 2', $top: 300 },
    });
    expect(() => odataNextLink({ item, pageSize: 301 })).toThrow(RangeError);
  });

  it('follows an absolute @odata.nextLink verbatim, dropping the old query', () => {
    const strategy = odataNextLink({ item });
    const previous = { path: '/Deals', query: { $filter: 'StatusId eq 2' }, headers: { 'user-key': 'k' } };
    const link = 'https://public-api2.ploomes.com/Deals?$filter=StatusId%20eq%202&$skip=300';
    expect(strategy.next(previous, response({ '@odata.nextLink': link }), [{ Id: 1 }], { baseUrl: 'https://public-api2.ploomes.com' })).toEqual({
      kind: 'next',
      request: { path: link, headers: { 'user-key': 'k' } },
    });
  });

  it('resolves a relative SAP v1 odata.nextLink against the collection URL', () => {
    const strategy = odataNextLink({ item });
    const next = strategy.next(
      { path: '/Orders', query: { $filter: "DocumentStatus eq 'bost_Open'" } },
      response({ 'odata.nextLink': "Orders?$filter=DocumentStatus eq 'bost_Open'&$skip=20" }),
      [{ Id: 1 }],
      { baseUrl: 'https://sap.test:50000/b1s/v1' },
    );
    expect(next).toEqual({
      kind: 'next',
      request: { path: "https://sap.test:50000/b1s/v1/Orders?$filter=DocumentStatus%20eq%20%27bost_Open%27&$skip=20" },
    });
  });

  it('resolves a v2 @odata.nextLink too', () => {
    const next = odataNextLink({ item }).next({ path: '/Invoices' }, response({ '@odata.nextLink': 'Invoices?$skip=20' }), [{ Id: 1 }], {
      baseUrl: 'https://sap.test:50000/b1s/v2/',
    });
    expect(next).toEqual({ kind: 'next', request: { path: 'https://sap.test:50000/b1s/v2/Invoices?$skip=20' } });
  });

  it('pages with $skip when the server sends no link, until a short page', () => {
    const strategy = odataNextLink({ item, pageSize: 2 });
    const first = strategy.first({ path: '/Contacts' });
    const full = [{ Id: 1 }, { Id: 2 }];
    expect(strategy.next(first, response({}), full, { baseUrl: 'https://p.test' })).toEqual({
      kind: 'next',
      request: { path: '/Contacts', query: { $top: 2, $skip: 2 } },
    });
    expect(strategy.next({ path: '/Contacts', query: { $top: 2, $skip: 2 } }, response({}), [{ Id: 3 }], { baseUrl: 'https://p.test' })).toEqual({
      kind: 'done',
    });
  });

  it('stops when neither a link nor a page size drives paging', () => {
    expect(odataNextLink({ item }).next({ path: '/Deals' }, response({}), [{ Id: 1 }], { baseUrl: 'https://p.test' })).toEqual({
      kind: 'done',
    });
    // After following links, a page without a link is the last one even with a page size.
    const linked = { path: 'https://p.test/Deals?$top=2&$skip=2' };
    expect(odataNextLink({ item, pageSize: 2 }).next(linked, response({}), [{ Id: 3 }, { Id: 4 }], { baseUrl: 'https://p.test' })).toEqual({
      kind: 'done',
    });
  });
});
