/**
 * What the SQL API says it is. Clients choose their catalog queries by server version (pgJDBC
 * drops the RULE privilege from `has_table_privilege` from 18 on; psql's `\l` reads
 * `datlocale` from 17 on), and those queries run in the embedded PostgreSQL, so the version
 * reported is the engine's own: `server_version` at start-up must be `CATALOG_SERVER_VERSION`.
 * `test/sql-api/catalog` fails if a PGlite upgrade changes the engine under this constant.
 */
export const CATALOG_SERVER_VERSION = '18.7';
export const CATALOG_SERVER_VERSION_NUM = '180007';

/**
 * `version()`: starts like PostgreSQL's so that tools which parse it (`PostgreSQL <major>.<minor>`)
 * see the same version as `server_version`, and names Farol. It must not contain "Redshift",
 * "Greenplum" or "CockroachDB": Npgsql, Tableau and others switch dialects on those words.
 */
export const CATALOG_VERSION_STRING = `PostgreSQL ${CATALOG_SERVER_VERSION} (Farol SQL API), 64-bit`;
