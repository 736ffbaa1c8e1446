import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { DuckDbWarehouse } from '../../src/warehouse/duckdb/duckdb-warehouse.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const run = promisify(execFile);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'farol-cli-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function farol(args: string[], env: Record<string, string> = {}) {
  return run(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src', 'cli.ts'), ...args], {
    cwd: ROOT, env: { ...process.env, ...env }, timeout: 120_000,
  });
}

describe('farol CLI', () => {
  it('`sandbox load` puts N generated orders through bronze → silver → gold', async () => {
    const file = path.join(dir, 'load.duckdb');
    const { stdout } = await farol(['sandbox', 'load', '--orders', '1500', '--batch', '500', '--days', '10'], {
      FAROL_WAREHOUSE: `duckdb:${file}`,
    });
    expect(stdout).toMatch(/loaded 1500 orders \(1500 new or changed, 0 quarantined\)/);
    const wh = await DuckDbWarehouse.open({ path: file });
    try {
      expect(await wh.query("SELECT count(*) AS n FROM bronze.records WHERE entity = 'order'")).toEqual([{ n: 1500 }]);
      expect(await wh.query('SELECT count(*) AS n FROM gold.fct_orders')).toEqual([{ n: 1500 }]);
    } finally {
      await wh.close();
    }
  }, 120_000);

  it('stops with exit code 2 and names the variable when configuration is bad', async () => {
    const err = await farol(['migrate'], { FAROL_TIMEZONE: 'Mars/Olympus' }).catch((e: { code: number; stderr: string }) => e);
    expect(err).toMatchObject({ code: 2 });
    expect((err as { stderr: string }).stderr).toContain('FAROL_TIMEZONE');
  });
});
