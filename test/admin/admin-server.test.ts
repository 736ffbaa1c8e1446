import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { callAdminJson, callAdminStream, closeAdminClient } from '../../src/admin/admin-client.js';
import { ADMIN_FILE, readAdminFile } from '../../src/admin/admin-file.js';
import type { AdminEvent } from '../../src/admin/admin-operations.js';
import { startAdminServer, type AdminServer } from '../../src/admin/admin-server.js';
import { silentLogger } from '../../src/observability/logger.js';
import type { PipelineContext } from '../../src/pipeline-context.js';
import { listRuns } from '../../src/pipeline/run-log.js';
import { tempPipeline, type TempPipeline } from '../fixtures/temp-pipeline.js';
import { waitFor } from '../fixtures/wait-for.js';

let p: TempPipeline;
let server: AdminServer;

beforeEach(async () => {
  p = await tempPipeline();
  const ctx = { warehouse: p.warehouse, bronze: p.bronze, dataVersions: p.dataVersions, runner: p.runner, registry: p.runner.deps.registry } as unknown as PipelineContext;
  server = await startAdminServer({ pipeline: ctx, dataDir: p.dir, logger: silentLogger() });
});
afterEach(async () => {
  await server.close();
  await closeAdminClient();
  await p.cleanup();
});

describe('the local admin endpoint', () => {
  it('listens on 127.0.0.1 only and writes its address and token for commands, readable by the owner only', () => {
    expect(new URL(server.url).hostname).toBe('127.0.0.1');
    const file = path.join(p.dir, ADMIN_FILE);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(readAdminFile(p.dir)).toMatchObject({ pid: process.pid, url: server.url });
  });

  it('refuses a request without the token, or with a wrong one', async () => {
    for (const authorization of [undefined, 'Bearer nope', `Basic ${readAdminFile(p.dir)?.token}`]) {
      const res = await fetch(`${server.url}/admin/runs`, { headers: authorization ? { authorization } : {} });
      expect(res.status).toBe(401);
    }
    const res = await fetch(`${server.url}/admin/rebuild`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(401);
  });

  it('streams an ingest run and names a bad request as a usage mistake', async () => {
    const endpoint = readAdminFile(p.dir)!;
    const csv = path.join(p.dir, 't.csv');
    fs.writeFileSync(csv, 'store,month,revenue_target\n1,2026-01,10\n');
    const events: AdminEvent[] = [];
    const last = await callAdminStream(endpoint, '/admin/ingest', { source: 'store-targets', file: csv }, (e) => events.push(e));
    expect(last).toMatchObject({ type: 'done', summary: { landed: 1, upserted: 1 } });
    expect(events.some((e) => e.type === 'progress')).toBe(true);

    const bad = await callAdminStream(endpoint, '/admin/ingest', { source: "x'; DROP TABLE ops.runs; --" }, () => undefined);
    expect(bad).toMatchObject({ type: 'error', usage: true, message: expect.stringContaining('expected one of') });
    await expect(callAdminJson(endpoint, '/admin/runs', { limit: '-1' })).rejects.toMatchObject({ usage: true });
    const runs = (await callAdminJson(endpoint, '/admin/runs', { source: 'store-targets' })) as { runs: unknown[] };
    expect(runs.runs).toHaveLength(1);
  });

  it('cancels a run when the command that asked for it goes away, keeping what landed', async () => {
    const endpoint = readAdminFile(p.dir)!;
    const csv = path.join(p.dir, 'big.csv');
    const lines = ['store,month,revenue_target'];
    for (let i = 0; i < 200_000; i++) lines.push(`s${i % 997},20${10 + Math.floor(i / 11_964)}-${String((Math.floor(i / 997) % 12) + 1).padStart(2, '0')},${i}`);
    fs.writeFileSync(csv, lines.join('\n'));
    const abort = new AbortController();
    const res = await fetch(`${server.url}/admin/ingest`, {
      method: 'POST', signal: abort.signal, body: JSON.stringify({ source: 'store-targets', file: csv }),
      headers: { authorization: `Bearer ${endpoint.token}`, 'content-type': 'application/json' },
    });
    const reader = res.body!.getReader();
    await reader.read(); // the first progress line: the run is under way
    abort.abort();
    await waitFor('the run to end', async () => (await listRuns(p.warehouse, { source: 'store-targets' }))[0]?.status !== 'running', 30_000, 20);
    const [run] = await listRuns(p.warehouse, { source: 'store-targets' });
    expect(run).toMatchObject({ status: 'cancelled', error: expect.stringContaining('cancelled') });
    expect(run!.records_in).toBeGreaterThan(0);
    expect(run!.records_in).toBeLessThan(200_000);
  });

  it('removes its file on close, and a file left by a dead process is ignored', async () => {
    await server.close();
    expect(fs.existsSync(path.join(p.dir, ADMIN_FILE))).toBe(false);
    fs.writeFileSync(path.join(p.dir, ADMIN_FILE), JSON.stringify({ pid: 2 ** 22 + 7, url: 'http://127.0.0.1:9', token: 'x'.repeat(43), warehouse: 'duckdb' }));
    expect(readAdminFile(p.dir)).toBeUndefined();
    server = await startAdminServer({ pipeline: { warehouse: p.warehouse } as unknown as PipelineContext, dataDir: p.dir, logger: silentLogger() });
  });
});
