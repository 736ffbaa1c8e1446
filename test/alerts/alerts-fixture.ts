import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { createSemanticEngine, type SemanticEngine } from '../../src/metrics/semantic-engine.js';
import { WAREHOUSE_MIGRATIONS } from '../../src/pipeline/warehouse-migrations.js';
import { DataVersions } from '../../src/warehouse/data-version.js';
import { DuckDbWarehouse } from '../../src/warehouse/duckdb/duckdb-warehouse.js';
import { BUSINESS_TZ, insertOrders, MODEL_DIR } from '../metrics/gold-fixtures.js';
import { historyOrders, type Drop } from './seeded-sales-history.js';

export const silentLogger = pino({ level: 'silent' });

export interface SeededWarehouse {
  readonly warehouse: DuckDbWarehouse;
  readonly metrics: SemanticEngine;
  readonly dataVersions: DataVersions;
  readonly file: string;
  reopen(): Promise<SeededWarehouse>;
  cleanup(): Promise<void>;
}

async function open(file: string, dir: string): Promise<SeededWarehouse> {
  const warehouse = await DuckDbWarehouse.open({ path: file, threads: 2 });
  await warehouse.migrate(WAREHOUSE_MIGRATIONS);
  const dataVersions = await DataVersions.load(warehouse);
  const metrics = await createSemanticEngine({ warehouse, modelDir: MODEL_DIR, dataVersions, timezone: BUSINESS_TZ, cache: { maxEntries: 1_000, ttlMs: 0 }, preAggregations: false });
  const close = async () => {
    await metrics.close();
    await warehouse.close();
  };
  return {
    warehouse, metrics, dataVersions, file,
    async reopen() {
      await close();
      return open(file, dir);
    },
    async cleanup() {
      await close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A real DuckDB file with gold channels and the seeded hourly sales from `fromDay` to `toDay`. */
export async function seededWarehouse(fromDay: string, toDay: string, drop?: Drop): Promise<SeededWarehouse> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'farol-alerts-'));
  const file = path.join(dir, 'farol.duckdb');
  const w = await DuckDbWarehouse.open({ path: file, threads: 2 });
  await w.migrate(WAREHOUSE_MIGRATIONS);
  await w.append({ schema: 'gold', table: 'dim_channel' }, ['channel_key', 'channel_name', 'channel_type', 'sales_channel', 'affiliate_id'], [
    ['sc:1', 'Site', 'site', '1', null],
    ['mkt:ml', 'Mercado Livre', 'marketplace', '1', 'MLB'],
  ]);
  if (fromDay < toDay) await insertOrders(w, historyOrders(fromDay, toDay, drop));
  await w.close();
  return open(file, dir);
}

export interface Receiver {
  readonly url: string;
  readonly bodies: unknown[];
  /** Status codes to answer next, in order; then 200. */
  readonly failWith: number[];
  /** Requests answered, failures included. */
  requests: number;
  close(): Promise<void>;
}

/** An HTTP server on 127.0.0.1 standing in for a webhook receiver (Slack's answers "ok", Teams' "1"). */
export async function receiver(okBody = 'ok'): Promise<Receiver> {
  const r = { bodies: [] as unknown[], failWith: [] as number[], requests: 0 };
  const server = http.createServer((req, res) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString()));
    req.on('end', () => {
      r.requests++;
      const fail = r.failWith.shift();
      if (fail !== undefined) {
        res.writeHead(fail).end('receiver trouble');
        return;
      }
      r.bodies.push(JSON.parse(text) as unknown);
      res.writeHead(200, { 'content-type': 'text/plain' }).end(okBody);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return Object.assign(r, {
    url: `http://127.0.0.1:${port}/services/T000/B000/secret`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}
