import os from 'node:os';
import path from 'node:path';
import type { SourceModule } from '../source-module.js';
import { stageInOneTransaction, TerminalSourceError } from '../source-module.js';
import { stageStoreTargets } from './store-target-staging.js';
import { parseTargetsCursor, readTargetsFile, STORE_TARGET_ENTITY } from './store-targets-file.js';

/** The file is cheap to look at: an unchanged one is recognised by its hash and lands nothing. */
export const STORE_TARGETS_DEFAULT_SCHEDULE = '1h';

export interface StoreTargetsSourceOptions {
  /** The spreadsheet to read when a run names none (`FAROL_STORE_TARGETS_FILE`). */
  readonly file: string | undefined;
}

/**
 * Monthly revenue (and orders) targets per store, from a CSV a commercial team maintains. A run
 * lands the rows of a new or changed file in pages of a thousand, each with a cursor (content
 * hash + line), so a killed run resumes at the next line; an unchanged file lands nothing.
 */
export function createStoreTargetsSource(opts: StoreTargetsSourceOptions): SourceModule {
  return {
    kind: 'store-targets',
    title: 'Store targets (CSV)',
    system: `file://${os.hostname()}`,
    silverEntities: [STORE_TARGET_ENTITY],
    entity: 'store_targets',
    defaultSchedule: opts.file ? STORE_TARGETS_DEFAULT_SCHEDULE : undefined,
    async *extract(req) {
      const file = req.file ?? opts.file;
      if (!file) {
        throw new TerminalSourceError('no file to read: set FAROL_STORE_TARGETS_FILE or pass --file <path>');
      }
      const resolved = path.resolve(file);
      let pages;
      try {
        pages = readTargetsFile(resolved, req.full ? undefined : parseTargetsCursor(req.cursor));
        for await (const page of pages) {
          yield { records: page.records, cursor: JSON.stringify(page.cursor), expectedTotal: page.totalRows };
        }
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new TerminalSourceError(`file not found: ${resolved}`);
        throw err;
      }
    },
    stage: stageInOneTransaction(stageStoreTargets),
  };
}
