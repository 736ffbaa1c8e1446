import { describe, expect, it } from 'vitest';
import { hookFilterMatches, parseHookConfig } from './hook-config.js';

const hook = { url: 'https://farol.example/webhooks/vtex/orders', headers: { 'x-farol-hook-token': 't' } };

describe('parseHookConfig', () => {
  it('accepts both documented filter shapes', () => {
    const workflow = parseHookConfig({ filter: { type: 'FromWorkflow', status: ['invoiced', 'canceled'] }, hook });
    expect(workflow).toEqual({ ok: true, config: { filter: { type: 'FromWorkflow', status: ['invoiced', 'canceled'] }, hook } });
    const orders = parseHookConfig({ filter: { type: 'FromOrders', expression: 'status = "invoiced"' }, hook });
    expect(orders).toMatchObject({ ok: true, config: { filter: { type: 'FromOrders', disableSingleFire: false } } });
  });

  it.each([
    ['no body', null],
    ['no filter', { hook }],
    ['no hook', { filter: { type: 'FromWorkflow', status: ['invoiced'] } }],
    ['no url', { filter: { type: 'FromWorkflow', status: ['invoiced'] }, hook: { headers: {} } }],
    ['no headers', { filter: { type: 'FromWorkflow', status: ['invoiced'] }, hook: { url: hook.url } }],
    ['relative url', { filter: { type: 'FromWorkflow', status: ['invoiced'] }, hook: { url: '/x', headers: {} } }],
    ['empty status list', { filter: { type: 'FromWorkflow', status: [] }, hook }],
    ['unknown type', { filter: { type: 'FromFeed' }, hook }],
    ['no expression', { filter: { type: 'FromOrders' }, hook }],
    ['non-string header', { filter: { type: 'FromWorkflow', status: ['invoiced'] }, hook: { url: hook.url, headers: { a: 1 } } }],
  ])('answers 400 for %s', (_name, body) => {
    expect(parseHookConfig(body)).toMatchObject({ ok: false, status: 400 });
  });

  it.each([
    ['FromWorkflow with an expression', { type: 'FromWorkflow', status: ['invoiced'], expression: 'true' }],
    ['FromWorkflow with disableSingleFire', { type: 'FromWorkflow', status: ['invoiced'], disableSingleFire: true }],
    ['FromOrders with statuses', { type: 'FromOrders', expression: 'true', status: ['invoiced'] }],
    ['untyped filter with both', { status: ['invoiced'], expression: 'true' }],
  ])('answers 409 for %s', (_name, filter) => {
    expect(parseHookConfig({ filter, hook })).toMatchObject({ ok: false, status: 409 });
  });
});

describe('hookFilterMatches', () => {
  it('matches listed statuses for FromWorkflow and everything for FromOrders', () => {
    expect(hookFilterMatches({ type: 'FromWorkflow', status: ['invoiced'] }, 'invoiced')).toBe(true);
    expect(hookFilterMatches({ type: 'FromWorkflow', status: ['invoiced'] }, 'handling')).toBe(false);
    expect(hookFilterMatches({ type: 'FromOrders', expression: 'status = "x"', disableSingleFire: false }, 'handling')).toBe(true);
  });
});
