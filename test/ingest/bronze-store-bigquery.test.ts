import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { compactBronze } from '../../src/ingest/bronze/bronze-compactor.js';
import { BronzeStore, type BronzeInput } from '../../src/ingest/bronze/bronze-store.js';
import { BIGQUERY_WAREHOUSE_MIGRATIONS, WAREHOUSE_MIGRATIONS } from '../../src/pipeline/warehouse-migrations.js';
import { openWarehouse } from '../../src/warehouse/open-warehouse.js';
import type { Warehouse } from '../../src/warehouse/warehouse.js';
import { FAKE_TOKEN, startFakeBigQuery, wireRow, type FakeBigQuery, type RecordedJob } from '../fixtures/fake-bigquery.js';

/**
 * Bronze on a BigQuery warehouse, against a local server answering the REST calls the client
 * makes: the DDL the migration sends, landings as load jobs (never streaming inserts), bulk
 * segments as one load job into a staging table registered inside the caller's transaction, and
 * reads of the table alone. No file is written under the bronze folder.
 */
const authClient = { getRequestHeaders: async () => new Headers({ authorization: `Bearer ${FAKE_TOKEN}` }) };
const T = (table: string) => `\`farol-test.analytics.${table}\``;
const COLUMNS = 'seq, record_id, source, entity, natural_key, payload, payload_hash, received_at, batch_id, partition_date, payload_base64';

let fake: FakeBigQuery;
let warehouse: Warehouse;
/** The jobs opening the warehouse sent: its migrations. */
let migrationJobs: RecordedJob[];
let bronzeDir: string;
/** What the fake answers to `SELECT max(seq)`. */
let maxSeq: string | null;
/** Rows the next INSERT into bronze reports, instead of the rows its source table was loaded with. */
let insertedOverride: number | undefined;

const rec = (i: number, extra: Partial<BronzeInput> = {}): BronzeInput => ({ entity: 'order', naturalKey: `o${i}`, payload: JSON.stringify({ i }), ...extra });
const queryConfig = (job: RecordedJob) => (job.resource.configuration as { query: Record<string, unknown> }).query;
const loadTable = (job: RecordedJob) => (job.resource.configuration as { load: { destinationTable: { tableId: string } } }).load.destinationTable.tableId;
const sqlOf = (jobs: readonly RecordedJob[]) => jobs.filter((j) => j.kind === 'query').map((j) => j.sql!.replace(/stage_[0-9a-f]{32}/g, 'stage_*').replace(/pending_[0-9a-f]{32}/g, 'pending_*'));
const ndjson = (job: RecordedJob) => job.data!.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);

/** Rows the last load job put into `tableId`: what an INSERT … SELECT from it inserts. */
function loadedInto(tableId: string): number {
  const load = fake.jobs.filter((j) => j.kind === 'load' && loadTable(j) === tableId).at(-1);
  return load ? ndjson(load).length : 0;
}

beforeAll(async () => {
  fake = await startFakeBigQuery({ requireToken: FAKE_TOKEN });
  fake.answer((sql) => {
    if (sql.startsWith('SELECT max(seq)')) return { schema: [{ name: 'n', type: 'INTEGER' }], rows: [wireRow([maxSeq])] };
    const from = /^INSERT INTO `[^`]+\.bronze_records` \([^)]*\) SELECT .* FROM `[^`]+\.analytics\.([a-z_0-9]+)`$/s.exec(sql);
    if (from) return { numDmlAffectedRows: insertedOverride ?? loadedInto(from[1]!) };
    return undefined;
  });
  const config = loadConfig({ FAROL_WAREHOUSE: 'bigquery:farol-test.analytics', FAROL_BIGQUERY_LOCATION: 'southamerica-east1', FAROL_BIGQUERY_API_ENDPOINT: fake.url });
  warehouse = await openWarehouse(config.warehouse, { duckdb: WAREHOUSE_MIGRATIONS, bigquery: BIGQUERY_WAREHOUSE_MIGRATIONS }, undefined, { bigQueryAuthClient: authClient });
  migrationJobs = [...fake.jobs];
});
afterAll(async () => {
  await warehouse?.close();
  await fake?.close();
});

beforeEach(() => {
  maxSeq = '41';
  insertedOverride = undefined;
  bronzeDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'farol-bq-bronze-')), 'farol.bronze');
  // tables.get of the target, which a load inside a transaction copies its staging schema from.
  fake.tables.set('analytics.bronze_records', {
    schema: {
      fields: [
        ['seq', 'INTEGER'], ['record_id', 'STRING'], ['source', 'STRING'], ['entity', 'STRING'], ['natural_key', 'STRING'], ['payload', 'STRING'],
        ['payload_hash', 'STRING'], ['received_at', 'TIMESTAMP'], ['batch_id', 'STRING'], ['partition_date', 'DATE'], ['payload_base64', 'STRING'],
      ].map(([name, type]) => ({ name: name!, type: type!, mode: name === 'payload_base64' ? 'NULLABLE' : 'REQUIRED' })),
    },
    resource: {},
  });
});
afterEach(() => {
  fs.rmSync(path.dirname(bronzeDir), { recursive: true, force: true });
});

/** Opens bronze, then forgets the requests made so far, so a test sees only its own. */
async function openBronze(): Promise<BronzeStore> {
  const store = await BronzeStore.open(warehouse, bronzeDir);
  fake.requests.length = 0;
  fake.jobs.length = 0;
  return store;
}

describe('bronze DDL on BigQuery', () => {
  it('creates bronze.records with BigQuery types, partitioned by partition_date and clustered by source, entity, seq', () => {
    const ddl = migrationJobs.find((j) => j.sql?.includes(`CREATE TABLE IF NOT EXISTS ${T('bronze_records')}`))?.sql;
    expect(ddl).toBeDefined();
    expect(ddl).toMatch(new RegExp(`CREATE TABLE IF NOT EXISTS ${T('bronze_records').replace(/[.`-]/g, '\\$&')} \\([^;]*\\)\\nPARTITION BY partition_date\\nCLUSTER BY source, entity, seq;`));
    expect(ddl).toMatch(/seq\s+INT64\s+NOT NULL/);
    expect(ddl).toMatch(/payload\s+STRING\s+NOT NULL/);
    expect(ddl).toMatch(/received_at\s+TIMESTAMP NOT NULL/);
    expect(ddl).toMatch(/partition_date DATE\s+NOT NULL/);
    expect(ddl).toContain(`ALTER TABLE ${T('bronze_records')} ADD COLUMN IF NOT EXISTS payload_base64 STRING;`);
    // Created so shared queries run; on BigQuery they stay empty.
    expect(ddl).toContain(`CREATE TABLE IF NOT EXISTS ${T('bronze_segments')}`);
    expect(ddl).toContain(`CREATE TABLE IF NOT EXISTS ${T('bronze_dropped_partitions')}`);
    // Comments are prose, left as written (one names the DuckDB type payload_base64 was added with).
    expect(ddl!.replace(/--[^\n]*/g, '')).not.toMatch(/VARCHAR|BIGINT|TIMESTAMPTZ|CREATE SCHEMA/);
    expect(ddl).not.toMatch(/CREATE TABLE(?! IF NOT EXISTS)/);
    const ledger = migrationJobs.filter((j) => j.sql?.startsWith(`INSERT INTO ${T('ops_schema_migrations')}`));
    expect(ledger.map((j) => (queryConfig(j).queryParameters as { parameterValue: { value: string } }[])[0]!.parameterValue.value)).toEqual(['0001-serving', '0002-bronze', '0003-ops', '0004-silver', '0005-alerts-ops', '0006-gold-seed']);
  });
});

describe('BronzeStore on BigQuery', () => {
  it('opens at the seq after the max BigQuery answers, with one query and nothing on local disk', async () => {
    const before = fake.jobs.length;
    const bronze = await BronzeStore.open(warehouse, bronzeDir);
    expect(fake.jobs.slice(before).map((j) => j.sql)).toEqual([`SELECT max(seq) AS n FROM ${T('bronze_records')}`]);
    expect(bronze.readableUpTo('vtex-orders')).toBe(41);
    expect(fs.existsSync(bronzeDir)).toBe(false);

    maxSeq = null; // an empty bronze
    expect((await BronzeStore.open(warehouse, bronzeDir)).readableUpTo('vtex-orders')).toBe(0);
  });

  it('lands an append as one NDJSON load job and one INSERT … SELECT inside BEGIN/COMMIT in one session, never insertAll', async () => {
    const bronze = await openBronze();
    const receivedAt = new Date('2026-03-14T23:30:00Z');
    const landed = await warehouse.transaction((tx) =>
      bronze.append(tx, 'vtex-orders', [rec(1, { receivedAt }), rec(2, { receivedAt, payloadBase64: 'AP8=' })], 'run-1'));
    expect(landed.map((r) => [r.seq, r.naturalKey])).toEqual([[42, 'o1'], [43, 'o2']]);

    expect(fake.requests.some((r) => r.path.includes('insertAll'))).toBe(false);
    const loads = fake.jobs.filter((j) => j.kind === 'load');
    expect(loads).toHaveLength(1);
    expect(loadTable(loads[0]!)).toMatch(/^ops_stage_[0-9a-f]{32}$/);
    expect((loads[0]!.resource.configuration as { load: { sourceFormat: string } }).load.sourceFormat).toBe('NEWLINE_DELIMITED_JSON');
    expect(ndjson(loads[0]!)).toEqual([
      {
        seq: 42, record_id: landed[0]!.recordId, source: 'vtex-orders', entity: 'order', natural_key: 'o1', payload: '{"i":1}',
        payload_hash: createHash('md5').update('{"i":1}').digest('hex'), received_at: '2026-03-14T23:30:00.000Z', batch_id: 'run-1',
        partition_date: '2026-03-14', payload_base64: null,
      },
      expect.objectContaining({ seq: 43, natural_key: 'o2', payload_base64: 'AP8=' }),
    ]);

    expect(sqlOf(fake.jobs)).toEqual([
      'BEGIN TRANSACTION',
      `INSERT INTO ${T('bronze_records')} (${COLUMNS.split(', ').map((c) => `\`${c}\``).join(', ')}) SELECT ${COLUMNS.split(', ').map((c) => `\`${c}\``).join(', ')} FROM ${T('ops_stage_*')}`,
      'COMMIT TRANSACTION',
      `DROP TABLE IF EXISTS ${T('ops_stage_*')}`,
      'CALL BQ.ABORT_SESSION()',
    ]);
    const queries = fake.jobs.filter((j) => j.kind === 'query');
    const session = `session-${queries[0]!.jobId}`;
    expect(queryConfig(queries[0]!).createSession).toBe(true);
    for (const j of queries.slice(1, 3)) expect(queryConfig(j).connectionProperties).toEqual([{ key: 'session_id', value: session }]);
    // The load ran before the INSERT that reads its staging table.
    expect(fake.jobs.indexOf(loads[0]!)).toBeLessThan(fake.jobs.indexOf(queries[1]!));
    expect(bronze.readableUpTo('vtex-orders')).toBe(43);
  });

  it('writes a bulk segment with one load job outside any transaction, registers it in the caller\'s, then drops its staging table', async () => {
    const bronze = await openBronze();
    const seg = await bronze.writeSegment('vtex-orders', Array.from({ length: 6 }, (_, i) => rec(i)), 'backfill', '2026-03-10');
    expect(seg).toMatchObject({ kind: 'staged-batch', source: 'vtex-orders', minSeq: 42, maxSeq: 47, records: 6, entities: ['order'] });
    if (seg.kind !== 'staged-batch') throw new Error('expected a staged batch');
    const staging = `bronze_pending_${seg.segmentId.replace(/-/g, '')}`;

    // One CREATE … LIKE (no session: not in a transaction) and ONE load job for the whole batch.
    const [create] = fake.jobs.filter((j) => j.kind === 'query');
    expect(create!.sql).toBe(
      `CREATE TABLE ${T(staging)} LIKE ${T('bronze_records')}\n       OPTIONS (expiration_timestamp = TIMESTAMP_ADD(CURRENT_TIMESTAMP(), INTERVAL 24 HOUR))`,
    );
    expect(queryConfig(create!).connectionProperties).toBeUndefined();
    const loads = fake.jobs.filter((j) => j.kind === 'load');
    expect(loads).toHaveLength(1);
    expect(loadTable(loads[0]!)).toBe(staging);
    expect(ndjson(loads[0]!).map((r) => [r.seq, r.natural_key, r.partition_date, r.batch_id])).toEqual(
      Array.from({ length: 6 }, (_, i) => [42 + i, `o${i}`, '2026-03-10', 'backfill']),
    );
    expect(fs.existsSync(bronzeDir)).toBe(false);

    // A hook record lands meanwhile above the reserved range; readers stay below the range.
    const [hook] = await warehouse.transaction((tx) => bronze.append(tx, 'vtex-orders', [rec(100)], 'hook'));
    expect(hook!.seq).toBe(48);
    expect(bronze.readableUpTo('vtex-orders')).toBe(41);
    expect(bronze.readableUpTo('store-targets')).toBe(48);

    const before = fake.jobs.length;
    await warehouse.transaction((tx) => bronze.register(tx, seg));
    await bronze.settle(seg, true);
    const jobs = fake.jobs.slice(before);
    expect(sqlOf(jobs)).toEqual([
      'BEGIN TRANSACTION',
      `INSERT INTO ${T('bronze_records')} (${COLUMNS}) SELECT ${COLUMNS} FROM ${T('bronze_pending_*')}`,
      'COMMIT TRANSACTION',
      'CALL BQ.ABORT_SESSION()',
      `DROP TABLE IF EXISTS ${T('bronze_pending_*')}`,
    ]);
    expect(jobs.find((j) => j.sql?.startsWith('INSERT'))!.sql).toContain(T(staging));
    expect(jobs.filter((j) => j.kind === 'load')).toHaveLength(0);
    expect(bronze.readableUpTo('vtex-orders')).toBe(48);
  });

  it('rolls back a registration that inserts fewer rows than the batch holds, and settling drops the staging table and frees the range', async () => {
    const bronze = await openBronze();
    const seg = await bronze.writeSegment('vtex-orders', [rec(1), rec(2), rec(3)], 'backfill');
    insertedOverride = 2; // the staging table lost rows (e.g. it expired and was recreated)
    let committed = false;
    await expect(warehouse.transaction(async (tx) => {
      await bronze.register(tx, seg);
      committed = true;
    })).rejects.toThrow(`bronze batch ${seg.segmentId}: expected to register 3 records, inserted 2`);
    expect(committed).toBe(false);
    expect(bronze.readableUpTo('vtex-orders')).toBe(41);
    await bronze.settle(seg, false);
    expect(sqlOf(fake.jobs)).toEqual([
      `CREATE TABLE ${T('bronze_pending_*')} LIKE ${T('bronze_records')}\n       OPTIONS (expiration_timestamp = TIMESTAMP_ADD(CURRENT_TIMESTAMP(), INTERVAL 24 HOUR))`,
      'BEGIN TRANSACTION',
      `INSERT INTO ${T('bronze_records')} (${COLUMNS}) SELECT ${COLUMNS} FROM ${T('bronze_pending_*')}`,
      'ROLLBACK TRANSACTION',
      'CALL BQ.ABORT_SESSION()',
      `DROP TABLE IF EXISTS ${T('bronze_pending_*')}`,
    ]);
    expect(bronze.readableUpTo('vtex-orders')).toBe(44);
  });

  it('drops the staging table of a batch whose load failed, and releases its range', async () => {
    const bronze = await openBronze();
    fake.failNext(/^\/upload\//, 500);
    await expect(bronze.writeSegment('vtex-orders', [rec(1), rec(2)], 'backfill')).rejects.toThrow();
    expect(sqlOf(fake.jobs)).toEqual([
      `CREATE TABLE ${T('bronze_pending_*')} LIKE ${T('bronze_records')}\n       OPTIONS (expiration_timestamp = TIMESTAMP_ADD(CURRENT_TIMESTAMP(), INTERVAL 24 HOUR))`,
      `DROP TABLE IF EXISTS ${T('bronze_pending_*')}`,
    ]);
    expect(bronze.readableUpTo('vtex-orders')).toBe(43);
  });

  it('reads the table alone through a parameterised, cluster-friendly query, with no read_parquet and no job', async () => {
    const bronze = await openBronze();
    const hostile = "vtex-orders' OR 1=1 --";
    const rel = await warehouse.transaction((tx) => bronze.relation(tx, hostile, ['order', 'order_notification'], 10, 20));
    expect(rel.parts).toHaveLength(1);
    expect(rel.sql.replace(/\s+/g, ' ')).toBe(
      'SELECT seq, record_id, entity, natural_key, payload, received_at FROM bronze.records WHERE source = ? AND entity IN (?, ?) AND seq > ? AND seq <= ?',
    );
    expect(rel.params).toEqual([hostile, 'order', 'order_notification', 10, 20]);
    expect(rel.sql).not.toMatch(/read_parquet|segments|'/);
    // Only the transaction's own statements: listing segments costs nothing on BigQuery.
    expect(sqlOf(fake.jobs)).toEqual(['BEGIN TRANSACTION', 'COMMIT TRANSACTION', 'CALL BQ.ABORT_SESSION()']);
  });

  it('has nothing to compact: the compactor sends no job and writes no file', async () => {
    const bronze = await openBronze();
    expect(await compactBronze(bronze, { retentionDays: 30 })).toEqual({ recordsMoved: 0, segmentsWritten: 0, partitionsMerged: 0, partitionsDropped: 0 });
    expect(fake.requests).toHaveLength(0);
    expect(fs.existsSync(bronzeDir)).toBe(false);
  });
});
