export { startSqlApiServer, SERVER_VERSION, DEFAULT_MAX_CONNECTIONS, type SqlApiOptions, type SqlApiServer } from './sql-api-server.js';
export { sqlTablesFor } from './sql-tables.js';
export type { CatalogResponder, SqlColumnSpec, SqlResultSet, SqlSessionState, SqlTableSpec } from './catalog-responder.js';
