/**
 * A Farol run transition as an OpenLineage RunEvent (spec 2-0-2). Pure: the same run, transition
 * and time always give the same event, so the mapping is tested without a network.
 *
 * Every URL below names the version of the schema vendored in test/fixtures/openlineage/; the
 * integration test validates emitted events against those files, and a unit test checks that
 * these constants equal their `$id`s. Moving to a newer spec means vendoring it and changing
 * the versions here together.
 */
import { createRequire } from 'node:module';
import type { LineageDataset, LineageRun, LineageRunStats } from './lineage-types.js';

export const OPENLINEAGE_SPEC_ID = 'https://openlineage.io/spec/2-0-2/OpenLineage.json';
export const RUN_EVENT_SCHEMA_URL = `${OPENLINEAGE_SPEC_ID}#/$defs/RunEvent`;

/** `$id` and definition name of every facet Farol emits, keyed by the facet's name in an event. */
export const FACET_SCHEMAS = {
  errorMessage: { id: 'https://openlineage.io/spec/facets/1-0-1/ErrorMessageRunFacet.json', def: 'ErrorMessageRunFacet' },
  processing_engine: { id: 'https://openlineage.io/spec/facets/1-1-1/ProcessingEngineRunFacet.json', def: 'ProcessingEngineRunFacet' },
  jobType: { id: 'https://openlineage.io/spec/facets/2-0-4/JobTypeJobFacet.json', def: 'JobTypeJobFacet' },
  outputStatistics: {
    id: 'https://openlineage.io/spec/facets/1-0-2/OutputStatisticsOutputDatasetFacet.json',
    def: 'OutputStatisticsOutputDatasetFacet',
  },
  schema: { id: 'https://openlineage.io/spec/facets/1-2-0/SchemaDatasetFacet.json', def: 'SchemaDatasetFacet' },
} as const;
export type FarolFacetName = keyof typeof FACET_SCHEMAS;

export const FAROL_REPOSITORY_URL = 'https://github.com/farol-data/farol';
export const DEFAULT_JOB_NAMESPACE = 'farol';
/**
 * Longest error message put into an event. Run errors can quote a whole SQL statement; the
 * backend keeps every event, so an unbounded message would be stored again on every failure.
 */
export const MAX_ERROR_MESSAGE_CHARS = 4_000;

/** Farol's version from package.json (same relative path from src/ and from dist/). */
export const FAROL_VERSION: string = readFarolVersion();

function readFarolVersion(): string {
  try {
    const pkg = createRequire(import.meta.url)('../../../package.json') as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : 'unknown';
  } catch {
    return 'unknown';
  }
}

/** The producer URI: this code at this version, as the spec suggests (a git URL with a tag). */
export function farolProducer(version: string = FAROL_VERSION): string {
  return `${FAROL_REPOSITORY_URL}/tree/v${encodeURIComponent(version)}`;
}

export type LineageTransition =
  | { readonly kind: 'start' }
  | { readonly kind: 'complete'; readonly stats: LineageRunStats }
  | { readonly kind: 'fail'; readonly error: string }
  | { readonly kind: 'abort' };

export type OpenLineageEventType = 'START' | 'COMPLETE' | 'FAIL' | 'ABORT';

export interface OpenLineageFacet {
  readonly _producer: string;
  readonly _schemaURL: string;
  readonly [field: string]: unknown;
}
export type OpenLineageFacets = Readonly<Record<string, OpenLineageFacet>>;

export interface OpenLineageDataset {
  readonly namespace: string;
  readonly name: string;
  readonly facets?: OpenLineageFacets;
}
export interface OpenLineageOutputDataset extends OpenLineageDataset {
  readonly outputFacets?: OpenLineageFacets;
}

export interface OpenLineageRunEvent {
  readonly eventTime: string;
  readonly producer: string;
  readonly schemaURL: string;
  readonly eventType: OpenLineageEventType;
  readonly run: { readonly runId: string; readonly facets: OpenLineageFacets };
  readonly job: { readonly namespace: string; readonly name: string; readonly facets: OpenLineageFacets };
  readonly inputs: readonly OpenLineageDataset[];
  readonly outputs: readonly OpenLineageOutputDataset[];
}

export interface OpenLineageEventOptions {
  /** Namespace of Farol's jobs; default DEFAULT_JOB_NAMESPACE. */
  readonly jobNamespace?: string;
  /** Default FAROL_VERSION. */
  readonly farolVersion?: string;
}

export function toOpenLineageEvent(
  run: LineageRun,
  transition: LineageTransition,
  eventTime: Date,
  options: OpenLineageEventOptions = {},
): OpenLineageRunEvent {
  const version = options.farolVersion ?? FAROL_VERSION;
  const producer = farolProducer(version);
  const facet = (name: FarolFacetName, fields: Record<string, unknown>): OpenLineageFacet => ({
    _producer: producer,
    _schemaURL: facetSchemaUrl(name),
    ...fields,
  });

  const runFacets: Record<string, OpenLineageFacet> = {
    processing_engine: facet('processing_engine', { name: 'Farol', version }),
  };
  if (transition.kind === 'fail') {
    runFacets.errorMessage = facet('errorMessage', {
      message: truncate(transition.error, MAX_ERROR_MESSAGE_CHARS),
      programmingLanguage: 'TypeScript',
    });
  }

  const datasetFacets = (dataset: LineageDataset): { facets?: OpenLineageFacets } =>
    dataset.fields && dataset.fields.length > 0
      ? { facets: { schema: facet('schema', { fields: dataset.fields.map((f) => ({ name: f.name, type: f.type })) }) } }
      : {};

  return {
    eventTime: eventTime.toISOString(),
    producer,
    schemaURL: RUN_EVENT_SCHEMA_URL,
    eventType: eventTypeOf(transition),
    run: { runId: run.runId, facets: runFacets },
    job: {
      namespace: options.jobNamespace ?? DEFAULT_JOB_NAMESPACE,
      name: run.job,
      facets: {
        jobType: facet('jobType', { processingType: processingTypeOf(run.trigger), integration: 'FAROL', jobType: 'JOB' }),
      },
    },
    inputs: run.inputs.map((d) => ({ namespace: d.namespace, name: d.name, ...datasetFacets(d) })),
    outputs: run.outputs.map((d) => {
      const rowCount = transition.kind === 'complete' ? rowCountOf(d, transition.stats) : undefined;
      return {
        namespace: d.namespace,
        name: d.name,
        ...datasetFacets(d),
        ...(rowCount === undefined ? {} : { outputFacets: { outputStatistics: facet('outputStatistics', { rowCount }) } }),
      };
    }),
  };
}

/** `<$id>#/$defs/<definition>`: the JSON Pointer form the spec asks `_schemaURL` to take. */
export function facetSchemaUrl(name: FarolFacetName): string {
  const { id, def } = FACET_SCHEMAS[name];
  return `${id}#/$defs/${def}`;
}

function eventTypeOf(transition: LineageTransition): OpenLineageEventType {
  switch (transition.kind) {
    case 'start':
      return 'START';
    case 'complete':
      return 'COMPLETE';
    case 'fail':
      return 'FAIL';
    case 'abort':
      return 'ABORT';
    default: {
      const unhandled: never = transition;
      return unhandled;
    }
  }
}

/** A hook run handles a notification as it arrives; every other trigger works through a finite batch. */
function processingTypeOf(trigger: string): 'BATCH' | 'STREAMING' {
  return trigger === 'hook' ? 'STREAMING' : 'BATCH';
}

/** The spec types rowCount as an integer; a count that is not one is left out rather than sent wrong. */
function rowCountOf(dataset: LineageDataset, stats: LineageRunStats): number | undefined {
  if (dataset.rowCountFrom === undefined) return undefined;
  const value = stats[dataset.rowCountFrom];
  return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
