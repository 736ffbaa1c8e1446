// A load generator for JSON POST endpoints, in its own thread so the server under test does not
// share an event loop with its client. Plain JavaScript: worker threads start without the
// TypeScript loader.
import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import { Pool } from 'undici';

const { base, path, headers, bodies, total, concurrency } = workerData;
const pool = new Pool(base, { connections: concurrency, pipelining: 1 });
const latencies = [];
let next = 0;
let ok = 0;
const t0 = performance.now();
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (next < total) {
      const body = bodies[next++ % bodies.length];
      const s = performance.now();
      const res = await pool.request({ path, method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });
      await res.body.dump();
      latencies.push(performance.now() - s);
      if (res.statusCode === 200) ok++;
    }
  }),
);
const seconds = (performance.now() - t0) / 1000;
await pool.close();
parentPort?.postMessage({ seconds, ok, latencies });
