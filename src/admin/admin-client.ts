import { Agent, request } from 'undici';
import type { AdminEndpoint } from './admin-file.js';
import type { AdminEvent } from './admin-operations.js';

/** Local calls can take as long as a rebuild; the connection itself must come up at once. */
let agent: Agent | undefined;
const dispatcher = () => (agent ??= new Agent({ connectTimeout: 5_000, headersTimeout: 0, bodyTimeout: 0 }));

/** Calls a streaming admin operation, handing each event to `onEvent`; resolves with the last one. */
export async function callAdminStream(endpoint: AdminEndpoint, path: string, body: unknown, onEvent: (e: AdminEvent) => void): Promise<AdminEvent> {
  const res = await request(new URL(path, endpoint.url), {
    method: 'POST', dispatcher: dispatcher(),
    headers: { authorization: `Bearer ${endpoint.token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (res.statusCode !== 200) {
    const text = await res.body.text();
    return { type: 'error', message: `the running service refused the request (${res.statusCode}): ${text.slice(0, 300)}` };
  }
  let last: AdminEvent = { type: 'error', message: 'the running service closed the connection before the operation ended' };
  let buffer = '';
  for await (const chunk of res.body) {
    buffer += chunk.toString();
    let nl: number;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl).trim();
      buffer = buffer.slice(nl + 1);
      if (!line) continue;
      const event = JSON.parse(line) as AdminEvent;
      last = event;
      onEvent(event);
    }
  }
  return last;
}

export async function callAdminJson(endpoint: AdminEndpoint, path: string, query: Record<string, string | undefined>): Promise<unknown> {
  const url = new URL(path, endpoint.url);
  for (const [k, v] of Object.entries(query)) if (v !== undefined) url.searchParams.set(k, v);
  const res = await request(url, { dispatcher: dispatcher(), headers: { authorization: `Bearer ${endpoint.token}` } });
  const json = (await res.body.json()) as unknown;
  if (res.statusCode !== 200) {
    const e = json as { message?: string; usage?: boolean };
    const err = new Error(e.message ?? `admin request failed (${res.statusCode})`) as Error & { usage?: boolean };
    err.usage = e.usage === true;
    throw err;
  }
  return json;
}

export async function closeAdminClient(): Promise<void> {
  const a = agent;
  agent = undefined;
  await a?.close();
}
