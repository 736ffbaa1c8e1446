/**
 * The explorer's query: what the form holds, the Cube query it means, the same as GraphQL text,
 * and the shareable link that carries it. Pure (no DOM), so it is tested under Node. The link
 * holds the query and nothing else: never the key.
 */
import { z } from 'zod';

export const GRAINS = ['hour', 'day', 'week', 'month'] as const;
export const CHART_KINDS = ['line', 'bar'] as const;
/** How many rows the explorer asks for: enough for a chart, far under the API's budget. */
export const EXPLORER_ROW_LIMIT = 5_000;
/** Longest link fragment read; a longer one is refused before decoding. */
export const MAX_LINK_LENGTH = 8_000;

const member = z.string().min(1).max(200).regex(/^[A-Za-z_][\w]*\.[A-Za-z_][\w]*$/, 'a member is `view.member`');

export const explorerStateSchema = z.object({
  view: z.string().min(1).max(200),
  measures: z.array(member).min(1).max(20),
  dimensions: z.array(member).max(10).default([]),
  timeDimension: member.optional(),
  grain: z.enum(GRAINS).optional(),
  /** A relative range Cube understands (`last 30 days`), or absent for all time. */
  range: z.string().max(40).regex(/^[a-z0-9 ]+$/, 'a range is words like "last 30 days"').optional(),
  chart: z.enum(CHART_KINDS).default('line'),
});
export type ExplorerState = z.infer<typeof explorerStateSchema>;

export interface CubeQuery {
  readonly measures: readonly string[];
  readonly dimensions: readonly string[];
  readonly timeDimensions?: readonly { readonly dimension: string; readonly granularity?: string; readonly dateRange?: string }[];
  readonly limit: number;
}

export function toCubeQuery(state: ExplorerState): CubeQuery {
  const td = state.timeDimension && (state.grain || state.range)
    ? [{ dimension: state.timeDimension, ...(state.grain ? { granularity: state.grain } : {}), ...(state.range ? { dateRange: state.range } : {}) }]
    : undefined;
  return { measures: state.measures, dimensions: state.dimensions, ...(td ? { timeDimensions: td } : {}), limit: EXPLORER_ROW_LIMIT };
}

/**
 * The GraphQL the page sends: the Cube query as `metrics(query:)`'s input. The API takes
 * `dateRange` as a list, so a relative range is a list of one.
 */
export function toGraphqlText(query: CubeQuery): string {
  const input = {
    ...query,
    ...(query.timeDimensions
      ? { timeDimensions: query.timeDimensions.map((t) => ({ ...t, ...(t.dateRange ? { dateRange: [t.dateRange] } : {}) })) }
      : {}),
  };
  return `query Explore {\n  metrics(query: ${graphqlValue(input, '  ')}) {\n    rows\n    dataVersion\n    refreshedAt\n  }\n}\n`;
}

/** The GraphQL input literal of a JSON value (object keys unquoted, strings JSON-escaped). */
function graphqlValue(value: unknown, indent: string): string {
  if (Array.isArray(value)) return `[${value.map((v) => graphqlValue(v, indent)).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    const inner = `${indent}  `;
    const fields = Object.entries(value).map(([k, v]) => `${inner}${k}: ${graphqlValue(v, inner)}`);
    return `{\n${fields.join('\n')}\n${indent}}`;
  }
  return JSON.stringify(value);
}

/** `q=<base64url of the state's JSON>`, for the URL's fragment (never sent to the server). */
export function encodeState(state: ExplorerState): string {
  const bytes = new TextEncoder().encode(JSON.stringify(state));
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return `q=${btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')}`;
}

/** The state in a link's fragment; a readable reason when it is not one. */
export function decodeState(fragment: string): { readonly state: ExplorerState } | { readonly error: string } {
  const text = fragment.startsWith('#') ? fragment.slice(1) : fragment;
  if (text.length > MAX_LINK_LENGTH) return { error: `the link's query is ${text.length} characters, over ${MAX_LINK_LENGTH}` };
  const encoded = new URLSearchParams(text).get('q');
  if (!encoded) return { error: 'the link holds no query (q=…)' };
  let json: unknown;
  try {
    const binary = atob(encoded.replace(/-/g, '+').replace(/_/g, '/'));
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(binary, (c) => c.charCodeAt(0))));
  } catch {
    return { error: 'the link\'s query is not valid base64url JSON' };
  }
  const parsed = explorerStateSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { error: `the link's query is invalid at ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'unknown problem'}` };
  }
  return { state: parsed.data };
}
