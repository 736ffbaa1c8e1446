/**
 * A session's settings live in its `SqlSessionState.settings` map, never in PGlite, which every
 * session shares: each call replays them with `set_config(..., is_local => true)` inside its own
 * transaction, and the rollback forgets them.
 */

/** Never replayed: who the client is, and the read-only transaction the catalog runs it in. */
const NEVER_REPLAYED = /^(role|session_authorization|is_superuser|(default_)?transaction_.*)$/;

/** `set_config($1, $2, $3)` when `$1` is a setting a client may change (custom `x.y`, or of context `user`); else no row. */
export const setConfigSql = `SELECT pg_catalog.set_config($1, $2, $3::boolean) AS set_config
  WHERE pg_catalog.strpos($1, '.') > 0
     OR EXISTS (SELECT 1 FROM pg_catalog.pg_settings WHERE pg_catalog.lower(name) = pg_catalog.lower($1) AND context = 'user')`;

/**
 * Applies one JSON object of settings. Names the client could not have set (start-up packet
 * parameters such as `database` or unknown ones) are skipped rather than failing every call.
 */
export const settingsReplaySql = `SELECT pg_catalog.count(pg_catalog.set_config(s.key, s.value, true))
  FROM pg_catalog.jsonb_each_text($1::jsonb) AS s
  WHERE pg_catalog.strpos(s.key, '.') > 0
     OR EXISTS (SELECT 1 FROM pg_catalog.pg_settings p WHERE pg_catalog.lower(p.name) = pg_catalog.lower(s.key) AND p.context = 'user')`;

/** The settings to replay as one JSON object, or undefined when there are none. */
export function replayableSettings(settings: ReadonlyMap<string, string>): string | undefined {
  const entries = [...settings].filter(([name]) => !NEVER_REPLAYED.test(name.toLowerCase()));
  return entries.length ? JSON.stringify(Object.fromEntries(entries)) : undefined;
}

/** Setting names are case-insensitive: one entry per name, whichever spelling set it last. */
export function putSetting(settings: Map<string, string>, name: string, value: string): void {
  deleteSetting(settings, name);
  settings.set(name.toLowerCase(), value);
}

export function deleteSetting(settings: Map<string, string>, name: string): void {
  for (const key of [...settings.keys()]) if (key.toLowerCase() === name.toLowerCase()) settings.delete(key);
}
