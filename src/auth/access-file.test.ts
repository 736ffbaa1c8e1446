import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AccessFileError, loadAccessFile, parseAccessFile } from './access-file.js';
import { memberVisible } from './member-patterns.js';
import { resolveDataAccess } from './role-policy.js';

function problems(yaml: string): readonly string[] {
  try {
    parseAccessFile(yaml, 'access.yml');
  } catch (err) {
    expect(err).toBeInstanceOf(AccessFileError);
    expect((err as Error).message).toContain('access file access.yml is invalid');
    return (err as AccessFileError).problems;
  }
  throw new Error('expected the access file to be refused');
}

describe('access file', () => {
  it('reads a custom role with member lists, a claim-bound row rule and capabilities', () => {
    const [role] = parseAccessFile(
      `roles:
  store_manager:
    capabilities: [metrics]
    members:
      allow: ["sales.*"]
      deny: [sales.coupon]
    rows:
      - member: stores.store_key
        claim: store
`,
      'access.yml',
    );
    expect(role?.name).toBe('store_manager');
    expect(role?.builtIn).toBe(false);
    expect([...(role?.capabilities ?? [])]).toEqual(['metrics']);
    expect(role?.piiVisible).toBe(false);
    const access = resolveDataAccess(role!, { store: 'centro' });
    expect(access.rowFilters).toEqual([{ member: 'stores.store_key', operator: 'equals', values: ['centro'] }]);
    expect(memberVisible(access, 'sales.revenue')).toBe(true);
    expect(memberVisible(access, 'sales.order_date.month')).toBe(true);
    expect(memberVisible(access, 'sales.coupon')).toBe(false);
    expect(memberVisible(access, 'product_sales.units')).toBe(false);
  });

  it('says where and what is wrong, with the line', () => {
    const found = problems(`roles:
  manager:
    capabilities: [metrics, customer360]
    members:
      allow: ["sales revenue"]
    rows:
      - member: store
        claim: store
        values: [centro]
`);
    expect(found).toEqual([
      'roles.manager.capabilities[1] (line 3): Invalid option: expected one of "metrics"|"customers"|"validateCustomer"|"metricsSql"|"operations"|"alerts"|"alertsManage"',
      'roles.manager.members.allow[0] (line 5): expected a member pattern such as "sales.revenue", "sales.*", "*.revenue" or "*"',
      'roles.manager.rows[0].member (line 7): expected a cube dimension, "cube.dimension" (e.g. stores.store_key)',
      'roles.manager.rows[0] (line 7): give exactly one of "claim" (a claim of the caller\'s token) or "values" (fixed values)',
    ]);
  });

  it('refuses a role that shadows a built-in one, and unknown keys', () => {
    const found = problems(`roles:
  analyst:
    capabilities: [metrics]
  viewer:
    pii: yes-please
    colour: blue
`);
    expect(found).toEqual(
      expect.arrayContaining([
        'roles.analyst (line 2): built-in roles (admin, app, analyst, pos) cannot be redefined; pick another name',
        'roles.viewer.pii (line 5): Invalid input: expected boolean, received string',
        'roles.viewer (line 6): Unrecognized key: "colour"',
      ]),
    );
  });

  it('refuses a row-scoped role that could read customer 360, whose answers row rules do not scope', () => {
    const found = problems(`roles:
  store_manager:
    capabilities: [metrics, customers]
    rows:
      - member: stores.store_key
        claim: store
`);
    expect(found).toEqual([expect.stringMatching(/^roles\.store_manager\.capabilities .*may not have the "customers" capability/)]);
  });

  it('reports YAML syntax errors with their line, and an unreadable file by name', () => {
    expect(problems('roles:\n  a: [unclosed\n')).toEqual([expect.stringMatching(/^line 3: YAML syntax: Flow sequence/)]);
    const missing = path.join(os.tmpdir(), 'farol-no-such-access.yml');
    expect(() => loadAccessFile(missing)).toThrow(`access file ${missing} is invalid:\n  - cannot be read: ENOENT`);
  });

  it('loads a file from disk', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'farol-access-'));
    const file = path.join(dir, 'access.yml');
    fs.writeFileSync(file, 'roles:\n  finance:\n    capabilities: [metrics]\n    members: { allow: ["*"] }\n');
    try {
      expect(loadAccessFile(file).map((r) => r.name)).toEqual(['finance']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
