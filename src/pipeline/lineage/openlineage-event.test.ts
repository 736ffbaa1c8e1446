import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { LineageRun } from './lineage-types.js';
import {
  FACET_SCHEMAS,
  FAROL_VERSION,
  MAX_ERROR_MESSAGE_CHARS,
  OPENLINEAGE_SPEC_ID,
  RUN_EVENT_SCHEMA_URL,
  facetSchemaUrl,
  farolProducer,
  toOpenLineageEvent,
  type OpenLineageFacet,
  type OpenLineageRunEvent,
} from './openlineage-event.js';

const FIXTURES = new URL('../../../test/fixtures/openlineage/', import.meta.url);
const vendoredId = (file: string): unknown => (JSON.parse(readFileSync(new URL(file, FIXTURES), 'utf8')) as { $id: unknown }).$id;

const WAREHOUSE = 'duckdb://farol';
const run: LineageRun = {
  runId: '0b8f5a2e-3c1d-4e5f-9a6b-7c8d9e0f1a2b',
  job: 'vtex-orders',
  trigger: 'schedule',
  inputs: [{ namespace: WAREHOUSE, name: 'bronze.records' }],
  outputs: [
    { namespace: WAREHOUSE, name: 'silver.orders', rowCountFrom: 'upserted', fields: [{ name: 'order_id', type: 'VARCHAR' }] },
    { namespace: WAREHOUSE, name: 'silver.quarantine', rowCountFrom: 'quarantined' },
    { namespace: WAREHOUSE, name: 'gold.fact_sales' },
  ],
};
const at = new Date('2025-03-01T12:34:56.789Z');
const stats = { recordsIn: 12, upserted: 10, quarantined: 2 };

/** Every facet object anywhere in the event. */
function facetsOf(event: OpenLineageRunEvent): OpenLineageFacet[] {
  return [
    ...Object.values(event.run.facets),
    ...Object.values(event.job.facets),
    ...event.inputs.flatMap((d) => Object.values(d.facets ?? {})),
    ...event.outputs.flatMap((d) => [...Object.values(d.facets ?? {}), ...Object.values(d.outputFacets ?? {})]),
  ];
}

describe('toOpenLineageEvent', () => {
  it('maps a start to a START RunEvent naming the run, job and datasets', () => {
    const event = toOpenLineageEvent(run, { kind: 'start' }, at, { farolVersion: '1.2.3' });
    expect(event).toMatchObject({
      eventTime: '2025-03-01T12:34:56.789Z',
      eventType: 'START',
      producer: 'https://github.com/farol-data/farol/tree/v1.2.3',
      schemaURL: RUN_EVENT_SCHEMA_URL,
      run: { runId: run.runId },
      job: { namespace: 'farol', name: 'vtex-orders' },
      inputs: [{ namespace: WAREHOUSE, name: 'bronze.records' }],
    });
    expect(event.outputs.map((d) => d.name)).toEqual(['silver.orders', 'silver.quarantine', 'gold.fact_sales']);
    expect(event.run.facets.processing_engine).toMatchObject({ name: 'Farol', version: '1.2.3' });
    expect(event.run.facets.errorMessage).toBeUndefined();
    expect(event.outputs.every((d) => d.outputFacets === undefined)).toBe(true);
  });

  it('puts row counts on the outputs that name their count, and only on COMPLETE', () => {
    const event = toOpenLineageEvent(run, { kind: 'complete', stats }, at);
    expect(event.eventType).toBe('COMPLETE');
    const rowCounts = event.outputs.map((d) => d.outputFacets?.outputStatistics?.rowCount);
    expect(rowCounts).toEqual([10, 2, undefined]);
  });

  it('leaves out a row count that is not a non-negative integer', () => {
    const event = toOpenLineageEvent(run, { kind: 'complete', stats: { recordsIn: 0, upserted: 1.5, quarantined: -1 } }, at);
    expect(event.outputs.every((d) => d.outputFacets === undefined)).toBe(true);
  });

  it('carries the error on FAIL with the language, cut to a bounded length', () => {
    const event = toOpenLineageEvent(run, { kind: 'fail', error: 'data test silver.orders.total.not_null failed' }, at);
    expect(event.eventType).toBe('FAIL');
    expect(event.run.facets.errorMessage).toMatchObject({
      message: 'data test silver.orders.total.not_null failed',
      programmingLanguage: 'TypeScript',
    });
    const long = toOpenLineageEvent(run, { kind: 'fail', error: 'x'.repeat(MAX_ERROR_MESSAGE_CHARS * 2) }, at);
    expect(String(long.run.facets.errorMessage?.message)).toHaveLength(MAX_ERROR_MESSAGE_CHARS);
  });

  it('types hook runs as STREAMING and every other trigger as BATCH', () => {
    const typeOf = (trigger: string) => toOpenLineageEvent({ ...run, trigger }, { kind: 'start' }, at).job.facets.jobType;
    expect(typeOf('hook')).toMatchObject({ processingType: 'STREAMING', integration: 'FAROL', jobType: 'JOB' });
    for (const trigger of ['schedule', 'cli', 'startup', 'rebuild', 'admin']) {
      expect(typeOf(trigger)).toMatchObject({ processingType: 'BATCH', integration: 'FAROL', jobType: 'JOB' });
    }
  });

  it('adds a schema facet only to datasets that list fields', () => {
    const event = toOpenLineageEvent(run, { kind: 'start' }, at);
    expect(event.outputs[0]?.facets?.schema).toMatchObject({ fields: [{ name: 'order_id', type: 'VARCHAR' }] });
    expect(event.outputs[1]?.facets).toBeUndefined();
    expect(event.inputs[0]?.facets).toBeUndefined();
  });

  it('uses the configured job namespace', () => {
    expect(toOpenLineageEvent(run, { kind: 'start' }, at, { jobNamespace: 'farol-staging' }).job.namespace).toBe('farol-staging');
  });

  it('gives every facet the producer and the schema URL of its definition', () => {
    const event = toOpenLineageEvent(run, { kind: 'fail', error: 'boom' }, at);
    const complete = toOpenLineageEvent(run, { kind: 'complete', stats }, at);
    const facets = [...facetsOf(event), ...facetsOf(complete)];
    expect(facets.length).toBeGreaterThanOrEqual(7);
    for (const facet of facets) {
      expect(facet._producer).toBe(event.producer);
      expect(facet._schemaURL).toMatch(/^https:\/\/openlineage\.io\/spec\/facets\/[\d-]+\/\w+\.json#\/\$defs\/\w+$/);
    }
    expect(event.run.facets.errorMessage?._schemaURL).toBe(facetSchemaUrl('errorMessage'));
  });

  it('is deterministic', () => {
    expect(toOpenLineageEvent(run, { kind: 'complete', stats }, at)).toEqual(toOpenLineageEvent(run, { kind: 'complete', stats }, at));
  });
});

describe('schema URLs', () => {
  it('name the vendored spec and facet schemas', () => {
    expect(vendoredId('OpenLineage.json')).toBe(OPENLINEAGE_SPEC_ID);
    expect(RUN_EVENT_SCHEMA_URL.split('#')[0]).toBe(OPENLINEAGE_SPEC_ID);
    for (const { id, def } of Object.values(FACET_SCHEMAS)) {
      expect(vendoredId(`${def}.json`)).toBe(id);
    }
  });
});

describe('producer', () => {
  it('names Farol at the version in package.json', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(FAROL_VERSION).toBe(pkg.version);
    expect(farolProducer()).toBe(`https://github.com/farol-data/farol/tree/v${pkg.version}`);
  });
});
