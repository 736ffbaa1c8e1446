import type { A_Const, FuncCall, Node, ResTarget, SelectStmt } from 'libpg-query';
import type { CatalogResponder, SqlResultSet, SqlSessionState, SqlTableSpec } from './catalog-responder.js';
import { literalOf } from './sql-literals.js';
import { nodeKind, parseStatements } from './sql-parser.js';
import { SqlError, SQLSTATE } from './sql-error.js';
import { TYPE_OIDS } from './sql-types.js';

const INT4_OID = 23;

/**
 * The fallback for system statements until the full catalog responder (`src/sql-api/catalog/`)
 * is wired in: what psql and drivers send on connect and per transaction. `SELECT version()`,
 * `current_setting(…)`, constants, `SET`/`RESET`/`SHOW` over the session's settings,
 * BEGIN/COMMIT/ROLLBACK, DISCARD and DEALLOCATE (no-ops: the API is read-only). Anything else
 * is 0A000, naming what it was.
 */
export class BasicCatalogResponder implements CatalogResponder {
  constructor(private readonly serverVersion: string) {}

  async run(sql: string, params: readonly (string | null)[], _tables: readonly SqlTableSpec[], session: SqlSessionState): Promise<SqlResultSet> {
    const [stmt] = parseStatements(sql);
    if (!stmt) return { fields: [], rows: [], command: '' };
    const kind = nodeKind(stmt.node);
    const inner = Object.values(stmt.node)[0] as Record<string, unknown>;
    switch (kind) {
      case 'VariableSetStmt':
        return this.set(inner as { kind?: string; name?: string; args?: Node[] }, params, session);
      case 'VariableShowStmt': {
        const name = String(inner.name ?? '').toLowerCase();
        const value = session.settings.get(name);
        if (value === undefined) throw new SqlError('42704', `unrecognized configuration parameter "${name}"`);
        return { fields: [{ name, typeOid: TYPE_OIDS.text }], rows: [[value]], command: 'SHOW' };
      }
      case 'TransactionStmt':
        return { fields: [], rows: [], command: transactionTag(String(inner.kind ?? '')) };
      case 'DiscardStmt':
        return { fields: [], rows: [], command: 'DISCARD ALL' };
      case 'DeallocateStmt':
        return { fields: [], rows: [], command: 'DEALLOCATE' };
      case 'SelectStmt':
        return this.select(inner as SelectStmt, params, session);
      default:
        throw unsupported();
    }
  }

  private set(stmt: { kind?: string; name?: string; args?: Node[] }, params: readonly (string | null)[], session: SqlSessionState): SqlResultSet {
    const name = (stmt.name ?? '').toLowerCase();
    if (stmt.kind === 'VAR_RESET' || stmt.kind === 'VAR_SET_DEFAULT') {
      session.settings.delete(name);
      return { fields: [], rows: [], command: stmt.kind === 'VAR_RESET' ? 'RESET' : 'SET' };
    }
    if (stmt.kind !== 'VAR_SET_VALUE' || !name) throw unsupported();
    const values = (stmt.args ?? []).map((a) => literalOf(a, params)?.value ?? '');
    session.settings.set(name, values.join(', '));
    return { fields: [], rows: [], command: 'SET' };
  }

  private select(select: SelectStmt, params: readonly (string | null)[], session: SqlSessionState): SqlResultSet {
    if (select.fromClause?.length || select.whereClause || select.op !== 'SETOP_NONE') throw unsupported();
    const fields: { name: string; typeOid: number }[] = [];
    const row: (string | null)[] = [];
    for (const t of select.targetList ?? []) {
      const target = (t as { ResTarget: ResTarget }).ResTarget;
      const val = target.val as Node;
      if (nodeKind(val) === 'FuncCall') {
        const call = (val as { FuncCall: FuncCall }).FuncCall;
        const fn = ((call.funcname ?? []).map((n) => (n as { String?: { sval?: string } }).String?.sval).pop() ?? '').toLowerCase();
        if (fn === 'version' && !call.args?.length) {
          fields.push({ name: target.name ?? 'version', typeOid: TYPE_OIDS.text });
          row.push(`PostgreSQL ${this.serverVersion} on Farol's SQL API`);
          continue;
        }
        if (fn === 'current_setting' && call.args?.length) {
          const setting = literalOf(call.args[0] as Node, params)?.value?.toLowerCase() ?? '';
          const value = session.settings.get(setting);
          if (value === undefined && !(call.args[1] && literalOf(call.args[1], params)?.value === 'true')) {
            throw new SqlError('42704', `unrecognized configuration parameter "${setting}"`);
          }
          fields.push({ name: target.name ?? 'current_setting', typeOid: TYPE_OIDS.text });
          row.push(value ?? null);
          continue;
        }
        throw unsupported();
      }
      const lit = literalOf(val, params);
      if (!lit) throw unsupported();
      const isInt = nodeKind(val) === 'A_Const' && (val as { A_Const: A_Const }).A_Const.ival !== undefined;
      fields.push({ name: target.name ?? '?column?', typeOid: isInt ? INT4_OID : TYPE_OIDS.text });
      row.push(lit.value);
    }
    return { fields, rows: [row], command: 'SELECT 1' };
  }
}

function transactionTag(kind: string): string {
  switch (kind) {
    case 'TRANS_STMT_BEGIN':
      return 'BEGIN';
    case 'TRANS_STMT_START':
      return 'START TRANSACTION';
    case 'TRANS_STMT_COMMIT':
      return 'COMMIT';
    case 'TRANS_STMT_ROLLBACK':
      return 'ROLLBACK';
    default:
      throw unsupported();
  }
}

function unsupported(): SqlError {
  return new SqlError(SQLSTATE.featureNotSupported, "This system statement is not answered by Farol's SQL API yet (only version(), current_setting, SET/SHOW, BEGIN/COMMIT/ROLLBACK)");
}
