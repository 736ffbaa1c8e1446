import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metricsQuerySchema } from '../../src/metrics/metrics-query.js';
import { createSemanticEngine, type SemanticEngine } from '../../src/metrics/semantic-engine.js';
import { policy } from '../fixtures/access-policies.js';
import { customContext, roleContext } from '../fixtures/security-contexts.js';
import { BUSINESS_TZ, MODEL_DIR, openGoldFixture, type GoldFixture } from './gold-fixtures.js';

/** Every answer says where it came from, which data it reflects and (for roles allowed) its SQL. */
let fixture: GoldFixture;
let engine: SemanticEngine;

beforeAll(async () => {
  fixture = await openGoldFixture();
  engine = await createSemanticEngine({
    warehouse: fixture.warehouse, modelDir: MODEL_DIR, dataVersions: fixture.dataVersions, timezone: BUSINESS_TZ,
    cache: { maxEntries: 100, ttlMs: 60_000 },
  });
});
afterAll(async () => {
  await engine?.close();
  await fixture?.cleanup();
});

describe('provenance of an answer', () => {
  const query = metricsQuerySchema.parse({ measures: ['sales.revenue'], dimensions: ['sales.channel'] });

  it('says warehouse, then cache, with the data version and when it was published', async () => {
    const publishedAt = new Date('2026-03-01T10:00:00.000Z');
    fixture.dataVersions.publish(fixture.dataVersions.current() + 1, 'gold', publishedAt);
    const first = await engine.load(query, roleContext('admin'));
    expect(first).toMatchObject({ servedFrom: 'warehouse', cached: false, dataVersion: fixture.dataVersions.current(), refreshedAt: publishedAt.toISOString() });
    const again = await engine.load(query, roleContext('admin'));
    expect(again).toMatchObject({ servedFrom: 'cache', cached: true, refreshedAt: publishedAt.toISOString() });
    expect(again.rows).toEqual(first.rows);
  });

  it('carries the SQL for admin and analyst, with the caller\'s row filter as a parameter, and not for app', async () => {
    const admin = await engine.load(query, roleContext('admin'));
    expect(admin.sql?.sql).toMatch(/gold\.fct_orders/);
    expect((await engine.load(query, roleContext('analyst'))).sql?.sql).toBe(admin.sql?.sql);
    expect((await engine.load(query, roleContext('app'))).sql).toBeUndefined();
    const withSql = customContext({ ...policy('store_manager'), capabilities: new Set(['metrics', 'metricsSql'] as const) }, { store: 'centro' });
    const scoped = await engine.load(query, withSql);
    expect(scoped.sql?.params).toContain('centro');
    // A cache hit reports the SQL of the run that computed it.
    expect((await engine.load(query, withSql)).sql).toEqual(scoped.sql);
  });
});
