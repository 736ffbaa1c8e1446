import { describe, expect, it } from 'vitest';
import { isCi, requireCommand, requirePythonModule } from '../fixtures/require-debian-package.js';

describe('require-debian-package', () => {
  it('finds a command on PATH and reports a missing one with its package', () => {
    expect(requireCommand('sh', 'dash').found).toMatch(/\/sh$/);
    expect(requireCommand('no-such-command-farol', 'nothing', { PATH: '/usr/bin:/bin' })).toEqual({ what: 'no-such-command-farol', debianPackage: 'nothing', found: undefined });
  });

  it('checks a Python module with the given interpreter, and a missing interpreter is missing', () => {
    expect(requirePythonModule('sys', 'python3').found).toBe('/usr/bin/python3');
    expect(requirePythonModule('no_such_module_farol', 'python3-nothing').found).toBeUndefined();
    expect(requirePythonModule('sys', 'python3', '/no/such/python').found).toBeUndefined();
  });

  it('treats CI=true and CI=1 as CI', () => {
    expect([isCi({ CI: 'true' }), isCi({ CI: '1' }), isCi({}), isCi({ CI: 'false' })]).toEqual([true, true, false, false]);
  });
});
