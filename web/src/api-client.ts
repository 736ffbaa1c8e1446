import { readKey } from './session-key.js';

/** A GraphQL answer that carried errors, or an HTTP failure: `code` is the server's `extensions.code`. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
    readonly status: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** The server has no such field: an older or partial Farol (e.g. without alerts). */
  get missingField(): boolean {
    return this.code === 'GRAPHQL_VALIDATION_FAILED' && /Cannot query field|Unknown type|Cannot return null/.test(this.message);
  }
}

interface GraphqlBody<T> {
  readonly data?: T | null;
  readonly errors?: readonly { readonly message: string; readonly extensions?: { readonly code?: string } }[];
}

/** One GraphQL operation against this origin's `/graphql` with the session's key. */
export async function graphql<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const key = readKey();
  if (!key) throw new ApiError('Not signed in', 'UNAUTHENTICATED', 401);
  const res = await fetch('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ query, variables }),
  });
  let body: GraphqlBody<T>;
  try {
    body = (await res.json()) as GraphqlBody<T>;
  } catch {
    throw new ApiError(`The server answered HTTP ${res.status} without JSON`, undefined, res.status);
  }
  const first = body.errors?.[0];
  if (first) throw new ApiError(first.message, first.extensions?.code, res.status);
  if (!res.ok || body.data == null) throw new ApiError(`The server answered HTTP ${res.status}`, undefined, res.status);
  return body.data;
}

/** What a panel says instead of its content when a call failed. */
export function explain(err: unknown, what: string): string {
  if (!(err instanceof ApiError)) return `Could not load ${what}: ${err instanceof Error ? err.message : String(err)}`;
  if (err.code === 'UNAUTHENTICATED') return 'The key was refused; sign in again.';
  if (err.code === 'FORBIDDEN') return `Your role may not see ${what}.`;
  if (err.missingField) return `${what[0]?.toUpperCase()}${what.slice(1)} are not available on this server.`;
  return `Could not load ${what}: ${err.message}`;
}
