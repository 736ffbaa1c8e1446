import { z } from 'zod';
import type { CdcPosition } from '../../cdc/cdc-change.js';
import { formatLsn, isLsnText, parseLsn } from '../../cdc/lsn.js';

/**
 * The club registry's cursor: the CDC position as JSON, LSN in PostgreSQL's `X/Y` form so an
 * operator can compare it with `pg_replication_slots.confirmed_flush_lsn`.
 */
const cursorSchema = z.object({
  phase: z.enum(['snapshot', 'stream']),
  lsn: z.string().refine(isLsnText, 'expected a WAL position X/Y'),
  tablesDone: z.array(z.string()).default([]),
});

export function formatClubCursor(p: CdcPosition): string {
  return JSON.stringify({ phase: p.phase, lsn: formatLsn(p.lsn), tablesDone: p.tablesDone });
}

/** The position in a stored cursor; undefined when there is none or it is not one (a new snapshot then). */
export function parseClubCursor(raw: string | undefined): CdcPosition | undefined {
  if (!raw) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return undefined;
  }
  const parsed = cursorSchema.safeParse(json);
  if (!parsed.success) return undefined;
  return { phase: parsed.data.phase, lsn: parseLsn(parsed.data.lsn), tablesDone: parsed.data.tablesDone };
}
