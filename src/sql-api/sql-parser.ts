import { hasSqlDetails, loadModule, parseSync, type Node } from 'libpg-query';
import { SqlError, SQLSTATE } from './sql-error.js';

/** Statements in one simple Query message; more is a script, not a BI tool's question. */
export const MAX_STATEMENTS_PER_QUERY = 64;
/** Characters of SQL text in one statement or Query message. */
export const MAX_SQL_LENGTH = 256 * 1024;

/** One statement of a query string: its tree and its own text (what a catalog responder is given). */
export interface ParsedStatement {
  readonly node: Node;
  readonly text: string;
  /** Offset of `text` in the whole query string, so positions point into what the client sent. */
  readonly offset: number;
}

let loading: Promise<void> | undefined;

/**
 * PostgreSQL's own parser (libpg_query compiled to WebAssembly). Loaded once per process, before
 * the server listens, so parsing is synchronous afterwards.
 */
export function loadSqlParser(): Promise<void> {
  loading ??= loadModule();
  return loading;
}

/**
 * Parses a query string into its statements. A syntax error is 42601 with PostgreSQL's 1-based
 * position; an empty string (or only `;` and comments) gives no statements (EmptyQueryResponse).
 */
export function parseStatements(sql: string): ParsedStatement[] {
  if (sql.length > MAX_SQL_LENGTH) {
    throw new SqlError(SQLSTATE.programLimitExceeded, `The query is ${sql.length} characters long; Farol's SQL API accepts at most ${MAX_SQL_LENGTH}`);
  }
  let stmts;
  try {
    stmts = parseSync(sql).stmts ?? [];
  } catch (err) {
    if (hasSqlDetails(err) && err.sqlDetails) {
      throw new SqlError(SQLSTATE.syntaxError, err.sqlDetails.message, { position: err.sqlDetails.cursorPosition + 1 });
    }
    throw new SqlError(SQLSTATE.syntaxError, err instanceof Error ? err.message : 'syntax error');
  }
  if (stmts.length > MAX_STATEMENTS_PER_QUERY) {
    throw new SqlError(SQLSTATE.programLimitExceeded, `The query has ${stmts.length} statements; Farol's SQL API runs at most ${MAX_STATEMENTS_PER_QUERY} in one Query message`);
  }
  // libpg_query's locations are byte offsets into the UTF-8 text.
  const bytes = Buffer.from(sql, 'utf8');
  return stmts.flatMap((raw) => {
    if (!raw.stmt) return [];
    const start = raw.stmt_location ?? 0;
    const end = raw.stmt_len ? start + raw.stmt_len : bytes.length;
    const text = bytes.subarray(start, end).toString('utf8');
    return [{ node: raw.stmt, text, offset: bytes.subarray(0, start).toString('utf8').length }];
  });
}

/** The node's one key (`SelectStmt`, `ColumnRef`, …): libpg_query's JSON wraps every node in it. */
export function nodeKind(node: Node): string {
  return Object.keys(node)[0] ?? '';
}
