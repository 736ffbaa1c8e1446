import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { CatalogError, SQLSTATE } from './catalog-error.js';
import { imageSetup } from './catalog-image-sql.js';
import { PGLITE_WORKER_SOURCE } from './pglite-worker-source.js';

/** A statement of a job; `keep` asks for its result. */
export interface EngineStep {
  readonly sql: string;
  readonly params?: readonly (string | null)[];
  readonly keep?: boolean;
}

/** A kept step's result, values in PostgreSQL text format. */
export interface EngineResult {
  readonly fields: readonly { name: string; dataTypeID: number }[];
  readonly rows: readonly (readonly (string | null)[])[];
  readonly command: string;
  readonly rowCount?: number;
}

export interface PgliteEngineOptions {
  readonly database: string;
  /** A job running longer is cancelled by terminating the worker (57014). */
  readonly jobTimeoutMs: number;
  /** The first start runs initdb in WASM: seconds, more on a loaded machine. */
  readonly bootTimeoutMs: number;
  /** Largest answer a job may return, in rows (54000 beyond). */
  readonly maxRows: number;
  /** Catalogs are vacuumed after this many jobs (each call leaves dead catalog rows behind). */
  readonly vacuumEvery: number;
}

type WorkerMessage =
  | { type: 'image'; image: Uint8Array }
  | { type: 'ready' }
  | { type: 'fatal'; message: string }
  | { id: number; results?: EngineResult[]; error?: { message: string; code?: string; position?: number } };

interface Running {
  readonly worker: Worker;
  readonly ready: Promise<void>;
}

/**
 * One PGlite per process in one worker thread, started on first use. Jobs run one at a time, in
 * order (`queue`); each is a whole transaction, so two sessions' tables and settings never mix.
 * A job that overruns, or a worker that dies, costs only that job: the worker is terminated and
 * the next job starts a new one from the image the first start dumped (~0.5 s instead of initdb).
 */
export class PgliteEngine {
  private readonly options: PgliteEngineOptions;
  private running: Running | undefined;
  private image: Uint8Array | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private nextId = 1;
  private jobsSinceVacuum = 0;
  private closed = false;
  private readonly pending = new Map<number, { resolve: (r: EngineResult[]) => void; reject: (e: Error) => void }>();

  constructor(options: PgliteEngineOptions) {
    this.options = Object.freeze({ ...options });
  }

  /** Starts the engine now rather than on the first job (e.g. at service start, in the background). */
  start(): Promise<void> {
    return this.ensureRunning().ready;
  }

  /**
   * After every job queued before it: runs `committed` (idempotent set-up that must persist, as
   * the bootstrap superuser), then `BEGIN; steps; ROLLBACK`.
   */
  transaction(steps: readonly EngineStep[], committed: readonly EngineStep[] = []): Promise<EngineResult[]> {
    const job = this.queue.then(() => this.runJob({ kind: 'transaction', steps, committed }));
    this.queue = job.then(
      () => this.maybeVacuum(),
      () => this.maybeVacuum(),
    );
    return job;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.queue.catch(() => undefined);
    const running = this.running;
    this.running = undefined;
    if (running) await running.worker.terminate();
  }

  private async maybeVacuum(): Promise<void> {
    if (++this.jobsSinceVacuum < this.options.vacuumEvery || !this.running) return;
    this.jobsSinceVacuum = 0;
    await this.runJob({ kind: 'vacuum' }).catch(() => undefined);
  }

  private async runJob(job: { kind: 'transaction'; steps: readonly EngineStep[]; committed: readonly EngineStep[] } | { kind: 'vacuum' }): Promise<EngineResult[]> {
    if (this.closed) throw new CatalogError(SQLSTATE.internalError, 'the SQL API catalog is closed');
    const running = this.ensureRunning();
    await running.ready;
    const id = this.nextId++;
    return new Promise<EngineResult[]>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new CatalogError(SQLSTATE.queryCanceled, `canceling statement: the catalog query ran longer than ${this.options.jobTimeoutMs} ms`));
        void this.discard(running);
      }, this.options.jobTimeoutMs);
      this.pending.set(id, {
        resolve: (r) => (clearTimeout(timer), resolve(r)),
        reject: (e) => (clearTimeout(timer), reject(e)),
      });
      running.worker.postMessage({ id, ...job });
    });
  }

  private ensureRunning(): Running {
    if (this.running) return this.running;
    const require = createRequire(import.meta.url);
    const worker = new Worker(PGLITE_WORKER_SOURCE, {
      eval: true,
      workerData: {
        pgliteEntry: require.resolve('@electric-sql/pglite'),
        image: this.image,
        setup: imageSetup(this.options.database),
        database: this.options.database,
        maxRows: this.options.maxRows,
      },
      // Rows are materialised in the worker's heap; a runaway answer kills the worker, not Farol.
      resourceLimits: { maxOldGenerationSizeMb: 512 },
    });
    worker.unref();
    let settle!: { resolve: () => void; reject: (e: Error) => void };
    const ready = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
    const bootTimer = setTimeout(() => {
      settle.reject(new CatalogError(SQLSTATE.internalError, `the SQL API catalog did not start within ${this.options.bootTimeoutMs} ms`));
      void this.discard(running);
    }, this.options.bootTimeoutMs);
    const running: Running = { worker, ready };
    ready.then(
      () => clearTimeout(bootTimer),
      () => clearTimeout(bootTimer),
    );
    worker.on('message', (msg: WorkerMessage) => {
      if ('type' in msg) {
        if (msg.type === 'image') this.image = msg.image;
        else if (msg.type === 'ready') settle.resolve();
        else settle.reject(new CatalogError(SQLSTATE.internalError, `the SQL API catalog failed to start: ${msg.message}`));
        return;
      }
      const waiter = this.pending.get(msg.id);
      if (!waiter) return;
      this.pending.delete(msg.id);
      if (msg.error) waiter.reject(new CatalogError(msg.error.code ?? SQLSTATE.internalError, msg.error.message, msg.error.position));
      else waiter.resolve(msg.results ?? []);
    });
    const died = (reason: string) => {
      settle.reject(new CatalogError(SQLSTATE.internalError, `the SQL API catalog failed to start: ${reason}`));
      if (this.running === running) this.running = undefined;
      for (const [id, waiter] of this.pending) {
        this.pending.delete(id);
        waiter.reject(new CatalogError(SQLSTATE.internalError, `the SQL API catalog stopped while answering: ${reason}`));
      }
    };
    worker.on('error', (err) => died(err.message));
    worker.on('exit', (code) => died(`its worker exited (code ${code})`));
    this.running = running;
    return running;
  }

  private async discard(running: Running): Promise<void> {
    if (this.running === running) this.running = undefined;
    await running.worker.terminate();
  }
}
