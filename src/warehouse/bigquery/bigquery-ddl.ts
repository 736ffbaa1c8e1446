/**
 * BigQuery DDL from the DuckDB DDL each layer owns, so a table's shape is written once. Only the
 * constructs Farol's DDL uses are translated (types, primary keys, schemas); anything else is left
 * as is and BigQuery rejects it at migration, naming the statement.
 */
export interface TableLayout {
  /** Partitioning expression, e.g. `DATE(created_at)`: queries filtering on that column read only their days. */
  readonly partitionBy?: string;
  /** Up to four columns, most selective filter first. */
  readonly clusterBy?: readonly string[];
}

const TYPES: readonly [RegExp, string][] = [
  [/\bVARCHAR\b/gi, 'STRING'],
  [/\bTEXT\b/gi, 'STRING'],
  [/\bBIGINT\b/gi, 'INT64'],
  [/\bINTEGER\b/gi, 'INT64'],
  [/\bSMALLINT\b/gi, 'INT64'],
  [/\bDOUBLE\b/gi, 'FLOAT64'],
  [/\bDECIMAL\s*\(/gi, 'NUMERIC('],
  [/\bTIMESTAMPTZ\b/gi, 'TIMESTAMP'],
  [/\bBOOLEAN\b/gi, 'BOOL'],
];

/**
 * `layout` names tables as `layer.table`; each one's `CREATE TABLE` gets `PARTITION BY` and
 * `CLUSTER BY` after its column list. Primary keys become `NOT ENFORCED` (BigQuery keeps them as
 * optimizer hints only: uniqueness stays the pipeline's job, as the data tests check).
 */
export function toBigQueryDdl(duckdbDdl: string, layout: Readonly<Record<string, TableLayout>> = {}): string {
  let ddl = outsideComments(duckdbDdl.replace(/^\s*CREATE SCHEMA IF NOT EXISTS \w+;\s*$/gim, ''), (code) => {
    for (const [re, to] of TYPES) code = code.replace(re, to);
    // BigQuery's column grammar puts DEFAULT before NOT NULL; DuckDB takes either order.
    code = code.replace(/\bNOT NULL\s+(DEFAULT\s+(?:'[^']*'|[\w.+-]+(?:\(\))?))/gi, '$1 NOT NULL');
    return code.replace(/PRIMARY KEY\s*(\([^)]*\))?/gi, (_m, cols: string | undefined) => `PRIMARY KEY${cols ? ` ${cols}` : ''} NOT ENFORCED`);
  });
  for (const [table, l] of Object.entries(layout)) {
    const start = ddl.search(new RegExp(`CREATE TABLE IF NOT EXISTS ${table.replace('.', '\\.')}\\s*\\(`));
    if (start < 0) throw new Error(`toBigQueryDdl: no CREATE TABLE for ${table}`);
    const end = closingParen(ddl, ddl.indexOf('(', start));
    const clauses = [l.partitionBy ? `PARTITION BY ${l.partitionBy}` : '', l.clusterBy?.length ? `CLUSTER BY ${l.clusterBy.join(', ')}` : ''].filter(Boolean);
    ddl = `${ddl.slice(0, end + 1)}\n${clauses.join('\n')}${ddl.slice(end + 1)}`;
  }
  return ddl.replace(/\n{3,}/g, '\n\n').trim();
}

/**
 * Applies `translate` to the SQL between `--` comments only: a comment that says "primary key"
 * or "raw text" is prose, not a key or a type. A `--` inside a string literal is not a comment.
 */
function outsideComments(sql: string, translate: (code: string) => string): string {
  let out = '';
  let code = '';
  for (let i = 0; i < sql.length; i++) {
    if (sql[i] === "'") {
      const end = sql.indexOf("'", i + 1);
      const stop = end < 0 ? sql.length : end + 1;
      code += sql.slice(i, stop);
      i = stop - 1;
    } else if (sql[i] === '-' && sql[i + 1] === '-') {
      const nl = sql.indexOf('\n', i);
      const stop = nl < 0 ? sql.length : nl;
      out += translate(code) + sql.slice(i, stop);
      code = '';
      i = stop - 1;
    } else {
      code += sql[i];
    }
  }
  return out + translate(code);
}

function closingParen(s: string, open: number): number {
  let depth = 0;
  for (let i = open; i < s.length; i++) {
    if (s[i] === '(') depth++;
    else if (s[i] === ')' && --depth === 0) return i;
    else if (s[i] === '-' && s[i + 1] === '-') i = s.indexOf('\n', i) < 0 ? s.length : s.indexOf('\n', i);
  }
  throw new Error('toBigQueryDdl: unbalanced parentheses');
}
