import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededWarehouse } from './alerts-fixture.js';
import type { Drop } from './seeded-sales-history.js';

/** `farol alerts test` as an operator runs it, without the service: it opens the warehouse itself. */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const run = promisify(execFile);
const DROP: Drop = { hours: ['2025-12-09T14', '2025-12-09T15', '2025-12-09T16'], factor: 0.35 };
let file: string;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  const w = await seededWarehouse('2024-09-01', '2025-12-13', DROP);
  file = w.file;
  // Closed so the command's process can open the file (DuckDB allows one writing process).
  await w.warehouse.close();
  await w.metrics.close();
  cleanup = async () => fs.rmSync(path.dirname(file), { recursive: true, force: true });
}, 120_000);
afterAll(async () => cleanup?.());

async function farol(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src', 'cli.ts'), ...args], {
      cwd: ROOT, env: { ...process.env, FAROL_WAREHOUSE: `duckdb:${file}`, SLACK_WEBHOOK_URL: 'https://hooks.slack.com/services/T0/B0/never-printed', FAROL_LOG_LEVEL: 'warn', ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('farol alerts test', () => {
  it('prints what the default hourly revenue rule would have sent around the injected drop', async () => {
    const r = await farol(['alerts', 'test', 'revenue-hourly', '--from', '2025-12-09T00:00:00-03:00', '--to', '2025-12-10T00:00:00-03:00']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('1 alert(s) would have fired');
    expect(r.stdout).toMatch(/2025-12-09T18:05:00.000Z {2}FIRING +Sales Revenue dropped 6\d% \(Tue 09\/12 14:00\)/);
    expect(r.stdout).toMatch(/2025-12-09T21:05:00.000Z {2}RESOLVED +Sales Revenue is within its expected range/);
    expect(r.stdout + r.stderr).not.toContain('never-printed');
  }, 120_000);

  it('an unknown rule or a backwards range is a usage error (exit 2) naming the problem', async () => {
    const unknown = await farol(['alerts', 'test', 'nope']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown alert rule "nope"; rules: pipeline-failure, data-quality, .*revenue-hourly, revenue-daily/);
    const backwards = await farol(['alerts', 'test', 'revenue-daily', '--from', '2025-12-09', '--to', '2025-12-01']);
    expect(backwards.code).toBe(2);
    expect(backwards.stderr).toContain('must be before --to');
  }, 120_000);
});
