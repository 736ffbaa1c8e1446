/**
 * The worker thread that owns PGlite. PGlite runs PostgreSQL's single backend synchronously on
 * the thread that calls it, and PostgreSQL's statement_timeout does not fire there (measured: a
 * 100M-row generate_series ran 37 s regardless), so a hostile catalog query would stall the whole
 * service. In a worker it stalls only the catalog, and the engine can terminate the worker and
 * restart from the image in about half a second.
 *
 * The source is a string evaluated as CommonJS because the worker must run both from `src/`
 * under vitest/tsx and from `dist/` after `tsc`, and a string needs no build step or loader.
 * Protocol (structured clone): workerData `{ pgliteEntry, image?, setup, maxRows }`; the worker
 * posts `{ type: 'image', image }` (fresh start only), then `{ type: 'ready' }` or
 * `{ type: 'fatal', message }`; a job `{ id, kind: 'transaction', committed, steps }` runs
 * the `committed` statements on their own, then `BEGIN; steps...; ROLLBACK` (ROLLBACK always,
 * also after an error) and posts
 * `{ id, results }` for the steps marked `keep`, or `{ id, error }`; `{ id, kind: 'vacuum' }`
 * vacuums the system catalogs the per-call tables leave dead rows in.
 */
export const PGLITE_WORKER_SOURCE = String.raw`
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const { PGlite } = require(workerData.pgliteEntry);
// Every value in PostgreSQL's text format, as the wire protocol sends it: no JS parsing.
const identity = (x) => x;
const textOnly = () => new Proxy({}, { get: () => identity });
let db;

function errorOf(e) {
  return { message: e && e.message ? String(e.message) : String(e), code: e && e.code ? String(e.code) : undefined,
           position: e && e.position ? Number(e.position) : undefined };
}

async function boot() {
  let image = workerData.image;
  if (!image) {
    const fresh = await PGlite.create();
    for (const s of workerData.setup) await fresh.query(s.sql, s.params || []);
    const dump = await fresh.dumpDataDir('none');
    await fresh.close();
    image = new Uint8Array(await dump.arrayBuffer());
    parentPort.postMessage({ type: 'image', image });
  }
  db = await PGlite.create({ loadDataDir: new Blob([image]), database: workerData.database });
  db.parsers = textOnly();
  db.serializers = textOnly();
}

async function transaction(steps, committed) {
  for (const step of committed || []) await db.query(step.sql, step.params || []);
  const results = [];
  await db.exec('BEGIN');
  try {
    for (const step of steps) {
      const r = await db.query(step.sql, step.params || [], { rowMode: 'array' });
      if (r.rows.length > workerData.maxRows) {
        const err = new Error('a catalog answer may hold at most ' + workerData.maxRows + ' rows');
        err.code = '54000';
        throw err;
      }
      if (step.keep) results.push({ fields: r.fields, rows: r.rows, command: r.command || '', rowCount: r.rowCount });
    }
  } finally {
    await db.exec('ROLLBACK');
  }
  return results;
}

async function vacuum() {
  await db.exec('VACUUM pg_catalog.pg_class, pg_catalog.pg_attribute, pg_catalog.pg_type, pg_catalog.pg_depend, ' +
    'pg_catalog.pg_description, pg_catalog.pg_proc, pg_catalog.pg_namespace, pg_catalog.pg_init_privs');
}

boot().then(
  () => {
    let chain = Promise.resolve();
    parentPort.on('message', (job) => {
      chain = chain.then(async () => {
        try {
          if (job.kind === 'vacuum') { await vacuum(); parentPort.postMessage({ id: job.id, results: [] }); }
          else parentPort.postMessage({ id: job.id, results: await transaction(job.steps, job.committed) });
        } catch (e) {
          parentPort.postMessage({ id: job.id, error: errorOf(e) });
        }
      });
    });
    parentPort.postMessage({ type: 'ready' });
  },
  (e) => parentPort.postMessage({ type: 'fatal', message: errorOf(e).message }),
);
`;
