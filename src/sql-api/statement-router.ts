import type { Node, RangeVar, SelectStmt } from 'libpg-query';
import { nodeKind } from './sql-parser.js';
import { positionOf, SqlError, SQLSTATE } from './sql-error.js';

/**
 * Where one statement goes:
 * - `semantic`: a SELECT whose FROM names one governed view (`sales`, `public.sales`);
 * - `catalog`: a system statement for the catalog responder: a SELECT reading only
 *   `pg_catalog.*`, `information_schema.*` or `pg_*` relations, or nothing at all
 *   (`SELECT version()`), or a session utility (SET, SHOW, BEGIN/COMMIT/ROLLBACK, DISCARD,
 *   DEALLOCATE);
 * - anything else is refused here with its SQLSTATE.
 */
export type RoutedStatement =
  | { readonly kind: 'semantic'; readonly select: SelectStmt; readonly view: string; readonly alias: string | undefined }
  | { readonly kind: 'catalog' };

export const READ_ONLY_MESSAGE = "Farol's SQL API is read-only";

const UTILITY_STATEMENTS = new Set(['VariableSetStmt', 'VariableShowStmt', 'TransactionStmt', 'DiscardStmt', 'DeallocateStmt']);
const SYSTEM_SCHEMAS = new Set(['pg_catalog', 'information_schema']);
/** Statements that would change data, schema, grants or server state: refused as writes. */
const WRITE_STATEMENT = /^(Insert|Update|Delete|Merge|Create|Alter|Drop|Truncate|Copy|Grant|Revoke|Rename|Comment|Refresh|Reindex|Vacuum|Cluster|Lock|Index|View|Rule|Define|Composite|Reassign|Import|SecLabel|Load|Checkpoint|Notify|CallStmt|DoStmt)/;

export interface RouterViews {
  /** Views the caller's role may query (its SQL tables). */
  readonly visible: ReadonlySet<string>;
}

export function routeStatement(node: Node, views: RouterViews): RoutedStatement {
  const kind = nodeKind(node);
  if (kind === 'SelectStmt') return routeSelect((node as { SelectStmt: SelectStmt }).SelectStmt, views);
  if (UTILITY_STATEMENTS.has(kind)) return { kind: 'catalog' };
  if (WRITE_STATEMENT.test(kind)) throw new SqlError(SQLSTATE.readOnlyTransaction, `${READ_ONLY_MESSAGE}: ${statementName(kind)} is not allowed`);
  throw new SqlError(SQLSTATE.featureNotSupported, `${statementName(kind)} is not supported by Farol's SQL API; it answers SELECT over the governed views and the catalog queries BI tools send`);
}

function routeSelect(select: SelectStmt, views: RouterViews): RoutedStatement {
  if (select.intoClause) throw new SqlError(SQLSTATE.readOnlyTransaction, `${READ_ONLY_MESSAGE}: SELECT … INTO creates a table`);
  if (select.lockingClause?.length) throw new SqlError(SQLSTATE.readOnlyTransaction, `${READ_ONLY_MESSAGE}: SELECT … FOR UPDATE/SHARE locks rows`);
  const { relations, cteNames } = relationsOf(select);
  const governed: RangeVar[] = [];
  let system = 0;
  for (const rel of relations) {
    const name = rel.relname ?? '';
    const schema = rel.schemaname;
    if (!schema && cteNames.has(name)) continue;
    if ((schema && SYSTEM_SCHEMAS.has(schema)) || (!schema && name.startsWith('pg_'))) {
      system++;
      continue;
    }
    if ((schema === undefined || schema === 'public') && views.visible.has(name)) {
      governed.push(rel);
      continue;
    }
    throw undefinedRelation(rel);
  }
  if (governed.length === 0) return { kind: 'catalog' };
  if (system > 0) {
    throw new SqlError(SQLSTATE.featureNotSupported, 'A statement may not read both governed views and system catalogs', { position: positionOf(governed[0]?.location) });
  }
  const top = select.fromClause ?? [];
  const rel = governed[0] as RangeVar;
  if (governed.length > 1 || top.length !== 1 || nodeKind(top[0] as Node) !== 'RangeVar') {
    throw new SqlError(
      SQLSTATE.featureNotSupported,
      'A semantic query reads one view, named directly in FROM: joins, subqueries, CTEs and set operations over views are not supported',
      { position: positionOf(rel.location) },
    );
  }
  return { kind: 'semantic', select, view: rel.relname as string, alias: rel.alias?.aliasname };
}

function undefinedRelation(rel: RangeVar): SqlError {
  const name = rel.schemaname ? `${rel.schemaname}.${rel.relname ?? ''}` : (rel.relname ?? '');
  return new SqlError(SQLSTATE.undefinedTable, `relation "${name}" does not exist`, {
    position: positionOf(rel.location),
    hint: "Farol's SQL API serves the governed views of the semantic model (schema public), never warehouse tables; list them with \\dt or information_schema.tables",
  });
}

/** Every relation named anywhere in the statement (subqueries, CTEs, joins), and the CTE names it defines. */
function relationsOf(select: SelectStmt): { relations: RangeVar[]; cteNames: Set<string> } {
  const relations: RangeVar[] = [];
  const cteNames = new Set<string>();
  const stack: unknown[] = [select];
  while (stack.length > 0) {
    const value = stack.pop();
    if (Array.isArray(value)) {
      stack.push(...value);
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    for (const [key, child] of Object.entries(value)) {
      if (key === 'RangeVar') relations.push(child as RangeVar);
      else if (key === 'CommonTableExpr' && typeof (child as { ctename?: unknown }).ctename === 'string') cteNames.add((child as { ctename: string }).ctename);
      stack.push(child);
    }
  }
  return { relations, cteNames };
}

/** `InsertStmt` → `INSERT`, `CreateTableAsStmt` → `CREATE TABLE AS`. */
function statementName(kind: string): string {
  return kind
    .replace(/Stmt$/, '')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toUpperCase();
}
