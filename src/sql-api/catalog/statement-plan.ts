import { loadModule, parseSync, scanSync, type FuncCall, type Node, type ParseResult, type SelectStmt } from 'libpg-query';
import { CatalogError, SQLSTATE } from './catalog-error.js';

/** A statement's argument to set_config: a literal or a `$n` parameter. */
export type SetConfigArg = { readonly kind: 'literal'; readonly value: string } | { readonly kind: 'param'; readonly index: number };

/**
 * What to do with one client statement, decided from PostgreSQL's own grammar (libpg-query is
 * PostgreSQL 18's parser, the same major as the engine), never from the statement's text.
 */
export type StatementPlan =
  | { readonly kind: 'noop'; readonly command: string }
  | { readonly kind: 'reset-all'; readonly command: string }
  | { readonly kind: 'reset'; readonly name: string }
  /** Run the client's SET as the client role (PostgreSQL checks the value), keep `current_setting(name)`. */
  | { readonly kind: 'set'; readonly name: string }
  | { readonly kind: 'set-config'; readonly column: string; readonly args: readonly [SetConfigArg, SetConfigArg, SetConfigArg] }
  /** A read-only statement run as is, after `version()` calls are pointed at Farol's (see `rewrite`). */
  | { readonly kind: 'query'; readonly sql: string; readonly callsVersion: boolean };

/** Settings a client may not change: who it is, and the transaction the catalog runs it in. */
const GUARDED_SETTINGS = new Set(['role', 'session_authorization']);
const TRANSACTION_SETTINGS = /^(default_)?transaction_/;

/** Statements that would write, refused as a read-only transaction refuses them (25006). */
const WRITES = new Set([
  'InsertStmt', 'UpdateStmt', 'DeleteStmt', 'MergeStmt', 'CopyStmt', 'TruncateStmt', 'CreateStmt', 'CreateTableAsStmt',
  'ViewStmt', 'IndexStmt', 'AlterTableStmt', 'DropStmt', 'RenameStmt', 'CreateFunctionStmt', 'CreateSchemaStmt', 'GrantStmt',
  'GrantRoleStmt', 'CreateRoleStmt', 'AlterRoleStmt', 'DropRoleStmt', 'CommentStmt', 'CreateSeqStmt', 'AlterSeqStmt',
  'CreateExtensionStmt', 'DoStmt', 'CallStmt', 'VacuumStmt', 'ClusterStmt', 'ReindexStmt', 'LockStmt', 'CreatedbStmt',
  'DropdbStmt', 'AlterSystemStmt', 'RefreshMatViewStmt', 'CreateTrigStmt', 'RuleStmt', 'DefineStmt', 'CompositeTypeStmt',
  'CreateEnumStmt', 'AlterOwnerStmt', 'AlterObjectSchemaStmt', 'AlterFunctionStmt', 'SecLabelStmt', 'LoadStmt', 'CheckPointStmt',
  'NotifyStmt', 'PrepareStmt', 'ExecuteStmt', 'DeclareCursorStmt', 'FetchStmt', 'CreateDomainStmt', 'AlterDefaultPrivilegesStmt',
]);

let loaded: Promise<void> | undefined;
/** libpg-query compiles its WASM once per process. */
export function loadStatementParser(): Promise<void> {
  return (loaded ??= loadModule());
}

/** Plans one statement; throws a `CatalogError` with the SQLSTATE PostgreSQL would use. */
export function planStatement(sql: string): StatementPlan {
  // An empty statement (or only comments) gets EmptyQueryResponse from PostgreSQL: no tag.
  if (sql.trim() === '' || scanSync(sql).tokens.every((t) => t.tokenName === 'SQL_COMMENT' || t.tokenName === 'C_COMMENT')) return { kind: 'noop', command: '' };
  let parsed: ParseResult;
  try {
    parsed = parseSync(sql);
  } catch (err) {
    // The parse tree of a very deeply nested expression overflows the JS stack on its way out of WASM.
    if (err instanceof RangeError) throw new CatalogError(SQLSTATE.statementTooComplex, 'stack depth limit exceeded: the statement is nested too deeply');
    const details = (err as { sqlDetails?: { cursorPosition?: number } }).sqlDetails;
    // libpg-query reports PostgreSQL's cursor position in characters, 0-based; the wire protocol's is 1-based.
    const at = details?.cursorPosition !== undefined ? details.cursorPosition + 1 : undefined;
    throw new CatalogError(SQLSTATE.syntaxError, (err as Error).message, at);
  }
  const stmts = parsed.stmts ?? [];
  if (stmts.length === 0) return { kind: 'noop', command: '' };
  if (stmts.length > 1) throw new CatalogError(SQLSTATE.syntaxError, `one statement at a time: this text holds ${stmts.length}`);
  const stmt = stmts[0]!.stmt;
  if (!stmt) return { kind: 'noop', command: '' };
  const [type, body] = Object.entries(stmt)[0] as [string, unknown];
  switch (type) {
    case 'SelectStmt':
      return planSelect(sql, body as SelectStmt);
    case 'VariableShowStmt':
      return { kind: 'query', sql, callsVersion: false };
    case 'VariableSetStmt':
      return planSet(body as { kind?: string; name?: string; is_local?: boolean });
    case 'TransactionStmt':
      return planTransaction((body as { kind?: string }).kind);
    case 'DiscardStmt':
      return (body as { target?: string }).target === 'DISCARD_ALL'
        ? { kind: 'reset-all', command: 'DISCARD ALL' }
        : { kind: 'noop', command: `DISCARD ${String((body as { target?: string }).target).replace('DISCARD_', '')}` };
    case 'DeallocateStmt':
      return { kind: 'noop', command: (body as { isall?: boolean }).isall ? 'DEALLOCATE ALL' : 'DEALLOCATE' };
    case 'UnlistenStmt':
      return { kind: 'noop', command: 'UNLISTEN' };
    case 'ClosePortalStmt':
      return { kind: 'noop', command: (body as { portalname?: string }).portalname ? 'CLOSE CURSOR' : 'CLOSE CURSOR ALL' };
    default:
      if (WRITES.has(type)) throw new CatalogError(SQLSTATE.readOnlyTransaction, `the SQL API is read-only: ${statementName(type)} is not allowed`);
      throw new CatalogError(SQLSTATE.featureNotSupported, `${statementName(type)} is not supported by the SQL API`);
  }
}

function planSelect(sql: string, select: SelectStmt): StatementPlan {
  if (select.intoClause) throw new CatalogError(SQLSTATE.readOnlyTransaction, 'the SQL API is read-only: SELECT INTO is not allowed');
  const setConfig = setConfigCall(select);
  if (setConfig) return setConfig;
  const calls = versionCalls(select);
  return { kind: 'query', sql: rewrite(sql, calls), callsVersion: calls.length > 0 };
}

function planSet(set: { kind?: string; name?: string; is_local?: boolean }): StatementPlan {
  const name = (set.name ?? '').toLowerCase();
  if (GUARDED_SETTINGS.has(name)) throw new CatalogError(SQLSTATE.insufficientPrivilege, `the SQL API does not allow changing ${name}`);
  // SET TRANSACTION / SESSION CHARACTERISTICS, and transaction_* settings: the catalog runs every
  // statement in its own read-only transaction whatever the client asks.
  if (set.kind === 'VAR_SET_MULTI' || TRANSACTION_SETTINGS.test(name)) return { kind: 'noop', command: set.kind?.startsWith('VAR_RESET') ? 'RESET' : 'SET' };
  switch (set.kind) {
    case 'VAR_RESET_ALL':
      return { kind: 'reset-all', command: 'RESET' };
    case 'VAR_RESET':
    case 'VAR_SET_DEFAULT':
      return set.is_local ? { kind: 'noop', command: 'SET' } : { kind: 'reset', name };
    case 'VAR_SET_VALUE':
      // SET LOCAL outside a transaction block has no effect in PostgreSQL either.
      return set.is_local ? { kind: 'noop', command: 'SET' } : { kind: 'set', name };
    default:
      return { kind: 'noop', command: 'SET' };
  }
}

function planTransaction(kind: string | undefined): StatementPlan {
  switch (kind) {
    case 'TRANS_STMT_BEGIN':
      return { kind: 'noop', command: 'BEGIN' };
    case 'TRANS_STMT_START':
      return { kind: 'noop', command: 'START TRANSACTION' };
    case 'TRANS_STMT_COMMIT':
      return { kind: 'noop', command: 'COMMIT' };
    case 'TRANS_STMT_ROLLBACK':
    case 'TRANS_STMT_ROLLBACK_TO':
      return { kind: 'noop', command: 'ROLLBACK' };
    case 'TRANS_STMT_SAVEPOINT':
      return { kind: 'noop', command: 'SAVEPOINT' };
    case 'TRANS_STMT_RELEASE':
      return { kind: 'noop', command: 'RELEASE' };
    default:
      throw new CatalogError(SQLSTATE.featureNotSupported, 'two-phase commit is not supported by the SQL API');
  }
}

/** `SELECT set_config(a, b, c) [AS x]` alone: answered from and into the session's settings. */
function setConfigCall(select: SelectStmt): StatementPlan | undefined {
  const targets = select.targetList ?? [];
  if (targets.length !== 1 || select.fromClause || select.whereClause || select.withClause || select.op !== 'SETOP_NONE') return undefined;
  const target = (targets[0] as { ResTarget?: { name?: string; val?: Node } }).ResTarget;
  const call = target?.val && 'FuncCall' in target.val ? target.val.FuncCall : undefined;
  if (!call || !isFunction(call, 'set_config') || call.args?.length !== 3) return undefined;
  const args = call.args.map(constantArg);
  if (args.some((a) => a === undefined)) return undefined;
  return { kind: 'set-config', column: target?.name ?? 'set_config', args: args as [SetConfigArg, SetConfigArg, SetConfigArg] };
}

function constantArg(node: Node): SetConfigArg | undefined {
  if ('TypeCast' in node && node.TypeCast.arg) return constantArg(node.TypeCast.arg);
  if ('ParamRef' in node) return { kind: 'param', index: node.ParamRef.number ?? 0 };
  if ('A_Const' in node) {
    const c = node.A_Const;
    if (c.sval) return { kind: 'literal', value: c.sval.sval ?? '' };
    if (c.boolval) return { kind: 'literal', value: c.boolval.boolval ? 'true' : 'false' };
    if (c.ival) return { kind: 'literal', value: String(c.ival.ival ?? 0) };
  }
  return undefined;
}

function isFunction(call: FuncCall, name: string): boolean {
  const parts = (call.funcname ?? []).map((n) => ('String' in n ? n.String.sval : undefined));
  return (parts.length === 1 && parts[0] === name) || (parts.length === 2 && parts[0] === 'pg_catalog' && parts[1] === name);
}

/** Byte offsets of every `version()` call, found by walking the whole tree (subqueries, CTEs, ...). */
function versionCalls(tree: unknown): number[] {
  const found: number[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const call = (node as { FuncCall?: FuncCall }).FuncCall;
    if (call && isFunction(call, 'version') && !call.args?.length && call.location !== undefined) found.push(call.location);
    Object.values(node).forEach(walk);
  };
  walk(tree);
  return found;
}

/**
 * Columns PostgreSQL 17 renamed, which psql 15 and 16 (Debian 12's `postgresql-client` is 15)
 * still read from a newer server: without this, their `\l` fails on `daticulocale`.
 */
const RENAMED_COLUMNS: Readonly<Record<string, string>> = { daticulocale: 'datlocale', colliculocale: 'colllocale' };

/**
 * Two rewrites, on PostgreSQL's own tokens (so comments, strings and odd spacing are handled;
 * offsets are UTF-8 bytes): `version()`, built in and not replaceable, becomes
 * `pg_temp.version()`, which the call's transaction defines (its column is still "version");
 * and the renamed catalog columns above get their new names. Anything else is left as written.
 */
function rewrite(sql: string, versionLocations: readonly number[]): string {
  const tokens = scanSync(sql).tokens;
  const edits: { start: number; end: number; text: string }[] = [];
  for (const start of versionLocations) {
    const at = tokens.findIndex((t) => t.start === start);
    const close = tokens.findIndex((t, i) => i > at && t.text === ')');
    if (at < 0 || close < 0) throw new CatalogError(SQLSTATE.internalError, 'could not locate a version() call in the statement');
    edits.push({ start, end: tokens[close]!.end, text: 'pg_temp.version()' });
  }
  for (const t of tokens) {
    const renamed = t.tokenName === 'IDENT' ? RENAMED_COLUMNS[t.text.toLowerCase()] : undefined;
    if (renamed) edits.push({ start: t.start, end: t.end, text: renamed });
  }
  if (edits.length === 0) return sql;
  const bytes = Buffer.from(sql, 'utf8');
  let out = '';
  let from = 0;
  for (const e of edits.sort((a, b) => a.start - b.start)) {
    out += bytes.subarray(from, e.start).toString('utf8') + e.text;
    from = e.end;
  }
  return out + bytes.subarray(from).toString('utf8');
}

function statementName(type: string): string {
  return type.replace(/Stmt$/, '').replace(/([a-z])([A-Z])/g, '$1 $2').toUpperCase();
}
