import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { DuckDbWarehouse } from '../../src/warehouse/duckdb/duckdb-warehouse.js';
import { freePort, startFarolProcess } from '../fixtures/farol-process.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const run = promisify(execFile);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'farol-cli-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const CLI = [process.execPath, ['--import', 'tsx', path.join(ROOT, 'src', 'cli.ts')]] as const;

function farol(args: string[], env: Record<string, string> = {}) {
  return run(CLI[0], [...CLI[1], ...args], { cwd: ROOT, env: { ...process.env, FAROL_LOG_LEVEL: 'warn', ...env }, timeout: 180_000 });
}

/** Exit code and output of a command expected to fail. */
async function fails(args: string[], env: Record<string, string> = {}) {
  const err = (await farol(args, env).then(
    () => ({ code: 0, stdout: '', stderr: '' }),
    (e: { code: number; stdout: string; stderr: string }) => e,
  )) as { code: number; stdout: string; stderr: string };
  return err;
}

async function withWarehouse<T>(file: string, fn: (wh: DuckDbWarehouse) => Promise<T>): Promise<T> {
  const wh = await DuckDbWarehouse.open({ path: file });
  try {
    return await fn(wh);
  } finally {
    await wh.close();
  }
}

function targetsCsv(file: string, rows: number): void {
  const lines = ['store,month,revenue_target,orders_target'];
  for (let i = 0; i < rows; i++) lines.push(`loja-${i % 997},${2000 + Math.floor(i / 997 / 12)}-${String((Math.floor(i / 997) % 12) + 1).padStart(2, '0')},${(i % 5000) + 100}.50,${i % 300}`);
  fs.writeFileSync(file, lines.join('\n') + '\n');
}

describe('farol CLI', () => {
  it('`sandbox load` puts N generated orders through bronze → silver → gold', async () => {
    const file = path.join(dir, 'load.duckdb');
    const { stdout } = await farol(['sandbox', 'load', '--orders', '1500', '--batch', '500', '--days', '10'], { FAROL_WAREHOUSE: `duckdb:${file}` });
    expect(stdout).toMatch(/sandbox load: 1500 records landed, 1500 silver rows new or changed, 0 quarantined, gold version \d+/);
    await withWarehouse(file, async (wh) => {
      expect(await wh.query("SELECT count(*)::INT AS n FROM bronze.records WHERE entity = 'order'")).toEqual([{ n: 1500 }]);
      expect(await wh.query('SELECT count(*)::INT AS n FROM gold.fct_orders')).toEqual([{ n: 1500 }]);
    });
  }, 180_000);

  it('`ingest` exits 0 with a summary, 1 with a one-line reason for a failed run, 2 for bad usage', async () => {
    const env = { FAROL_WAREHOUSE: `duckdb:${path.join(dir, 'ingest.duckdb')}` };
    const csv = path.join(dir, 'targets.csv');
    targetsCsv(csv, 50);
    const ok = await farol(['ingest', 'store-targets', '--file', csv], env);
    expect(ok.stdout).toMatch(/^ingest store-targets: 50 records landed, 50 silver rows new or changed, 0 quarantined/m);

    const missing = await fails(['ingest', 'store-targets', '--file', path.join(dir, 'nope.csv')], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    expect(missing.stderr).toMatch(/file not found: .*nope\.csv/);

    const unknown = await fails(['ingest', 'erp'], env);
    expect([unknown.code, unknown.stderr]).toEqual([2, expect.stringContaining('unknown source "erp"')]);
    expect((await fails(['ingest', 'store-targets', '--since', 'yesterday'], env)).code).toBe(2);
    // Orders, catalog and customers are read from a store: the sandbox's is up only while the
    // service runs (a command then goes through it), so alone the command says what is missing.
    for (const source of ['vtex-orders', 'vtex-catalog', 'vtex-customers']) {
      const alone = await fails(['ingest', source], env);
      expect([alone.code, alone.stderr.trim().split('\n')]).toEqual([1, [expect.stringContaining('VTEX_ACCOUNT')]]);
    }
    // The club registry is read over PostgreSQL replication; without its URL the command says so.
    const club = await fails(['ingest', 'club-registry'], env);
    expect([club.code, club.stderr.trim().split('\n')]).toEqual([1, [expect.stringContaining('CDC_DATABASE_URL')]]);
  }, 180_000);

  it('`runs` lists recent runs and each source, as a table or JSON', async () => {
    const env = { FAROL_WAREHOUSE: `duckdb:${path.join(dir, 'ingest.duckdb')}` };
    const { stdout } = await farol(['runs', '--source', 'store-targets'], env);
    expect(stdout).toMatch(/Sources[\s\S]*store-targets\s+active/);
    expect(stdout).toMatch(/Recent runs[\s\S]*store-targets\s+cli\s+failed[\s\S]*store-targets\s+cli\s+succeeded\s+50\s+50/);
    const json = JSON.parse((await farol(['runs', '--json'], env)).stdout) as { runs: { source: string; status: string }[]; health: { source: string }[] };
    expect(json.health.map((h) => h.source)).toEqual(['club-registry', 'store-targets', 'vtex-catalog', 'vtex-customers', 'vtex-orders']);
    expect(json.runs.map((r) => `${r.source} ${r.status}`)).toEqual([
      'club-registry failed', 'vtex-customers failed', 'vtex-catalog failed', 'vtex-orders failed', 'store-targets failed', 'store-targets succeeded',
    ]);
    const tooMany = await fails(['runs', '--limit', '5000'], env);
    expect([tooMany.code, tooMany.stderr]).toEqual([2, expect.stringContaining('limit')]);
  }, 120_000);

  it('resumes a run killed midway with no gap and no duplicate', async () => {
    const file = path.join(dir, 'resume.duckdb');
    const env = { ...process.env, FAROL_LOG_LEVEL: 'warn', FAROL_WAREHOUSE: `duckdb:${file}` };
    const csv = path.join(dir, 'big.csv');
    const rows = 400_000;
    targetsCsv(csv, rows);
    const child = spawn(CLI[0], [...CLI[1], 'ingest', 'store-targets', '--file', csv], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    const landedSome = new Promise<void>((resolve, reject) => {
      child.stderr.on('data', (d: Buffer) => {
        err += d.toString();
        if (/extract — [1-9]\d* landed/.test(err)) resolve();
      });
      child.once('exit', (code) => reject(new Error(`finished (${code}) before it could be killed:\n${err}`)));
    });
    await landedSome;
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));

    const landedBefore = await withWarehouse(file, async (wh) => {
      const [r] = await wh.query<{ n: number }>("SELECT count(*)::INT n FROM bronze.records WHERE source = 'store-targets'");
      return r?.n ?? 0;
    });
    expect(landedBefore).toBeGreaterThan(0);
    expect(landedBefore).toBeLessThan(rows);

    const { stdout } = await farol(['ingest', 'store-targets', '--file', csv], { FAROL_WAREHOUSE: `duckdb:${file}` });
    expect(stdout).toContain(`${rows - landedBefore} records landed`);
    await withWarehouse(file, async (wh) => {
      expect(await wh.query(
        "SELECT count(*)::INT n, count(DISTINCT natural_key)::INT keys, count(DISTINCT payload->>'$.line')::INT lines FROM bronze.records WHERE source = 'store-targets'",
      )).toEqual([{ n: rows, keys: rows, lines: rows }]);
      expect(await wh.query('SELECT count(*)::INT n FROM silver.store_targets')).toEqual([{ n: rows }]);
      const runs = await wh.query<{ status: string; error: string | null }>("SELECT status, error FROM ops.runs WHERE source = 'store-targets' ORDER BY started_at");
      expect(runs.map((r) => r.status)).toEqual(['failed', 'succeeded']);
      expect(runs[0]?.error).toMatch(/interrupted/);
    });
  }, 300_000);

  it('works while the service holds the warehouse, through its local admin endpoint', async () => {
    const file = path.join(dir, 'service.duckdb');
    const csv = path.join(dir, 'service-targets.csv');
    targetsCsv(csv, 30);
    const port = await freePort();
    const env = {
      FAROL_HOST: '127.0.0.1', FAROL_PORT: String(port), FAROL_WAREHOUSE: `duckdb:${file}`, FAROL_API_KEYS: 'cli-test-key-0123456789abcdef:admin',
      FAROL_SANDBOX_PORT: '0', FAROL_SANDBOX_HISTORY_ORDERS: '50', FAROL_SANDBOX_HISTORY_DAYS: '2', FAROL_SANDBOX_ORDERS_PER_MINUTE: '0',
      // The startup reconciliation of vtex-orders would hold its lock while the test loads orders.
      FAROL_LOG_LEVEL: 'warn', FAROL_SCHEDULE_VTEX_ORDERS: 'off',
    };
    const service = await startFarolProcess(env);
    try {
      // The service holds the DuckDB file: opening it from here would fail on the lock.
      const ingest = await farol(['ingest', 'store-targets', '--file', csv], { FAROL_WAREHOUSE: `duckdb:${file}` });
      expect(ingest.stdout).toMatch(/ingest store-targets: 30 records landed, 30 silver rows new or changed/);
      const runs = JSON.parse((await farol(['runs', '--json', '--source', 'store-targets'], { FAROL_WAREHOUSE: `duckdb:${file}` })).stdout) as { runs: { trigger: string; status: string }[] };
      expect(runs.runs.some((r) => r.status === 'succeeded')).toBe(true);
      const rebuilt = await farol(['rebuild'], { FAROL_WAREHOUSE: `duckdb:${file}` });
      expect(rebuilt.stdout).toMatch(/rebuild: \d+ bronze records replayed/);
      const load = await farol(['sandbox', 'load', '--orders', '200', '--batch', '100'], { FAROL_WAREHOUSE: `duckdb:${file}` });
      expect(load.stdout).toMatch(/200 records landed/);
      // A second service on the same file is refused by the lock, with the reason.
      const second = await fails(['start'], { ...env, FAROL_PORT: String(await freePort()) });
      expect(second.code).not.toBe(0);
      expect(second.stderr + second.stdout).toMatch(/lock/i);
    } finally {
      service.child.kill('SIGTERM');
      await service.exited;
    }
    expect(fs.existsSync(path.join(dir, '.farol-admin.json'))).toBe(false);
  }, 300_000);

  it('stops with exit code 2 and names the variable when configuration is bad', async () => {
    const err = await fails(['migrate'], { FAROL_TIMEZONE: 'Mars/Olympus' });
    expect(err.code).toBe(2);
    expect(err.stderr).toContain('FAROL_TIMEZONE');
    const schedule = await fails(['migrate'], { FAROL_SCHEDULE_STORE_TARGETS: 'often' });
    expect([schedule.code, schedule.stderr]).toEqual([2, expect.stringContaining('FAROL_SCHEDULE_STORE_TARGETS')]);
  });
});
