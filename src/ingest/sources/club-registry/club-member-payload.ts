import { z } from 'zod';
import { CDC_OPS, type CdcChange } from '../../cdc/cdc-change.js';

/**
 * The bronze payload of one club registry change: what happened (`op`), where in the WAL
 * (`lsn`, a decimal string: exact for any 64-bit position), on which table, and the row's
 * values as PostgreSQL sent them (a delete carries only the key). The row's fields are not
 * checked here: staging does that, quarantining a bad value with the field it is in.
 */
export const clubMemberPayloadSchema = z.object({
  op: z.enum(CDC_OPS),
  lsn: z.string().regex(/^\d{1,20}$/),
  table: z.string(),
  row: z.record(z.string(), z.unknown()),
});
export type ClubMemberPayload = z.infer<typeof clubMemberPayloadSchema>;

/** A change from the reader as the payload bronze keeps; parsed, so its shape is the schema's. */
export function clubMemberPayload(change: CdcChange): string {
  const payload = clubMemberPayloadSchema.parse({ op: change.op, lsn: change.lsn.toString(), table: change.table, row: change.row });
  return JSON.stringify(payload, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
}
