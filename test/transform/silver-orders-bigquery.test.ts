import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeEach, describe, expect, it } from 'vitest';
import { BIGQUERY_WAREHOUSE_MIGRATIONS } from '../../src/pipeline/warehouse-migrations.js';
import { SILVER_ENTITIES } from '../../src/transform/silver-entity.js';
import { ensureSilverStaging, SILVER_TABLES } from '../../src/transform/silver/silver-ddl.js';
import { mergeOrders, SILVER_ORDER_COLUMNS, SILVER_ORDER_ITEM_COLUMNS } from '../../src/transform/silver/merge-orders.js';
import { BigQueryWarehouse } from '../../src/warehouse/bigquery/bigquery-warehouse.js';
import type { DuckDbWarehouse } from '../../src/warehouse/duckdb/duckdb-warehouse.js';
import type { SqlExecutor, SqlValue, WarehouseDialect } from '../../src/warehouse/warehouse.js';
import { FAKE_TOKEN, wireRow, type FakeBigQuery, type RecordedJob } from '../fixtures/fake-bigquery.js';
import { fakeBigQueryPerFile } from '../fixtures/fake-bigquery-per-file.js';
import { tempWarehouse } from '../fixtures/temp-warehouse.js';

/**
 * Silver on BigQuery: the 0004-silver DDL, and the VTEX orders merge as BigQuery receives it
 * (against the fake BigQuery REST server): its statements between BEGIN and COMMIT in the writer
 * session that staged the rows, no DuckDB-only syntax, no values in the SQL text. The BigQuery
 * statements are also DuckDB SQL, so the same merge is run on DuckDB with each dialect's writes and
 * must leave the same silver. `test/golden/silver-bigquery/merge-orders.sql` holds a refresh's
 * statements (rewrite with `UPDATE_GOLDEN=1 npx vitest run test/transform/silver-orders-bigquery.test.ts`).
 */
const authClient = { getRequestHeaders: async () => new Headers({ authorization: `Bearer ${FAKE_TOKEN}` }) };
const T = (table: string) => `\`farol-test.analytics.${table}\``;
const GOLDEN = fileURLToPath(new URL('../golden/silver-bigquery/merge-orders.sql', import.meta.url));

/** DuckDB spellings BigQuery refuses or reads differently. */
const DUCKDB_ONLY: readonly [RegExp, string][] = [
  [/\bON\s+CONFLICT\b/i, 'ON CONFLICT'],
  [/::/, ':: cast'],
  [/"/, 'double-quoted identifier (a string in BigQuery)'],
  [/\bRETURNING\b/i, 'RETURNING'],
  [/\bINSERT\s+OR\s+REPLACE\b/i, 'INSERT OR REPLACE'],
  [/\b(arg_max|epoch|now|uuid)\s*\(/i, 'DuckDB function'],
  [/(?<!\bWHERE TRUE\s+)\bQUALIFY\b/i, 'QUALIFY without a WHERE beside it'],
  [/\)\s+IN\s*\(/i, 'row-value IN'],
  [/^\s*DELETE FROM\s+\S+\s*$/i, 'DELETE without WHERE'],
  [/\b(VARCHAR|TIMESTAMPTZ|DOUBLE|BIGINT|INTEGER|BOOLEAN)\b/, 'DuckDB type name'],
  [/\bCREATE SCHEMA\b/i, 'CREATE SCHEMA (all layers share the dataset)'],
  [/(?<![.`\w])(bronze|silver|gold|ops|temp)\.\w/i, 'table name not qualified into the dataset or session'],
];
const withoutComments = (sql: string) => sql.replace(/--[^\n]*/g, '');

let fake: FakeBigQuery;
/** What the fake answers to the merge's count of winners and staged versions. */
let counts: { changed: number; staged: number };

fakeBigQueryPerFile((f) => (fake = f));
beforeEach(() => {
  counts = { changed: 2, staged: 3 };
  fake.answer((sql) => {
    if (sql.startsWith('SELECT version FROM')) {
      return { schema: [{ name: 'version', type: 'STRING' }], rows: ['0001-serving', '0002-bronze', '0003-ops'].map((v) => wireRow([v])) };
    }
    if (sql.startsWith('SELECT (SELECT count(*)')) {
      return { schema: [{ name: 'changed', type: 'INT64' }, { name: 'staged', type: 'INT64' }], rows: [wireRow([counts.changed, counts.staged])] };
    }
    return undefined;
  });
});

function open(): BigQueryWarehouse {
  return new BigQueryWarehouse({ projectId: 'farol-test', dataset: 'analytics', location: 'southamerica-east1', apiEndpoint: fake.url, authClient, pollMs: 1 });
}

type QueryConfig = { queryParameters?: unknown[]; connectionProperties?: { key: string; value: string }[] };
const queryConfig = (job: RecordedJob) => (job.resource.configuration as { query: QueryConfig }).query;
const sessionOf = (job: RecordedJob) => queryConfig(job).connectionProperties?.find((p) => p.key === 'session_id')?.value;
const queries = () => fake.jobs.filter((j) => j.kind === 'query');

function expectBigQuerySql(jobs: readonly RecordedJob[]): void {
  expect(jobs.length).toBeGreaterThan(0);
  for (const job of jobs) {
    const sql = withoutComments(job.sql ?? '');
    for (const [re, what] of DUCKDB_ONLY) expect(re.test(sql), `${what} in: ${sql}`).toBe(false);
    // The merge has no values to send: every `?` would be one, and none is spliced in either.
    expect(sql.split('?').length - 1, sql).toBe((queryConfig(job).queryParameters ?? []).length);
  }
}

/** A refresh's two transactions in one writer session: staging (here only its DDL), then the merge. */
async function refreshOrders(wh: BigQueryWarehouse): Promise<number> {
  return wh.writerSession(async (session) => {
    await session.transaction((tx) => ensureSilverStaging(tx));
    return session.transaction(async (tx) => {
      const entity = SILVER_ENTITIES.orders;
      const changed = await entity.merge(tx, wh.dialect);
      await entity.clearStaging(tx);
      return changed;
    });
  });
}

describe('silver DDL on BigQuery', () => {
  it('is migration 0004-silver: every silver table and the quarantine, BigQuery types, clustered by key', async () => {
    expect(await open().migrate(BIGQUERY_WAREHOUSE_MIGRATIONS)).toEqual({ applied: ['0004-silver', '0005-alerts-ops', '0006-gold-seed'], current: '0006-gold-seed' });
    const ddl = queries()[2]!.sql!;
    for (const table of [...SILVER_TABLES, 'quarantine']) expect(ddl).toContain(`CREATE TABLE IF NOT EXISTS ${T(`silver_${table}`)} (`);
    expect(ddl).toMatch(/order_id\s+STRING NOT NULL/);
    expect(ddl).toMatch(/last_change\s+TIMESTAMP NOT NULL/);
    expect(ddl).toMatch(/total\s+NUMERIC\(18,2\) NOT NULL/);
    expect(ddl).toMatch(/bronze_seq\s+INT64\s+NOT NULL/);
    expect(ddl).toMatch(/is_gift\s+BOOL NOT NULL/);
    expect(ddl).toContain('PRIMARY KEY (source, store_key, month) NOT ENFORCED');
    expect(ddl).toContain(`${T('silver_orders')} (`);
    expect(ddl).toMatch(/updated_at\s+TIMESTAMP NOT NULL\n[^;]*\)\nCLUSTER BY source, order_id;/);
    expect(ddl).toMatch(/bronze_record_id STRING NOT NULL\n[^;]*\)\nCLUSTER BY source, order_id, item_index;/);
    expect(ddl).toContain(')\nCLUSTER BY source, customer_id;');
    expect(ddl).toContain(')\nPARTITION BY DATE(quarantined_at)\nCLUSTER BY source, entity;');
    expect(ddl).not.toContain('PARTITION BY DATE(created_at)');
    // Comments stay prose: a key or a type named in one is not translated.
    expect(ddl).toContain("-- the registry row's primary key, as text");
    expectBigQuerySql([queries()[2]!]);
    expect(queries()[3]!.sql).toBe(`INSERT INTO ${T('ops_schema_migrations')} (version, applied_at) VALUES (?, CURRENT_TIMESTAMP())`);
  });
});

describe('the orders merge on BigQuery', () => {
  it('creates staging as session TEMP tables, and merges in a later transaction of the same session', async () => {
    expect(await refreshOrders(open())).toBe(2);
    const sqls = queries().map((j) => j.sql!);
    expect(sqls[0]).toBe('BEGIN TRANSACTION');
    expect(sqls[1]).toContain('CREATE TEMP TABLE IF NOT EXISTS stage_orders AS SELECT * FROM `farol-test.analytics.silver_orders` LIMIT 0;');
    expect(sqls[1]).toContain('CREATE TEMP TABLE IF NOT EXISTS stage_changed_orders (source STRING NOT NULL, order_id STRING NOT NULL, bronze_record_id STRING NOT NULL);');
    expect(sqls.slice(2, 4)).toEqual(['COMMIT TRANSACTION', 'BEGIN TRANSACTION']);
    expect(sqls.at(-2)).toBe('COMMIT TRANSACTION');
    expect(sqls.at(-1)).toBe('CALL BQ.ABORT_SESSION()');
    expect(sqls.filter((s) => s === 'BEGIN TRANSACTION')).toHaveLength(2);
    const session = `session-${queries()[0]!.jobId}`;
    expect(queries().slice(1).every((j) => sessionOf(j) === session)).toBe(true);
    expectBigQuerySql(queries());
  });

  it('chooses winners, drops the losing versions, MERGEs the orders and replaces their items', async () => {
    expect(await refreshOrders(open())).toBe(2);
    const merge = queries().map((j) => j.sql!).slice(4, -2);
    expect(merge[0]).toMatch(/^\s*INSERT INTO _SESSION\.stage_changed_orders \(source, order_id, bronze_record_id\)/);
    expect(merge[0]).toContain('WHERE TRUE\n      QUALIFY row_number() OVER (PARTITION BY source, order_id ORDER BY last_change DESC, bronze_seq DESC) = 1');
    expect(merge[0]).toContain(`LEFT JOIN ${T('silver_orders')} o ON o.source = s.source AND o.order_id = s.order_id`);
    expect(merge[0]).toContain('WHERE o.order_id IS NULL OR s.last_change > o.last_change');
    expect(merge.slice(2, 4)).toEqual([
      'DELETE FROM _SESSION.stage_orders WHERE bronze_record_id NOT IN (SELECT bronze_record_id FROM _SESSION.stage_changed_orders)',
      'DELETE FROM _SESSION.stage_order_items WHERE bronze_record_id NOT IN (SELECT bronze_record_id FROM _SESSION.stage_changed_orders)',
    ]);
    expect(merge[4]).toMatch(new RegExp(`^MERGE INTO ${T('silver_orders').replace(/[.`-]/g, '\\$&')} AS t\\s+USING _SESSION\\.stage_orders AS s`));
    expect(merge[4]).toContain('WHEN MATCHED AND s.last_change > t.last_change THEN UPDATE SET sequence = s.sequence,');
    expect(merge[4]).not.toMatch(/SET [^\n]*\b(source|order_id) = s\./);
    expect(merge[4]).toContain(`WHEN NOT MATCHED THEN INSERT (${SILVER_ORDER_COLUMNS.join(', ')})`);
    expect(merge[5]).toMatch(/^DELETE FROM `[^`]+silver_order_items` AS i\s+WHERE EXISTS \(SELECT 1 FROM _SESSION\.stage_changed_orders c WHERE c\.source = i\.source AND c\.order_id = i\.order_id\)$/);
    expect(merge[6]).toBe(`INSERT INTO ${T('silver_order_items')} (${SILVER_ORDER_ITEM_COLUMNS.join(', ')}) SELECT * FROM (SELECT ${SILVER_ORDER_ITEM_COLUMNS.join(', ')} FROM _SESSION.stage_order_items)`);
    expect(merge.slice(7)).toEqual(['stage_orders', 'stage_order_items', 'stage_changed_orders'].map((t) => `DELETE FROM _SESSION.${t} WHERE TRUE`));
    expectBigQuerySql(queries());
  });

  it('writes nothing to silver when no staged version is newer, and keeps staging when every version won', async () => {
    counts = { changed: 0, staged: 3 };
    expect(await refreshOrders(open())).toBe(0);
    const writesSilver = /^\s*(MERGE INTO|INSERT INTO|DELETE FROM) `[^`]+\.silver_/;
    expect(queries().filter((j) => writesSilver.test(j.sql!))).toEqual([]);
    fake.jobs.length = 0;
    counts = { changed: 3, staged: 3 };
    expect(await refreshOrders(open())).toBe(3);
    expect(queries().some((j) => j.sql!.includes('NOT IN'))).toBe(false);
    expect(queries().filter((j) => j.sql!.startsWith('MERGE'))).toHaveLength(1);
  });

  it('sends exactly the statements in its golden file', async () => {
    await refreshOrders(open());
    const text = `${queries().map((j) => [
      `-- ${sessionOf(j) ? 'in the session' : 'opens the session'}; params: ${JSON.stringify(queryConfig(j).queryParameters ?? [])}`,
      `${j.sql!.trim().replace(/;$/, '').replace(/^ {5,}/gm, '  ')};`,
    ].join('\n')).join('\n\n')}\n`;
    if (process.env.UPDATE_GOLDEN === '1') {
      fs.mkdirSync(new URL('../golden/silver-bigquery/', import.meta.url), { recursive: true });
      fs.writeFileSync(GOLDEN, text);
    }
    expect(text, 'review, then UPDATE_GOLDEN=1 npx vitest run test/transform/silver-orders-bigquery.test.ts').toBe(fs.readFileSync(GOLDEN, 'utf8'));
  });
});

/**
 * The BigQuery writes are DuckDB SQL too, so the semantics are checked on a real database: the
 * same staged batch merged with each dialect's writes must leave the same silver.
 */
describe('the orders merge\'s BigQuery writes, run on DuckDB', () => {
  const order = (id: string, lastChange: string, seq: number): SqlValue[] => {
    const row: Record<string, SqlValue> = {
      source: 'vtex-orders', order_id: id, status: 'invoiced', sales_channel: '1', created_at: '2025-03-01T10:00:00Z', last_change: lastChange,
      currency: 'BRL', items_total: 10.5, discounts_total: 0, shipping_total: 1.25, tax_total: 0, total: 11.75, bronze_record_id: `rec-${seq}`,
      bronze_seq: seq, updated_at: '2025-03-20T00:00:00Z', first_name: `v${seq}`,
    };
    return SILVER_ORDER_COLUMNS.map((c) => row[c] ?? null);
  };
  const items = (id: string, seq: number, n: number): SqlValue[][] => Array.from({ length: n }, (_, i) => {
    const row: Record<string, SqlValue> = {
      source: 'vtex-orders', order_id: id, item_index: i, sku_id: `sku-${seq}-${i}`, quantity: 1, unit_price: 5.25, selling_price: 5.25, is_gift: false, bronze_record_id: `rec-${seq}`,
    };
    return SILVER_ORDER_ITEM_COLUMNS.map((c) => row[c] ?? null);
  });
  const insert = async (tx: SqlExecutor, table: string, columns: readonly string[], rows: readonly SqlValue[][]) => {
    for (const r of rows) await tx.execute(`INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`, r);
  };
  const stage = async (tx: SqlExecutor, versions: readonly [string, string, number, number][]) => {
    await ensureSilverStaging(tx);
    await insert(tx, 'temp.stage_orders', SILVER_ORDER_COLUMNS, versions.map(([id, at, seq]) => order(id, at, seq)));
    await insert(tx, 'temp.stage_order_items', SILVER_ORDER_ITEM_COLUMNS, versions.flatMap(([id, , seq, n]) => items(id, seq, n)));
  };

  async function mergeWith(dialect: WarehouseDialect): Promise<{ changed: number[]; orders: unknown[]; items: unknown[] }> {
    const { warehouse, cleanup } = await tempWarehouse();
    try {
      const changed: number[] = [];
      const run = async (w: DuckDbWarehouse, versions: readonly [string, string, number, number][]) => w.writerSession(async (s) => {
        await s.transaction((tx) => stage(tx, versions));
        changed.push(await s.transaction(async (tx) => {
          const n = await mergeOrders(tx, dialect);
          await SILVER_ENTITIES.orders.clearStaging(tx);
          return n;
        }));
      });
      // a held at 12:00 with 2 items, d held at 10:00 with 3.
      await run(warehouse, [['a', '2025-03-10T12:00:00Z', 1, 2], ['d', '2025-03-10T10:00:00Z', 2, 3]]);
      await run(warehouse, [
        ['a', '2025-03-10T11:00:00Z', 3, 1], // older: ignored
        ['a', '2025-03-10T12:00:00Z', 4, 5], // equal: the stored row stays
        ['b', '2025-03-10T09:00:00Z', 5, 2], ['b', '2025-03-10T13:00:00Z', 6, 1], // the latest in the batch wins, wherever it lands
        ['b', '2025-03-10T13:00:00Z', 7, 4], // a tie inside the batch: the later landing wins
        ['c', '2025-03-10T08:00:00Z', 8, 1], // new
        ['d', '2025-03-10T11:00:00Z', 9, 1], // newer with fewer items: its old items go
      ]);
      const read = (sql: string) => warehouse.query(sql);
      return {
        changed,
        orders: await read('SELECT order_id, CAST(last_change AS VARCHAR) AS last_change, bronze_record_id, first_name, CAST(total AS VARCHAR) AS total FROM silver.orders ORDER BY order_id'),
        items: await read('SELECT order_id, item_index, sku_id, bronze_record_id FROM silver.order_items ORDER BY order_id, item_index'),
      };
    } finally {
      await cleanup();
    }
  }

  it('leaves the same silver as the DuckDB writes: latest change wins, ties keep the stored row, items follow their order', async () => {
    const bigquery = await mergeWith('bigquery');
    expect(bigquery).toEqual(await mergeWith('duckdb'));
    expect(bigquery.changed).toEqual([2, 3]);
    expect(bigquery.orders.map((o) => (o as { bronze_record_id: string }).bronze_record_id)).toEqual(['rec-1', 'rec-7', 'rec-8', 'rec-9']);
    expect(bigquery.items.map((i) => (i as { bronze_record_id: string }).bronze_record_id)).toEqual(['rec-1', 'rec-1', 'rec-7', 'rec-7', 'rec-7', 'rec-7', 'rec-8', 'rec-9']);
  });
});
