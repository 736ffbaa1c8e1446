import type { FarolApp } from '../src/main.js';

const STILL_MS = 2_000;
const MAX_WAIT_MS = 120_000;

/**
 * Waits until a freshly started service is between pulls: every scheduled source has finished
 * its start-up run, the refresh loop is idle, and gold's data version has held still for
 * `STILL_MS`. Measuring earlier would time the start-up refreshes (and the rollups they rebuild)
 * as if they were query cost. Returns the data version reached.
 */
export async function waitForQuietService(app: Pick<FarolApp, 'scheduler' | 'refreshes' | 'pipeline'>): Promise<number> {
  const until = Date.now() + MAX_WAIT_MS;
  await app.scheduler.settled();
  let version = app.pipeline.dataVersions.current();
  let since = Date.now();
  while (Date.now() < until && Date.now() - since < STILL_MS) {
    await app.refreshes.idle();
    await new Promise((r) => setTimeout(r, 250));
    if (app.pipeline.dataVersions.current() !== version) {
      version = app.pipeline.dataVersions.current();
      since = Date.now();
    }
  }
  return version;
}
