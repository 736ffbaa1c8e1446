// The load generator for the hook benchmark, in its own thread so the server under test does not
// share an event loop with its client. Plain JavaScript: worker threads start without the
// TypeScript loader.
import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import { Pool } from 'undici';

const { base, path, token, total, concurrency, orderIds } = workerData;
const pool = new Pool(base, { connections: concurrency, pipelining: 1 });
const latencies = [];
let next = 0;
let acked = 0;
const t0 = performance.now();
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (next < total) {
      const n = next++;
      const body = JSON.stringify({
        Domain: 'Marketplace', OrderId: orderIds[n % orderIds.length], State: 'payment-approved',
        LastState: 'payment-pending', LastChange: '2025-03-14T13:24:58.4411230Z', CurrentChange: new Date().toISOString(),
        Origin: { Account: 'lojaexemplo', Key: 'vtexappkey-lojaexemplo-BENCH' },
      });
      const s = performance.now();
      const res = await pool.request({ path, method: 'POST', body, headers: { 'content-type': 'application/json', 'x-farol-hook-token': token } });
      await res.body.dump();
      latencies.push(performance.now() - s);
      if (res.statusCode === 200) acked++;
    }
  }),
);
const seconds = (performance.now() - t0) / 1000;
await pool.close();
parentPort?.postMessage({ seconds, acked, latencies });
