import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/observability/logger.js';
import type { LineageRun } from '../../src/pipeline/lineage/lineage-types.js';
import { expectValidRunEvent, facetsOf, validator } from '../fixtures/openlineage-schema.js';
import {
  RUN_EVENT_SCHEMA_URL,
  facetSchemaUrl,
  toOpenLineageEvent,
  type OpenLineageFacet,
  type OpenLineageRunEvent,
} from '../../src/pipeline/lineage/openlineage-event.js';
import { OpenLineageSink, type OpenLineageSinkOptions } from '../../src/pipeline/lineage/openlineage-sink.js';
import { captureStream, closedPort, sendJson, startServer, type Handler, type TestServer } from '../ingest/support/test-server.js';


const WAREHOUSE = 'duckdb://farol';
function lineageRun(runId: string, trigger = 'schedule'): LineageRun {
  return {
    runId,
    job: 'vtex-orders',
    trigger,
    inputs: [{ namespace: WAREHOUSE, name: 'bronze.records' }],
    outputs: [
      {
        namespace: WAREHOUSE,
        name: 'silver.orders',
        rowCountFrom: 'upserted',
        fields: [
          { name: 'source', type: 'VARCHAR' },
          { name: 'order_id', type: 'VARCHAR' },
          { name: 'total', type: 'DECIMAL(18,2)' },
        ],
      },
      { namespace: WAREHOUSE, name: 'silver.quarantine', rowCountFrom: 'quarantined' },
    ],
  };
}
const RUN_A = '5b0e3c1a-8f4d-4b6e-9c2a-1d3e5f7a9b0c';
const RUN_B = 'c7d9e1f3-2a4b-4c6d-8e0f-a1b2c3d4e5f6';
const stats = { recordsIn: 7, upserted: 5, quarantined: 2 };

/** Retries that never wait: the test observes what the sink does, not how long it sleeps. */
const NO_WAIT = { sleep: async () => {}, random: () => 0 } as const;

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function serve(handler: Handler): Promise<TestServer> {
  const server = await startServer(handler);
  cleanups.push(() => server.close());
  return server;
}

function sink(options: OpenLineageSinkOptions): OpenLineageSink {
  const created = new OpenLineageSink({ ...options, retry: { ...NO_WAIT, ...options.retry } });
  cleanups.push(() => created.close(0));
  return created;
}

const accepted: Handler = (_req, res) => sendJson(res, 201, undefined);

describe('the vendored schema check', () => {
  it('rejects what the spec rejects, so passing it means something', () => {
    const event = toOpenLineageEvent(lineageRun(RUN_A), { kind: 'fail', error: 'boom' }, new Date());
    expect(() => expectValidRunEvent(JSON.stringify(event))).not.toThrow();
    const notUuid = { ...event, run: { ...event.run, runId: 'run-1' } };
    expect(validator(RUN_EVENT_SCHEMA_URL)(notUuid)).toBe(false);
    const { programmingLanguage: _dropped, ...withoutLanguage } = event.run.facets.errorMessage as OpenLineageFacet;
    expect(validator(facetSchemaUrl('errorMessage'))(withoutLanguage)).toBe(false);
    const { _producer: _none, ...withoutProducer } = event.run.facets.processing_engine as OpenLineageFacet;
    expect(validator(facetSchemaUrl('processing_engine'))(withoutProducer)).toBe(false);
  });
});

describe('OpenLineage sink against a real HTTP server', () => {
  it('posts START then COMPLETE, and START then FAIL, in order, each a valid RunEvent with valid facets', async () => {
    const server = await serve(accepted);
    const lineage = sink({ url: server.url, apiKey: 'ol-key-0123456789abcdef' });

    lineage.start(lineageRun(RUN_A));
    lineage.complete(lineageRun(RUN_A), stats);
    lineage.start(lineageRun(RUN_B, 'hook'));
    lineage.fail(lineageRun(RUN_B, 'hook'), 'data test silver.orders.total.not_null failed: 3 rows');
    await lineage.flush();

    expect(server.requests.map((r) => `${r.method} ${r.url}`)).toEqual(Array(4).fill('POST /api/v1/lineage'));
    for (const req of server.requests) {
      expect(req.headers['content-type']).toMatch(/^application\/json/);
      expect(req.headers.authorization).toBe('Bearer ol-key-0123456789abcdef');
    }
    const events = server.requests.map((r) => expectValidRunEvent(r.body));
    expect(events.map((e) => `${e.run.runId} ${e.eventType}`)).toEqual([
      `${RUN_A} START`,
      `${RUN_A} COMPLETE`,
      `${RUN_B} START`,
      `${RUN_B} FAIL`,
    ]);
    const [, complete, startB, failB] = events;
    expect(complete?.outputs.map((d) => d.outputFacets?.outputStatistics?.rowCount)).toEqual([5, 2]);
    expect(startB?.job.facets.jobType).toMatchObject({ processingType: 'STREAMING' });
    expect(failB?.run.facets.errorMessage).toMatchObject({
      message: 'data test silver.orders.total.not_null failed: 3 rows',
      programmingLanguage: 'TypeScript',
    });
    // Every facet kind Farol emits was among those validated above.
    expect(new Set(events.flatMap((e) => facetsOf(e).map(([name]) => name)))).toEqual(
      new Set(['processing_engine', 'errorMessage', 'jobType', 'schema', 'outputStatistics']),
    );
    expect(lineage.delivered).toBe(4);
    expect(lineage.dropped).toBe(0);
  });

  it('posts ABORT, a valid RunEvent, for a run stopped on purpose', async () => {
    const server = await serve(accepted);
    const lineage = sink({ url: server.url });
    lineage.start(lineageRun(RUN_A));
    lineage.abort(lineageRun(RUN_A));
    await lineage.flush();
    const events = server.requests.map((r) => expectValidRunEvent(r.body));
    expect(events.map((e) => `${e.run.runId} ${e.eventType}`)).toEqual([`${RUN_A} START`, `${RUN_A} ABORT`]);
    expect(events[1]?.run.facets.errorMessage).toBeUndefined();
  });

  it('posts to a URL that already names the endpoint, without doubling the path', async () => {
    const server = await serve(accepted);
    const lineage = sink({ url: `${server.url}/api/v1/lineage/` });
    lineage.start(lineageRun(RUN_A));
    await lineage.flush();
    expect(server.requests.map((r) => r.url)).toEqual(['/api/v1/lineage']);
    expect(server.requests[0]?.headers.authorization).toBeUndefined();
  });

  it('delivers an event once after a 500, retrying the same body', async () => {
    const server = await serve((req, res) => sendJson(res, req.index === 0 ? 500 : 201, undefined));
    const lineage = sink({ url: server.url });
    lineage.start(lineageRun(RUN_A));
    await lineage.flush();
    expect(server.requests.map((r) => r.body)).toHaveLength(2);
    expect(server.requests[1]?.body).toBe(server.requests[0]?.body);
    expect(lineage.delivered).toBe(1);
    expect(lineage.dropped).toBe(0);
  });

  it("waits at least as long as a 429's Retry-After before trying again", async () => {
    const server = await serve((req, res) => sendJson(res, req.index === 0 ? 429 : 201, undefined, { 'retry-after': '1' }));
    const waits: number[] = [];
    const lineage = sink({ url: server.url, retry: { sleep: async (ms) => void waits.push(ms) } });
    lineage.start(lineageRun(RUN_A));
    await lineage.flush();
    expect(waits).toHaveLength(1);
    expect(waits[0]).toBeGreaterThanOrEqual(1_000);
    expect(lineage.delivered).toBe(1);
  });

  it('drops an event the backend refuses (4xx) and goes on with the next', async () => {
    const server = await serve((req, res) => sendJson(res, req.index === 0 ? 400 : 201, { error: 'bad event' }));
    const lineage = sink({ url: server.url });
    lineage.start(lineageRun(RUN_A));
    lineage.complete(lineageRun(RUN_A), stats);
    await lineage.flush();
    expect(server.requests).toHaveLength(2);
    expect(lineage.dropped).toBe(1);
    expect(lineage.delivered).toBe(1);
  });

  it('gives up on a request the server never answers and sends the next event', async () => {
    const server = await serve((req, res) => {
      if (req.index > 0) sendJson(res, 201, undefined);
      // the first request is left hanging
    });
    const lineage = sink({ url: server.url, requestTimeoutMs: 100, retry: { maxAttempts: 1 } });
    lineage.start(lineageRun(RUN_A));
    lineage.complete(lineageRun(RUN_A), stats);
    await lineage.flush(30_000);
    expect(server.requests).toHaveLength(2);
    expect(lineage.dropped).toBe(1);
    expect(lineage.delivered).toBe(1);
  });

  it('with nothing listening, never throws into the caller and flush returns at its timeout', async () => {
    const port = await closedPort();
    // Long real backoff between attempts: only flush's own timeout can end the wait.
    const lineage = new OpenLineageSink({
      url: `http://127.0.0.1:${port}`,
      retry: { baseDelayMs: 600_000, maxDelayMs: 600_000, maxRetryAfterMs: 600_000, random: () => 0.99 },
    });
    expect(() => {
      lineage.start(lineageRun(RUN_A));
      lineage.complete(lineageRun(RUN_A), stats);
      lineage.fail(lineageRun(RUN_B), 'boom');
    }).not.toThrow();
    await lineage.flush(50);
    expect(lineage.pending).toBe(3);
    expect(lineage.delivered).toBe(0);

    await lineage.close(0);
    expect(lineage.pending).toBe(0);
    expect(lineage.dropped).toBe(3);
    expect(() => lineage.start(lineageRun(RUN_B))).not.toThrow();
    await lineage.flush(50);
    expect(lineage.pending).toBe(0);
  });

  it('bounds the queue by dropping the oldest waiting event, with a warning', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const server = await serve(async (req, res) => {
      if (req.index === 0) await gate;
      sendJson(res, 201, undefined);
    });
    const logs = captureStream();
    const lineage = sink({ url: server.url, maxQueue: 2, logger: createLogger({ level: 'warn', destination: logs.stream }) });
    const runs = [RUN_A, RUN_B, '11111111-2222-4333-8444-555555555555', '66666666-7777-4888-9999-aaaaaaaaaaaa'];
    lineage.start(lineageRun(runs[0] as string)); // in flight, held by the server
    for (const runId of runs.slice(1)) lineage.start(lineageRun(runId));
    lineage.complete(lineageRun(runs[3] as string), stats);
    expect(lineage.dropped).toBe(2);
    release();
    await lineage.flush();
    expect(server.requests.map((r) => {
      const e = JSON.parse(r.body) as OpenLineageRunEvent;
      return `${e.run.runId} ${e.eventType}`;
    })).toEqual([`${runs[0]} START`, `${runs[3]} START`, `${runs[3]} COMPLETE`]);
    const warnings = logs.records().filter((r) => r.msg === 'lineage queue full; oldest waiting event dropped');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ dropped: 1, maxQueue: 2, runId: RUN_B, eventType: 'START' });
  });

  it('sends the API key and never logs it, even when the server echoes it back', async () => {
    const apiKey = 'ol-secret-9f8e7d6c5b4a3210';
    const server = await serve((req, res) => {
      // 500 (logged as a retry), then a 400 whose body quotes the credential (logged as a drop).
      sendJson(res, req.index === 0 ? 500 : 400, { error: `bad token ${String(req.headers.authorization)}` });
    });
    const logs = captureStream();
    const lineage = sink({ url: server.url, apiKey, logger: createLogger({ level: 'trace', destination: logs.stream }) });
    lineage.start(lineageRun(RUN_A));
    await lineage.flush();

    expect(server.requests.map((r) => r.headers.authorization)).toEqual([`Bearer ${apiKey}`, `Bearer ${apiKey}`]);
    const records = logs.records();
    expect(records.some((r) => typeof r.msg === 'string' && r.msg.includes('retrying'))).toBe(true);
    const dropped = records.find((r) => r.msg === 'lineage event not delivered; dropped');
    expect(dropped).toMatchObject({ runId: RUN_A, eventType: 'START' });
    expect(String(dropped?.error)).toContain('400');
    expect(String(dropped?.error)).toContain('[redacted]');
    expect(logs.text()).not.toContain(apiKey);
  });

  it('ignores events after close', async () => {
    const server = await serve(accepted);
    const lineage = sink({ url: server.url });
    await lineage.close();
    lineage.start(lineageRun(RUN_A));
    await lineage.flush();
    expect(server.requests).toHaveLength(0);
  });
});
