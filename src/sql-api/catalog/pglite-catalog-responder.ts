import type { CatalogResponder, SqlResultSet, SqlSessionState, SqlTableSpec } from '../catalog-responder.js';
import { CatalogError, SQLSTATE } from './catalog-error.js';
import { CLIENT_ROLE, HELPER_SCHEMA, ROLE_SCHEMA_PREFIX } from './catalog-image-sql.js';
import { catalogTables } from './catalog-tables.js';
import { PgliteEngine, type EngineResult, type EngineStep } from './pglite-engine.js';
import { CATALOG_VERSION_STRING } from './server-version.js';
import { loadStatementParser, planStatement, type SetConfigArg, type StatementPlan } from './statement-plan.js';
import { deleteSetting, putSetting, replayableSettings, setConfigSql, settingsReplaySql } from './session-settings.js';

/** Defaults; each is documented on `PgliteEngineOptions`. */
export const DEFAULT_CATALOG_DATABASE = 'farol';
export const DEFAULT_CATALOG_JOB_TIMEOUT_MS = 5_000;
export const DEFAULT_CATALOG_BOOT_TIMEOUT_MS = 120_000;
export const DEFAULT_CATALOG_MAX_ROWS = 100_000;
export const DEFAULT_CATALOG_VACUUM_EVERY = 200;

export interface PgliteCatalogOptions {
  /** The database name clients see (`current_database()`, `pg_database`, psql's `\l`). */
  readonly database?: string;
  readonly jobTimeoutMs?: number;
  readonly bootTimeoutMs?: number;
  readonly maxRows?: number;
  readonly vacuumEvery?: number;
}

const TEXT_OID = 25;

/**
 * Answers what BI clients send besides queries with a real PostgreSQL (PGlite) in which the
 * session's role sees its tables, empty, and nothing else. Every call is one transaction that
 * creates the role's tables, applies the session's settings, drops the helper, becomes the
 * unprivileged client role, turns read-only, runs the client's statement and rolls everything
 * back; so roles never see each other's tables and nothing a client does outlives its call
 * except what the session map records.
 */
export class PgliteCatalogResponder implements CatalogResponder {
  private readonly engine: PgliteEngine;

  constructor(options: PgliteCatalogOptions = {}) {
    this.engine = new PgliteEngine({
      database: options.database ?? DEFAULT_CATALOG_DATABASE,
      jobTimeoutMs: options.jobTimeoutMs ?? DEFAULT_CATALOG_JOB_TIMEOUT_MS,
      bootTimeoutMs: options.bootTimeoutMs ?? DEFAULT_CATALOG_BOOT_TIMEOUT_MS,
      maxRows: options.maxRows ?? DEFAULT_CATALOG_MAX_ROWS,
      vacuumEvery: options.vacuumEvery ?? DEFAULT_CATALOG_VACUUM_EVERY,
    });
  }

  /** Starts PGlite now (seconds the first time) instead of on the first catalog statement. */
  async start(): Promise<void> {
    await Promise.all([loadStatementParser(), this.engine.start()]);
  }

  async run(sql: string, params: readonly (string | null)[], tables: readonly SqlTableSpec[], session: SqlSessionState): Promise<SqlResultSet> {
    await loadStatementParser();
    const plan = planStatement(sql);
    switch (plan.kind) {
      case 'noop':
        return { fields: [], rows: [], command: plan.command };
      case 'reset-all':
        session.settings.clear();
        return { fields: [], rows: [], command: plan.command };
      case 'reset':
        deleteSetting(session.settings, plan.name);
        return { fields: [], rows: [], command: 'RESET' };
      case 'set':
        return this.set(sql, params, plan.name, tables, session);
      case 'set-config':
        return this.setConfig(plan, params, tables, session);
      case 'query': {
        const [result] = await this.engine.transaction([...this.prelude(tables, session, plan.callsVersion), { sql: plan.sql, params, keep: true }], ensureTables(tables));
        return toResultSet(result!);
      }
      default: {
        const _: never = plan;
        throw new Error(`unplanned statement ${JSON.stringify(_)}`);
      }
    }
  }

  close(): Promise<void> {
    return this.engine.close();
  }

  /** PostgreSQL checks the name, the value and the client role's right to set it; the session keeps the result. */
  private async set(sql: string, params: readonly (string | null)[], name: string, tables: readonly SqlTableSpec[], session: SqlSessionState): Promise<SqlResultSet> {
    const [, value] = await this.engine.transaction(
      [...this.prelude(tables, session, false), { sql, params, keep: true }, { sql: 'SELECT pg_catalog.current_setting($1)', params: [name], keep: true }],
      ensureTables(tables),
    );
    putSetting(session.settings, name, value!.rows[0]![0] ?? '');
    return { fields: [], rows: [], command: 'SET' };
  }

  private async setConfig(plan: Extract<StatementPlan, { kind: 'set-config' }>, params: readonly (string | null)[], tables: readonly SqlTableSpec[], session: SqlSessionState): Promise<SqlResultSet> {
    const [name, value, isLocal] = plan.args.map((a) => argValue(a, params));
    if (name === null || name === undefined) throw new CatalogError(SQLSTATE.invalidParameterValue, 'set_config: the setting name must not be null');
    const key = name.toLowerCase();
    if (key === 'role' || key === 'session_authorization') throw new CatalogError(SQLSTATE.insufficientPrivilege, `the SQL API does not allow changing ${key}`);
    // set_config is revoked from the client role, so it runs before the prelude's SET ROLE, and
    // only for a setting the client role could SET itself.
    const [result] = await this.engine.transaction(
      [...this.prelude(tables, session, false).slice(0, -2), { sql: setConfigSql, params: [name, value ?? null, isLocal ?? 'false'], keep: true }],
      ensureTables(tables),
    );
    if (result!.rows.length === 0) throw new CatalogError(SQLSTATE.insufficientPrivilege, `set_config: parameter "${name}" cannot be set by a client (unknown, or not a user setting)`);
    const stored = result!.rows[0]![0] ?? '';
    // is_local = true outside a transaction block lasts for the statement alone, as in PostgreSQL.
    if (!/^(t|true|on|yes|1)$/i.test(isLocal ?? '')) putSetting(session.settings, key, stored);
    return { fields: [{ name: plan.column, typeOid: TEXT_OID }], rows: [[stored]], command: 'SELECT 1' };
  }

  /**
   * The statements before the client's: as the bootstrap superuser, leave only the role's
   * schema, renamed `public` (and define `pg_temp.version()` if called), replay the session's
   * settings transaction-locally and drop the helper schema; then become the client role and
   * make the transaction read-only, which PostgreSQL allows after writes but never the other way.
   */
  private prelude(tables: readonly SqlTableSpec[], session: SqlSessionState, callsVersion: boolean): EngineStep[] {
    const steps: EngineStep[] = [{ sql: `SELECT ${HELPER_SCHEMA}.show_only($1)`, params: [roleSchema(tables)] }];
    if (callsVersion) steps.push({ sql: `SELECT ${HELPER_SCHEMA}.define_version($1)`, params: [CATALOG_VERSION_STRING] });
    const settings = replayableSettings(session.settings);
    if (settings) steps.push({ sql: settingsReplaySql, params: [settings] });
    steps.push({ sql: `DROP SCHEMA ${HELPER_SCHEMA} CASCADE` }, { sql: `SET LOCAL ROLE ${CLIENT_ROLE}` }, { sql: 'SET TRANSACTION READ ONLY' });
    return steps;
  }
}

function roleSchema(tables: readonly SqlTableSpec[]): string {
  return ROLE_SCHEMA_PREFIX + catalogTables(tables).fingerprint;
}

/** Creates the role's schema the first time its table set is seen (a no-op afterwards). */
function ensureTables(tables: readonly SqlTableSpec[]): EngineStep[] {
  const { json, fingerprint } = catalogTables(tables);
  return [{ sql: `SELECT ${HELPER_SCHEMA}.ensure_tables($1::jsonb, $2)`, params: [json, ROLE_SCHEMA_PREFIX + fingerprint] }];
}

function argValue(arg: SetConfigArg, params: readonly (string | null)[]): string | null | undefined {
  if (arg.kind === 'literal') return arg.value;
  if (arg.index < 1 || arg.index > params.length) throw new CatalogError('08P01', `set_config: parameter $${arg.index} was not supplied`);
  return params[arg.index - 1];
}

function toResultSet(result: EngineResult): SqlResultSet {
  const command = result.command === 'SELECT' ? `SELECT ${result.rowCount ?? result.rows.length}` : result.command;
  return { fields: result.fields.map((f) => ({ name: f.name, typeOid: f.dataTypeID })), rows: result.rows, command };
}
