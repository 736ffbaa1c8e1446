import moment from 'moment-timezone';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertRuleSchema, type KpiRule } from '../../src/alerts/alert-rules.js';
import { loadKpiSeries } from '../../src/alerts/kpi-series.js';
import { createSemanticEngine, type SemanticEngine } from '../../src/metrics/semantic-engine.js';
import { DataVersions } from '../../src/warehouse/data-version.js';
import { expectBigQuerySql, typesOf } from '../fixtures/bigquery-sql-checks.js';
import { wireRow, type FakeBigQuery } from '../fixtures/fake-bigquery.js';
import { fakeBigQueryPerFile } from '../fixtures/fake-bigquery-per-file.js';
import { roleContext } from '../fixtures/security-contexts.js';
import { openFakeBigQueryWarehouse, T } from '../fixtures/serve-bigquery.js';
import { BUSINESS_TZ, MODEL_DIR } from '../metrics/gold-fixtures.js';

/**
 * A KPI rule's series read on BigQuery: the engine's query (Cube's BigQuery SQL, one job per
 * chunk of the range), and the rows BigQuery sends back (the hour as a TIMESTAMP at its local
 * wall-clock time) keyed by the same local periods the alert evaluators look up on DuckDB.
 */
let fake: FakeBigQuery;
fakeBigQueryPerFile((f) => (fake = f));

let engine: SemanticEngine;
beforeAll(async () => {
  const dataVersions = new DataVersions();
  dataVersions.publish(3);
  engine = await createSemanticEngine({ warehouse: openFakeBigQueryWarehouse(fake), modelDir: MODEL_DIR, dataVersions, timezone: BUSINESS_TZ, cache: { maxEntries: 10, ttlMs: 0 } });
}, 60_000);
afterAll(async () => engine?.close());

/** Microseconds of a local wall-clock time written as UTC, as Cube's BigQuery dialect returns a truncated local time. */
const wallClock = (local: string) => String(Date.parse(`${local}Z`) * 1000);

describe('KPI series on BigQuery', () => {
  it('read one job per chunk and key the values by local hour and series, as the evaluators look them up', async () => {
    fake.answer((sql) => (sql.includes('gold_fct_orders') ? {
      schema: [{ name: 'sales__channel', type: 'STRING' }, { name: 'sales__order_date_hour', type: 'TIMESTAMP' }, { name: 'sales__revenue', type: 'NUMERIC' }],
      rows: [wireRow(['Mercado Livre', wallClock('2025-12-09T10:00:00'), '12.50']), wireRow(['Site', wallClock('2025-12-09T10:00:00'), '300.00']), wireRow(['Site', wallClock('2025-12-09T11:00:00'), '280.10'])],
    } : undefined));
    const rule = alertRuleSchema.parse({ name: 'ml-floor', kind: 'threshold', measure: 'sales.revenue', timeDimension: 'sales.order_date', grain: 'hour', dimension: 'sales.channel', below: 60 }) as KpiRule;
    const from = moment.tz('2025-12-09T09:00:00', BUSINESS_TZ);
    const series = await loadKpiSeries(engine, roleContext('admin'), rule, from, from.clone().add(4, 'hours'), BUSINESS_TZ);
    expect([...series.entries()].map(([k, m]) => [k, Object.fromEntries(m)])).toEqual([
      ['Mercado Livre', { '2025-12-09T10:00:00.000': 12.5 }],
      ['Site', { '2025-12-09T10:00:00.000': 300, '2025-12-09T11:00:00.000': 280.1 }],
    ]);
    const jobs = fake.jobs.filter((j) => j.kind === 'query');
    expect(jobs).toHaveLength(1);
    expect(jobs[0]!.sql).toContain(`FROM\n      ${T('gold_fct_orders')} AS \`orders\``);
    expect(typesOf(jobs[0]!).every((t) => t === 'STRING' || t === 'INT64')).toBe(true);
    expectBigQuerySql(jobs, ['Mercado Livre', '2025-12-09']);
  });
});
