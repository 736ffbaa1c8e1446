import { Worker } from 'node:worker_threads';

export interface PostLoad {
  readonly seconds: number;
  /** Requests answered 200. */
  readonly ok: number;
  readonly latencies: number[];
}

/**
 * POSTs `total` JSON bodies (cycling through `bodies`) from `concurrency` keep-alive clients in
 * another thread, so the server under test does not share an event loop with its client.
 */
export async function postLoad(opts: {
  readonly base: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly bodies: readonly string[];
  readonly total: number;
  readonly concurrency: number;
}): Promise<PostLoad> {
  const client = new Worker(new URL('./post-load-client.mjs', import.meta.url), { workerData: opts });
  try {
    return await new Promise<PostLoad>((resolve, reject) => {
      client.once('message', resolve);
      client.once('error', reject);
    });
  } finally {
    await client.terminate();
  }
}
