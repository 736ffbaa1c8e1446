import moment from 'moment-timezone';

/**
 * The tz-database name of `name`, matched case-insensitively (`america/sao_paulo` →
 * `America/Sao_Paulo`), or undefined for a zone the tz database does not know. This is Cube's
 * rule for a query's `timezone` (its `canonicalTimezone`), read from the same moment-timezone
 * data that resolves relative dates, so a zone accepted here is one they can compute in.
 */
export function canonicalTimeZone(name: string): string | undefined {
  return moment.tz.zone(name)?.name;
}
