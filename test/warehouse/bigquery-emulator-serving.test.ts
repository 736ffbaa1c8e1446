import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateOrders } from '../../src/sandbox/vtex/index.js';
import type { Row, SqlValue, Warehouse } from '../../src/warehouse/warehouse.js';
import { startExecutingBigQuery, type ExecutingBigQuery } from '../fixtures/executing-bigquery.js';
import { landOrders } from '../fixtures/land-orders.js';
import { tempPipeline, type TempPipeline } from '../fixtures/temp-pipeline.js';

/**
 * Serving on BigQuery, checked for meaning rather than text: the embedded pipeline fills gold
 * from generated orders, gold is exported to the executing fake BigQuery server with the
 * adapter's `append` (one load job per table, as CONTEXT.md describes the export), and every view
 * and KPI of the golden files runs on both — the DuckDB SQL on DuckDB, the BigQuery SQL Cube
 * generates through the BigQuery adapter on the emulator. Both must answer the same rows.
 */
const GOLDEN = fileURLToPath(new URL('../golden/', import.meta.url));
const FROM = new Date('2025-02-20T00:00:00Z');
const TO = new Date('2025-04-05T00:00:00Z');

let p: TempPipeline;
let bq: ExecutingBigQuery;
let wh: Warehouse;

beforeAll(async () => {
  p = await tempPipeline();
  await landOrders(p, [...generateOrders({ seed: 11, count: 300, from: FROM, to: TO })]);
  bq = await startExecutingBigQuery();
  wh = await bq.openWarehouse();
  const tables = await p.warehouse.query<{ table_name: string }>("SELECT table_name FROM information_schema.tables WHERE table_schema = 'gold' ORDER BY table_name");
  for (const { table_name: table } of tables) {
    const rows = await p.warehouse.query(`SELECT * FROM gold.${table}`);
    if (rows.length === 0) continue;
    const columns = Object.keys(rows[0]!);
    await wh.append({ schema: 'gold', table }, columns, rows.map((r) => columns.map((c) => r[c] as SqlValue)));
  }
});
afterAll(async () => {
  await wh?.close();
  await bq?.close();
  await p?.cleanup();
});

interface GoldenFile {
  readonly params: SqlValue[];
  readonly sql: string;
}

function readGolden(file: string): GoldenFile {
  const text = fs.readFileSync(file, 'utf8');
  return {
    params: JSON.parse(/^-- params:\s*(.*)$/m.exec(text)?.[1] ?? '[]') as SqlValue[],
    sql: text.split('\n').filter((l) => !l.startsWith('-- ')).join('\n'),
  };
}

const names = fs.readdirSync(`${GOLDEN}bigquery`, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.sql')).sort();

/**
 * Same meaning, as each adapter shapes it: numbers to 6 decimals, and Cube's local-time buckets
 * (a DuckDB TIMESTAMP, a BigQuery TIMESTAMP holding the same wall-clock time) without the `Z`.
 */
function normalise(rows: readonly Row[]): unknown[] {
  return rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [
    k,
    typeof v === 'number' ? Number(v.toFixed(6)) : typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T[\d:.]+Z$/.test(v) ? v.slice(0, -1) : v,
  ])));
}

describe('serving on the emulator', () => {
  it('has gold to serve', async () => {
    const [orders] = await wh.query<{ n: number }>('SELECT count(*) AS n FROM gold.fct_orders');
    const [duck] = await p.warehouse.query<{ n: number }>('SELECT count(*) AS n FROM gold.fct_orders');
    expect(orders!.n).toBe(duck!.n);
    expect(orders!.n).toBeGreaterThan(100);
  });

  it.each(names)('%s answers as on DuckDB', async (name) => {
    const duck = readGolden(`${GOLDEN}duckdb/${name}`);
    const big = readGolden(`${GOLDEN}bigquery/${name}`);
    const expected = normalise(await p.warehouse.query(duck.sql, duck.params));
    const actual = normalise(await wh.query(big.sql, big.params));
    // Rows that tie on the ORDER BY come in either engine's order: compared as sorted lists.
    const sorted = (rows: unknown[]) => rows.map((r) => JSON.stringify(r)).sort();
    expect(sorted(actual)).toEqual(sorted(expected));
    expect(actual).toHaveLength(expected.length);
  });
});
