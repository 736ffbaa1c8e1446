import { redactPostgresUrl, type CdcConfig } from '../../cdc/cdc-config.js';
import { readCdc, type CdcReadOptions } from '../../cdc/cdc-reader.js';
import { stageInOneTransaction, TerminalSourceError, type ExtractPage, type ExtractRequest, type SourceModule } from '../source-module.js';
import { clubMemberPayload } from './club-member-payload.js';
import { stageClubMembers } from './club-registry-staging.js';
import { formatClubCursor, parseClubCursor } from './club-registry-cursor.js';
import { CLUB_MEMBER_ENTITY } from './club-registry-names.js';

/** Sign-ups at the till should reach silver within minutes; a caught-up run costs one round trip. */
export const CLUB_REGISTRY_DEFAULT_SCHEDULE = '1m';

export const NO_CDC_DATABASE = 'no club registry configured: set CDC_DATABASE_URL (postgres://user:password@host:port/database) to read it over logical replication';

export interface ClubRegistrySourceOptions {
  /** Undefined when `CDC_DATABASE_URL` is not set: the source is then not scheduled and a run says what is missing. */
  readonly cdc: CdcConfig | undefined;
  /** Reader knobs (page size, idle wait), for tests and benchmarks. */
  readonly reader?: Pick<CdcReadOptions, 'pageSize' | 'idleMs' | 'maxChanges'>;
}

/**
 * The loyalty-club registry: the stores' PostgreSQL table of club sign-ups, read over logical
 * replication (pgoutput). The first run lands a consistent snapshot of the table, then each run
 * lands the changes committed since, until the stream is quiet. Each page lands with its
 * position as the cursor; the slot is confirmed up to a page only after the runner committed it
 * (the reader confirms when it is asked for the next page), so a stop at any point loses nothing,
 * and a change redelivered because a confirmation was lost is skipped by its commit LSN.
 */
export function createClubRegistrySource(opts: ClubRegistrySourceOptions): SourceModule {
  return {
    kind: 'club-registry',
    title: 'Loyalty club registry (PostgreSQL CDC)',
    system: opts.cdc ? redactPostgresUrl(opts.cdc.url).replace(/\/$/, '') : 'postgres://unconfigured',
    silverEntities: [CLUB_MEMBER_ENTITY],
    entity: 'club',
    defaultSchedule: opts.cdc ? CLUB_REGISTRY_DEFAULT_SCHEDULE : undefined,
    extract: (req) => readClubRegistry(opts, req),
    stage: stageInOneTransaction(stageClubMembers),
  };
}

async function* readClubRegistry(opts: ClubRegistrySourceOptions, req: ExtractRequest): AsyncIterable<ExtractPage> {
  if (!opts.cdc) throw new TerminalSourceError(NO_CDC_DATABASE);
  if (req.since) throw new TerminalSourceError('club-registry reads a replication stream: --since does not apply (use --full for a new snapshot)');
  const from = req.full ? undefined : parseClubCursor(req.cursor);
  for await (const page of readCdc({ config: opts.cdc, from, signal: req.signal, logger: req.logger, ...opts.reader })) {
    yield {
      records: page.changes.map((c) => ({ entity: CLUB_MEMBER_ENTITY, naturalKey: c.key, payload: clubMemberPayload(c) })),
      cursor: formatClubCursor(page.position),
    };
  }
}
