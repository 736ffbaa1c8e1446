export interface SqlColumnSpec { readonly name: string; readonly type: 'text'|'numeric'|'int8'|'float8'|'bool'|'date'|'timestamp'|'timestamptz'; readonly description?: string }
export interface SqlTableSpec { readonly name: string; readonly description?: string; readonly columns: readonly SqlColumnSpec[] }
export interface SqlSessionState { readonly settings: Map<string, string>; readonly user: string; readonly database: string }
export interface SqlResultSet { readonly fields: readonly { name: string; typeOid: number }[]; readonly rows: readonly (readonly (string | null)[])[]; readonly command: string /* e.g. 'SELECT 3', 'SET' */ }
export interface CatalogResponder {
  /** Answers a system/catalog/utility statement for a session whose role sees `tables`. Throws an error carrying a SQLSTATE (`code`) when it cannot. */
  run(sql: string, params: readonly (string | null)[], tables: readonly SqlTableSpec[], session: SqlSessionState): Promise<SqlResultSet>;
}
